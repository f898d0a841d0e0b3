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
#include "i18n.h"
#include "plural.h"
#include "cli_replies.h"

#include "client/analytic/an_spec.h"
#include "client/input/entries_csv.h"
#include "client/input/entries_json.h"
#include "client/input/entry_set.h"
#include "client/output/progress.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/request.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH_BYTES_MAX (8u * 1024u * 1024u)

static const char help[] =
    "usage: grandlivre post [--tenant T] [--dry-run] [FILE | -]\n"
    "       grandlivre post [--tenant T] [--dry-run] --date D --journal J --piece P\n"
    "                       [--piece-date D] --label L --debit LINE... --credit LINE...\n"
    "\n"
    "One entry on the command line: LINE is ACCOUNT[:AUX]=AMOUNT[:LABEL], e.g.\n"
    "  --debit 606400=120,50 --credit 401000:FOURN01=120,50:\"Facture mars\"\n"
    "(French comma or dot decimals; --debit and --credit as often as needed; the\n"
    "line label after the amount is optional and may hold ':').\n"
    "\n"
    "--dry-run checks what the client can (dates, amounts, at least two lines,\n"
    "balance, account numbers, classes 8 and 9 balanced) and prints the entries\n"
    "as they would be posted, one row per line (with an analytic column, the\n"
    "codes in cents, when lines carry codes); nothing is sent.  The daemon\n"
    "still checks what it alone knows (the tenant's chart, periods, locks).\n"
    "\n"
    "A FILE ending in .csv is read as CSV, one row per entry line: a header\n"
    "date;journal;piece;piece_date;label;account;aux;aux_label;line_label;debit;credit\n"
    "(piece_date, aux, aux_label, line_label and tenant optional, any order),\n"
    "';' or ',' as found in the header, \"quoted\" fields, '#' comment rows;\n"
    "consecutive rows with the same date, journal, piece and label (or those\n"
    "left empty) form one entry.  Refusals name the file's line.  See examples/.\n"
    "An optional analytic column gives a line's analytic codes, axis=codes;...\n"
    "in double quotes (it holds the separators): \"action=FSE-2026;financeur=\n"
    "FSE:60%,VILLE:40%\" (see below and grandlivre analytic --help).\n"
    "\n"
    "Usual journal codes: AC purchases, VE sales and invoices to users, BQ bank,\n"
    "CA cash, OD miscellaneous (payroll, grants, class 8), AN opening balances\n"
    "(written by close-year), CL year-end result (written by close-year).\n"
    "\n"
    "Otherwise: post the entries of a JSON file (standard input if no FILE or '-'), all or\n"
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
    "A \"comment\" member (in an entry, or beside \"entries\") is ignored.\n"
    "A line's analytic codes (optional): \"analytic\": {\"action\": \"FSE-2026\",\n"
    "\"financeur\": \"FSE:60%,VILLE:40%\"}, per axis one code (the whole line), or\n"
    "a distribution in percentages (up to 4 decimals, summing to 100 %; cents by\n"
    "the recharge's exact rule, the remaining cent to the largest share, codes in\n"
    "byte order) or in amounts (decimal point, summing to the line's amount):\n"
    "signed with the entry; the axes and codes must be open (grandlivre analytic).\n"
    "\n"
    "Prints the number given to each entry (fiscal year/number, e.g. 2025/17).\n"
    "Posting the same file or command line again is recognised as a retry and\n"
    "writes nothing; it prints \"already posted as 2025/17 (--new to post it\n"
    "again)\" (use --new to post identical entries on purpose).\n";

typedef struct batch_state {
    gl_buf body;
    size_t first, count;
    uint64_t number;  /* 0-based batch number */
    size_t base;      /* input position of the set's first entry (post_entry_chunk) */
    uint16_t *fy_out; /* NULL, or the number given to each entry of the set */
    uint32_t *num_out;
} batch_state;

/* The request id of a batch: --request-id N gives N + batch number; a file
 * source gives an id derived from the file's digest and the batch number;
 * otherwise 0 (cli_call derives it from the body, or draws one for --new). */
static uint64_t batch_request_id(const cli *c, const gl_entry_set *set, const batch_state *b,
                                 const char *tenant)
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

static void report_refusal_position(const gl_entry_set *set, size_t first, size_t base,
                                    const gl_reply *r)
{
    if (!r->err_item)
        return;
    size_t idx = first + r->err_item - 1;
    if (idx < set->count && set->source_line && set->source_line[idx])
        fprintf(stderr,
                "grandlivre: the refused entry is entry %zu of the input, starting at line %zu\n",
                base + idx + 1, set->source_line[idx]);
    else
        fprintf(stderr, "grandlivre: the refused entry is entry %zu of the input\n",
                base + idx + 1);
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
static int resend_as_imported_before(cli *c, const gl_entry_set *set, const batch_state *b,
                                     const char *tenant, gl_response *resp)
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
        fprintf(
            stderr,
            "grandlivre: entries %zu-%zu were imported before by an earlier release, without their "
            "validation dates: kept as they were, nothing posted again\n",
            b->base + b->first + 1, b->base + b->first + b->count);
    gl_buf_free(&body);
    return rc;
}

/* What a batch's reply says, reported: rc and resp are the call's (the
 * request id in c->request_id, for a resend as an older import made it). */
static int batch_outcome(cli *c, const gl_entry_set *set, batch_state *b, out_table *t,
                         size_t *posted, size_t *replayed, int rc, gl_response *resp)
{
    const char *tenant = set->entries[b->first].tenant;
    bool may_be_older_import = set->has_source_digest && batch_has_extensions(set, b);
    if (rc == EXIT_REFUSED && resp->reply.status == GL_ERR_REQUEST_ID_REUSED &&
        may_be_older_import) {
        gl_response_free(resp);
        rc = resend_as_imported_before(c, set, b, tenant, resp);
    }
    b->number++;
    if (rc == 0) {
        if (resp->reply.flags & GL_REPLY_REPLAYED)
            *replayed += b->count;
        gl_reply_post r;
        if (gl_reply_post_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &r) !=
            GL_OK) {
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
            if (t && (resp->reply.flags & GL_REPLY_REPLAYED))
                fprintf(
                    stderr,
                    _("grandlivre: entry %zu: already posted as %u/%u (--new to post it again)\n"),
                    b->first + i + 1, fy, num);
            if (t) {
                char name[32];
                const gl_entry_in *e = &set->entries[b->first + i];
                snprintf(name, sizeof name, "%u/%u", fy, num);
                out_int(t, (int64_t)(b->first + i + 1));
                out_cstr(t, name);
                out_cstr(t, e->tenant);
                out_date(t, e->date);
                out_cstr(t, e->journal);
                out_cstr(t, e->label);
            }
        }
        *posted += n;
    } else if (rc == EXIT_REFUSED) {
        report_refusal_position(set, b->first, b->base, &resp->reply);
    }
    return rc;
}

static int send_batch(cli *c, const gl_entry_set *set, batch_state *b, out_table *t, size_t *posted,
                      size_t *replayed)
{
    uint8_t head[4];
    gl_be32(head, (uint32_t)b->count);
    memcpy(b->body.data, head, 4);
    const char *tenant = set->entries[b->first].tenant;
    gl_response resp;
    uint64_t given = c->request_id;
    c->request_id = batch_request_id(c, set, b, tenant);
    c->quiet_reused = set->has_source_digest && batch_has_extensions(set, b);
    int rc = cli_call(c, GL_KIND_POST, tenant, b->body.data, b->body.len, &resp);
    c->quiet_reused = false;
    rc = batch_outcome(c, set, b, t, posted, replayed, rc, &resp);
    c->request_id = given;
    gl_response_free(&resp);
    gl_buf_reset(&b->body);
    gl_put_u32(&b->body, 0);
    b->count = 0;
    return rc;
}

/* Entry i of set in canonical bytes into one (reset first): 0, or
 * EXIT_USAGE with a message naming the entry. */
static int encode_one(const gl_entry_set *set, size_t i, gl_buf *one)
{
    if (!set->entries[i].tenant[0]) {
        cli_error("entry %zu names no tenant: give --tenant or a \"tenant\" field", i + 1);
        return EXIT_USAGE;
    }
    gl_buf_reset(one);
    int st = gl_entry_encode(one, &set->entries[i]);
    if (st != GL_OK) {
        cli_error("entry %zu: %s", i + 1, gl_status_message(st));
        return EXIT_USAGE;
    }
    return 0;
}

int post_entry_set(cli *c, const gl_entry_set *set, const char *what)
{
    return post_entry_set_numbers(c, set, what, NULL, NULL);
}

bool post_batch_full(size_t count, size_t entry_bytes, size_t next_len)
{
    return count && (count == GL_ENTRIES_MAX || 4 + entry_bytes + next_len > BATCH_BYTES_MAX);
}

static void post_summary(const char *what, int rc, size_t posted, size_t replayed)
{
    if (rc == 0)
        fprintf(
            stderr,
            PLURAL(posted,
                   "grandlivre: %s: %zu entry accepted (%zu of them already posted before)\n",
                   "grandlivre: %s: %zu entries accepted (%zu of them already posted before)\n"),
            what, posted, replayed);
    else if (posted)
        fprintf(
            stderr,
            PLURAL(
                posted,
                "grandlivre: %s: %zu entry was posted before the refusal (an earlier request); rerunning the same command after a fix is safe\n",
                "grandlivre: %s: %zu entries were posted before the refusal (earlier requests); rerunning the same command after a fix is safe\n"),
            what, posted);
}

void post_stream_end(const post_stream *ps, const char *what, int rc)
{
    post_summary(what, rc, ps->posted, ps->replayed);
}

/* post_entry_set_numbers, or one chunk of a longer input (ps not NULL:
 * batch numbers, positions, counts and the bar continue in ps). */
static int post_core(cli *c, const gl_entry_set *set, const char *what, uint16_t *fy_out,
                     uint32_t *num_out, post_stream *ps)
{
    static const out_col cols[] = {{"input", OUT_INT}, {"entry", OUT_TEXT},   {"tenant", OUT_TEXT},
                                   {"date", OUT_DATE}, {"journal", OUT_TEXT}, {"label", OUT_TEXT}};
    bool show = !strcmp(what, "post");
    out_table *t = show ? out_new(cols, 6) : NULL;
    batch_state b = {.fy_out = fy_out,
                     .num_out = num_out,
                     .number = ps ? ps->batches : 0,
                     .base = ps ? ps->base : 0};
    gl_buf one;
    gl_buf_init(&b.body);
    gl_buf_init(&one);
    gl_put_u32(&b.body, 0);
    size_t posted = 0, replayed = 0;
    int rc = 0;
    /* a long import shows its progress on a terminal; `post` stays quiet */
    gl_progress own, *bar = ps && ps->bar ? ps->bar : &own;
    gl_progress_start_on(&own, stderr, show || ps ? -1 : STDERR_FILENO, what, "entries",
                         set->count);
    for (size_t i = 0; i < set->count && rc == 0; i++) {
        if ((rc = encode_one(set, i, &one)))
            break;
        bool other_tenant = b.count && strcmp(set->entries[b.first].tenant, set->entries[i].tenant);
        if (b.count &&
            (b.count == GL_ENTRIES_MAX || b.body.len + one.len > BATCH_BYTES_MAX || other_tenant))
            rc = send_batch(c, set, &b, t, &posted, &replayed);
        if (rc)
            break;
        gl_progress_set(bar, b.base + i);
        if (b.count == 0)
            b.first = i;
        gl_put_bytes(&b.body, one.data, one.len);
        b.count++;
        if (!gl_buf_ok(&b.body))
            rc = cli_nomem("the batch of entries");
    }
    if (rc == 0 && b.count)
        rc = send_batch(c, set, &b, t, &posted, &replayed);
    if (rc == 0)
        gl_progress_set(bar, b.base + set->count);
    gl_progress_finish(&own);
    if (rc == 0 && t && out_render(t, c->format, stdout))
        rc = EXIT_USAGE;
    if (ps) {
        ps->batches = b.number;
        ps->base += set->count;
        ps->posted += posted;
        ps->replayed += replayed;
    } else {
        post_summary(what, rc, posted, replayed);
    }
    out_free(t);
    gl_buf_free(&b.body);
    gl_buf_free(&one);
    return rc;
}

int post_entry_set_numbers(cli *c, const gl_entry_set *set, const char *what, uint16_t *fy_out,
                           uint32_t *num_out)
{
    return post_core(c, set, what, fy_out, num_out, NULL);
}

int post_entry_chunk(cli *c, const gl_entry_set *chunk, const char *what, uint16_t *fy_out,
                     uint32_t *num_out, post_stream *ps)
{
    return post_core(c, chunk, what, fy_out, num_out, ps);
}

/* A chunk's request, signed as the next batch of ps (its number and input
 * position taken now): the request id is post_core's for the same batch. */
int post_chunk_sign(cli *c, const gl_entry_set *chunk, post_stream *ps, post_flight *f)
{
    gl_buf body, one;
    gl_buf_init(&body);
    gl_buf_init(&one);
    gl_put_u32(&body, (uint32_t)chunk->count);
    int rc = 0;
    for (size_t i = 0; i < chunk->count && rc == 0; i++) {
        rc = encode_one(chunk, i, &one);
        if (rc == 0 && (strcmp(chunk->entries[i].tenant, chunk->entries[0].tenant) ||
                        post_batch_full(i, body.len - 4, one.len))) {
            cli_error("internal error: a chunk of more than one batch"); /* cut by the caller */
            rc = EXIT_USAGE;
        }
        gl_put_bytes(&body, one.data, one.len);
    }
    if (rc == 0 && !gl_buf_ok(&body))
        rc = cli_nomem("the batch of entries");
    f->number = ps->batches;
    f->base = ps->base;
    f->sent = false;
    f->tenant = chunk->count ? chunk->entries[0].tenant : "";
    batch_state b = {.first = 0, .count = chunk->count, .number = f->number};
    f->id = batch_request_id(c, chunk, &b, f->tenant);
    if (!f->id)
        f->id = c->new_id
                    ? gl_request_id_random()
                    : gl_request_id_for(&c->key, GL_KIND_POST, f->tenant, body.data, body.len, 0);
    gl_buf_init(&f->req);
    if (rc == 0) {
        int st = gl_sign_request(c->client, GL_KIND_POST, f->tenant, f->id, body.data, body.len,
                                 &f->req);
        if (st != GL_OK) {
            gl_response resp = {0};
            rc = cli_reply(c, st, f->id, f->tenant, &resp);
            gl_response_free(&resp);
        }
    }
    ps->batches++;
    ps->base += chunk->count;
    gl_buf_free(&body);
    gl_buf_free(&one);
    return rc;
}

int post_chunk_send(cli *c, post_flight *f)
{
    int st = gl_send_signed(c->client, &f->req);
    f->sent = st == GL_OK;
    post_flight_free(f); /* ZeroMQ holds its own copy from now on */
    if (st == GL_OK)
        return 0;
    gl_response resp = {0};
    int rc = cli_reply(c, st, f->id, f->tenant, &resp);
    gl_response_free(&resp);
    return rc;
}

int post_chunk_end(cli *c, const gl_entry_set *chunk, const char *what, uint16_t *fy_out,
                   uint32_t *num_out, post_stream *ps, post_flight *f)
{
    (void)what;
    gl_response resp;
    int st = gl_recv(c->client, f->id, &resp);
    uint64_t given = c->request_id;
    c->request_id = f->id; /* a resend as an older import keeps it */
    batch_state b = {.first = 0,
                     .count = chunk->count,
                     .number = f->number,
                     .base = f->base,
                     .fy_out = fy_out,
                     .num_out = num_out};
    bool older = chunk->has_source_digest && batch_has_extensions(chunk, &b);
    c->quiet_reused = older;
    int rc = cli_reply(c, st, f->id, f->tenant, &resp);
    c->quiet_reused = false;
    size_t posted = 0, replayed = 0;
    rc = batch_outcome(c, chunk, &b, NULL, &posted, &replayed, rc, &resp);
    c->request_id = given;
    ps->posted += posted;
    ps->replayed += replayed;
    if (rc == 0 && ps->bar)
        gl_progress_set(ps->bar, f->base + chunk->count);
    gl_response_free(&resp);
    post_flight_free(f);
    return rc;
}

void post_flight_free(post_flight *f)
{
    gl_buf_free(&f->req);
    gl_buf_init(&f->req);
}

/* The options of a command-line entry and --dry-run. */
enum {
    OPT_DATE = 2000,
    OPT_JOURNAL,
    OPT_PIECE,
    OPT_PIECE_DATE,
    OPT_LABEL,
    OPT_DEBIT,
    OPT_CREDIT,
    OPT_DRY_RUN
};

static const struct option post_options[] = {
    {"date", required_argument, NULL, OPT_DATE},
    {"journal", required_argument, NULL, OPT_JOURNAL},
    {"piece", required_argument, NULL, OPT_PIECE},
    {"piece-date", required_argument, NULL, OPT_PIECE_DATE},
    {"label", required_argument, NULL, OPT_LABEL},
    {"debit", required_argument, NULL, OPT_DEBIT},
    {"credit", required_argument, NULL, OPT_CREDIT},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {NULL, 0, NULL, 0},
};

/* One --debit/--credit argument, split in place (arg is copied). */
typedef struct cli_line {
    char *text; /* owned copy: account, aux, amount and label point into it */
    gl_line_in in;
} cli_line;

typedef struct post_opts {
    const char *date, *journal, *piece, *piece_date, *label;
    cli_line *lines;
    size_t line_count, line_cap;
    bool dry_run;
    int bad; /* an exit code met while parsing a line */
} post_opts;

static void upper_in_place(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

/* ACCOUNT[:AUX]=AMOUNT[:LABEL] into l.  The label is everything after the
 * first ':' that follows the amount, so it may hold ':' itself. */
static int parse_cli_line(const char *arg, uint8_t side, cli_line *l)
{
    const char *opt = side == GL_SIDE_DEBIT ? "--debit" : "--credit";
    l->text = strdup(arg);
    if (!l->text)
        return cli_nomem("a line of the entry");
    char *eq = strchr(l->text, '=');
    if (!eq) {
        cli_error(
            "%s %s: expected ACCOUNT[:AUX]=AMOUNT[:LABEL], e.g. 606400=120,50 or 401000:FOURN01=120,50",
            opt, arg);
        return EXIT_USAGE;
    }
    *eq = '\0';
    char *amount = eq + 1, *label = strchr(amount, ':'), *aux = strchr(l->text, ':');
    if (label)
        *label++ = '\0';
    if (aux)
        *aux++ = '\0';
    upper_in_place(l->text);
    l->in = (gl_line_in){.account = l->text,
                         .aux = aux ? aux : "",
                         .aux_label = "",
                         .label = label ? label : "",
                         .side = side};
    if (!l->text[0]) {
        cli_error("%s %s: no account before '='", opt, arg);
        return EXIT_USAGE;
    }
    if (!gl_money_parse(amount, strlen(amount), &l->in.amount_cents) || l->in.amount_cents <= 0) {
        cli_error(
            "%s %s: bad amount \"%s\" (a positive amount, at most two decimals after ',' or '.')",
            opt, arg, amount);
        return EXIT_USAGE;
    }
    return 0;
}

static int post_option(int opt, const char *arg, void *user)
{
    post_opts *o = user;
    switch (opt) {
    case OPT_DATE: o->date = arg; return 0;
    case OPT_JOURNAL: o->journal = arg; return 0;
    case OPT_PIECE: o->piece = arg; return 0;
    case OPT_PIECE_DATE: o->piece_date = arg; return 0;
    case OPT_LABEL: o->label = arg; return 0;
    case OPT_DRY_RUN: o->dry_run = true; return 0;
    case OPT_DEBIT:
    case OPT_CREDIT:
        if (o->line_count == o->line_cap) {
            size_t cap = o->line_cap ? o->line_cap * 2 : 4;
            cli_line *t = realloc(o->lines, cap * sizeof *t);
            if (!t)
                return cli_nomem("the lines of the entry");
            o->lines = t;
            o->line_cap = cap;
        }
        o->lines[o->line_count] = (cli_line){0};
        int rc = parse_cli_line(arg, opt == OPT_DEBIT ? GL_SIDE_DEBIT : GL_SIDE_CREDIT,
                                &o->lines[o->line_count]);
        o->line_count++; /* kept even on failure: its text is freed with the others */
        return rc;
    }
    return EXIT_USAGE;
}

static void post_opts_free(post_opts *o)
{
    for (size_t i = 0; i < o->line_count; i++)
        free(o->lines[i].text);
    free(o->lines);
}

static bool entry_options_given(const post_opts *o)
{
    return o->date || o->journal || o->piece || o->piece_date || o->label || o->line_count;
}

/* The entry the command line describes, into set. */
static int entry_from_options(const cli *c, const post_opts *o, gl_entry_set *set)
{
    static const char *const names[] = {"--date", "--journal", "--piece", "--label"};
    const char *values[] = {o->date, o->journal, o->piece, o->label};
    for (size_t i = 0; i < 4; i++)
        if (!values[i]) {
            cli_error("a command-line entry needs %s (see grandlivre post --help)", names[i]);
            return EXIT_USAGE;
        }
    char journal[GL_JOURNAL_MAX + 1];
    snprintf(journal, sizeof journal, "%s", o->journal);
    upper_in_place(journal); /* `--journal ac` is AC, as in a CSV file */
    gl_entry_in e = {.tenant = c->tenant ? c->tenant : "",
                     .journal = strlen(o->journal) < sizeof journal ? journal : o->journal,
                     .piece_ref = o->piece,
                     .label = o->label};
    int rc = cli_date(o->date, "--date", &e.date);
    e.piece_date = e.date;
    if (rc == 0 && o->piece_date)
        rc = cli_date(o->piece_date, "--piece-date", &e.piece_date);
    if (rc)
        return rc;
    if (gl_text_blank((gl_str){e.piece_ref, strlen(e.piece_ref)}) ||
        gl_text_blank((gl_str){e.label, strlen(e.label)})) {
        cli_error(
            "--piece and --label may not be blank: the piece reference and the entry's label are mandatory");
        return EXIT_USAGE;
    }
    gl_line_in *lines = calloc(o->line_count ? o->line_count : 1, sizeof *lines);
    if (!lines)
        return cli_nomem("the lines of the entry");
    for (size_t i = 0; i < o->line_count; i++)
        lines[i] = o->lines[i].in;
    e.lines = lines;
    e.line_count = o->line_count;
    rc = gl_entry_set_add(set, &e, 0) ? cli_nomem("the entry") : 0;
    free(lines);
    return rc;
}

/* Is path a CSV file (by its name)? */
static bool is_csv(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && !strcasecmp(path + n - 4, ".csv");
}

static int entries_from_file(const cli *c, const char *path, gl_entry_set *set)
{
    size_t len;
    char *text = cli_read_file(path, &len);
    if (!text)
        return EXIT_USAGE;
    char err[512];
    const char *tenant = c->tenant ? c->tenant : "";
    int bad = is_csv(path) ? gl_entries_from_csv(text, len, tenant, set, err, sizeof err)
                           : gl_entries_from_json(text, len, tenant, set, err, sizeof err);
    if (bad) {
        cli_error("%s: %s", path, err);
        free(text);
        return EXIT_USAGE;
    }
    gl_entry_set_source(set, text, len);
    free(text);
    return 0;
}

/* --dry-run: the rules the client can apply without the ledger, on the
 * entry's canonical bytes (the same checks the daemon runs first), naming
 * the entry (and its file line) at fault. */
static int dry_check(const gl_entry_set *set, size_t i, const gl_entry *e)
{
    char where[64] = "";
    if (set->source_line && set->source_line[i])
        snprintf(where, sizeof where, " (file line %zu)", set->source_line[i]);
    uint32_t bad_line = 0;
    int st = gl_entry_check(e, &bad_line);
    const char *field = NULL;
    if (st == GL_OK)
        st = gl_entry_fields_check(e, &field);
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    for (uint32_t n = 1; st == GL_OK && gl_line_next(&it, &l); n++)
        if (!gl_account_number_valid(l.account, true)) {
            st = GL_ERR_BAD_ACCOUNT;
            bad_line = n;
        }
    if (st != GL_OK) {
        if (st == GL_ERR_UNBALANCED) {
            int64_t debit = 0, credit = 0;
            gl_line_iter_init(&it, e);
            while (gl_line_next(&it, &l))
                *(l.side == GL_SIDE_DEBIT ? &debit : &credit) += l.amount_cents;
            char d[GL_MONEY_TEXT_MAX], cr[GL_MONEY_TEXT_MAX], diff[GL_MONEY_TEXT_MAX];
            gl_money_format(debit, GL_MONEY_PLAIN, d);
            gl_money_format(credit, GL_MONEY_PLAIN, cr);
            gl_money_format(debit - credit, GL_MONEY_PLAIN, diff);
            cli_error("entry %zu%s: error %d %s: debits %s, credits %s, difference %s", i + 1,
                      where, st, gl_status_name(st), d, cr, diff);
        } else if (bad_line) {
            cli_error("entry %zu%s line %u: error %d %s: %s%s", i + 1, where, bad_line, st,
                      gl_status_name(st), gl_status_message(st),
                      st == GL_ERR_BAD_ACCOUNT ? " (" GL_ACCOUNT_RULE ")" : "");
        } else {
            cli_error("entry %zu%s: error %d %s: %s%s%s", i + 1, where, st, gl_status_name(st),
                      gl_status_message(st), field ? ": " : "", field ? field : "");
        }
        return EXIT_REFUSED;
    }
    int64_t nets[2];
    gl_entry_class_nets(e, nets);
    for (int k = 0; k < 2; k++)
        if (nets[k]) {
            cli_error(
                "entry %zu%s: error %d %s: the class %d lines do not balance within the entry",
                i + 1, where, GL_ERR_CLASS_UNBALANCED, gl_status_name(GL_ERR_CLASS_UNBALANCED),
                8 + k);
            return EXIT_REFUSED;
        }
    return 0;
}

/* The rows of entry i; with codes, each line's analytic codes in cents
 * as they will be signed ("action=FSE;financeur=FSE:60.00,VILLE:40.00"). */
static void dry_rows(out_table *t, size_t i, const gl_entry *e, bool codes)
{
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, e);
    for (int n = 1; gl_line_next(&it, &l); n++) {
        out_int(t, (int64_t)(i + 1));
        out_int(t, n);
        out_text(t, e->tenant.ptr, e->tenant.len);
        cli_line_cells(t, e, &l);
        gl_analytic a;
        char text[GL_AN_TEXT_MAX] = "";
        if (codes && gl_line_analytic(l.ext, l.ext_len, &a))
            gl_an_text_format(&a, text);
        if (codes)
            out_cstr(t, text);
    }
}

/* Whether a line of the set carries analytic codes (issue 19). */
static bool set_has_codes(const gl_entry_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        if (set->entries[i].line_ext)
            return true;
    return false;
}

/* Check every entry and print them as they would be posted; sends nothing. */
static int dry_run(const cli *c, const gl_entry_set *set)
{
    static const out_col cols[] = {
        {"input", OUT_INT},    {"line", OUT_INT},    {"tenant", OUT_TEXT},  {"date", OUT_DATE},
        {"journal", OUT_TEXT}, {"piece", OUT_TEXT},  {"account", OUT_TEXT}, {"aux", OUT_TEXT},
        {"label", OUT_TEXT},   {"debit", OUT_MONEY}, {"credit", OUT_MONEY}, {"analytic", OUT_TEXT}};
    bool codes = set_has_codes(set); /* the analytic column only then */
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0] - (codes ? 0 : 1));
    gl_buf one;
    gl_buf_init(&one);
    int rc = t ? 0 : cli_nomem("the table");
    for (size_t i = 0; rc == 0 && i < set->count; i++) {
        if ((rc = encode_one(set, i, &one)))
            break;
        gl_cur cur;
        gl_entry e;
        gl_cur_init(&cur, one.data, one.len);
        gl_entry_decode(&cur, &e);
        int st = gl_cur_status(&cur);
        if (st != GL_OK) {
            cli_error("entry %zu: error %d %s: %s", i + 1, st, gl_status_name(st),
                      gl_status_message(st));
            rc = EXIT_USAGE;
            break;
        }
        if ((rc = dry_check(set, i, &e)) == 0)
            dry_rows(t, i, &e, codes);
    }
    if (rc == 0 && out_render(t, c->format, stdout))
        rc = EXIT_USAGE;
    if (rc == 0)
        fprintf(stderr,
                PLURAL(set->count, "grandlivre: post --dry-run: %zu entry checked, nothing sent\n",
                       "grandlivre: post --dry-run: %zu entries checked, nothing sent\n"),
                set->count);
    out_free(t);
    gl_buf_free(&one);
    return rc;
}

int cmd_post(int argc, char **argv)
{
    cli c;
    post_opts o = {0};
    int rc = cli_parse(&c, &argc, &argv, post_options, post_option, &o, help);
    if (rc) {
        post_opts_free(&o);
        return rc < 0 ? 0 : rc;
    }
    bool inline_entry = entry_options_given(&o);
    if (!o.dry_run &&
        (rc = cli_key_tenant(&c, false))) { /* a member's key: entries default to its tenant */
        post_opts_free(&o);
        return rc;
    }
    if (argc > 1 || (inline_entry && argc)) {
        if (inline_entry)
            cli_error("give either a FILE or an entry on the command line, not both");
        fputs(help, stderr);
        post_opts_free(&o);
        return EXIT_USAGE;
    }
    gl_entry_set set;
    gl_entry_set_init(&set);
    const char *path = argc ? argv[0] : "-";
    rc = inline_entry ? entry_from_options(&c, &o, &set) : entries_from_file(&c, path, &set);
    if (rc == 0 && set.count == 0) {
        cli_error("%s: no entries", path);
        rc = EXIT_USAGE;
    } else if (rc == 0 && o.dry_run) {
        rc = dry_run(&c, &set);
    } else if (rc == 0 && (rc = cli_connect(&c)) == 0) {
        rc = post_entry_set(&c, &set, "post");
        cli_close(&c);
    }
    gl_entry_set_free(&set);
    post_opts_free(&o);
    return rc;
}
