/*
 * client/bank/parse.c — reading a bank's statement file: which format it
 * is (gl_bank_detect), the parser for it, and the check every statement
 * passes whatever its format: opening balance + the lines = closing
 * balance, to the cent, where the file states both.  Called by
 * `bank import` (the lines then go to the daemon) and `bank parse`
 * (offline).  On any refusal nothing is returned: the caller imports all
 * of a file or none of it.
 */
#include "bank_internal.h"

#include <stdlib.h>
#include <string.h>

void gl_bank_statements_free(gl_bank_statements *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i].lines);
    free(s->items);
    s->items = NULL;
    s->n = 0;
}

const char *gl_bank_format_name(gl_bank_format f)
{
    switch (f) {
    case GL_BANK_FORMAT_CAMT053: return "camt053";
    case GL_BANK_FORMAT_CFONB120: return "cfonb120";
    case GL_BANK_FORMAT_OFX: return "ofx";
    case GL_BANK_FORMAT_CSV: return "csv";
    default: return "auto";
    }
}

int gl_bank_format_parse(const char *name)
{
    static const struct {
        const char *name;
        gl_bank_format f;
    } names[] = {{"auto", GL_BANK_FORMAT_AUTO},      {"camt053", GL_BANK_FORMAT_CAMT053},
                 {"camt", GL_BANK_FORMAT_CAMT053},   {"cfonb120", GL_BANK_FORMAT_CFONB120},
                 {"cfonb", GL_BANK_FORMAT_CFONB120}, {"ofx", GL_BANK_FORMAT_OFX},
                 {"csv", GL_BANK_FORMAT_CSV}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i].name))
            return (int)names[i].f;
    return -1;
}

/* needle occurs in b[0..n). */
static bool contains(const uint8_t *b, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (!memcmp(b + i, needle, k))
            return true;
    return false;
}

/* A first record that looks like CFONB 120's 01: "01", a 5-digit bank
 * code, and a first line of about 120 characters (its exact length is
 * the parser's to check, so that a line of 119 is refused as such). */
static bool looks_cfonb(const uint8_t *b, size_t n)
{
    if (n < 7 || b[0] != '0' || b[1] != '1')
        return false;
    for (int i = 2; i < 7; i++)
        if (b[i] != ' ' && (b[i] < '0' || b[i] > '9'))
            return false;
    size_t eol = 0;
    while (eol < n && b[eol] != '\n' && b[eol] != '\r')
        eol++;
    return eol == n ? n % 120 == 0 || (n >= 100 && n <= 140) : eol >= 100 && eol <= 140;
}

gl_bank_format gl_bank_detect(const uint8_t *bytes, size_t len)
{
    size_t head = len < 4096 ? len : 4096;
    if (contains(bytes, head, "urn:iso:std:iso:20022:tech:xsd:camt.053.") ||
        (contains(bytes, head, "BkToCstmrStmt") && contains(bytes, head, "<?xml")))
        return GL_BANK_FORMAT_CAMT053;
    if (contains(bytes, head, "OFXHEADER") || contains(bytes, head, "<OFX>"))
        return GL_BANK_FORMAT_OFX;
    size_t skip = head >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3) ? 3 : 0;
    if (looks_cfonb(bytes + skip, len - skip))
        return GL_BANK_FORMAT_CFONB120;
    return GL_BANK_FORMAT_AUTO;
}

/* The first line of st in the file, for a refusal about the whole statement. */
static uint32_t statement_line(const gl_bank_statement *st, uint32_t fallback)
{
    return st->n_lines ? st->lines[0].source_line : fallback;
}

/* opening + sum(lines) == closing where both are stated.  stmt_lines[i]
 * is the line where statement i starts (the refusal names it). */
static int check_balances(const gl_bank_statements *s, gl_bank_format f, gl_bank_error *err)
{
    for (size_t i = 0; i < s->n; i++) {
        const gl_bank_statement *st = &s->items[i];
        int64_t sum = st->opening_cents;
        for (size_t k = 0; k < st->n_lines; k++)
            if (bank_add_cents(&sum, st->lines[k].amount_cents))
                return bank_fail(err, f, st->lines[k].source_line,
                                 N_("the statement's total is too large"));
        if (st->has_opening && st->has_closing && sum != st->closing_cents)
            return bank_fail(
                err, f, statement_line(st, 1),
                N_("the opening balance plus the lines does not equal the closing balance"));
    }
    return 0;
}

int gl_bank_parse_noted(const uint8_t *bytes, size_t len, gl_bank_format format,
                        const gl_bank_csv_mapping *mapping, gl_bank_statements *out,
                        gl_bank_error *err, gl_bank_notes *notes)
{
    gl_bank_notes scratch;
    if (!notes)
        notes = &scratch;
    memset(notes, 0, sizeof *notes);
    memset(out, 0, sizeof *out);
    if (err)
        memset(err, 0, sizeof *err);
    if (format == GL_BANK_FORMAT_AUTO)
        format = gl_bank_detect(bytes, len);
    if (len > GL_BANK_INPUT_MAX)
        return bank_fail(err, format, 0, N_("the file is too large (64 MiB at most)"));
    int rc;
    switch (format) {
    case GL_BANK_FORMAT_CAMT053: rc = bank_parse_camt(bytes, len, out, err, notes); break;
    case GL_BANK_FORMAT_CFONB120: rc = bank_parse_cfonb(bytes, len, out, err, notes); break;
    case GL_BANK_FORMAT_OFX: rc = bank_parse_ofx(bytes, len, out, err, notes); break;
    case GL_BANK_FORMAT_CSV:
        if (!mapping)
            return bank_fail(err, format, 0, N_("a CSV file needs a mapping (bank csv-mapping)"));
        rc = bank_parse_csv(bytes, len, mapping, out, err, notes);
        break;
    default:
        return bank_fail(
            err, GL_BANK_FORMAT_AUTO, 0,
            N_("unknown statement format: neither CAMT.053, CFONB 120 nor OFX (CSV needs a mapping)"));
    }
    if (rc == 0 && out->n == 0)
        rc = bank_fail(err, format, 0, N_("the file holds no statement"));
    if (rc == 0)
        rc = check_balances(out, format, err);
    if (rc) {
        gl_bank_statements_free(out);
        memset(notes, 0, sizeof *notes);
    }
    return rc;
}

int gl_bank_parse(const uint8_t *bytes, size_t len, gl_bank_format format,
                  const gl_bank_csv_mapping *mapping, gl_bank_statements *out, gl_bank_error *err)
{
    return gl_bank_parse_noted(bytes, len, format, mapping, out, err, NULL);
}
