/*
 * client/cli/cmd_entries.c — one entry and what is done to it after it is
 * posted: `entry` (show it), `reverse`, `letter`, `unletter` (the options
 * these share with the period commands are in close_opts.c).
 *
 * A reversal is an ordinary signed entry built here from the entry it
 * reverses (same lines, debit and credit swapped) and naming it; the daemon
 * checks it is the exact opposite and the first reversal.  Lettering never
 * changes an entry: it is its own signed event.
 */
#include "carry_mode.h"
#include "close_opts.h"
#include "cli_replies.h"
#include "i18n.h"
#include "plural.h"
#include "reversal.h"

#include "client/analytic/an_spec.h"
#include "client/input/entry_set.h"
#include "proto/carry.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/query.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Decimal digits at *s (at least one, no sign, no space) as a value of at
 * most max; *s moved past them.  -1 if none or too large. */
static int digits(const char **s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    const char *p = *s;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (max - (unsigned long)(*p - '0')) / 10)
            return -1;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (p == *s)
        return -1;
    *s = p;
    *out = v;
    return 0;
}

int cli_entry_ref_parse(const char *s, uint16_t *fy, uint32_t *num, const char **rest)
{
    unsigned long y, n;
    if (digits(&s, 2999, &y) || y < 1900 || *s++ != '/' || digits(&s, UINT32_MAX, &n) || n == 0)
        return -1;
    *fy = (uint16_t)y;
    *num = (uint32_t)n;
    *rest = s;
    return 0;
}

/* "2025/123" (or "2025/123:LINE") -> fy, num. */
static int parse_entry_ref(const char *s, uint16_t *fy, uint32_t *num)
{
    const char *rest;
    if (cli_entry_ref_parse(s, fy, num, &rest) || (*rest && *rest != ':'))
        return -1;
    return 0;
}

/* "2025/17:1" -> fy, num, line. */
static int parse_line_ref(const char *s, gl_line_ref *r)
{
    const char *colon = strchr(s, ':');
    char *end;
    if (!colon || parse_entry_ref(s, &r->fy, &r->num))
        return -1;
    unsigned long l = strtoul(colon + 1, &end, 10);
    if (*end || l == 0 || l > UINT16_MAX)
        return -1;
    r->line = (uint16_t)l;
    return 0;
}

/* ---- entry and reverse ---- */

typedef struct fetched {
    gl_response resp;
    gl_entry entry;
    uint16_t reversed_fy;
    uint32_t reversed_num;
    gl_reply_entry_get reply; /* the letter codes: gl_reply_entry_get_codes */
} fetched;

static int fetch_entry(cli *c, uint16_t fy, uint32_t num, fetched *f)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_entry_ref r = {fy, num};
    gl_entry_ref_encode(&body, &r);
    int rc = cli_call(c, GL_KIND_ENTRY_GET, c->tenant, body.data, body.len, &f->resp);
    gl_buf_free(&body);
    if (rc)
        return rc;
    if (gl_reply_entry_get_decode(gl_reply_view(f->resp.reply.body, f->resp.reply.body_len),
                                  &f->reply) != GL_OK)
        return EXIT_REFUSED;
    f->entry = f->reply.entry;
    f->reversed_fy = f->reply.reversed_by_fy;
    f->reversed_num = f->reply.reversed_by_num;
    return 0;
}

static const char entry_help[] =
    "usage: grandlivre entry --tenant T YYYY/N [--format F]\n"
    "\n"
    "Show entry N of fiscal year YYYY: its lines, the letter code of each, and\n"
    "the entry that reversed it, if any. --format csv gives the lines; --format\n"
    "json the whole entry as one object: tenant, entry (2025/123), fy, num, date,\n"
    "journal, piece, piece_date, label, result_closing, opening, reverses and\n"
    "reversed_by (an entry or null), valid_date (ValidDate, or null), signer\n"
    "(the signing key's fingerprint, as whoami prints it) and signer_key (hex),\n"
    "recorded (ISO 8601 UTC) and recorded_ms, and lines: line, ref (2025/123:2,\n"
    "what letter and reverse take), account, aux, aux_label, label (the line's,\n"
    "else the entry's), side, amount, debit, credit (integer cents) and letter\n"
    "(its code, \"\" when not lettered).\n";

/* A string of the reply as JSON (NULL, failing the document, if it is not
 * UTF-8: the daemon admits only UTF-8, so that means a broken reply). */
static json_t *json_str(gl_str s) { return json_stringn(s.len ? s.ptr : "", s.len); }

/* "2025/17" or null when num is 0. */
static json_t *json_entry_ref(uint16_t fy, uint32_t num)
{
    char ref[32];
    if (!num)
        return json_null();
    snprintf(ref, sizeof ref, "%u/%u", fy, num);
    return json_string(ref);
}

/* YYYY-MM-DD or null when date is 0. */
static json_t *json_date(uint32_t date)
{
    char d[11];
    return date ? json_string(gl_date_format(date, d)) : json_null();
}

/* recorded_ms as ISO 8601 UTC, e.g. 2025-03-31T09:12:03.250Z. */
static json_t *json_time(int64_t ms)
{
    time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    char buf[40];
    if (!gmtime_r(&s, &tm))
        return json_null();
    size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof buf - n, ".%03dZ", (int)(ms - (int64_t)s * 1000));
    return json_string(buf);
}

/* "origin" of a line carrying an open_item: its piece, date and line. */
static int json_origin(json_t *o, const gl_line *l)
{
    gl_open_item oi;
    if (!gl_line_open_item(l->ext, l->ext_len, &oi))
        return 0;
    char ref[48];
    snprintf(ref, sizeof ref, "%u/%u:%u", oi.fy, oi.num, oi.line);
    json_t *g = json_object();
    return !g || json_object_set_new(o, "origin", g) ||
           json_object_set_new(g, "piece", json_str(oi.piece_ref)) ||
           json_object_set_new(g, "date", json_date(oi.date)) ||
           json_object_set_new(g, "ref", json_string(ref));
}

/* The line's analytic codes as post's input gives them, {"axis": "codes"}
 * (no member for a line without codes).  0, or -1 out of memory. */
static int json_analytic(json_t *o, const gl_line *l)
{
    gl_analytic a;
    if (!gl_line_analytic(l->ext, l->ext_len, &a))
        return 0;
    json_t *codes = json_object();
    for (uint8_t i = 0; codes && i < a.naxes; i++) {
        char axis[GL_AN_AXIS_MAX + 1], split[GL_AN_SPLIT_TEXT_MAX];
        snprintf(axis, sizeof axis, "%.*s", (int)a.axes[i].axis.len, a.axes[i].axis.ptr);
        if (json_object_set_new(codes, axis, json_string(gl_an_split_format(&a.axes[i], split)))) {
            json_decref(codes);
            return -1;
        }
    }
    return codes ? json_object_set_new(o, "analytic", codes) : -1;
}

/* Under the entry's table, each line's analytic codes (issue 19). */
static void print_analytic(const gl_entry *e)
{
    gl_line_iter it;
    gl_line l;
    gl_analytic a;
    int n = 0;
    for (gl_line_iter_init(&it, e); gl_line_next(&it, &l);) {
        char text[GL_AN_TEXT_MAX];
        n++;
        if (gl_line_analytic(l.ext, l.ext_len, &a))
            printf(_("line %d, analytic codes: %s\n"), n, gl_an_text_format(&a, text));
    }
}

/* The lines of f's entry as a JSON array (the keys of the CSV table, which
 * earlier releases printed as the JSON, plus ref, aux_label, side, amount). */
static json_t *json_lines(const fetched *f, uint16_t fy, uint32_t num)
{
    json_t *lines = json_array();
    gl_reply_letter_iter codes;
    gl_reply_entry_get_codes(&f->reply, &codes);
    gl_line_iter it;
    gl_line l;
    int n = 0;
    gl_line_iter_init(&it, &f->entry);
    while (lines && gl_line_next(&it, &l)) {
        gl_reply_letter code = {{"", 0}, 0};
        gl_reply_letter_next(&codes, &code); /* one per line; none past them */
        char ref[48];
        snprintf(ref, sizeof ref, "%u/%u:%d", fy, num, ++n);
        bool debit = l.side == GL_SIDE_DEBIT;
        json_t *o = json_object();
        if (!o || json_array_append_new(lines, o) ||
            json_object_set_new(o, "line", json_integer(n)) ||
            json_object_set_new(o, "ref", json_string(ref)) ||
            json_object_set_new(o, "account", json_str(l.account)) ||
            json_object_set_new(o, "aux", json_str(l.aux)) ||
            json_object_set_new(o, "aux_label", json_str(l.aux_label)) ||
            json_object_set_new(o, "label", json_str(l.label.len ? l.label : f->entry.label)) ||
            json_object_set_new(o, "side", json_string(debit ? "debit" : "credit")) ||
            json_object_set_new(o, "amount", json_integer(l.amount_cents)) ||
            json_object_set_new(o, "debit", json_integer(debit ? l.amount_cents : 0)) ||
            json_object_set_new(o, "credit", json_integer(debit ? 0 : l.amount_cents)) ||
            json_object_set_new(o, "letter", json_str(code.code)) || json_origin(o, &l) ||
            json_analytic(o, &l)) {
            json_decref(lines);
            return NULL;
        }
    }
    return lines;
}

/* entry --format json: the whole entry as one object (entry_help). */
static int print_entry_json(const cli *c, const fetched *f, uint16_t fy, uint32_t num)
{
    const gl_entry *e = &f->entry;
    char fp[GL_FINGERPRINT_LEN], key[65];
    gl_fingerprint(f->reply.signer, fp);
    gl_hex(f->reply.signer, 32, key);
    json_t *o = json_object();
    int bad =
        !o || json_object_set_new(o, "tenant", json_string(c->tenant)) ||
        json_object_set_new(o, "entry", json_entry_ref(fy, num)) ||
        json_object_set_new(o, "fy", json_integer(fy)) ||
        json_object_set_new(o, "num", json_integer(num)) ||
        json_object_set_new(o, "date", json_date(e->date)) ||
        json_object_set_new(o, "journal", json_str(e->journal)) ||
        json_object_set_new(o, "piece", json_str(e->piece_ref)) ||
        json_object_set_new(o, "piece_date", json_date(e->piece_date)) ||
        json_object_set_new(o, "label", json_str(e->label)) ||
        json_object_set_new(o, "result_closing",
                            json_boolean(e->flags & GL_ENTRY_RESULT_CLOSING)) ||
        json_object_set_new(o, "opening", json_boolean(e->flags & GL_ENTRY_OPENING)) ||
        json_object_set_new(o, "reverses", json_entry_ref(e->reverses_fy, e->reverses_num)) ||
        json_object_set_new(o, "reversed_by", json_entry_ref(f->reversed_fy, f->reversed_num)) ||
        json_object_set_new(o, "valid_date", json_date(gl_entry_valid_date(e))) ||
        json_object_set_new(o, "signer", json_string(fp)) ||
        json_object_set_new(o, "signer_key", json_string(key)) ||
        json_object_set_new(o, "recorded", json_time(f->reply.recorded_ms)) ||
        json_object_set_new(o, "recorded_ms", json_integer(f->reply.recorded_ms)) ||
        json_object_set_new(o, "lines", json_lines(f, fy, num));
    int rc = 0;
    if (bad)
        rc = cli_nomem("the entry as JSON");
    else if (json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
             fputc('\n', stdout) == EOF)
        rc = EXIT_USAGE;
    json_decref(o);
    return rc;
}

int cmd_entry(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = close_start(&c, &argc, &argv, &o, entry_help, 1);
    if (rc)
        return rc < 0 ? 0 : rc;
    uint16_t fy;
    uint32_t num;
    if (parse_entry_ref(argv[0], &fy, &num)) {
        cli_error("'%s' is not an entry number such as 2025/123", argv[0]);
        return close_finish(&c, EXIT_USAGE);
    }
    fetched f;
    rc = fetch_entry(&c, fy, num, &f);
    if (rc == 0 && c.format == OUT_JSON) {
        rc = print_entry_json(&c, &f, fy, num);
    } else if (rc == 0) {
        static const out_col cols[] = {
            {"line", OUT_INT},    {"account", OUT_TEXT}, {"aux", OUT_TEXT},   {"label", OUT_TEXT},
            {"debit", OUT_MONEY}, {"credit", OUT_MONEY}, {"letter", OUT_TEXT}};
        out_table *t = out_new(cols, 7);
        gl_reply_letter_iter codes;
        gl_reply_entry_get_codes(&f.reply, &codes);
        gl_line_iter it;
        gl_line l;
        int n = 0;
        gl_line_iter_init(&it, &f.entry);
        while (gl_line_next(&it, &l)) {
            gl_reply_letter code = {{"", 0}, 0};
            gl_reply_letter_next(&codes, &code); /* one per line; none past them */
            out_int(t, ++n);
            out_text(t, l.account.ptr, l.account.len);
            out_text(t, l.aux.ptr, l.aux.len);
            char origin[GL_PIECE_MAX + 64];
            if (carry_origin_text(l.ext, l.ext_len, origin, sizeof origin))
                out_cstr(t, origin); /* an open item carried over: its invoice */
            else
                out_text(t, l.label.len ? l.label.ptr : f.entry.label.ptr,
                         l.label.len ? l.label.len : f.entry.label.len);
            out_money(t, l.side == GL_SIDE_DEBIT ? l.amount_cents : 0);
            out_money(t, l.side == GL_SIDE_CREDIT ? l.amount_cents : 0);
            out_text(t, code.code.ptr, code.code.len);
        }
        if (c.format == OUT_TABLE || c.format == OUT_TABLE_FR) {
            char d[11], pd[11], head[512], label[GL_LABEL_MAX + 1];
            snprintf(head, sizeof head, _("%s %u/%u  %s  journal %.*s  piece %.*s (%s)%s%s  "),
                     c.tenant, fy, num, i18n_date(f.entry.date, d), (int)f.entry.journal.len,
                     f.entry.journal.ptr, (int)f.entry.piece_ref.len, f.entry.piece_ref.ptr,
                     i18n_date(f.entry.piece_date, pd),
                     f.entry.flags & GL_ENTRY_RESULT_CLOSING ? _("  [result closing]") : "",
                     f.entry.flags & GL_ENTRY_OPENING ? _("  [opening]") : "");
            snprintf(label, sizeof label, "%.*s", (int)f.entry.label.len, f.entry.label.ptr);
            out_title(stdout, head, label);
            if (f.entry.reverses_fy)
                printf(_("reverses %u/%u\n"), f.entry.reverses_fy, f.entry.reverses_num);
            if (f.reversed_fy)
                printf(_("reversed by %u/%u\n"), f.reversed_fy, f.reversed_num);
        }
        if (!t || out_render(t, c.format, stdout))
            rc = EXIT_USAGE;
        else if (c.format == OUT_TABLE || c.format == OUT_TABLE_FR)
            print_analytic(&f.entry);
        out_free(t);
    }
    gl_response_free(&f.resp);
    return close_finish(&c, rc);
}

static const char reverse_help[] =
    "usage: grandlivre reverse --tenant T YYYY/N [--date YYYY-MM-DD]\n"
    "\n"
    "Post the reversal (contre-passation) of entry N of fiscal year YYYY: the\n"
    "same lines with debit and credit swapped (and their analytic codes), naming\n"
    "the entry it reverses, signed by your key, dated --date, by default the\n"
    "original entry's own date (so the reversal lands in the same period and\n"
    "fiscal year). When the original's period is locked, give --date: a date in\n"
    "an open period. An entry can be reversed once; a reversal dated in a locked\n"
    "period, or before the entry it reverses (reversal_early), is refused. There\n"
    "is no edit and no delete: a correction is a reversal and a new entry.\n";

/* The tenant's locked-through month (PERIODS), 0 if none. */
static int locked_through(cli *c, uint32_t *ym)
{
    gl_response resp;
    gl_reply_periods p;
    int rc = cli_periods(c, c->tenant, &resp, &p);
    if (rc == 0)
        *ym = p.locked_through;
    gl_response_free(&resp);
    return rc;
}

/* No --date: the original entry's date, when its period is still open. */
static int default_reversal_date(cli *c, uint16_t fy, uint32_t num, const gl_entry *original,
                                 uint32_t *date)
{
    uint32_t locked;
    int rc = locked_through(c, &locked);
    if (rc)
        return rc;
    char d[11];
    gl_date_format(original->date, d);
    if (original->date / 100 <= locked) {
        cli_error(
            "%u/%u is dated %s, in a locked period (locked through %04u-%02u): give the reversal's date with "
            "--date YYYY-MM-DD, in an open period",
            fy, num, d, locked / 100, locked % 100);
        return EXIT_USAGE;
    }
    *date = original->date;
    return 0;
}

int cmd_reverse(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = close_start(&c, &argc, &argv, &o, reverse_help, 1);
    if (rc)
        return rc < 0 ? 0 : rc;
    uint16_t fy;
    uint32_t num, date = 0;
    if (parse_entry_ref(argv[0], &fy, &num)) {
        cli_error("'%s' is not an entry number such as 2025/123", argv[0]);
        return close_finish(&c, EXIT_USAGE);
    }
    if (o.date && (rc = cli_date(o.date, "--date", &date)))
        return close_finish(&c, rc);
    fetched f;
    rc = fetch_entry(&c, fy, num, &f);
    if (rc == 0 && !o.date)
        rc = default_reversal_date(&c, fy, num, &f.entry, &date);
    gl_entry_set set;
    gl_entry_set_init(&set);
    if (rc == 0) {
        cli_reversal rv;
        if (cli_reversal_build(&rv, &f.entry, fy, num, date) != GL_OK ||
            gl_entry_set_add(&set, &rv.entry, 0) != 0)
            rc = cli_nomem("the reversal"); /* gl_entry_set_add fails only on allocation */
        cli_reversal_free(&rv);
    }
    gl_response_free(&f.resp);
    if (rc == 0)
        rc = post_entry_set(&c, &set, "post");
    gl_entry_set_free(&set);
    return close_finish(&c, rc);
}

/* ---- letter, unletter ---- */

static const char letter_help[] =
    "usage: grandlivre letter --tenant T --account A [--aux X] YYYY/N:L YYYY/N:L ...\n"
    "       grandlivre letter --auto --tenant T [--account A] [--aux X] [--dry-run] ...\n"
    "       grandlivre unletter --tenant T --account A CODE\n"
    "       (either with [--format F])\n"
    "\n"
    "letter: match (lettrage) lines of one account and auxiliary account that sum\n"
    "to zero, e.g. an invoice and its payment: line L of entry YYYY/N, for each.\n"
    "They get the account's next letter code (A, B, ..., Z, AA, ...) and today's\n"
    "date. Lettering never changes an entry: it is its own signed event, allowed\n"
    "on lines of locked periods. unletter removes a lettering by its code.\n"
    "`grandlivre ledger --open` lists the lines not yet lettered. letter --auto\n"
    "finds and letters them by itself (grandlivre letter --auto --help).\n"
    "--format csv or json prints one row: letter account, aux, code, date;\n"
    "unletter account, code, lines.\n";

int cmd_letter(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--auto"))
            return cmd_letter_auto(argc, argv); /* cmd_letter_auto.c */
    cli c;
    struct close_opts o;
    int rc = close_parse(&c, &argc, &argv, &o, letter_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc < 2 || argc > GL_LETTER_LINES_MAX || !o.account) {
        fputs(letter_help, stderr);
        return EXIT_USAGE;
    }
    gl_line_ref *refs = calloc((size_t)argc, sizeof *refs);
    if (!refs)
        return cli_nomem("the lines to letter");
    for (int i = 0; i < argc; i++)
        if (parse_line_ref(argv[i], &refs[i])) {
            cli_error("'%s' is not a line such as 2025/17:1 (entry 17 of 2025, line 1)", argv[i]);
            free(refs);
            return EXIT_USAGE;
        }
    if ((rc = cli_need_tenant(&c)) || (rc = cli_connect(&c))) {
        free(refs);
        return rc;
    }
    char account[GL_ACCOUNT_MAX + 2], aux[GL_AUX_MAX + 2];
    snprintf(account, sizeof account, "%s", o.account);
    snprintf(aux, sizeof aux, "%s", o.aux ? o.aux : "");
    close_upper(account);
    gl_buf body;
    gl_buf_init(&body);
    gl_letter_q_encode(&body, (gl_str){account, strlen(account)}, (gl_str){aux, strlen(aux)}, refs,
                       (uint16_t)argc);
    free(refs);
    gl_response resp;
    rc = cli_call(&c, GL_KIND_LETTER, c.tenant, body.data, body.len, &resp);
    gl_reply_letter_done r;
    if (rc == 0 && gl_reply_letter_done_decode(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                               &r) != GL_OK) {
        cli_error("cannot read the daemon's reply (letter)");
        rc = EXIT_REFUSED;
    }
    if (rc == 0) {
        char d[11];
        gl_date_format(r.date, d);
        if (cli_format_table(&c)) {
            printf("%.*s %s\n", (int)r.code.len, r.code.ptr, d);
        } else {
            static const out_col cols[] = {
                {"account", OUT_TEXT}, {"aux", OUT_TEXT}, {"code", OUT_TEXT}, {"date", OUT_TEXT}};
            out_table *t = out_new(cols, 4);
            if (t) {
                out_cstr(t, account);
                out_cstr(t, aux);
                out_text(t, r.code.ptr, r.code.len);
                out_cstr(t, d);
            }
            rc = cli_format_render(&c, t);
        }
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    return close_finish(&c, rc);
}

int cmd_unletter(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = close_start(&c, &argc, &argv, &o, letter_help, 1);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!o.account) {
        fputs(letter_help, stderr);
        return close_finish(&c, EXIT_USAGE);
    }
    char account[GL_ACCOUNT_MAX + 2], code[8];
    snprintf(account, sizeof account, "%s", o.account);
    snprintf(code, sizeof code, "%s", argv[0]);
    close_upper(account);
    close_upper(code);
    gl_unletter_q q = {{account, strlen(account)}, {code, strlen(code)}};
    gl_buf body;
    gl_buf_init(&body);
    gl_unletter_q_encode(&body, &q);
    gl_response resp;
    rc = cli_call(&c, GL_KIND_UNLETTER, c.tenant, body.data, body.len, &resp);
    gl_reply_unletter r;
    if (rc == 0 && gl_reply_unletter_decode(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                            &r) != GL_OK) {
        cli_error("cannot read the daemon's reply (unletter)");
        rc = EXIT_REFUSED;
    }
    if (rc == 0 && cli_format_table(&c)) {
        printf(PLURAL(r.count, "%s: %u line unlettered\n", "%s: %u lines unlettered\n"), code,
               r.count);
    } else if (rc == 0) {
        static const out_col cols[] = {
            {"account", OUT_TEXT}, {"code", OUT_TEXT}, {"lines", OUT_INT}};
        out_table *t = out_new(cols, 3);
        if (t) {
            out_cstr(t, account);
            out_cstr(t, code);
            out_int(t, r.count);
        }
        rc = cli_format_render(&c, t);
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    return close_finish(&c, rc);
}
