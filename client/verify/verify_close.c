/*
 * client/verify/verify_close.c — the replay of locks and year closes: a
 * lock extends the locked periods by the rules the daemon applies; a close
 * needs its periods locked and the year before closed, and its result entry
 * and à-nouveaux are rebuilt as the daemon writes them (accounts and texts
 * from proto/accounts.h) and compared byte for byte.
 */
#include "verify_int.h"

#include "proto/accounts.h"
#include "proto/carry.h"
#include "proto/date.h"

#include <stdio.h>

/* The text of one line of an entry the daemon builds. */
typedef struct line_text {
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1], aux_label[GL_LABEL_MAX + 1];
} line_text;

/* The first label an auxiliary account was given in this chain (the one
 * the daemon carries into the à-nouveaux), "" if none. */
static gl_str aux_label_of(vctx *v, gl_str aux)
{
    acct_key k = vf_make_acct_key(aux);
    const gl_str *label = vf_map_get(&v->ts.aux_labels, &k, false, &v->nomem);
    return label ? *label : (gl_str){"", 0};
}

/* Is e, byte for byte, the entry the daemon's close writes with these
 * lines (in this order) and texts?  -1 when memory ran out. */
static int same_close_entry(vctx *v, const gl_entry *e, const cline *lines, size_t n,
                            const char *journal, const char *piece, const char *label,
                            uint32_t date, uint8_t flags, bool aux_labels)
{
    line_text *text = calloc(n ? n : 1, sizeof *text);
    gl_line_in *in = calloc(n ? n : 1, sizeof *in);
    int same = -1;
    if (text && in) {
        for (size_t i = 0; i < n; i++) {
            gl_str al = aux_labels ? aux_label_of(v, lines[i].aux) : (gl_str){"", 0};
            snprintf(text[i].account, sizeof text[i].account, "%.*s", (int)lines[i].account.len,
                     lines[i].account.ptr);
            snprintf(text[i].aux, sizeof text[i].aux, "%.*s", (int)lines[i].aux.len,
                     lines[i].aux.ptr);
            snprintf(text[i].aux_label, sizeof text[i].aux_label, "%.*s", (int)al.len, al.ptr);
            in[i] = (gl_line_in){text[i].account, text[i].aux,    text[i].aux_label, "",
                                 lines[i].side,   lines[i].amount};
        }
        char tenant[GL_TENANT_MAX + 1];
        snprintf(tenant, sizeof tenant, "%.*s", (int)v->ts.at->id.len, v->ts.at->id.ptr);
        gl_entry_in want = {.tenant = tenant,
                            .journal = journal,
                            .piece_ref = piece,
                            .label = label,
                            .date = date,
                            .piece_date = date,
                            .flags = flags,
                            .line_count = n,
                            .lines = in};
        gl_buf b;
        gl_buf_init(&b);
        int st = gl_entry_encode_layout(&b, &want,
                                        e->layout); /* the request's (checked by event_entry) */
        if (st != GL_ERR_NOMEM)
            same = st == GL_OK && b.len == e->raw_len && !memcmp(b.data, e->raw, b.len);
        gl_buf_free(&b);
    }
    free(text);
    free(in);
    return same;
}

/* The result entry of a close: every class 6-7 balance (per account and
 * auxiliary account, in that order) zeroed into 120000 (surplus) or 129000
 * (deficit), last; journal CL, dated the year's last day. */
static bool check_result_entry(vctx *v, uint16_t fy, const gl_entry *e, int64_t *result)
{
    cline *want;
    size_t n;
    int64_t net67;
    if (!vf_year_lines(v, fy, '6', '7', false, &want, &n, &net67))
        return false;
    if (net67 == INT64_MIN) {
        free(want);
        return vf_problem(v, GL_VP_CLOSING, "the year's result overflows");
    }
    sort_items(want, n, sizeof *want, vf_cline_cmp);
    *result = -net67;
    if (*result > 0)
        want[n++] =
            (cline){cstr(GL_ACCOUNT_RESULT_SURPLUS), {"", 0}, GL_SIDE_CREDIT, *result, {"", 0}};
    else if (*result < 0)
        want[n++] =
            (cline){cstr(GL_ACCOUNT_RESULT_DEFICIT), {"", 0}, GL_SIDE_DEBIT, -*result, {"", 0}};
    char piece[32], label[64];
    snprintf(piece, sizeof piece, GL_CLOSE_RESULT_PIECE, fy);
    snprintf(label, sizeof label, GL_CLOSE_RESULT_LABEL, fy);
    int same = same_close_entry(v, e, want, n, GL_CLOSE_RESULT_JOURNAL, piece, label,
                                gl_fiscal_year_end(fy, v->ts.at->first_month),
                                GL_ENTRY_RESULT_CLOSING, false);
    bool ok = same > 0;
    if (same < 0)
        ok = vf_out_of_memory(v);
    else if (!same && vf_same_lines(v, GL_VP_CLOSING,
                                    "the result entry does not zero the year's class 6-7 balances",
                                    e, want, n))
        ok = vf_problem(v, GL_VP_CLOSING,
                        "the result entry is not the one the close writes (its piece, labels or "
                        "line order differ)");
    free(want);
    return ok;
}

/* The à-nouveaux of a close of fy: every class 1-5 balance of fy, per
 * account and auxiliary account (with its first label); journal AN, dated
 * the next year's first day. */
static bool check_detailed_opening(vctx *v, uint16_t fy, const gl_entry *e);

static bool check_opening_entry(vctx *v, uint16_t fy, const gl_entry *e)
{
    if (vf_any_detailed(v))
        return check_detailed_opening(v, fy, e);
    cline *want;
    size_t n;
    int64_t sum;
    if (!vf_year_lines(v, fy, '1', '5', true, &want, &n, &sum))
        return false;
    sort_items(want, n, sizeof *want, vf_cline_cmp);
    uint16_t next = (uint16_t)(fy + 1);
    char piece[32], label[64];
    snprintf(piece, sizeof piece, GL_CLOSE_OPENING_PIECE, next);
    snprintf(label, sizeof label, GL_CLOSE_OPENING_LABEL, next);
    int same =
        same_close_entry(v, e, want, n, GL_CLOSE_OPENING_JOURNAL, piece, label,
                         gl_fiscal_year_start(next, v->ts.at->first_month), GL_ENTRY_OPENING, true);
    bool ok = same > 0;
    if (same < 0)
        ok = vf_out_of_memory(v);
    else if (!same &&
             vf_same_lines(v, GL_VP_CLOSING,
                           "the à-nouveaux do not carry the closed year's class 1-5 balances", e,
                           want, n))
        ok = vf_problem(v, GL_VP_CLOSING,
                        "the à-nouveaux are not the ones the close writes (their piece, labels or "
                        "line order differ)");
    free(want);
    return ok;
}

/* The à-nouveaux when some account is carried in detail (verify_carry.c):
 * the same entry, byte for byte, with every line's open_item. */
static bool check_detailed_opening(vctx *v, uint16_t fy, const gl_entry *e)
{
    gl_line_in *lines;
    gl_ext_in *ext;
    void *keep;
    size_t n;
    if (!vf_opening_lines(v, fy, &lines, &ext, &keep, &n))
        return false;
    gl_opening_text text;
    gl_entry_in want = gl_opening_entry(&text, v->ts.at->id.ptr, v->ts.at->id.len,
                                        (uint16_t)(fy + 1), v->ts.at->first_month, n, lines, ext);
    gl_buf b;
    gl_buf_init(&b);
    int st = gl_entry_encode_layout(&b, &want, e->layout);
    bool ok = st == GL_OK && b.len == e->raw_len && !memcmp(b.data, e->raw, b.len);
    gl_buf_free(&b);
    free(lines);
    free(ext);
    free(keep);
    if (st == GL_ERR_NOMEM)
        return vf_out_of_memory(v);
    return ok || vf_problem(v, GL_VP_CLOSING,
                            "the à-nouveaux are not the ones the close writes (the open items of "
                            "the detailed accounts, with their origins, or the balances differ)");
}

/* An entry a close wrote: is it what the close of the signed year gives? */
bool vf_check_close_entry(vctx *v, const env_state *es, const gl_event *ev, uint16_t fy,
                          uint32_t num, const gl_entry *e)
{
    run *r = &v->ts.cur;
    gl_close_q q;
    unsigned fm = v->ts.at->first_month;
    if (gl_close_q_decode(es->req.body, es->req.body_len, &q) != GL_OK)
        return vf_problem(v, GL_VP_REQUEST, "its year-close request's body does not decode");
    if (!vf_header_tenant(v, es))
        return false;
    if (e->flags == GL_ENTRY_RESULT_CLOSING && ev->head.item == 1) {
        if (fy != q.fy || e->date != gl_fiscal_year_end(q.fy, fm) ||
            !gl_str_eq(e->journal, GL_CLOSE_RESULT_JOURNAL) || e->reverses_fy)
            return vf_problem(v, GL_VP_CLOSING,
                              "the result entry of the close of %u must be journal CL, dated the "
                              "year's last day, in that year",
                              q.fy);
        int64_t result = 0;
        if (!check_result_entry(v, fy, e, &result))
            return false;
        r->saw_result = true;
        r->result_fy = fy;
        r->result_num = num;
        r->result_cents = result;
        return true;
    }
    if (e->flags == GL_ENTRY_OPENING && ev->head.item == 2) {
        uint16_t next = (uint16_t)(q.fy + 1);
        if (fy != next || e->date != gl_fiscal_year_start(next, fm) ||
            !gl_str_eq(e->journal, GL_CLOSE_OPENING_JOURNAL) || e->reverses_fy)
            return vf_problem(
                v, GL_VP_CLOSING,
                "the à-nouveaux of the close of %u must be journal AN, dated the next "
                "year's first day, in that year",
                q.fy);
        if (!check_opening_entry(v, q.fy, e))
            return false;
        r->saw_opening = true;
        r->opening_fy = fy;
        r->opening_num = num;
        return true;
    }
    return vf_problem(
        v, GL_VP_CLOSING,
        "a year close writes its result entry as item 1 and its à-nouveaux as item 2; "
        "this is item %u with flags %u",
        ev->head.item, e->flags);
}

static uint32_t next_month(uint32_t ym)
{
    return ym % 100 == 12 ? (ym / 100 + 1) * 100 + 1 : ym + 1;
}

bool vf_event_lock(vctx *v, const gl_event *ev)
{
    tstate *ts = &v->ts;
    gl_cur c;
    gl_cur_init(&c, ev->payload, ev->payload_len);
    uint32_t from = gl_get_u32(&c), through = gl_get_u32(&c);
    if (gl_cur_end(&c) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the lock does not decode");
    env_state *es = vf_event_request(v, ev, ts->seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_LOCK))
        return false;
    gl_lock_q q;
    if (gl_lock_q_decode(es->req.body, es->req.body_len, &q) != GL_OK || ev->head.item != 1 ||
        q.through_ym != through)
        return vf_problem(v, GL_VP_REQUEST, "not the lock its signed request asked for");
    uint32_t want_from = ts->locked_through ? next_month(ts->locked_through) : 0;
    if (through <= ts->locked_through || from != want_from ||
        (q.mode == GL_LOCK_NEXT_ONLY && ts->locked_through && through != want_from))
        return vf_problem(
            v, GL_VP_RULE,
            "locks %04u-%02u to %04u-%02u after periods were locked through %04u-%02u", from / 100,
            from % 100, through / 100, through % 100, ts->locked_through / 100,
            ts->locked_through % 100);
    /* the daemon's rule since version 2: no lock beyond the French month of
     * the time it recorded (event_request checked that time is plausible);
     * a version 1 lock was taken before the rule (see history) */
    uint32_t recorded_ym = gl_date_paris(ev->head.recorded_ms) / 100;
    if (!history(&es->req) && through > recorded_ym)
        return vf_problem(v, GL_VP_RULE,
                          "locks through %04u-%02u, beyond %04u-%02u, the month it was recorded in",
                          through / 100, through % 100, recorded_ym / 100, recorded_ym % 100);
    ts->locked_through = through;
    return true;
}

bool vf_event_close(vctx *v, const gl_event *ev)
{
    tstate *ts = &v->ts;
    run *r = &ts->cur;
    gl_cur c;
    gl_cur_init(&c, ev->payload, ev->payload_len);
    uint16_t fy = gl_get_u16(&c), result_fy = gl_get_u16(&c);
    uint32_t result_num = gl_get_u32(&c);
    uint16_t opening_fy = gl_get_u16(&c);
    uint32_t opening_num = gl_get_u32(&c);
    int64_t result_cents = gl_get_i64(&c);
    if (gl_cur_end(&c) != GL_OK)
        return vf_problem(v, GL_VP_RECORD, "the close does not decode");
    env_state *es = vf_event_request(v, ev, ts->seq);
    if (!es || !vf_expect_kind(v, es, GL_KIND_CLOSE_YEAR))
        return false;
    gl_close_q q;
    if (gl_close_q_decode(es->req.body, es->req.body_len, &q) != GL_OK || q.fy != fy ||
        ev->head.item != 3)
        return vf_problem(v, GL_VP_REQUEST, "not the close its signed request asked for");
    unsigned fm = ts->at->first_month;
    uint32_t last_ym = gl_fiscal_year_end(fy, fm) / 100;
    if (ts->locked_through < last_ym)
        return vf_problem(v, GL_VP_CLOSING,
                          "closes %u while its periods were locked only through %04u-%02u", fy,
                          ts->locked_through / 100, ts->locked_through % 100);
    year_state *y = vf_year_find(ts, fy);
    if (y && y->sum.closed)
        return vf_problem(v, GL_VP_CLOSING, "closes %u a second time", fy);
    year_state *prev = vf_year_find(ts, (uint16_t)(fy - 1));
    bool earlier = false;
    for (size_t i = 0; i < ts->year_count; i++)
        earlier |= ts->years[i].fy < fy && ts->years[i].sum.entries > 0;
    if (earlier && !(prev && prev->sum.closed))
        return vf_problem(v, GL_VP_CLOSING, "closes %u before %u was closed", fy, fy - 1);
    /* after the result entry, nothing of classes 6-7 is left; 8-9 balance */
    cline *lines;
    size_t n;
    int64_t net;
    if (!vf_year_lines(v, fy, '6', '7', true, &lines, &n, &net))
        return false;
    free(lines);
    if (n)
        return vf_problem(v, GL_VP_CLOSING,
                          "the year %u is closed with class 6-7 balances left (no result entry)",
                          fy);
    if (!vf_year_lines(v, fy, '8', '9', true, &lines, &n, &net))
        return false;
    free(lines);
    if (net) {
        char m[GL_MONEY_TEXT_MAX];
        return vf_problem(v, GL_VP_CLOSING,
                          "classes 8-9 of %u are off by %s: the year could not be closed", fy,
                          money(net, m));
    }
    if (!r->saw_opening) {
        if (!vf_year_lines(v, fy, '1', '5', true, &lines, &n, &net))
            return false;
        free(lines);
        if (n)
            return vf_problem(
                v, GL_VP_CLOSING,
                "the close of %u has no à-nouveaux, yet the year has class 1-5 balances", fy);
    }
    if (result_fy != (r->saw_result ? r->result_fy : 0) ||
        result_num != (r->saw_result ? r->result_num : 0) ||
        opening_fy != (r->saw_opening ? r->opening_fy : 0) ||
        opening_num != (r->saw_opening ? r->opening_num : 0) ||
        result_cents != (r->saw_result ? r->result_cents : 0)) {
        char m[GL_MONEY_TEXT_MAX];
        return vf_problem(
            v, GL_VP_CLOSING,
            "the close event names result %u/%u, à-nouveaux %u/%u and a result of %s: "
            "not the entries the close wrote",
            result_fy, result_num, opening_fy, opening_num, money(result_cents, m));
    }
    if (!(y = vf_year_get(v, fy)))
        return false;
    y->sum.closed = true;
    y->sum.result_cents = result_cents;
    r->saw_close = true;
    return true;
}
