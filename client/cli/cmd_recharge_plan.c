/*
 * client/cli/cmd_recharge_plan.c — `recharge plan` and `recharge check`
 * (issue 20): the cost-sharing agreement at exact cost (convention de
 * mutualisation, CGI art. 261 B).
 *
 * The cost base of year Y, month by month, from the umbrella's books (the
 * combined trial balance's umbrella column at each month's end, its fiscal
 * year the calendar year): the class 6 accounts whose number starts with a
 * `costs` prefix and none of the `exclude` prefixes, less the credit balance
 * of the `deduct` accounts (the part of a grant that pays for the shared
 * services) and less `deduct_amount` (split over the twelve months).  Each
 * month's base is split by the keys version in force that month (`keys`,
 * `keys.MM`) with gl_shares' exact rounding; a member's share of actual
 * costs is the sum of its months.  What was recharged: the umbrella's
 * receivable ledger (the plan's account and 411000), the lines of journal
 * VT whose piece starts "RCH-" (recharges and true-ups), by member code.
 * The true-up is share - recharged; `--post` sends it as one
 * RECHARGE_ADJUST dated 31 December of Y.
 *
 * check warns (exit 5) when the recharges exceed the base (a margin) or
 * when the recharges plus the funding in the books (`funding` accounts,
 * default the `deduct` ones, and `deduct_amount`) exceed the gross costs
 * (double funding).
 */
#include "cli.h"
#include "cmd_recharge_plan.h"
#include "group_balance.h"
#include "i18n.h"
#include "plural.h"

#include "proto/analytic.h"
#include "proto/date.h"
#include "proto/group.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/reply_group.h"
#include "proto/status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LIST_MAX 32

typedef struct rp_list {
    size_t n;
    char v[LIST_MAX][GL_ACCOUNT_MAX + 1];
} rp_list;

typedef struct rp_plan {
    rc_accounts acc;
    rp_list costs, exclude, deduct, funding;
    char axis[GL_ACCOUNT_MAX + 1]; /* analytic axis ("" none) */
    rp_list codes, exclude_codes;  /* codes of the axis counted, left out */
    int64_t deduct_amount, budget;
    int keys[13]; /* the keys version from month m on; -1 unset */
} rp_plan;

typedef struct rp_member {
    char id[GL_TENANT_MAX + 1], code[GL_AUX_MAX + 1];
    int64_t share, recharged;
} rp_member;

int rc_accounts_parse(const char *text, rc_accounts *out)
{
    char copy[4 * (GL_ACCOUNT_MAX + 1) + 8];
    if (strlen(text) >= sizeof copy)
        return -1;
    snprintf(copy, sizeof copy, "%s", text);
    char *save = NULL, *tok = strtok_r(copy, ",", &save);
    for (int i = 0; i < 4; i++, tok = strtok_r(NULL, ",", &save)) {
        if (!tok || strlen(tok) > GL_ACCOUNT_MAX)
            return -1;
        snprintf(out->text[i], sizeof out->text[i], "%s", tok);
    }
    if (tok)
        return -1;
    out->a = (gl_group_accounts){true,
                                 {out->text[0], strlen(out->text[0])},
                                 {out->text[1], strlen(out->text[1])},
                                 {out->text[2], strlen(out->text[2])},
                                 {out->text[3], strlen(out->text[3])}};
    /* the daemon's own rule: a body carrying them decodes */
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_q q = {202501, 1, 0, 0, out->a};
    gl_recharge_q_encode(&b, &q);
    gl_recharge_q back;
    int st = gl_buf_ok(&b) ? gl_recharge_q_decode(b.data, b.len, &back) : GL_ERR_NOMEM;
    gl_buf_free(&b);
    return st == GL_OK ? 0 : -1;
}

static int plan_error(const char *path, int line, const char *what)
{
    char why[512];
    snprintf(why, sizeof why, "%s:%d: %s", path, line, what);
    return cli_local_error(GL_ERR_RECHARGE_PLAN_FILE, why);
}

/* Comma-separated: account prefixes ([0-9A-Z]), or analytic codes (any). */
static int list_parse_as(char *v, rp_list *l, bool accounts)
{
    l->n = 0;
    for (char *save = NULL, *t = strtok_r(v, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        if (l->n == LIST_MAX || strlen(t) > GL_ACCOUNT_MAX)
            return -1;
        for (const char *p = t; accounts && *p; p++)
            if (!isdigit((unsigned char)*p) && !isupper((unsigned char)*p))
                return -1;
        snprintf(l->v[l->n++], sizeof l->v[0], "%s", t);
    }
    return l->n ? 0 : -1;
}

static int list_parse(char *v, rp_list *l) { return list_parse_as(v, l, true); }

static void trim(char **s)
{
    while (isspace((unsigned char)**s))
        (*s)++;
    size_t n = strlen(*s);
    while (n && isspace((unsigned char)(*s)[n - 1]))
        (*s)[--n] = '\0';
}

/* The plan file: "name = value" lines, '#' comments (docs/recharge-plan.example). */
static int plan_read(const char *path, rp_plan *p)
{
    size_t len;
    char *text = cli_read_file(path, &len);
    if (!text)
        return EXIT_USAGE;
    int rc = 0, lineno = 0;
    for (char *line = text, *next; line && rc == 0; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        trim(&line);
        if (!line[0])
            continue;
        char *eq = strchr(line, '=');
        if (!eq) {
            rc = plan_error(path, lineno, _("expected 'name = value'"));
            break;
        }
        *eq = '\0';
        char *name = line, *v = eq + 1;
        trim(&name);
        trim(&v);
        int bad = 0;
        unsigned mm = 0;
        char tail;
        if (!strcmp(name, "accounts"))
            bad = rc_accounts_parse(v, &p->acc);
        else if (!strcmp(name, "costs"))
            bad = list_parse(v, &p->costs);
        else if (!strcmp(name, "exclude"))
            bad = list_parse(v, &p->exclude);
        else if (!strcmp(name, "deduct"))
            bad = list_parse(v, &p->deduct);
        else if (!strcmp(name, "funding"))
            bad = list_parse(v, &p->funding);
        else if (!strcmp(name, "axis"))
            bad = !v[0] || strlen(v) > 16 || !snprintf(p->axis, sizeof p->axis, "%s", v);
        else if (!strcmp(name, "codes"))
            bad = list_parse_as(v, &p->codes, false);
        else if (!strcmp(name, "exclude_codes"))
            bad = list_parse_as(v, &p->exclude_codes, false);
        else if (!strcmp(name, "deduct_amount"))
            bad = !gl_money_parse(v, strlen(v), &p->deduct_amount) || p->deduct_amount < 0;
        else if (!strcmp(name, "budget"))
            bad = !gl_money_parse(v, strlen(v), &p->budget) || p->budget < 0;
        else if (!strcmp(name, "keys") ||
                 (sscanf(name, "keys.%2u%c", &mm, &tail) == 1 && mm >= 1 && mm <= 12)) {
            char *end;
            long k = strtol(v, &end, 10);
            bad = *end || k < 0 || k > 65535;
            p->keys[mm ? mm : 1] = (int)k;
        } else {
            rc = plan_error(path, lineno, _("unknown setting"));
            break;
        }
        if (bad)
            rc = plan_error(path, lineno, _("a value out of its rule"));
    }
    free(text);
    return rc;
}

static bool prefixed(const char *account, const rp_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strncmp(account, l->v[i], strlen(l->v[i])))
            return true;
    return false;
}

static bool listed(gl_str code, const rp_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (code.len == strlen(l->v[i]) && !memcmp(code.ptr, l->v[i], code.len))
            return true;
    return false;
}

static bool cost_account(const char *a, const rp_plan *p)
{
    return a[0] == '6' && prefixed(a, &p->costs) && !prefixed(a, &p->exclude);
}

/* The analytic side of the costs at `at` (ANALYTIC_BALANCE of the plan's
 * axis): in[0] what the cost accounts hold coded with `codes`, in[1] with
 * `exclude_codes`. */
static int analytic_sums(cli *c, const rp_plan *p, const char *umbrella, uint32_t at, int64_t in[2])
{
    gl_buf b;
    gl_buf_init(&b);
    gl_an_balance_q_encode(&b, &(gl_an_balance_q){{p->axis, strlen(p->axis)}, at / 10000, at});
    gl_response resp = {0};
    int rc = gl_buf_ok(&b) ? cli_call(c, GL_KIND_ANALYTIC_BALANCE, umbrella, b.data, b.len, &resp)
                           : cli_nomem("the request");
    gl_buf_free(&b);
    gl_an_balance_iter it;
    gl_an_balance_row r;
    in[0] = in[1] = 0;
    if (rc == 0 && gl_an_balance_reply_begin(resp.reply.body, resp.reply.body_len, &it) != GL_OK)
        rc = cli_local_error(GL_ERR_BAD_REPLY, "the analytic balance");
    int st = GL_OK;
    while (rc == 0 && (st = gl_an_balance_reply_next(&it, &r)) == GL_OK) {
        char a[GL_ACCOUNT_MAX + 1];
        snprintf(a, sizeof a, "%.*s", (int)r.account.len, r.account.ptr);
        int64_t net = r.debit_cents - r.credit_cents; /* each capped at 2^56 */
        if (cost_account(a, p) &&
            ((listed(r.code, &p->codes) && !gl_money_add(&in[0], net)) ||
             (listed(r.code, &p->exclude_codes) && !gl_money_add(&in[1], net))))
            rc = cli_local_error(GL_ERR_SUM_OVERFLOW, "the analytic cost base");
    }
    if (rc == 0 && st != GL_ERR_NOT_FOUND)
        rc = cli_local_error(GL_ERR_BAD_REPLY, "the analytic balance");
    gl_response_free(&resp);
    return rc;
}

/* The umbrella's cumulative costs, deducted and funding credits at `at`. */
static int umbrella_sums(cli *c, const rp_plan *p, const char *umbrella, uint32_t at,
                         int64_t out[3])
{
    group_balance g;
    int rc = cli_group_balance(c, at, &g);
    size_t col = g.entities;
    for (size_t i = 0; rc == 0 && i < g.entities; i++)
        if (!strcmp(g.ids[i], umbrella))
            col = i;
    out[0] = out[1] = out[2] = 0;
    for (size_t r = 0; rc == 0 && col < g.entities && r < g.count; r++) {
        const char *a = g.accounts[r];
        int64_t net = g.rows[r].net[col];
        bool ok = true;
        if (cost_account(a, p) && !p->codes.n)
            ok = gl_money_add(&out[0], net);
        if (prefixed(a, &p->deduct))
            ok = ok && gl_money_add(&out[1], -net);
        if (prefixed(a, p->funding.n ? &p->funding : &p->deduct))
            ok = ok && gl_money_add(&out[2], -net);
        if (!ok)
            rc = cli_local_error(GL_ERR_SUM_OVERFLOW, "the cost base");
    }
    bool found = col < g.entities;
    group_balance_free(&g);
    if (rc == 0 && !found)
        rc = cli_local_error(GL_ERR_BAD_REPLY, "the umbrella is not in the combined balance");
    int64_t an[2];
    if (rc == 0 && p->axis[0] && (rc = analytic_sums(c, p, umbrella, at, an)) == 0 &&
        (!gl_money_add(&out[0], an[0]) || !gl_money_sub(&out[0], an[1])))
        rc = cli_local_error(GL_ERR_SUM_OVERFLOW, "the cost base");
    return rc;
}

static int call_body(cli *c, uint16_t kind, const char *tenant, const gl_buf *b, gl_response *r)
{
    return gl_buf_ok(b) ? cli_call(c, kind, tenant, b->data, b->len, r) : cli_nomem("the request");
}

/* The umbrella and the members (id, code) from TENANTS. */
static int read_group(cli *c, char *umbrella, rp_member *m, size_t *n, unsigned *first_month)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_response resp = {0};
    int rc = cli_call(c, GL_KIND_TENANTS, "", NULL, 0, &resp);
    gl_reply_tenants t;
    if (rc == 0 &&
        gl_reply_tenants_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &t) != GL_OK)
        rc = cli_local_error(GL_ERR_BAD_REPLY, "the tenants");
    *n = 0;
    if (rc == 0) {
        snprintf(umbrella, GL_TENANT_MAX + 1, "%.*s", (int)t.umbrella.len, t.umbrella.ptr);
        gl_reply_tenants_iter it;
        gl_reply_tenants_row row;
        gl_reply_tenants_iter_init(&it, &t);
        while (gl_reply_tenants_next(&it, &row) == 1 && *n < GL_GROUP_MEMBERS_MAX)
            if (row.id.len == strlen(umbrella) && !memcmp(row.id.ptr, umbrella, row.id.len)) {
                *first_month = row.first_month;
            } else if (row.id.len == t.combination.len &&
                       !memcmp(row.id.ptr, t.combination.ptr, row.id.len)) {
                continue; /* the combination ledger is no member */
            } else {
                m[*n] = (rp_member){0};
                snprintf(m[*n].id, sizeof m->id, "%.*s", (int)row.id.len, row.id.ptr);
                snprintf(m[*n].code, sizeof m->code, "%.*s", (int)row.code.len, row.code.ptr);
                (*n)++;
            }
        if (!umbrella[0])
            rc = cli_local_error(GL_ERR_NO_GROUP, "the daemon's configuration names no umbrella");
    }
    gl_response_free(&resp);
    gl_buf_free(&b);
    return rc;
}

/* The weights of keys version v, by member (0 for a member not listed). */
static int read_keys(cli *c, uint16_t v, const rp_member *m, size_t n, int64_t *w)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u16(&b, v);
    gl_response resp = {0};
    int rc = call_body(c, GL_KIND_KEYS_GET, "", &b, &resp);
    gl_buf_free(&b);
    gl_reply_keys_get k;
    if (rc == 0 &&
        gl_reply_keys_get_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &k) != GL_OK)
        rc = cli_local_error(GL_ERR_BAD_REPLY, "the keys");
    for (size_t i = 0; i < n; i++)
        w[i] = 0;
    gl_reply_keys_get_iter it;
    gl_reply_keys_row row;
    if (rc == 0)
        gl_reply_keys_get_iter_init(&it, &k);
    while (rc == 0 && gl_reply_keys_get_next(&it, &row) == 1)
        for (size_t i = 0; i < n; i++)
            if (row.tenant.len == strlen(m[i].id) &&
                !memcmp(row.tenant.ptr, m[i].id, row.tenant.len))
                w[i] = row.weight;
    gl_response_free(&resp);
    return rc;
}

/* What was recharged in year y, by member code: the receivable's VT lines
 * of pieces "RCH-" (recharges, true-ups), every page. */
static int read_recharged(cli *c, const char *umbrella, const char *account, uint16_t y,
                          rp_member *m, size_t n)
{
    gl_ledger_q q = {.account = {account, strlen(account)},
                     .from = (uint32_t)y * 10000 + 101,
                     .to = (uint32_t)y * 10000 + 1231,
                     .limit = GL_PAGE_MAX};
    int rc = 0;
    for (bool more = true; more && rc == 0;) {
        gl_buf b;
        gl_buf_init(&b);
        gl_ledger_q_encode(&b, &q);
        gl_response resp = {0};
        rc = call_body(c, GL_KIND_LEDGER, umbrella, &b, &resp);
        gl_buf_free(&b);
        if (rc) {
            gl_response_free(&resp);
            return rc;
        }
        gl_reply_ledger rep;
        if (gl_reply_ledger_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &rep) !=
            GL_OK)
            rc = cli_local_error(GL_ERR_BAD_REPLY, "the receivable's ledger");
        gl_reply_ledger_iter it;
        gl_reply_ledger_row row;
        if (rc == 0)
            gl_reply_ledger_iter_init(&it, &rep);
        while (rc == 0 && gl_reply_ledger_next(&it, &row) == 1) {
            if (row.journal.len != 2 || memcmp(row.journal.ptr, "VT", 2) || row.piece_ref.len < 4 ||
                memcmp(row.piece_ref.ptr, "RCH-", 4))
                continue;
            for (size_t i = 0; i < n; i++)
                if (row.aux.len == strlen(m[i].code) &&
                    !memcmp(row.aux.ptr, m[i].code, row.aux.len) &&
                    !gl_money_add(&m[i].recharged, row.amount))
                    rc = cli_local_error(GL_ERR_SUM_OVERFLOW, "what was recharged");
        }
        more = rc == 0 && rep.more && rep.count;
        q.watermark = rep.watermark;
        q.after_date = rep.next_date;
        q.after_fy = rep.next_fy;
        q.after_num = rep.next_num;
        q.after_line = rep.next_line;
        gl_response_free(&resp);
    }
    return rc;
}

/* Split a month's base (of either sign) by the weights, added to shares. */
static int split_month(int64_t base, const int64_t *w, rp_member *m, size_t n)
{
    int64_t s[GL_GROUP_MEMBERS_MAX];
    int64_t abs = base < 0 ? -base : base;
    if (base == 0)
        return 0;
    if (base == INT64_MIN || !gl_shares(abs, w, n, s))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!gl_money_add(&m[i].share, base < 0 ? -s[i] : s[i]))
            return -1;
    return 0;
}

static int post_adjust(cli *c, const rp_plan *p, uint16_t y, const rp_member *m, size_t n, bool yes)
{
    gl_recharge_adjust_q q = {.year = y, .date = 0, .accounts = p->acc.a};
    for (size_t i = 0; i < n; i++)
        if (m[i].share != m[i].recharged) {
            q.items[q.count].tenant = (gl_str){m[i].id, strlen(m[i].id)};
            q.items[q.count++].value = m[i].share - m[i].recharged;
        }
    if (!q.count) {
        printf("%s", _("Nothing to true up: every member's recharges equal its share.\n"));
        return 0;
    }
    if (!yes) {
        if (!isatty(STDIN_FILENO)) {
            cli_error(_("--post asks for confirmation: add --yes to post without a terminal"));
            return EXIT_USAGE;
        }
        printf(_("Post the true-up of %u (RECHARGE_ADJUST, 31 December %u)? [y/N] "), (unsigned)y,
               (unsigned)y);
        fflush(stdout);
        char answer[16];
        if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'o')) {
            fprintf(stderr, "%s", _("grandlivre: nothing posted\n"));
            return 0;
        }
    }
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_adjust_q_encode(&b, &q);
    gl_response resp = {0};
    int rc = call_body(c, GL_KIND_RECHARGE_ADJUST, "", &b, &resp);
    gl_buf_free(&b);
    if (rc == 0)
        printf(
            PLURAL(q.count, "True-up posted for %u member.\n", "True-up posted for %u members.\n"),
            (unsigned)q.count);
    gl_response_free(&resp);
    return rc;
}

static int print_plan(const cli *c, bool check, uint16_t y, const int64_t tot[4], int64_t monthly,
                      const rp_member *m, size_t n)
{
    static const out_col cols[] = {{"tenant", OUT_TEXT},
                                   {"code", OUT_TEXT},
                                   {"share", OUT_MONEY},
                                   {"recharged", OUT_MONEY},
                                   {"true_up", OUT_MONEY}};
    if (cli_format_table(c)) {
        char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX], d[GL_MONEY_TEXT_MAX], e[GL_MONEY_TEXT_MAX];
        if (check)
            printf(_("Cost-sharing agreement %u, check: costs %s, deducted funding %s, cost base "
                     "%s\n"),
                   (unsigned)y, gl_money_format(tot[0], GL_MONEY_PLAIN, a),
                   gl_money_format(tot[1], GL_MONEY_PLAIN, b),
                   gl_money_format(tot[0] - tot[1], GL_MONEY_PLAIN, d));
        else
            printf(_("Cost-sharing agreement %u, plan: costs %s, deducted funding %s, cost base "
                     "%s\n"),
                   (unsigned)y, gl_money_format(tot[0], GL_MONEY_PLAIN, a),
                   gl_money_format(tot[1], GL_MONEY_PLAIN, b),
                   gl_money_format(tot[0] - tot[1], GL_MONEY_PLAIN, d));
        printf(_("Monthly provisional recharge: %s; recharged in the year: %s\n"),
               gl_money_format(monthly, GL_MONEY_PLAIN, e),
               gl_money_format(tot[3], GL_MONEY_PLAIN, a));
    }
    out_table *t = out_new(cols, 5);
    for (size_t i = 0; t && i < n; i++) {
        out_cstr(t, m[i].id);
        out_cstr(t, m[i].code);
        out_money(t, m[i].share);
        out_money(t, m[i].recharged);
        out_money(t, m[i].share - m[i].recharged);
    }
    return cli_format_render(c, t);
}

int rc_plan_command(cli *c, bool check, long year, const char *plan_file, const rc_accounts *acc,
                    bool post, bool yes)
{
    rp_plan p = {.costs = {1, {"6"}}};
    for (int i = 0; i < 13; i++)
        p.keys[i] = -1;
    p.acc = *acc;
    int rc = plan_file ? plan_read(plan_file, &p) : 0;
    if (rc)
        return rc;
    if (acc->flag)
        p.acc = *acc;
    if ((p.codes.n || p.exclude_codes.n) && !p.axis[0]) {
        cli_error(_("the plan's codes and exclude_codes need its axis (axis = AXIS)"));
        return EXIT_USAGE;
    }
    if (p.keys[1] < 0) {
        cli_error(_("the plan names no keys version for January (keys = V)"));
        return EXIT_USAGE;
    }
    if (!p.acc.a.carried && rc_accounts_parse("411000,706100,628000,401000", &p.acc))
        return EXIT_USAGE;
    uint16_t y = (uint16_t)year;
    char umbrella[GL_TENANT_MAX + 1];
    rp_member m[GL_GROUP_MEMBERS_MAX];
    size_t n = 0;
    unsigned first_month = 1;
    if ((rc = cli_connect(c)) || (rc = read_group(c, umbrella, m, &n, &first_month)))
        return rc;
    if (first_month > 1) {
        cli_error(_("the umbrella's fiscal year starts in month %u: recharge plan and check "
                    "read a calendar year"),
                  first_month);
        return EXIT_USAGE;
    }
    int64_t prev[3] = {0}, tot[4] = {0}, w[GL_GROUP_MEMBERS_MAX], deduct_m[12], ones[12];
    for (int i = 0; i < 12; i++)
        ones[i] = 1;
    gl_shares(p.deduct_amount, ones, 12, deduct_m);
    int version = -1, months = 0;
    uint32_t today = cli_today();
    for (unsigned mo = 1; mo <= 12 && rc == 0; mo++) {
        uint32_t ym = (uint32_t)y * 100 + mo, end = gl_month_last_day(ym);
        if (ym * 100 + 1 > today)
            break; /* a month not begun yet */
        if (p.keys[mo] >= 0 && p.keys[mo] != version) {
            version = p.keys[mo];
            rc = read_keys(c, (uint16_t)version, m, n, w);
        }
        int64_t cum[3];
        if (rc || (rc = umbrella_sums(c, &p, umbrella, end, cum)))
            break;
        int64_t base = (cum[0] - prev[0]) - (cum[1] - prev[1]) - deduct_m[mo - 1];
        if (split_month(base, w, m, n))
            rc = cli_local_error(GL_ERR_SUM_OVERFLOW, "a member's share");
        memcpy(prev, cum, sizeof prev);
        months++;
    }
    tot[0] = prev[0];
    tot[1] = prev[1] + (months == 12 ? p.deduct_amount : 0);
    for (int i = 0; i < months && months < 12; i++)
        tot[1] += deduct_m[i];
    tot[2] = prev[2] + (tot[1] - prev[1]);
    if (rc == 0)
        rc = read_recharged(c, umbrella, p.acc.text[0], y, m, n);
    if (rc == 0 && strcmp(p.acc.text[0], "411000"))
        rc = read_recharged(c, umbrella, "411000", y, m, n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        tot[3] += m[i].recharged;
    int64_t monthly = p.budget ? p.budget / 12 : months ? (tot[0] - tot[1]) / months : 0;
    rc = print_plan(c, check, y, tot, monthly, m, n);
    if (rc == 0 && check) {
        char a[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX];
        if (tot[3] > tot[0] - tot[1]) {
            fprintf(stderr,
                    _("grandlivre: warning %d %s: the recharges (%s) exceed the cost base (%s): "
                      "a margin puts the VAT exemption at risk (CGI art. 261 B)\n"),
                    GL_ERR_RECHARGE_MARGIN, gl_status_name(GL_ERR_RECHARGE_MARGIN),
                    gl_money_format(tot[3], GL_MONEY_PLAIN, a),
                    gl_money_format(tot[0] - tot[1], GL_MONEY_PLAIN, b));
            rc = EXIT_CHECK;
        }
        if (tot[3] + tot[2] > tot[0]) {
            fprintf(stderr,
                    _("grandlivre: warning %d %s: the recharges and the funding (%s) exceed the "
                      "costs (%s): the shared costs are funded twice\n"),
                    GL_ERR_RECHARGE_DOUBLE, gl_status_name(GL_ERR_RECHARGE_DOUBLE),
                    gl_money_format(tot[3] + tot[2], GL_MONEY_PLAIN, a),
                    gl_money_format(tot[0], GL_MONEY_PLAIN, b));
            rc = EXIT_CHECK;
        }
    }
    if (rc == 0 && post)
        rc = post_adjust(c, &p, y, m, n, yes);
    return rc;
}
