/*
 * client/bank/recon_json.c — the état de rapprochement as JSON (jansson),
 * for programs: English keys, amounts as integer cents (`_cents`), dates
 * "2025-12-31", the ledger lines with their reference "fy/num:line", the
 * statement lines with their seq; the notes as translated text.
 *
 *   {"account", "iban", "label", "at", "start", "last_statement",
 *    "bank_opening_cents" (null when the first statement states none),
 *    "statement_balance_cents", "books_balance_cents",
 *    "books_not_on_statement": {"credits": [line], "credits_total_cents",
 *        "debits": [line], "debits_total_cents", "total_cents"},
 *    "statement_not_in_books": {"lines": [line], "total_cents"},
 *    "reconciled_balance_cents", "difference_cents", "reconciled" (bool),
 *    "truncated" (bool), "notes": [text]}
 */
#include "recon_render.h"

#include "proto/date.h"

#include <jansson.h>

typedef struct json_ctx {
    json_t *doc, *lists[3];
    const gl_recon_report *r;
} json_ctx;

/* Text from the wire; invalid UTF-8 (never sent by the daemon) as "". */
static json_t *text(gl_str s)
{
    json_t *j = json_stringn(s.ptr ? s.ptr : "", s.ptr ? s.len : 0);
    return j ? j : json_string("");
}

static json_t *date(uint32_t ymd)
{
    char d[11];
    return ymd ? json_string(gl_date_format(ymd, d)) : json_null();
}

static void j_start(void *ctx, const gl_recon_report *r, const recon_totals *t)
{
    json_ctx *c = ctx;
    json_t *d = c->doc;
    json_object_set_new(d, "account", text(r->account));
    json_object_set_new(d, "iban", text(r->iban));
    json_object_set_new(d, "label", text(r->label));
    json_object_set_new(d, "at", date(r->at));
    json_object_set_new(d, "start", date(r->head.start));
    json_object_set_new(d, "last_statement", date(r->head.last_statement));
    json_object_set_new(d, "bank_opening_cents",
                        (r->head.flags & 0x01) ? json_integer(r->head.bank_opening_cents)
                                               : json_null());
    json_object_set_new(d, "truncated", json_boolean(r->truncated));
    json_object_set_new(d, "reconciled", json_boolean(!t->residual_cents && !r->truncated));
    recon_note notes[RECON_NOTES_MAX];
    size_t n = recon_notes(r, t, notes);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(notes[i].text));
    json_object_set_new(d, "notes", a);
    json_t *books = json_object(), *bank = json_object();
    json_object_set_new(books, "credits", c->lists[RECON_CREDITS] = json_array());
    json_object_set_new(books, "debits", c->lists[RECON_DEBITS] = json_array());
    json_object_set_new(books, "total_cents", json_integer(t->books_cents));
    json_object_set_new(bank, "lines", c->lists[RECON_BANK_ONLY] = json_array());
    json_object_set_new(d, "books_not_on_statement", books);
    json_object_set_new(d, "statement_not_in_books", bank);
}

static void j_sum(void *ctx, recon_sum which, int64_t cents)
{
    static const char *const keys[RECON_SUM_COUNT_] = {"statement_balance_cents",
                                                       NULL,
                                                       NULL,
                                                       NULL,
                                                       "reconciled_balance_cents",
                                                       "books_balance_cents",
                                                       "difference_cents"};
    json_ctx *c = ctx;
    if (keys[which])
        json_object_set_new(c->doc, keys[which], json_integer(cents));
}

static void j_section(void *ctx, recon_section s) { (void)ctx, (void)s; }

static void j_row(void *ctx, recon_section s, const recon_row *row)
{
    json_ctx *c = ctx;
    json_t *o = json_object();
    if (row->book) {
        char ref[48];
        snprintf(ref, sizeof ref, "%u/%u:%u", row->book->ref.fy, row->book->ref.num,
                 row->book->ref.line);
        json_object_set_new(o, "line", json_string(ref));
        json_object_set_new(o, "journal", text(row->book->journal));
        json_object_set_new(o, "piece", text(row->ref));
    } else {
        json_object_set_new(o, "seq", json_integer(row->bank->seq));
        json_object_set_new(o, "value_date", date(row->bank->line.value));
        json_object_set_new(o, "reference", text(row->ref));
        json_object_set_new(o, "counterparty", text(row->bank->line.counterparty));
    }
    json_object_set_new(o, "date", date(row->date));
    json_object_set_new(o, "label", text(row->label));
    json_object_set_new(o, "amount_cents", json_integer(row->amount_cents));
    json_array_append_new(c->lists[s], o);
}

static void j_total(void *ctx, recon_section s, int64_t cents)
{
    json_ctx *c = ctx;
    json_t *parent = json_object_get(c->doc, s == RECON_BANK_ONLY ? "statement_not_in_books"
                                                                  : "books_not_on_statement");
    static const char *const keys[] = {"credits_total_cents", "debits_total_cents", "total_cents"};
    json_object_set_new(parent, keys[s], json_integer(cents));
}

bool recon_render_json(const gl_recon_report *r, FILE *f)
{
    json_ctx c = {json_object(), {NULL, NULL, NULL}, r};
    if (!c.doc)
        return false;
    recon_walker w = {&c, j_start, j_sum, j_section, j_row, j_total};
    bool ok = recon_walk(r, &w) && json_dumpf(c.doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
    json_decref(c.doc);
    if (ok)
        fputc('\n', f);
    return ok;
}
