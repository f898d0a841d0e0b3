/*
 * tests/fuzz/fuzz_bank.c — libFuzzer target for the bank statement
 * parsers (client/bank/): any bytes must give statements or one located
 * refusal, never a crash, a leak or a read past the end.  The first byte
 * chooses what reads the rest: 0 detection, 1 CAMT.053, 2 CFONB 120,
 * 3 OFX, 4 CSV with a French bank's mapping (';', decimal comma, debit
 * and credit), 5 CSV with a signed-amount mapping (tab, '.', ISO dates),
 * 6 a CSV mapping's INI text.  On success every statement must hold what
 * statement.h promises (text NUL-ended within its size, valid dates,
 * no zero amount, opening + lines = closing where both are stated); on
 * refusal the output must be empty and the reason non-empty.
 * Seeds: tests/fuzz/corpus/fuzz_bank/ (the files of tests/data/bank/,
 * each behind its format byte).
 */
#include "client/bank/statement.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t cap)
{
    if (!memchr(s, '\0', cap + 1))
        abort();
}

static int valid_date(uint32_t ymd)
{
    uint32_t m = ymd / 100 % 100, d = ymd % 100;
    return ymd >= 19000101 && ymd <= 21991231 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static void check_statement(const gl_bank_statement *st)
{
    check_text(st->account_id, GL_BANK_ACCOUNT_ID_MAX);
    check_text(st->statement_id, GL_BANK_REF_MAX);
    check_text(st->currency, 3);
    int64_t sum = st->opening_cents;
    for (size_t i = 0; i < st->n_lines; i++) {
        const gl_bank_line *l = &st->lines[i];
        if (l->amount_cents == 0 || !valid_date(l->booking_date) ||
            (l->value_date && !valid_date(l->value_date)) || l->source_line == 0)
            abort();
        check_text(l->label, GL_BANK_LABEL_MAX);
        check_text(l->bank_ref, GL_BANK_REF_MAX);
        check_text(l->end_to_end_id, GL_BANK_REF_MAX);
        check_text(l->counterparty, GL_BANK_PARTY_MAX);
        check_text(l->counterparty_iban, GL_BANK_ACCOUNT_ID_MAX);
        if (__builtin_add_overflow(sum, l->amount_cents, &sum))
            abort();
    }
    if (st->has_opening && st->has_closing && sum != st->closing_cents)
        abort();
}

static void mapping_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return;
    memcpy(text, data, size);
    text[size] = '\0';
    gl_bank_csv_mapping m;
    unsigned line;
    const char *reason = NULL;
    if (gl_bank_mapping_parse(text, &m, &line, &reason) == 0) {
        char back[1024];
        gl_bank_csv_mapping again;
        if (gl_bank_mapping_format(&m, back, sizeof back) < 0 ||
            gl_bank_mapping_parse(back, &again, &line, &reason) != 0 ||
            memcmp(&m, &again, sizeof m))
            abort(); /* a mapping read back as saved */
    } else if (!reason || !reason[0]) {
        abort();
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned which = data[0] % 7;
    data++, size--;
    if (which == 6) {
        mapping_text(data, size);
        return 0;
    }
    gl_bank_csv_mapping m;
    gl_bank_mapping_defaults(&m);
    if (which == 4) {
        m.skip_lines = 1, m.date_col = 0, m.value_date_col = 1, m.label_col = 2;
        m.debit_col = 3, m.credit_col = 4;
    } else if (which == 5) {
        m.separator = '\t', m.decimal = '.';
        strcpy(m.date_format, "YYYY-MM-DD");
        m.date_col = 0, m.amount_col = 1, m.label_col = 2, m.ref_col = 3;
    }
    static const gl_bank_format formats[] = {GL_BANK_FORMAT_AUTO,     GL_BANK_FORMAT_CAMT053,
                                             GL_BANK_FORMAT_CFONB120, GL_BANK_FORMAT_OFX,
                                             GL_BANK_FORMAT_CSV,      GL_BANK_FORMAT_CSV};
    gl_bank_statements out;
    gl_bank_error err;
    gl_bank_notes notes;
    int rc =
        gl_bank_parse_noted(data, size, formats[which], which >= 4 ? &m : NULL, &out, &err, &notes);
    if (rc == 0) {
        if (out.n == 0)
            abort();
        for (size_t i = 0; i < out.n; i++)
            check_statement(&out.items[i]);
    } else if (rc != -1 || out.n || out.items || !err.reason[0] ||
               !memchr(err.reason, '\0', sizeof err.reason)) {
        abort();
    }
    gl_bank_statements_free(&out);
    (void)gl_bank_detect(data, size);
    return 0;
}
