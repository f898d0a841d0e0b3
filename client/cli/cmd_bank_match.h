/*
 * client/cli/cmd_bank_match.h — the matching side of `grandlivre bank`
 * (issue 18; PROTOCOL.md §5.40-§5.45): `bank match` (proposals, --yes,
 * the rules' entries; or one manual match), `bank unmatch`, `bank
 * matches`, `bank rules`.  The `bank` dispatcher (cmd_bank.c) calls each
 * with argv[0] the subcommand's name.  The bm_ functions are what these
 * files share (cmd_bank_match_util.c).
 */
#ifndef GL_CMD_BANK_MATCH_H
#define GL_CMD_BANK_MATCH_H

#include "cli.h"

#include "client/bank/match.h"
#include "client/bank/match_inputs.h"
#include "proto/bank_match.h"
#include "proto/bank_rule.h"
#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int cmd_bank_match(int argc, char **argv);   /* cmd_bank_match.c */
int cmd_bank_unmatch(int argc, char **argv); /* cmd_bank_matches.c */
int cmd_bank_matches(int argc, char **argv); /* cmd_bank_matches.c */
int cmd_bank_rules(int argc, char **argv);   /* cmd_bank_rules.c */

/* The options of these subcommands (each takes those its help names). */
enum {
    BM_ACCOUNT = 4300,
    BM_AT,
    BM_WINDOW,
    BM_MAX_LINES,
    BM_YES,
    BM_NO_RULES,
    BM_BANK,
    BM_LINES,
    BM_MATCH,
    BM_NAME,
    BM_PATTERN,
    BM_COUNTERPART,
    BM_MIN,
    BM_MAX,
    BM_JOURNAL,
    BM_LABEL,
    BM_JSON,
    BM_COUNT_
};
typedef struct bm_opts {
    const char *v[BM_COUNT_ - BM_ACCOUNT];
    bool yes, no_rules, json;
} bm_opts;
#define BM_OPT(o, which) ((o)->v[(which)-BM_ACCOUNT])

/* A subcommand's parsed command line. */
typedef struct bm_cmd {
    cli c;
    bm_opts o;
    char account[GL_ACCOUNT_MAX + 1];
} bm_cmd;
/* cli_parse with the options of `extra` stored in m->o; then --account
 * (upper case, spaces left out) into m->account; more than args_max
 * arguments left print the help.  0, -1 after --help, or an exit code. */
struct option;
int bm_parse(bm_cmd *m, int *argc, char ***argv, const struct option *extra, const char *help,
             int args_max);
/* The tenant (cli_need_tenant) and the connection: 0 or an exit code. */
int bm_connect(cli *c);

/* Send body (freed here) as kind for c's tenant; a write is sent with a
 * fresh request id (fresh: a match undone can be made again, a rule
 * deleted set again; a line cannot be matched twice: the daemon refuses).
 * 0 or the exit code, the refusal already reported. */
int bm_call(cli *c, uint16_t kind, gl_buf *body, gl_response *resp);
/* The daemon's reply could not be read: reported, EXIT_REFUSED. */
int bm_bad_reply(const char *what);

/* One match to record: the bank seqs and the ledger lines. */
typedef struct bm_set {
    uint8_t nbank, nbook;
    uint32_t seq[GL_BANK_MATCH_SIDE_MAX];
    gl_line_ref ref[GL_BANK_MATCH_SIDE_MAX];
} bm_set;
/* BANK_MATCH of n sets, GL_BANK_MATCH_BATCH_MAX a request; the ids each
 * request got printed ("3 matches recorded: 1 to 3").  0 or an exit code
 * (the requests before a refusal stay recorded, each whole). */
int bm_record(cli *c, const char *account, const bm_set *sets, size_t n);

/* "2026/3:1", the form `ledger` prints and `--lines` reads. */
void bm_ref_text(gl_line_ref r, char *out, size_t cap);
/* "2026/3/1" or "2026/3:1"; 0 or -1. */
int bm_ref_parse(const char *s, gl_line_ref *r);

/* The state of the reconciliation at a date (BANK_RECON with its lists):
 * the rows point into resp. */
typedef struct bm_recon {
    gl_response resp;
    gl_bank_recon_head head;
    gl_recon_bank *bank;
    gl_recon_book *book;
    size_t nbank, nbook;
    bool more;
} bm_recon;
int bm_recon_fetch(cli *c, const char *account, uint32_t at, bm_recon *r);
void bm_recon_free(bm_recon *r);

/* The bank account's rules (BANK_RULES), pointing into resp. */
typedef struct bm_rules {
    gl_response resp;
    gl_bank_rule *v;
    size_t n;
} bm_rules;
int bm_rules_fetch(cli *c, const char *account, bm_rules *r);
void bm_rules_free(bm_rules *r);

/* The rules' entries of a `bank match` run: posted (unless an earlier run
 * posted one already: `found` its ledger line), then matched. */
typedef struct bm_rule_post {
    const gl_rule_entry *e;
    uint32_t seq;   /* its bank line */
    gl_line_ref at; /* the ledger line of an entry already posted; num 0: to post */
} bm_rule_post;
/* cmd_bank_match_post.c: post those to post (one POST), then match each
 * with its bank line (bm_record).  0 or an exit code. */
int bm_post_and_match(cli *c, const char *account, bm_rule_post *p, size_t n);

/* One `bank match` run: what the daemon holds, what the engine proposes
 * (the rules' entries after the proposals, numbered on from them), what
 * the user confirms. */
typedef struct bm_run {
    const char *account;
    uint32_t at;
    bm_recon recon;
    gl_match_inputs in; /* the free lines of recon and the earlier ledger lines */
    bm_rules rules;
    gl_match_prop *props;
    size_t nprops;
    gl_rule_entry *entries;
    size_t nentries;
    bm_rule_post *posts; /* nentries */
    bool *chosen;        /* nprops + nentries */
} bm_run;
/* cmd_bank_match_show.c: the proposals as a table (a title above in the
 * formats for people); 0 or an exit code. */
int bm_show(const cli *c, const bm_run *r);
/* The n-th proposal's kind, translated. */
const char *bm_why_text(gl_match_why why);

/* `bank match --bank SEQ,... --lines FY/NUM/LINE,...` (cmd_bank_matches.c). */
int bm_manual(cli *c, const char *account, const char *bank, const char *lines);

#endif
