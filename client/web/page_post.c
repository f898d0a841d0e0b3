/*
 * client/web/page_post.c — Saisie: GET /post shows the entry form (a
 * template's lines, or the result of the last post); POST /post reads
 * every field, checks it with the rules of `grandlivre post --dry-run`
 * (dates, amounts parsed by gl_money_parse, at least two lines, balance,
 * account numbers, classes 8 and 9), then signs and sends the entry as
 * `grandlivre post` does.
 *
 * A refusal, the form's or the daemon's, renders the form again (422) with
 * every value kept and the message next to the field at fault; nothing is
 * posted.  The request id is the form's hidden field `rid`, drawn when the
 * form was first shown: the same form sent twice is a replay for the
 * daemon, which answers with the first entry's number and posts nothing.
 * Success sends the browser to /post?done=FY/NUM (post/redirect/get).
 */
#include "page_post.h"
#include "web_form.h"

#include "client/cli/i18n.h"
#include "client/input/date_why.h"
#include "client/input/entries_csv.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(char *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, POST_ERR_MAX, fmt, ap);
    va_end(ap);
}

void post_form_new(post_form *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->rid, sizeof f->rid, "%016" PRIx64, gl_request_id_random());
    f->line_count = POST_LINES_SHOWN;
    f->fresh = true;
}

/* One field into out (POST_TEXT_MAX bytes); a field that is not text or
 * is too long to keep is emptied and said so in err. */
static void read_field(web_req *r, const char *name, char *out, char *err)
{
    if (web_field(r, name, out, POST_TEXT_MAX) == WEB_FORM_BAD) {
        out[0] = '\0';
        say(err, _("not valid text (UTF-8), or longer than %d bytes"), POST_TEXT_MAX - 1);
    }
}

static bool too_long(const char *s, size_t max, char *err)
{
    if (strlen(s) <= max)
        return false;
    say(err, _("too long: at most %zu bytes"), max);
    return true;
}

/* A date as 31/03/2025 (the French form the pages show) or 2025-03-31 (the
 * CLI's); why not, in the CLI's words, in err. */
static bool read_date(const char *s, uint32_t *ymd, char *err)
{
    char iso[16];
    unsigned d, m, y;
    int used = 0;
    if (sscanf(s, "%2u/%2u/%4u%n", &d, &m, &y, &used) == 3 && (size_t)used == strlen(s) &&
        y >= 1000)
        snprintf(iso, sizeof iso, "%04u-%02u-%02u", y, m, d);
    else
        snprintf(iso, sizeof iso, "%.15s", s);
    if (gl_date_parse(iso, strlen(iso), ymd))
        return true;
    char why[120];
    date_why(iso, strlen(iso), why, sizeof why);
    if (!strcmp(why, _("expected YYYY-MM-DD")))
        say(err, _("'%s' is not a date: expected 31/03/2025 or 2025-03-31"), s);
    else
        say(err, _("'%s' is not a date: %s"), s, why);
    return false;
}

/* An amount as the CLI reads `--debit 606400=1234,56`, the spaces that
 * group thousands ("1 234,56", also no-break spaces) allowed. */
static bool read_amount(const char *s, int64_t *cents)
{
    char plain[64];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ')
            continue;
        if (p[0] == 0xc2 && p[1] == 0xa0) { /* U+00A0 */
            p++;
            continue;
        }
        if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0xaf) { /* U+202F */
            p += 2;
            continue;
        }
        if (n == sizeof plain - 1)
            return false;
        plain[n++] = (char)*p;
    }
    return gl_money_parse(plain, n, cents) && *cents > 0;
}

/* The form's values from the POST body; field problems the body alone
 * shows (not text, too long) noted.  false: more lines than a form holds. */
static bool read_form(web_req *r, post_form *f)
{
    char count[16] = "";
    read_field(r, "journal", f->journal, f->err_journal);
    read_field(r, "date", f->date, f->err_date);
    read_field(r, "piece", f->piece, f->err_piece);
    read_field(r, "piece_date", f->piece_date, f->err_piece_date);
    read_field(r, "label", f->label, f->err_label);
    if (web_field(r, "rid", f->rid, sizeof f->rid) != WEB_FORM_FOUND || strlen(f->rid) != 16 ||
        strspn(f->rid, "0123456789abcdef") != 16 || !strtoull(f->rid, NULL, 16))
        snprintf(f->rid, sizeof f->rid, "%016" PRIx64, gl_request_id_random());
    web_field(r, "lines", count, sizeof count);
    char *end;
    unsigned long n = strtoul(count, &end, 10);
    if (!count[0] || *end || n == 0)
        n = POST_LINES_SHOWN;
    bool fits = n <= POST_LINES_MAX;
    f->line_count = fits ? n : POST_LINES_MAX;
    for (size_t i = 0; i < f->line_count; i++) {
        post_line *l = &f->lines[i];
        char name[32];
        static const char *const names[] = {"account", "aux", "llabel", "debit", "credit"};
        char *outs[] = {l->account, l->aux, l->label, l->debit, l->credit};
        for (size_t k = 0; k < 5; k++) {
            snprintf(name, sizeof name, "%s%zu", names[k], i);
            read_field(r, name, outs[k], l->err);
        }
    }
    return fits;
}

static bool line_empty(const post_line *l)
{
    return !l->account[0] && !l->aux[0] && !l->label[0] && !l->debit[0] && !l->credit[0];
}

static bool check_head(post_form *f, gl_entry_in *e)
{
    bool ok = !f->err_journal[0] && !f->err_date[0] && !f->err_piece[0] && !f->err_piece_date[0] &&
              !f->err_label[0];
    gl_field_trim(f->journal);
    gl_field_upper(f->journal);
    gl_field_trim(f->date);
    gl_field_trim(f->piece_date);
    if (!f->err_journal[0] && !gl_journal_valid((gl_str){f->journal, strlen(f->journal)})) {
        say(f->err_journal, _("choose a journal (a code of 1 to 8 letters or digits)"));
        ok = false;
    }
    if (!f->err_date[0] && !f->date[0]) {
        say(f->err_date, _("the date is required"));
        ok = false;
    } else if (!f->err_date[0] && !read_date(f->date, &e->date, f->err_date))
        ok = false;
    e->piece_date = e->date;
    if (!f->err_piece_date[0] && f->piece_date[0] &&
        !read_date(f->piece_date, &e->piece_date, f->err_piece_date))
        ok = false;
    if (!f->err_piece[0] && gl_text_blank((gl_str){f->piece, strlen(f->piece)})) {
        say(f->err_piece, _("the piece reference is required"));
        ok = false;
    } else if (too_long(f->piece, GL_PIECE_MAX, f->err_piece))
        ok = false;
    if (!f->err_label[0] && gl_text_blank((gl_str){f->label, strlen(f->label)})) {
        say(f->err_label, _("the entry's label is required"));
        ok = false;
    } else if (too_long(f->label, GL_LABEL_MAX, f->err_label))
        ok = false;
    return ok;
}

static bool check_line(post_line *l)
{
    if (l->err[0])
        return false;
    gl_field_trim(l->account);
    gl_field_upper(l->account);
    gl_field_trim(l->debit);
    gl_field_trim(l->credit);
    if (!l->account[0])
        say(l->err, _("the account is required"));
    else if (too_long(l->account, GL_ACCOUNT_MAX, l->err) ||
             !gl_account_number_valid((gl_str){l->account, strlen(l->account)}, true))
        say(l->err, _("not an account number (%s)"), GL_ACCOUNT_RULE);
    else if (too_long(l->aux, GL_AUX_MAX, l->err) || too_long(l->label, GL_LABEL_MAX, l->err))
        ;
    else if (l->debit[0] && l->credit[0])
        say(l->err, _("a debit or a credit, not both"));
    else if (!l->debit[0] && !l->credit[0])
        say(l->err, _("a debit or a credit amount is required"));
    else if (!read_amount(l->debit[0] ? l->debit : l->credit,
                          l->debit[0] ? &l->debit_cents : &l->credit_cents))
        say(l->err,
            _("bad amount \"%s\" (a positive amount, at most two decimals after ',' or '.')"),
            l->debit[0] ? l->debit : l->credit);
    return !l->err[0];
}

/* Debits and credits of the checked lines, each sum checked for overflow. */
static bool check_totals(post_form *f, size_t used)
{
    int64_t debit = 0, credit = 0;
    for (size_t i = 0; i < f->line_count; i++)
        if (__builtin_add_overflow(debit, f->lines[i].debit_cents, &debit) ||
            __builtin_add_overflow(credit, f->lines[i].credit_cents, &credit)) {
            say(f->err_total, _("the total is too large"));
            return false;
        }
    if (used < 2) {
        say(f->err_total, _("an entry needs at least two lines"));
        return false;
    }
    if (debit != credit) {
        char d[GL_MONEY_TEXT_MAX], c[GL_MONEY_TEXT_MAX], diff[GL_MONEY_TEXT_MAX];
        gl_money_format(debit, GL_MONEY_FRENCH, d);
        gl_money_format(credit, GL_MONEY_FRENCH, c);
        gl_money_format(debit - credit, GL_MONEY_FRENCH, diff);
        say(f->err_total, _("unbalanced: debits %s, credits %s, difference %s"), d, c, diff);
        return false;
    }
    return true;
}

/* The rules the client applies without the ledger, on the entry's
 * canonical bytes (the checks of `post --dry-run` and the daemon's first
 * ones); the fault placed at its field. */
static bool check_canonical(post_form *f, const gl_buf *one, const size_t *line_of)
{
    gl_cur cur;
    gl_entry e;
    gl_cur_init(&cur, one->data, one->len);
    gl_entry_decode(&cur, &e);
    int st = gl_cur_status(&cur);
    uint32_t bad_line = 0;
    const char *field = NULL;
    if (st == GL_OK)
        st = gl_entry_check(&e, &bad_line);
    if (st == GL_OK)
        st = gl_entry_fields_check(&e, &field);
    if (st == GL_OK) {
        int64_t nets[2];
        gl_entry_class_nets(&e, nets);
        if (nets[0] || nets[1]) {
            say(f->err_total, _("the class %d lines do not balance within the entry"),
                nets[0] ? 8 : 9);
            return false;
        }
        return true;
    }
    char *where = bad_line ? f->lines[line_of[bad_line - 1]].err : f->err_total;
    say(where, _("error %d %s: %s%s%s"), st, gl_status_name(st), _(gl_status_message(st)),
        field ? ": " : "", field ? field : "");
    return false;
}

/* Check everything; the entry's canonical bytes into one.  line_of maps
 * the entry's lines to the form's (empty lines are skipped). */
static bool check_form(web_req *r, post_form *f, gl_buf *one, size_t *line_of)
{
    gl_entry_in e = {
        .tenant = r->tenant, .journal = f->journal, .piece_ref = f->piece, .label = f->label};
    bool ok = check_head(f, &e);
    gl_line_in *lines = calloc(f->line_count, sizeof *lines);
    if (!lines) {
        say(f->summary, _("Out of memory: nothing was posted."));
        return false;
    }
    size_t used = 0;
    for (size_t i = 0; i < f->line_count; i++) {
        post_line *l = &f->lines[i];
        if (line_empty(l) && !l->err[0])
            continue;
        if (!check_line(l)) {
            ok = false;
            continue;
        }
        line_of[used] = i;
        lines[used++] = (gl_line_in){
            .account = l->account,
            .aux = l->aux,
            .aux_label = "",
            .label = l->label,
            .side = l->debit_cents ? GL_SIDE_DEBIT : GL_SIDE_CREDIT,
            .amount_cents = l->debit_cents ? l->debit_cents : l->credit_cents,
        };
    }
    if (ok && !check_totals(f, used))
        ok = false;
    if (ok) {
        e.lines = lines;
        e.line_count = used;
        gl_put_u32(one, 1);
        int st = gl_entry_encode(one, &e);
        if (st != GL_OK) {
            say(f->err_total, _("error %d %s: %s"), st, gl_status_name(st),
                _(gl_status_message(st)));
            ok = false;
        } else {
            gl_buf body = *one; /* the entry after its count */
            body.data += 4;
            body.len -= 4;
            ok = check_canonical(f, &body, line_of);
        }
    }
    free(lines);
    return ok;
}

/* The daemon's refusal placed next to the field it is about. */
static void place_refusal(web_req *r, post_form *f, const gl_reply *rep, const size_t *line_of,
                          size_t used)
{
    int st = rep->status;
    char text[POST_ERR_MAX];
    snprintf(text, sizeof text, _("error %d %s: %s%s%.*s"), st, gl_status_name(st),
             _(gl_status_message(st)), rep->detail.len ? ": " : "", (int)rep->detail.len,
             rep->detail.ptr);
    char *where = f->err_total;
    switch (st) {
    case GL_ERR_BAD_DATE:
    case GL_ERR_DATE_RANGE:
    case GL_ERR_PERIOD_LOCKED:
    case GL_ERR_YEAR_CLOSED:
    case GL_ERR_DATE_AHEAD:
    case GL_ERR_PREVIOUS_YEAR_OPEN: where = f->err_date; break;
    case GL_ERR_BAD_JOURNAL: where = f->err_journal; break;
    case GL_ERR_FORBIDDEN_TENANT:
    case GL_ERR_UNKNOWN_TENANT:
    case GL_ERR_FORBIDDEN_ROLE:
        snprintf(f->summary, sizeof f->summary,
                 _("Your key cannot post for tenant %s (error %d %s): nothing was posted."),
                 r->tenant, st, gl_status_name(st));
        return;
    case GL_ERR_REQUEST_ID_REUSED:
        /* this form's id went with another entry: a new one for the next try */
        snprintf(f->rid, sizeof f->rid, "%016" PRIx64, gl_request_id_random());
        snprintf(f->summary, sizeof f->summary, "%s",
                 _("This form was already used for another entry: nothing was posted. Check "
                   "the entry and send it again to post it as a new one."));
        return;
    default:
        if (rep->err_line && rep->err_line <= used)
            where = f->lines[line_of[rep->err_line - 1]].err;
    }
    snprintf(where, POST_ERR_MAX, "%s", text);
    snprintf(f->summary, sizeof f->summary,
             _("The daemon refused the entry (%s): nothing was posted."), text);
}

/* Send the entry (one in body) with the form's request id.  0 and where to
 * go on success; -1 (a refusal) or -2 (no answer) with the form's messages
 * set otherwise. */
static int send_entry(web_req *r, post_form *f, const gl_buf *body, const size_t *line_of,
                      size_t used)
{
    gl_response resp;
    uint64_t rid = strtoull(f->rid, NULL, 16);
    cli *c = r->app->c;
    int st = gl_call(c->client, GL_KIND_POST, r->tenant, rid, body->data, body->len, &resp);
    if (st != GL_OK && st / 100 != 2) {
        snprintf(f->summary, sizeof f->summary,
                 _("The daemon does not answer (%s): nothing was posted. Send the form again "
                   "when it is back: it will not be posted twice."),
                 gl_client_error(c->client));
        gl_response_free(&resp);
        return -2;
    }
    if (st != GL_OK || resp.reply.status != GL_OK) {
        gl_reply refused = resp.reply;
        if (st != GL_OK)
            refused = (gl_reply){.status = (uint16_t)st};
        place_refusal(r, f, &refused, line_of, used);
        gl_response_free(&resp);
        return -1;
    }
    gl_reply_post p;
    gl_reply_post_iter it;
    gl_reply_post_row row = {0, 0};
    if (gl_reply_post_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &p) != GL_OK ||
        (gl_reply_post_iter_init(&it, &p), gl_reply_post_next(&it, &row)) != 1) {
        snprintf(f->summary, sizeof f->summary, "%s",
                 _("Cannot read the daemon's reply: look for the entry in the journal before "
                   "sending the form again (it will not be posted twice)."));
        gl_response_free(&resp);
        return -1;
    }
    snprintf(r->location, sizeof r->location, "/post?done=%u/%u%s%s%s", row.fy, row.num,
             (resp.reply.flags & GL_REPLY_REPLAYED) ? "&again=1" : "",
             r->tenant[0] ? "&tenant=" : "", r->tenant);
    gl_response_free(&resp);
    return 0;
}

int form_post(web_req *r, gl_buf *b)
{
    post_form *f = malloc(sizeof *f);
    size_t *line_of = malloc(POST_LINES_MAX * sizeof *line_of);
    if (!f || !line_of) {
        free(f);
        free(line_of);
        return 500;
    }
    post_form_new(f);
    f->fresh = false;
    int status = 422;
    bool fits = read_form(r, f);
    char add[8];
    if (!fits) {
        snprintf(f->summary, sizeof f->summary,
                 _("A form holds at most %d lines: nothing was posted. Post a longer entry from "
                   "a file with grandlivre post."),
                 POST_LINES_MAX);
    } else if (web_field(r, "add", add, sizeof add) == WEB_FORM_FOUND) {
        /* "add lines" without JavaScript: the same form, longer */
        f->line_count += POST_LINES_SHOWN;
        if (f->line_count > POST_LINES_MAX)
            f->line_count = POST_LINES_MAX;
        status = 200;
    } else if (!r->tenant[0]) {
        snprintf(f->summary, sizeof f->summary, "%s",
                 _("No tenant: give one in the Tenant field above. Nothing was posted."));
    } else {
        gl_buf body;
        gl_buf_init(&body);
        if (!check_form(r, f, &body, line_of)) {
            if (!f->summary[0])
                snprintf(f->summary, sizeof f->summary, "%s",
                         _("The entry has problems, shown next to the fields: nothing was "
                           "posted."));
        } else {
            size_t used = 0;
            for (size_t i = 0; i < f->line_count; i++)
                used += !line_empty(&f->lines[i]);
            int sent = send_entry(r, f, &body, line_of, used);
            status = sent == 0 ? 303 : sent == -2 ? 503 : 422;
        }
        gl_buf_free(&body);
    }
    if (status != 303)
        post_form_page(r, b, f, NULL, false);
    free(line_of);
    free(f);
    return status;
}

int page_post(web_req *r, gl_buf *b)
{
    post_form *f = malloc(sizeof *f);
    if (!f)
        return 500;
    post_form_new(f);
    char name[64], done[32] = "", again[4] = "";
    bool unknown = false;
    if (web_arg(r, "template", name, sizeof name) == WEB_FORM_FOUND) {
        unknown = !post_template_apply(f, name);
        f->fresh = false;
    }
    web_arg(r, "done", done, sizeof done);
    web_arg(r, "again", again, sizeof again);
    if (unknown)
        snprintf(f->summary, sizeof f->summary, "%s", _("No such template: choose one below."));
    /* only a number such as 2025/17 is shown back */
    uint16_t fy;
    uint32_t num;
    const char *rest;
    if (done[0] && (cli_entry_ref_parse(done, &fy, &num, &rest) || *rest))
        done[0] = '\0';
    post_form_page(r, b, f, done[0] ? done : NULL, again[0] == '1');
    free(f);
    return 200;
}
