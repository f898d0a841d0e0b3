/*
 * client/cli/cli.h — what the subcommands of `grandlivre` share: the
 * common options (endpoint, key, timeout, tenant, format), connecting,
 * calling with error reporting, and exit codes.
 *
 * Exit codes: 0 success; 1 the daemon refused the request (its error code is
 * printed); 2 usage or input-file error; 3 no answer (timeout) or cannot
 * connect; 4 key file problem; 5 statements written but a check failed;
 * 6 out of memory.
 */
#ifndef GL_CLI_H
#define GL_CLI_H

#include "client/lib/grandlivre.h"
#include "client/output/output.h"
#include "profile.h"

#include <stdbool.h>
#include <stdint.h>

enum {
    EXIT_REFUSED = 1,
    EXIT_USAGE = 2,
    EXIT_UNREACHABLE = 3,
    EXIT_KEYFILE = 4,
    EXIT_CHECK = 5 /* statements: written, but a check failed */,
    EXIT_NOMEM = 6 /* out of memory (status 905 nomem) */
};

/* Where a setting in effect came from (`grandlivre config show`). */
enum cli_source {
    SRC_NONE,
    SRC_FILE,
    SRC_ENV,
    SRC_FLAG,
    SRC_KEY /* the daemon: a member key's tenant */
};

typedef struct cli {
    const char *endpoint;
    const char *key_path;
    const char *server_key;                   /* --server-key / GRANDLIVRE_SERVER_KEY: 64 hex */
    const char *server_key_from;              /* where server_key came from, for messages */
    char server_key_from_text[PATH_MAX + 80]; /* server_key_from when a profile gave it */
    const char *tenant;
    int timeout_ms;
    enum out_format format;
    uint64_t request_id; /* --request-id, 0 = derived from content */
    bool new_id;         /* --new: a random request id */
    /* cli_call prints no line for a request_id_reused refusal (the caller retries) */
    bool quiet_reused;
    gl_key key;
    gl_client *client;
    const char *profile_name; /* --profile */
    bool format_given;        /* --format was given */
    const char *lang;         /* --lang, GRANDLIVRE_LANG or the profile's lang (i18n.h) */
    enum cli_source source[PF_COUNT];
    profile prof; /* the configuration file's profile in effect */
    char key_tenant[GL_TENANT_MAX + 1];
} cli;

/* cli_parse_args, then cli_connect: 0, the exit code, or < 0 after --help. */
int cli_parse_connect(cli *c, int *argc, char ***argv, int args_max, const char *help);
/* Parse the common options out of argv (getopt_long), leaving the rest
 * (subcommand arguments) in argc and argv.  `extra` are the subcommand's own
 * long options (terminated by a zero entry) and handle_extra receives them.
 * Returns 0, or an exit code after printing a message. */
struct option;
typedef int (*extra_handler)(int opt, const char *arg, void *user);
int cli_parse(cli *c, int *argc, char ***argv, const struct option *extra,
              extra_handler handle_extra, void *user, const char *help);
/* getopt_long is given no short options (cli_parse), so the conventional
 * "-o PATH" of the commands that write a file is rewritten "--output PATH"
 * in argv before parsing (up to a "--"). */
void cli_short_output_option(int argc, char **argv);
/* cli_parse for a subcommand with no option of its own and at most
 * args_max arguments: more print the help on stderr and give EXIT_USAGE.
 * Returns 0, -1 after --help (exit 0), or an exit code. */
int cli_parse_args(cli *c, int *argc, char ***argv, int args_max, const char *help);
/* The head of a command that takes no argument and asks the daemon one
 * thing (a request of that kind, no tenant, empty body): cli_parse_args,
 * cli_connect, cli_call.  Returns 0 with c connected and resp filled (the
 * caller frees both), or -1 after --help, or an exit code (the refusal
 * already reported, nothing left to free). */
int cli_ask(cli *c, int argc, char **argv, const char *help, uint16_t kind, gl_response *resp);

/* Load the key (asking for its passphrase if it has one: cli_passphrase)
 * and connect over CURVE to the daemon whose key is c->server_key.
 * Returns 0 or an exit code. */
int cli_connect(cli *c);
/* A transport failure that needs no status code to be understood (no
 * daemon at the endpoint; a daemon with another key than the pinned one):
 * prints its one line and returns EXIT_UNREACHABLE; 0 for any other st. */
int cli_transport_error(const cli *c, int st);
/* gl_passphrase_fn: GRANDLIVRE_PASSPHRASE if set, else asked on the
 * terminal with echo off; -1 if neither is available. */
int cli_passphrase(void *user, const char *path, char *buf, size_t buf_len);
/* Ask on the terminal (echo off) with prompt.  Length, or -1. */
int cli_ask_tty(const char *prompt, char *buf, size_t buf_len);
void cli_close(cli *c);
/* Require a tenant: --tenant, GRANDLIVRE_TENANT, the profile's tenant, or
 * else the one a member key belongs to (one PING; the connection is then
 * open and cli_connect does nothing more).  Returns 0 or an exit code. */
int cli_need_tenant(cli *c);
/* Fill what flags and the environment left unset from the configuration
 * file's profile (cli_profile.c; called by cli_parse).  0 or an exit code. */
int cli_profile_apply(cli *c);
/* If no tenant was given, ask the daemon which tenant the key belongs to
 * (cli_profile.c).  required: an accountant's or auditor's key, or no way
 * to ask, is then an error.  Returns 0 or an exit code. */
int cli_key_tenant(cli *c, bool required);

/* Call and report: on a daemon refusal prints "grandlivre: refused: CODE
 * name: message (detail)" and returns EXIT_REFUSED; on a transport failure
 * returns EXIT_UNREACHABLE; 0 with resp filled on success (a warning the
 * daemon sent with it is printed on stderr, "grandlivre: warning: ..."). */
int cli_call(cli *c, uint16_t kind, const char *tenant, const void *body, size_t body_len,
             gl_response *resp);
/* cli_call's report of a call's outcome: st the library's status for the
 * request id (gl_recv's, when the request was sent by gl_send_signed). */
int cli_reply(cli *c, int st, uint64_t id, const char *tenant, gl_response *resp);

/* --format on commands that print a result (cli_format.c).  Whether the
 * format is a table (the command's own text), table or table-fr. */
bool cli_format_table(const cli *c);
/* A command with no output in the format asked for: "error 975
 * format_unsupported: --format json is not available for COMMAND" and
 * EXIT_USAGE; 0 when the format is a table. */
int cli_format_refuse(const cli *c, const char *command);
/* The eight cells of an entry's line that journal, ledger-like and
 * dry-run rows share: date, journal, piece, account, aux, label (the
 * line's, else the entry's), debit, credit. */
struct gl_entry;
struct gl_line;
void cli_line_cells(out_table *t, const struct gl_entry *e, const struct gl_line *l);
/* The empty table of `grandlivre balance` (cmd_balance.c), by account or
 * by third party (aux), which the web's CSV download writes alike; NULL
 * when out of memory. */
out_table *cli_balance_table(bool aux);
/* The first row of `grandlivre ledger` (cmd_journal.c), its opening
 * balance at from, which the web's CSV download writes alike. */
void cli_ledger_opening_row(out_table *t, uint32_t from, int64_t opening);
/* Move a LEDGER request's cursor past the page r answered (cmd_journal.c). */
struct gl_reply_ledger;
struct gl_ledger_q;
void cli_ledger_cursor(const struct gl_reply_ledger *r, struct gl_ledger_q *q, bool *more);
/* Send one LEDGER request q for the connection's tenant; 0 or an exit code. */
int cli_ledger_call(cli *c, const struct gl_ledger_q *q, gl_response *resp);
/* `--format html` / `--format=html` (no table format of the client:
 * cli_parse refuses it) taken out of argv's argc arguments: *html says
 * whether it was there; the arguments left are returned. */
int cli_take_html(int argc, char **argv, bool *html);
/* cli_parse for a command that also writes HTML and files: "-o FILE"
 * as --output (cli_short_output_option), `--format html` taken out of
 * argv into *html (no table format), then cli_parse. */
int cli_parse_html(cli *c, int *argc, char ***argv, const struct option *extra,
                   extra_handler handle_extra, void *user, const char *help, bool *html);
/* Render t (CSV or JSON: one document) on stdout and free it; t NULL is
 * out of memory.  Returns 0 or an exit code. */
int cli_format_render(const cli *c, out_table *t);

/* Print an error line on stderr: "grandlivre: ..." */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a warning line on stderr: "grandlivre: warning: ..." */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Report running out of memory: "grandlivre: error 905 nomem: out of
 * memory — what" (what may be NULL).  Returns EXIT_NOMEM, for
 * `return cli_nomem("...")`. */
int cli_nomem(const char *what);

/* Parse an ISO date option or exit-code on failure. */
int cli_date(const char *arg, const char *what, uint32_t *ymd);
uint32_t cli_today(void);

/* Read a whole file ("-" = standard input). NULL with a message on error. */
char *cli_read_file(const char *path, size_t *len);
/* Split the CSV line at *p (ended by '\n' or NUL) into at most max cells,
 * in place: fields optionally in double quotes ("" for a quote), CR
 * dropped; *p moves past the line.  The number of cells, or -1 for an
 * unclosed quote (third_parties_csv.c). */
int cli_csv_split(char **p, char sep, char **cells, int max);

/* Subcommands. */
int cmd_keygen(int argc, char **argv);
int cmd_ping(int argc, char **argv);
int cmd_web(int argc, char **argv);         /* client/web/cmd_web.c */
int cmd_receivables(int argc, char **argv); /* client/cli/cmd_receivables.c */
int cmd_reminders(int argc, char **argv);   /* client/cli/cmd_reminders.c */
int cmd_impairment(int argc, char **argv);  /* client/cli/cmd_impairment.c */
int cmd_whoami(int argc, char **argv);
/* "clock: daemon +N ms from this machine (round trip M ms)": daemon_ms
 * against the middle of [sent_ms, received_ms] (wall clocks, ms). */
void cli_print_clock(int64_t daemon_ms, int64_t sent_ms, int64_t received_ms);
int cmd_accounts(int argc, char **argv);
int cmd_post(int argc, char **argv);
int cmd_balance(int argc, char **argv);
int cmd_journal(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_fec(int argc, char **argv);
int cmd_lock(int argc, char **argv);
int cmd_close_year(int argc, char **argv);
int cmd_periods(int argc, char **argv);
int cmd_entry(int argc, char **argv);
int cmd_reverse(int argc, char **argv);
int cmd_letter(int argc, char **argv);
int cmd_unletter(int argc, char **argv);
int cmd_letter_auto(int argc, char **argv);
int cmd_appropriate(int argc, char **argv);
int cmd_recharge(int argc, char **argv);
int cmd_dues(int argc, char **argv);
int cmd_group(int argc, char **argv);
int cmd_statements(int argc, char **argv); /* annual accounts (cmd_statements.c) */
int cmd_annexe(int argc, char **argv);     /* the annexe of the accounts (cmd_annexe.c) */
int cmd_export(int argc, char **argv);     /* export hledger (cmd_export.c) */
int cmd_fec_export(int argc, char **argv); /* fec export (cmd_export.c), argv[0] "export" */
int cmd_analytic_export(
    int argc, char **argv); /* analytic export (cmd_analytic_export.c), argv[0] "export" */
int cmd_stats(int argc, char **argv);
/* Time sheets and staff costs (issue 19): cmd_timesheets.c, cmd_staff_costs.c. */
int cmd_timesheets(int argc, char **argv);
int cmd_staff_costs(int argc, char **argv);
/* The funders' reports (issue 19): cmd_fse_report.c, cmd_grant_report.c;
 * `budget compare` (cmd_budget_compare.c) through cmd_budget. */
int cmd_fse_report(int argc, char **argv);
int cmd_grant_report(int argc, char **argv);
int cmd_budget_compare(int argc, char **argv);
int cmd_backup(int argc, char **argv);
/* `third-parties forget CODE` (cmd_forget.c), dispatched by `third-parties` */
int cmd_third_parties_forget(int argc, char **argv);
int cmd_archive(int argc, char **argv); /* archive for offline verification (cmd_verify.c) */
int cmd_verify(int argc, char **argv);  /* offline verification of an archive (cmd_verify.c) */
int cmd_config(int argc, char **argv);  /* config init / show (cmd_config.c) */
/* fonds dédiés per dedicated grant (cmd_dedicated_funds.c, issue 19) */
int cmd_dedicated_funds(int argc, char **argv);

/* Post a set of entries in batches (shared by post and fec import).
 * Prints a summary on stderr. Returns 0 or an exit code. */
struct gl_entry_set;
int post_entry_set(cli *c, const struct gl_entry_set *set, const char *what);
/* The same, keeping the number given to each entry (fy_out[i]/num_out[i],
 * arrays of set->count; left 0 for entries not posted). */
int post_entry_set_numbers(cli *c, const struct gl_entry_set *set, const char *what,
                           uint16_t *fy_out, uint32_t *num_out);
/* A long input posted chunk by chunk, each at most one batch (fec import:
 * the file is never held whole).  Cut chunks where post_batch_full says:
 * the batches, and so their request ids, are then those of one set. */
struct gl_progress;
typedef struct post_stream {
    uint64_t batches;        /* the next batch's number */
    size_t base;             /* input position of the next chunk's first entry */
    size_t posted, replayed; /* so far */
    struct gl_progress *bar; /* NULL, or drawn up to the entries posted */
} post_stream;
/* A batch holding count entries of entry_bytes (canonical) is full for
 * one more of next_len bytes. */
bool post_batch_full(size_t count, size_t entry_bytes, size_t next_len);
/* Post chunk (fy_out/num_out: its own numbers, from its first entry). */
int post_entry_chunk(cli *c, const struct gl_entry_set *chunk, const char *what, uint16_t *fy_out,
                     uint32_t *num_out, post_stream *ps);
/* The summary line post_entry_set_numbers prints, for the whole stream. */
void post_stream_end(const post_stream *ps, const char *what, int rc);
/* The same chunks with the next one prepared while one is in flight (fec
 * import): post_chunk_sign encodes and signs a chunk of one batch as the
 * next of ps (ps->batches and ps->base advance), post_chunk_send sends it,
 * post_chunk_end takes its reply and reports it as post_entry_chunk does
 * (fy_out/num_out: the chunk's own numbers) and frees f.  One request is
 * outstanding at a time: a chunk is sent once the one before is accepted,
 * so that nothing is posted after a refusal.  0 or an exit code. */
typedef struct post_flight {
    gl_buf req; /* the signed request */
    uint64_t id, number;
    size_t base;        /* input position of the chunk's first entry */
    const char *tenant; /* the chunk's */
    bool sent;
} post_flight;
int post_chunk_sign(cli *c, const struct gl_entry_set *chunk, post_stream *ps, post_flight *f);
int post_chunk_send(cli *c, post_flight *f);
int post_chunk_end(cli *c, const struct gl_entry_set *chunk, const char *what, uint16_t *fy_out,
                   uint32_t *num_out, post_stream *ps, post_flight *f);
void post_flight_free(post_flight *f);

/* An entry number "2025/123" at s: digits only (no sign, no space, no
 * overflow), a fiscal year 1900-2999 and a number 1-2^32-1; *rest points
 * after it (the caller says what may follow).  0, or -1 (cmd_entries.c). */
int cli_entry_ref_parse(const char *s, uint16_t *fy, uint32_t *num, const char **rest);

#endif
