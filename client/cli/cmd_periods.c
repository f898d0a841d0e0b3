/*
 * client/cli/cmd_periods.c — the books' periods and their closing:
 * `close-year`, `periods`, `appropriate` (`lock` is in cmd_lock.c; the
 * options these share with the entry commands are in close_opts.c).
 *
 * Closing a year is one request: the daemon writes the result entry and the
 * à-nouveaux.  The appropriation of the result is an ordinary entry in the
 * new year moving 120/129 to the accounts the general assembly chose, built
 * here from the next year's opening balance.
 */
#include "close_opts.h"
#include "i18n.h"
#include "cli_replies.h"

#include "client/input/entry_set.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- close-year ---- */

static const char close_help[] =
    "usage: grandlivre close-year --tenant T --year YYYY [--format F]\n"
    "\n"
    "Close fiscal year YYYY (named by the calendar year it ends in), all or\n"
    "nothing. Refused unless every period of the year is locked and the previous\n"
    "year is closed (a tenant's first year in the ledger is exempt). Writes:\n"
    "  1. the détermination du résultat: one entry (journal CL, last day of the\n"
    "     year, numbered last) zeroing every class 6 and 7 account into 120000\n"
    "     (surplus) or 129000 (deficit); the FEC export leaves it out;\n"
    "  2. the à-nouveaux: one entry (journal AN, first day of the next year)\n"
    "     carrying every class 1-5 balance per account and auxiliary account;\n"
    "     class 8 is not carried forward;\n"
    "  3. the year closed, for ever. The accountant only.\n"
    "--format csv or json prints one row: tenant, year, result (JSON: cents;\n"
    "negative for a deficit), result_account, result_entry, opening_entry.\n";

/* "2025/17" into buf, or "" when num is 0 (no such entry was written). */
static const char *entry_text(uint16_t fy, uint32_t num, char *buf, size_t len)
{
    if (num)
        snprintf(buf, len, "%u/%u", fy, num);
    else
        buf[0] = '\0';
    return buf;
}

/* --format csv or json: one row, the result in cents (negative: a deficit)
 * and the entries written ("" for one not written). */
static int print_closed(const cli *c, int year, const gl_reply_close_year *r)
{
    static const out_col cols[] = {{"tenant", OUT_TEXT},       {"year", OUT_INT},
                                   {"result", OUT_MONEY},      {"result_account", OUT_TEXT},
                                   {"result_entry", OUT_TEXT}, {"opening_entry", OUT_TEXT}};
    char re[32], op[32];
    out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    if (t) {
        out_cstr(t, c->tenant);
        out_int(t, year);
        out_money(t, r->result_cents);
        out_cstr(t, r->result_cents >= 0 ? "120000" : "129000");
        out_cstr(t, entry_text(r->result_fy, r->result_num, re, sizeof re));
        out_cstr(t, entry_text(r->opening_fy, r->opening_num, op, sizeof op));
    }
    return cli_format_render(c, t);
}

int cmd_close_year(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = close_start(&c, &argc, &argv, &o, close_help, 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!o.year) {
        fputs(close_help, stderr);
        return close_finish(&c, EXIT_USAGE);
    }
    gl_buf body;
    gl_buf_init(&body);
    gl_close_q q = {(uint16_t)o.year};
    gl_close_q_encode(&body, &q);
    gl_response resp;
    rc = cli_call(&c, GL_KIND_CLOSE_YEAR, c.tenant, body.data, body.len, &resp);
    gl_reply_close_year r;
    if (rc == 0 && gl_reply_close_year_decode(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                              &r) != GL_OK) {
        cli_error("cannot read the daemon's reply (close of %s)", c.tenant);
        rc = EXIT_REFUSED;
    }
    if (rc == 0 && !cli_format_table(&c)) {
        rc = print_closed(&c, o.year, &r);
    } else if (rc == 0) {
        uint16_t rfy = r.result_fy, ofy = r.opening_fy;
        uint32_t rnum = r.result_num, onum = r.opening_num;
        int64_t result = r.result_cents;
        char m[GL_MONEY_TEXT_MAX];
        printf("%s: fiscal year %d closed; result %s (%s)\n", c.tenant, o.year,
               gl_money_format(result, GL_MONEY_PLAIN, m),
               result >= 0 ? "surplus, 120000" : "deficit, 129000");
        if (rnum)
            printf("  result entry   %u/%u\n", rfy, rnum);
        if (onum)
            printf("  opening entry  %u/%u\n", ofy, onum);
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    return close_finish(&c, rc);
}

/* ---- periods ---- */

static const char periods_help[] =
    "usage: grandlivre periods --tenant T [--format F]\n"
    "\n"
    "The tenant's lock (periods locked through which month) and, per fiscal year\n"
    "holding entries: its dates, its number of entries, closed or open, its\n"
    "result and its closing and opening entries, and its months still unlocked\n"
    "after their closing deadline (column overdue, e.g. 2025-01..2025-09: each\n"
    "month is to be locked by the end of the following month), which the table\n"
    "also states as « clôture en retard ». For an open year, provisional_result\n"
    "is its result so far: classes 7 minus 6 (produits - charges) of every entry\n"
    "booked in it to date, read from its trial balance (0 for a closed year, whose\n"
    "result is in result).\n";

/* The tenant's trial balance at date (one BALANCE, decoded into r; resp
 * holds the bytes r points into: free it).  0 or an exit code. */
static int trial_balance(cli *c, uint32_t at, gl_response *resp, gl_reply_balance *r)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q q = {.at = at};
    gl_balance_q_encode(&body, &q);
    int rc = cli_call(c, GL_KIND_BALANCE, c->tenant, body.data, body.len, resp);
    gl_buf_free(&body);
    if (rc == 0 && gl_reply_balance_decode(gl_reply_view(resp->reply.body, resp->reply.body_len),
                                           r) != GL_OK) {
        cli_error("cannot read the daemon's reply (trial balance of %s)", c->tenant);
        rc = EXIT_REFUSED;
    }
    return rc;
}

/* Result so far of the open fiscal year ending at year_end: the credit minus
 * the debit of classes 6 and 7 in its trial balance at its last day (which
 * holds no result-closing entry while the year is open). */
static int provisional_result(cli *c, uint32_t year_end, int64_t *out)
{
    gl_response resp;
    gl_reply_balance r;
    int rc = trial_balance(c, year_end, &resp, &r);
    *out = 0;
    gl_reply_balance_iter it;
    gl_reply_balance_row row;
    if (rc == 0)
        gl_reply_balance_iter_init(&it, &r);
    while (rc == 0 && gl_reply_balance_next(&it, &row) == 1) {
        if (!row.account.len || (row.account.ptr[0] != '6' && row.account.ptr[0] != '7'))
            continue;
        if (!gl_money_add(out, row.credit) || !gl_money_sub(out, row.debit)) {
            cli_error("the provisional result of %s overflows", c->tenant);
            rc = EXIT_REFUSED;
        }
    }
    gl_response_free(&resp);
    return rc;
}

int cmd_periods(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = close_start(&c, &argc, &argv, &o, periods_help, 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    gl_response resp;
    gl_reply_periods p;
    rc = cli_periods(&c, c.tenant, &resp, &p);
    if (rc == 0) {
        static const out_col cols[] = {
            {"year", OUT_INT},          {"from", OUT_DATE},
            {"to", OUT_DATE},           {"entries", OUT_INT},
            {"state", OUT_TEXT},        {"result", OUT_MONEY},
            {"result_entry", OUT_TEXT}, {"opening_entry", OUT_TEXT},
            {"overdue", OUT_TEXT},      {"provisional_result", OUT_MONEY}};
        out_table *t = out_new(cols, 10);
        /* The months unlocked past their closing deadline (0, 0: none, or
         * a daemon that does not say). */
        uint32_t late_from = p.overdue_from, late_through = p.overdue_through;
        gl_str name = p.name, siren = p.siren, code = p.code;
        uint8_t first_month = p.first_month;
        uint32_t locked = p.locked_through;
        gl_reply_periods_iter it;
        gl_reply_periods_row row;
        gl_reply_periods_iter_init(&it, &p);
        while (rc == 0 && gl_reply_periods_next(&it, &row) == 1) {
            uint16_t fy = row.fy, ofy = row.opening_fy;
            uint32_t from = row.start, to = row.end, count = row.last_num;
            uint8_t closed = row.closed;
            uint32_t rnum = row.result_num, onum = row.opening_num;
            int64_t result = row.result_cents;
            char r1[32] = "", r2[32] = "";
            if (rnum)
                snprintf(r1, sizeof r1, "%u/%u", fy, rnum);
            if (onum)
                snprintf(r2, sizeof r2, "%u/%u", ofy, onum);
            out_int(t, fy);
            out_date(t, from);
            out_date(t, to);
            out_int(t, count);
            out_cstr(t, closed ? "closed" : "open");
            out_money(t, closed ? result : 0);
            out_cstr(t, r1);
            out_cstr(t, r2);
            uint32_t lo = from / 100 > late_from ? from / 100 : late_from;
            uint32_t hi = to / 100 < late_through ? to / 100 : late_through;
            char late[32] = "";
            if (late_from && lo <= hi)
                snprintf(late, sizeof late, "%04u-%02u..%04u-%02u", lo / 100, lo % 100, hi / 100,
                         hi % 100);
            out_cstr(t, late);
            int64_t so_far = 0;
            if (!closed)
                rc = provisional_result(&c, to, &so_far);
            out_money(t, so_far);
        }
        if (rc == 0 && (c.format == OUT_TABLE || c.format == OUT_TABLE_FR)) {
            printf(_("%s: %.*s, SIREN %.*s, fiscal years from month %u, group code %.*s\n"),
                   c.tenant, (int)name.len, name.ptr, (int)siren.len, siren.ptr, first_month,
                   (int)code.len, code.ptr);
            if (locked)
                printf(_("%s: periods locked through %04u-%02u\n"), c.tenant, locked / 100,
                       locked % 100);
            else
                printf(_("%s: no period locked\n"), c.tenant);
            if (late_from)
                printf(
                    "%s: clôture en retard : %04u-%02u à %04u-%02u toujours ouverts après leur échéance\n"
                    "  (chaque mois se verrouille au plus tard à la fin du mois suivant)\n",
                    c.tenant, late_from / 100, late_from % 100, late_through / 100,
                    late_through % 100);
        }
        if (rc == 0 && (!t || out_render(t, c.format, stdout)))
            rc = EXIT_REFUSED;
        out_free(t);
    }
    gl_response_free(&resp);
    return close_finish(&c, rc);
}

/* ---- appropriate ---- */

static const char appropriate_help[] =
    "usage: grandlivre appropriate --tenant T --year YYYY --to ACCOUNT[:AMOUNT] ...\n"
    "                              [--date YYYY-MM-DD]\n"
    "\n"
    "Post the general assembly's appropriation (affectation) of fiscal year\n"
    "YYYY's result, as an ordinary entry of the next year (dated --date, default\n"
    "the first day of that year): the surplus on 120000 (or deficit on 129000),\n"
    "read from the next year's opening balance, goes to the --to\n"
    "accounts, e.g. --to 106800:5000.00 --to 110000 (the last --to without an\n"
    "amount takes the remainder; report à nouveau 110000/119000, reserves 106x).\n";

/* Balance (debit - credit) of account at date, via the daemon. */
static int balance_of(cli *c, const char *account, uint32_t at, int64_t *out)
{
    gl_response resp;
    gl_reply_balance r;
    int rc = trial_balance(c, at, &resp, &r);
    *out = 0;
    if (rc == 0) {
        gl_reply_balance_iter it;
        gl_reply_balance_row row;
        gl_reply_balance_iter_init(&it, &r);
        while (gl_reply_balance_next(&it, &row) == 1) {
            if (gl_str_eq(row.account, account)) {
                *out = row.debit;
                if (!gl_money_sub(out, row.credit))
                    rc = EXIT_REFUSED;
            }
        }
    }
    gl_response_free(&resp);
    return rc;
}

int cmd_appropriate(int argc, char **argv)
{
    cli c;
    struct close_opts o;
    int rc = close_start(&c, &argc, &argv, &o, appropriate_help, 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!o.year || o.to_count == 0) {
        fputs(appropriate_help, stderr);
        return close_finish(&c, EXIT_USAGE);
    }
    uint32_t date = (uint32_t)(o.year + 1) * 10000 + 101, opening_at = date;
    if (o.date && (rc = cli_date(o.date, "--date", &date)))
        return close_finish(&c, rc);
    if (date > opening_at)
        opening_at = date;
    int64_t b120, b129;
    if ((rc = balance_of(&c, "120000", opening_at, &b120)) ||
        (rc = balance_of(&c, "129000", opening_at, &b129)))
        return close_finish(&c, rc);
    bool surplus = b120 < 0;
    int64_t result = surplus ? -b120 : b129;
    if (result <= 0) {
        cli_error(
            "no result to appropriate: 120000 and 129000 are at zero on %u-01-01 (is year %d closed?)",
            o.year + 1, o.year);
        return close_finish(&c, EXIT_USAGE);
    }
    gl_line_in lines[17];
    char accounts[16][GL_ACCOUNT_MAX + 2];
    int64_t left = result;
    size_t n = 0;
    for (int i = 0; i < o.to_count && rc == 0; i++) {
        const char *colon = strchr(o.to[i], ':');
        size_t alen = colon ? (size_t)(colon - o.to[i]) : strlen(o.to[i]);
        int64_t amount = left;
        if (alen > GL_ACCOUNT_MAX ||
            (colon && !gl_money_parse(colon + 1, strlen(colon + 1), &amount)) || amount <= 0 ||
            amount > left || (!colon && i + 1 != o.to_count)) {
            cli_error(
                "--to %s: expected ACCOUNT:AMOUNT (positive, within the %s left), only the last --to may omit AMOUNT",
                o.to[i], "amount");
            rc = EXIT_USAGE;
            break;
        }
        snprintf(accounts[i], sizeof accounts[i], "%.*s", (int)alen, o.to[i]);
        close_upper(accounts[i]);
        left -= amount;
        lines[n++] =
            (gl_line_in){accounts[i], "", "", "", surplus ? GL_SIDE_CREDIT : GL_SIDE_DEBIT, amount};
    }
    if (rc == 0 && left != 0) {
        char m[GL_MONEY_TEXT_MAX];
        cli_error("%s of the result is not appropriated; end with a --to without amount",
                  gl_money_format(left, GL_MONEY_PLAIN, m));
        rc = EXIT_USAGE;
    }
    if (rc == 0) {
        lines[n++] = (gl_line_in){surplus ? "120000" : "129000",
                                  "",
                                  "",
                                  "",
                                  surplus ? GL_SIDE_DEBIT : GL_SIDE_CREDIT,
                                  result};
        char label[64], piece[32], tenant[32];
        snprintf(label, sizeof label, "Affectation du résultat %d", o.year);
        snprintf(piece, sizeof piece, "AG-%d", o.year);
        snprintf(tenant, sizeof tenant, "%s", c.tenant);
        gl_entry_in e = {.tenant = tenant,
                         .journal = "OD",
                         .piece_ref = piece,
                         .label = label,
                         .date = date,
                         .piece_date = date,
                         .line_count = n,
                         .lines = lines};
        gl_entry_set set;
        gl_entry_set_init(&set);
        /* gl_entry_set_add fails only on allocation */
        rc = gl_entry_set_add(&set, &e, 0) == 0 ? post_entry_set(&c, &set, "post")
                                                : cli_nomem("the appropriation");
        gl_entry_set_free(&set);
    }
    return close_finish(&c, rc);
}
