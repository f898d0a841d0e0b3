/*
 * client/cli/cmd_bank_parse.c — `grandlivre bank parse FILE`: read a bank
 * statement file as `bank import` would (client/bank/), offline, and print
 * what it holds: each statement (account, period, balances) and its lines,
 * or the line and reason of the refusal.  For a user checking a file
 * before importing it, and for tests.  --json prints one document
 * (amounts in cents, dates YYYY-MM-DD).
 */
#include "bank_offline.h"
#include "cli.h"
#include "i18n.h"

#include "proto/money.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("usage: grandlivre bank parse FILE [--format F] [--mapping NAME [--tenant T]] [--json]\n"
       "\n"
       "Read a bank statement file offline (no daemon) and print its statements and\n"
       "lines, or the line of the file that is refused and why.  The format is\n"
       "detected from the content: CAMT.053 (001.02 to 001.08), CFONB 120, OFX 1.x or\n"
       "2.x; a CSV export needs a mapping saved by bank csv-mapping.\n"
       "\n"
       "  --format F      camt053, cfonb120, ofx or csv (default: detected)\n"
       "  --mapping NAME  the tenant's CSV mapping NAME (or a mapping file's path)\n"
       "  --tenant T      the tenant whose mapping is used (env GRANDLIVRE_TENANT)\n"
       "  --json          one JSON document on standard output\n");

/* "2025-12-31", or "" for 0. */
static const char *iso(uint32_t ymd, char out[11])
{
    if (!ymd)
        out[0] = '\0';
    else
        snprintf(out, 11, "%04u-%02u-%02u", ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100);
    return out;
}

static json_t *line_json(const gl_bank_line *l)
{
    char d[11], v[11];
    return json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "source_line",
                     (json_int_t)l->source_line, "booking_date", iso(l->booking_date, d),
                     "value_date", iso(l->value_date, v), "amount_cents",
                     (json_int_t)l->amount_cents, "label", l->label, "bank_ref", l->bank_ref,
                     "end_to_end_id", l->end_to_end_id, "counterparty", l->counterparty,
                     "counterparty_iban", l->counterparty_iban);
}

static int print_json(gl_bank_format f, const gl_bank_statements *s, const gl_bank_notes *notes)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < s->n; i++) {
        const gl_bank_statement *st = &s->items[i];
        char a[11], b[11];
        json_t *lines = json_array();
        for (size_t k = 0; lines && k < st->n_lines; k++)
            json_array_append_new(lines, line_json(&st->lines[k]));
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "account_id", st->account_id,
                           "currency", st->currency, "statement_id", st->statement_id, "from",
                           iso(st->from_date, a), "to", iso(st->to_date, b), "opening_cents",
                           st->has_opening ? json_integer(st->opening_cents) : json_null(),
                           "closing_cents",
                           st->has_closing ? json_integer(st->closing_cents) : json_null(), "lines",
                           lines ? lines : json_null()));
    }
    json_t *doc =
        json_pack("{s:s,s:o,s:{s:I,s:I,s:I}}", "format", gl_bank_format_name(f), "statements",
                  arr ? arr : json_null(), "notes", "pending_entries",
                  (json_int_t)notes->pending_entries, "pending_cents",
                  (json_int_t)notes->pending_cents, "zero_lines", (json_int_t)notes->zero_lines);
    char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!text)
        return cli_nomem("bank parse --json");
    puts(text);
    free(text);
    return 0;
}

static void print_statement(const gl_bank_statement *st)
{
    char a[11], b[11], money[GL_MONEY_TEXT_MAX];
    printf(_("account %s  %s  from %s to %s"), st->account_id, st->currency,
           i18n_date(st->from_date, a), i18n_date(st->to_date, b));
    if (st->statement_id[0])
        printf(_("  statement %s"), st->statement_id);
    putchar('\n');
    if (st->has_opening)
        printf(_("  opening balance %s\n"),
               gl_money_format(st->opening_cents, GL_MONEY_FRENCH, money));
    for (size_t k = 0; k < st->n_lines; k++) {
        const gl_bank_line *l = &st->lines[k];
        printf("  %5u  %s  %14s  %s", l->source_line, i18n_date(l->booking_date, a),
               gl_money_format(l->amount_cents, GL_MONEY_FRENCH, money), l->label);
        if (l->bank_ref[0])
            printf(_("  ref %s"), l->bank_ref);
        if (l->end_to_end_id[0])
            printf(_("  id %s"), l->end_to_end_id);
        if (l->counterparty[0])
            printf(_("  party %s"), l->counterparty);
        putchar('\n');
    }
    if (st->has_closing)
        printf(_("  closing balance %s\n"),
               gl_money_format(st->closing_cents, GL_MONEY_FRENCH, money));
    printf(_("  %zu lines\n"), st->n_lines);
}

static void print_text(gl_bank_format f, const gl_bank_statements *s, const gl_bank_notes *notes)
{
    char money[GL_MONEY_TEXT_MAX];
    printf(_("format %s, %zu statements\n"), gl_bank_format_name(f), s->n);
    for (size_t i = 0; i < s->n; i++)
        print_statement(&s->items[i]);
    if (notes->pending_entries)
        printf(_("%zu entries not booked (pending or information), %s, left aside\n"),
               notes->pending_entries,
               gl_money_format(notes->pending_cents, GL_MONEY_FRENCH, money));
    if (notes->zero_lines)
        printf(_("%zu movements of 0.00 left aside\n"), notes->zero_lines);
}

enum { OPT_FORMAT = 3100, OPT_MAPPING, OPT_TENANT, OPT_JSON, OPT_HELP, OPT_LANG };

int cmd_bank_parse(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, OPT_FORMAT},
                                         {"mapping", required_argument, NULL, OPT_MAPPING},
                                         {"tenant", required_argument, NULL, OPT_TENANT},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, OPT_HELP},
                                         {"lang", required_argument, NULL, OPT_LANG},
                                         {0}};
    const char *tenant = getenv("GRANDLIVRE_TENANT"), *mapping = NULL;
    int format = GL_BANK_FORMAT_AUTO, opt;
    bool json = false;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_FORMAT:
            if ((format = gl_bank_format_parse(optarg)) < 0) {
                cli_error("unknown --format %s: camt053, cfonb120, ofx or csv", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_MAPPING: mapping = optarg; break;
        case OPT_TENANT: tenant = optarg; break;
        case OPT_JSON: json = true; break;
        case OPT_LANG: i18n_set_lang(optarg); break;
        case OPT_HELP: fputs(_(help), stdout); return 0;
        default: fputs(_(help), stderr); return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    gl_bank_csv_mapping m;
    int rc;
    if (mapping && (rc = bank_mapping_load(tenant, mapping, &m)))
        return rc;
    if (mapping && format == GL_BANK_FORMAT_AUTO)
        format = GL_BANK_FORMAT_CSV;
    const char *path = argv[optind];
    size_t len;
    char *bytes = cli_read_file(path, &len);
    if (!bytes)
        return EXIT_USAGE;
    gl_bank_statements s;
    gl_bank_error err;
    gl_bank_notes notes;
    gl_bank_format f = format ? (gl_bank_format)format : gl_bank_detect((uint8_t *)bytes, len);
    rc = gl_bank_parse_noted((const uint8_t *)bytes, len, f, mapping ? &m : NULL, &s, &err, &notes);
    free(bytes);
    if (rc) {
        if (err.line)
            cli_error("%s:%u: %s (%s)", path, err.line, _(err.reason),
                      gl_bank_format_name(err.format));
        else
            cli_error("%s: %s (%s)", path, _(err.reason), gl_bank_format_name(err.format));
        return EXIT_USAGE;
    }
    rc = 0;
    if (json)
        rc = print_json(f, &s, &notes);
    else
        print_text(f, &s, &notes);
    gl_bank_statements_free(&s);
    return rc;
}
