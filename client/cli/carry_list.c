/*
 * client/cli/carry_list.c — `grandlivre accounts carry-mode --tenant T`
 * without an account: every account of classes 1 to 5 (the ones a close
 * carries) with its carry-over mode, and for those set, when and by which
 * key.  The modes are read back from the tenant's chain (CHAIN, its
 * CARRY_MODE events, PROTOCOL §5.27 and §7.2: the last one of an account
 * is in force; an account never set is summarised), so no reader kind is
 * needed and a member reads its own tenant's.
 */
#include "carry_mode.h"

#include "i18n.h"

#include "client/lib/grandlivre.h"
#include "proto/carry.h"
#include "proto/chain.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The last CARRY_MODE event of one account. */
typedef struct carry_set {
    char account[GL_ACCOUNT_MAX + 1];
    uint8_t mode;
    int64_t recorded_ms;
    uint8_t signer[32];
} carry_set;

typedef struct carry_sets {
    carry_set *v;
    size_t n;
} carry_sets;

static carry_set *find(carry_sets *s, gl_str account)
{
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->v[i].account) == account.len &&
            !memcmp(s->v[i].account, account.ptr, account.len))
            return &s->v[i];
    return NULL;
}

/* One CARRY_MODE event into s (the later one replaces the earlier):
 * 0, or -1 out of memory. */
static int note(carry_sets *s, const gl_event *ev)
{
    gl_carry_mode_q q;
    if (gl_carry_mode_q_decode_stored(ev->payload, ev->payload_len, &q) != GL_OK)
        return 0; /* not ours to judge: verify does */
    carry_set *x = find(s, q.account);
    if (!x) {
        carry_set *v = realloc(s->v, (s->n + 1) * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        x = &v[s->n++];
        snprintf(x->account, sizeof x->account, "%.*s", (int)q.account.len, q.account.ptr);
    }
    x->mode = q.mode;
    x->recorded_ms = ev->head.recorded_ms;
    memcpy(x->signer, ev->head.signer, 32);
    return 0;
}

/* Every CHAIN page of the tenant, its CARRY_MODE events into s. */
static int walk_chain(cli *c, carry_sets *s)
{
    uint64_t after = 0, head = UINT64_MAX;
    int rc = 0;
    while (rc == 0 && after < head) {
        gl_buf body;
        gl_buf_init(&body);
        gl_chain_q q = {after, GL_PAGE_MAX};
        gl_chain_q_encode(&body, &q);
        gl_response resp;
        rc = gl_buf_ok(&body) ? cli_call(c, GL_KIND_CHAIN, c->tenant, body.data, body.len, &resp)
                              : cli_nomem("the chain request");
        gl_buf_free(&body);
        if (rc)
            break;
        gl_reply_chain ch;
        gl_reply_chain_iter it;
        gl_reply_chain_row row;
        if (gl_reply_chain_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &ch) !=
            GL_OK) {
            cli_error("cannot read the daemon's reply (chain)");
            rc = EXIT_REFUSED;
        } else {
            head = head == UINT64_MAX ? ch.chain_seq : head;
            if (!ch.count)
                head = after; /* nothing more: the end */
            gl_reply_chain_iter_init(&it, &ch);
            while (rc == 0 && gl_reply_chain_next(&it, &row) == 1) {
                gl_event ev;
                after = row.seq;
                if (gl_event_decode(row.record, row.record_len, &ev) == GL_OK &&
                    ev.type == GL_EVENT_CARRY_MODE && note(s, &ev))
                    rc = cli_nomem("the carry-over modes");
            }
        }
        gl_response_free(&resp);
    }
    return rc;
}

static const char *mode_name(uint8_t mode)
{
    return mode == GL_CARRY_DETAILED ? _("detailed") : _("summarised");
}

/* recorded_ms as "2025-03-31 09:12 UTC", or "" for 0. */
static void when_text(int64_t ms, char *out, size_t len)
{
    time_t sec = (time_t)(ms / 1000);
    struct tm tm;
    out[0] = '\0';
    if (ms > 0 && gmtime_r(&sec, &tm))
        strftime(out, len, "%Y-%m-%d %H:%M UTC", &tm);
}

static void row_of(out_table *t, bool people, gl_str account, gl_str label, const carry_set *x)
{
    char when[40] = "", by[GL_FINGERPRINT_LEN] = "";
    if (x) {
        when_text(x->recorded_ms, when, sizeof when);
        gl_fingerprint(x->signer, by);
    }
    out_text(t, account.ptr, account.len);
    out_text(t, label.ptr, label.len);
    /* JSON and CSV keep the English words a program matches */
    out_cstr(t, people ? mode_name(x ? x->mode : GL_CARRY_SUMMARISED)
                       : (x && x->mode == GL_CARRY_DETAILED ? "detailed" : "summarised"));
    out_cstr(t, when);
    out_cstr(t, by);
}

/* A class 1-5 account: the ones a close carries (CARRY_MODE_SET refuses
 * the others, 458). */
static bool carried(gl_str account)
{
    return account.len && account.ptr[0] >= '1' && account.ptr[0] <= '5';
}

int accounts_carry_list(cli *c)
{
    carry_sets s = {NULL, 0};
    gl_response resp;
    int rc = walk_chain(c, &s);
    if (rc == 0)
        rc = cli_call(c, GL_KIND_ACCOUNTS_LIST, c->tenant, NULL, 0, &resp);
    if (rc) {
        free(s.v);
        return rc;
    }
    static const out_col cols[] = {{"account", OUT_REF},
                                   {"label", OUT_TEXT},
                                   {"mode", OUT_TEXT},
                                   {"set_at", OUT_TEXT},
                                   {"set_by", OUT_REF}};
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    bool people = c->format == OUT_TABLE || c->format == OUT_TABLE_FR;
    gl_reply_accounts_list r;
    gl_reply_accounts_list_iter it;
    gl_reply_accounts_list_row row;
    if (!t)
        rc = cli_nomem("the carry-over modes");
    else if (gl_reply_accounts_list_decode(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                           &r) != GL_OK) {
        cli_error("cannot read the daemon's reply (accounts)");
        rc = EXIT_REFUSED;
    } else {
        gl_reply_accounts_list_iter_init(&it, &r);
        while (gl_reply_accounts_list_next(&it, &row) == 1)
            if (carried(row.account))
                row_of(t, people, row.account, row.label, find(&s, row.account));
        if (people)
            printf(_("Carry-over modes — %s (summarised unless set)\n"), c->tenant);
        if (out_render(t, c->format, stdout))
            rc = EXIT_USAGE;
    }
    out_free(t);
    gl_response_free(&resp);
    free(s.v);
    return rc;
}
