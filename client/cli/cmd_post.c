/*
 * client/cli/cmd_post.c — `grandlivre post [FILE]` and the batching shared
 * with `fec import`.
 *
 * Entries are sent in requests of at most GL_ENTRIES_MAX entries and
 * BATCH_BYTES_MAX bytes.  Each request is all or none.  The request id of
 * each batch is derived from its content (unless --request-id or --new), so
 * rerunning the same command after a crash or a lost reply posts nothing
 * twice: the daemon answers with the original reply.
 */
#include "cli.h"
#include "cli_replies.h"

#include "client/input/entries_json.h"
#include "client/input/entry_set.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_BYTES_MAX (8u * 1024u * 1024u)

static const char help[] =
    "usage: grandlivre post [--tenant T] [FILE | -]\n"
    "\n"
    "Post the entries of a JSON file (standard input if no FILE or '-'), all or\n"
    "none per request. Accepted documents: {\"entries\": [...]}, an array of\n"
    "entries, or one entry. Entry: {\"tenant\": T (default --tenant), \"date\":\n"
    "\"2025-03-31\", \"journal\": \"AC\", \"piece\": \"F-123\", \"piece_date\": ...,\n"
    "\"label\": ..., \"lines\": [{\"account\": \"606100\", \"aux\": ..., \"aux_label\": ...,\n"
    "\"label\": ..., \"debit\": \"120.50\"}, {\"account\": \"401000\", \"credit\":\n"
    "\"120.50\"}]}. Amounts are decimal strings (at most two decimals) or integer\n"
    "cents with \"debit_cents\"/\"credit_cents\"; never JSON real numbers.\n"
    "\"piece\" and \"label\" are required and may not be blank (only spaces); a\n"
    "line's \"label\" may be left out (it shows the entry's). Accounts: three\n"
    "digits first, class 1-8 (9 where the tenant enables analytic accounts);\n"
    "class 8 lines, and class 9 lines, must each balance within the entry.\n"
    "\n"
    "Prints the number given to each entry (fiscal year/number, e.g. 2025/17).\n"
    "Posting the same file again is recognised as a retry and writes nothing\n"
    "(use --new to post identical entries on purpose).\n";

typedef struct batch_state {
    gl_buf body;
    size_t first, count;
    uint64_t number; /* 0-based batch number */
    uint16_t *fy_out; /* NULL, or the number given to each entry of the set */
    uint32_t *num_out;
} batch_state;

/* The request id of a batch: --request-id N gives N + batch number; a file
 * source gives an id derived from the file's digest and the batch number;
 * otherwise 0 (cli_call derives it from the body, or draws one for --new). */
static uint64_t batch_request_id(const cli *c, const gl_entry_set *set, const batch_state *b, const char *tenant)
{
    if (c->request_id)
        return c->request_id + b->number;
    if (c->new_id || !set->has_source_digest)
        return 0;
    uint8_t seed[40];
    memcpy(seed, set->source_digest, 32);
    gl_be64(seed + 32, b->number);
    return gl_request_id_for(&c->key, GL_KIND_POST, tenant, seed, sizeof seed, 0);
}

static void report_refusal_position(const gl_entry_set *set, size_t first, const gl_reply *r)
{
    if (!r->err_item)
        return;
    size_t idx = first + r->err_item - 1;
    if (idx < set->count && set->source_line && set->source_line[idx])
        fprintf(stderr, "grandlivre: the refused entry is entry %zu of the input, starting at line %zu\n",
                idx + 1, set->source_line[idx]);
    else
        fprintf(stderr, "grandlivre: the refused entry is entry %zu of the input\n", idx + 1);
}

static bool batch_has_extensions(const gl_entry_set *set, const batch_state *b)
{
    for (size_t i = b->first; i < b->first + b->count; i++)
        if (set->entries[i].ext.len)
            return true;
    return false;
}

/* A file imported by a release that sent no extension areas (before the
 * validation date was kept, issue 13) holds this batch under the same
 * request id without them: sent again as it was then, it is recognised as
 * a replay and nothing is posted twice; a refusal still refuses.  Same
 * request id (c->request_id), entries without their extension areas. */
static int resend_as_imported_before(cli *c, const gl_entry_set *set, const batch_state *b, const char *tenant,
                                     gl_response *resp)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u32(&body, (uint32_t)b->count);
    for (size_t i = b->first; i < b->first + b->count; i++) {
        gl_entry_in e = set->entries[i];
        e.ext = (gl_ext_in){0};
        if (gl_entry_encode(&body, &e) != GL_OK)
            break;
    }
    int rc = gl_buf_ok(&body) ? cli_call(c, GL_KIND_POST, tenant, body.data, body.len, resp)
                              : cli_nomem("the batch of entries");
    if (rc == 0)
        fprintf(stderr,
                "grandlivre: entries %zu-%zu were imported before by an earlier release, without their "
                "validation dates: kept as they were, nothing posted again\n",
                b->first + 1, b->first + b->count);
    gl_buf_free(&body);
    return rc;
}

static int send_batch(cli *c, const gl_entry_set *set, batch_state *b, out_table *t,
                      size_t *posted, size_t *replayed)
{
    uint8_t head[4];
    gl_be32(head, (uint32_t)b->count);
    memcpy(b->body.data, head, 4);
    const char *tenant = set->entries[b->first].tenant;
    gl_response resp;
    uint64_t given = c->request_id;
    c->request_id = batch_request_id(c, set, b, tenant);
    bool may_be_older_import = set->has_source_digest && batch_has_extensions(set, b);
    c->quiet_reused = may_be_older_import;
    int rc = cli_call(c, GL_KIND_POST, tenant, b->body.data, b->body.len, &resp);
    c->quiet_reused = false;
    if (rc == EXIT_REFUSED && resp.reply.status == GL_ERR_REQUEST_ID_REUSED && may_be_older_import) {
        gl_response_free(&resp);
        rc = resend_as_imported_before(c, set, b, tenant, &resp);
    }
    c->request_id = given;
    b->number++;
    if (rc == 0) {
        if (resp.reply.flags & GL_REPLY_REPLAYED)
            *replayed += b->count;
        gl_reply_post r;
        if (gl_reply_post_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r) != GL_OK) {
            cli_error("cannot read the daemon's reply (entry numbers)");
            r = (gl_reply_post){0};
            rc = EXIT_REFUSED;
        }
        uint32_t n = r.count;
        gl_reply_post_iter it;
        gl_reply_post_row row;
        gl_reply_post_iter_init(&it, &r);
        for (uint32_t i = 0; gl_reply_post_next(&it, &row) == 1; i++) {
            uint16_t fy = row.fy;
            uint32_t num = row.num;
            if (b->fy_out && i < b->count) {
                b->fy_out[b->first + i] = fy;
                b->num_out[b->first + i] = num;
            }
            if (t) {
                char name[32], date[11];
                const gl_entry_in *e = &set->entries[b->first + i];
                snprintf(name, sizeof name, "%u/%u", fy, num);
                out_int(t, (int64_t)(b->first + i + 1));
                out_cstr(t, name);
                out_cstr(t, e->tenant);
                out_cstr(t, gl_date_format(e->date, date));
                out_cstr(t, e->journal);
                out_cstr(t, e->label);
            }
        }
        *posted += n;
    } else if (rc == EXIT_REFUSED) {
        report_refusal_position(set, b->first, &resp.reply);
    }
    gl_response_free(&resp);
    gl_buf_reset(&b->body);
    gl_put_u32(&b->body, 0);
    b->count = 0;
    return rc;
}

int post_entry_set(cli *c, const gl_entry_set *set, const char *what)
{
    return post_entry_set_numbers(c, set, what, NULL, NULL);
}

int post_entry_set_numbers(cli *c, const gl_entry_set *set, const char *what, uint16_t *fy_out, uint32_t *num_out)
{
    static const out_col cols[] = {{"input", OUT_INT}, {"entry", OUT_TEXT}, {"tenant", OUT_TEXT},
                                   {"date", OUT_TEXT}, {"journal", OUT_TEXT}, {"label", OUT_TEXT}};
    bool show = !strcmp(what, "post");
    out_table *t = show ? out_new(cols, 6) : NULL;
    batch_state b = {.fy_out = fy_out, .num_out = num_out};
    gl_buf one;
    gl_buf_init(&b.body);
    gl_buf_init(&one);
    gl_put_u32(&b.body, 0);
    size_t posted = 0, replayed = 0;
    int rc = 0;
    for (size_t i = 0; i < set->count && rc == 0; i++) {
        if (!set->entries[i].tenant[0]) {
            cli_error("entry %zu names no tenant: give --tenant or a \"tenant\" field", i + 1);
            rc = EXIT_USAGE;
            break;
        }
        gl_buf_reset(&one);
        int st = gl_entry_encode(&one, &set->entries[i]);
        if (st != GL_OK) {
            cli_error("entry %zu: %s", i + 1, gl_status_message(st));
            rc = EXIT_USAGE;
            break;
        }
        bool other_tenant = b.count && strcmp(set->entries[b.first].tenant, set->entries[i].tenant);
        if (b.count && (b.count == GL_ENTRIES_MAX || b.body.len + one.len > BATCH_BYTES_MAX || other_tenant))
            rc = send_batch(c, set, &b, t, &posted, &replayed);
        if (rc)
            break;
        if (b.count == 0)
            b.first = i;
        gl_put_bytes(&b.body, one.data, one.len);
        b.count++;
        if (!gl_buf_ok(&b.body))
            rc = cli_nomem("the batch of entries");
    }
    if (rc == 0 && b.count)
        rc = send_batch(c, set, &b, t, &posted, &replayed);
    if (rc == 0 && t && out_render(t, c->format, stdout))
        rc = EXIT_USAGE;
    if (rc == 0)
        fprintf(stderr, "grandlivre: %s: %zu entries accepted (%zu of them already posted before)\n", what,
                posted, replayed);
    else if (posted)
        fprintf(stderr, "grandlivre: %s: %zu entries were posted before the refusal (earlier requests); rerunning the same command after a fix is safe\n",
                what, posted);
    out_free(t);
    gl_buf_free(&b.body);
    gl_buf_free(&one);
    return rc;
}

int cmd_post(int argc, char **argv)
{
    cli c;
    int rc = cli_parse(&c, &argc, &argv, NULL, NULL, NULL, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc > 1) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_key_tenant(&c, false))) /* a member's key: entries default to its tenant */
        return rc;
    const char *path = argc ? argv[0] : "-";
    size_t len;
    char *text = cli_read_file(path, &len);
    if (!text)
        return EXIT_USAGE;
    gl_entry_set set;
    gl_entry_set_init(&set);
    char err[512];
    if (gl_entries_from_json(text, len, c.tenant ? c.tenant : "", &set, err, sizeof err) != 0) {
        cli_error("%s: %s", path, err);
        free(text);
        return EXIT_USAGE;
    }
    gl_entry_set_source(&set, text, len);
    free(text);
    if (set.count == 0) {
        cli_error("%s: no entries", path);
        rc = EXIT_USAGE;
    } else if ((rc = cli_connect(&c)) == 0) {
        rc = post_entry_set(&c, &set, "post");
        cli_close(&c);
    }
    gl_entry_set_free(&set);
    return rc;
}
