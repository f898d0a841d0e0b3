/*
 * proto/asset.h — the fixed-asset register on the wire (issue 20;
 * PROTOCOL.md §5.59-§5.61) and the entries the daemon writes from it
 * (depreciation and disposal), which the client proposes and the offline
 * verifier rebuilds byte for byte with the same code (gl_asset_post_plan).
 * The arithmetic is proto/depreciation.h.
 *
 *   asset record: code str8 (1..GL_ASSET_CODE_MAX of [A-Z0-9_.-], first
 *     A-Z or 0-9) | account str8 (class 2, not 28x/29x) | label str8 (not
 *     blank) | acquired u32 (YYYYMMDD) | cost_cents i64 (> 0) | method u8
 *     (1 straight-line, 2 declining) | life_months u16 | start u32
 *     (YYYYMMDD, mise en service, >= acquired) | residual_cents i64 |
 *     grant_account str8 (empty, or a 13x account when grant_cents > 0) |
 *     grant_cents i64 (0..cost) | acq_fy u16 | acq_num u32 (the
 *     acquisition entry; 0 | 0: none named)
 *   ASSET_SET (59) body, and GL_EVENT_ASSET (25) payload: the record.  A
 *     new code registers the asset; a known code with the same terms but
 *     the label relabels it; the same record again writes nothing.
 *   ASSETS (60) body: empty.  Reply: count u16 | state*count in code
 *     order, state = record | through u32 (YYYYMM depreciated through, 0
 *     none) | disposed u32 (YYYYMMDD, 0 held) | proceeds_cents i64.
 *   ASSET_POST (61) body, and GL_EVENT_ASSET_POST (26) payload: op u8
 *     (1 depreciate, 2 dispose) | through u32 (op 1: YYYYMM; op 2: 0) |
 *     code str8 (op 2: the asset; op 1: empty) | date u32 (op 2: the
 *     disposal date; op 1: 0) | proceeds_cents i64 (op 2: >= 0; op 1: 0) |
 *     proceeds_account str8 (op 2 with proceeds: a 512x, 462x or 467x account;
 *     else empty).  Reply: as RECHARGE's (proto/reply_group.h: the
 *     entries written).  The event follows the entries.
 *
 * Entries (journal OD, every POST rule applies; accounts derived from the
 * asset's, padded with zeros to its length, gl_asset_account):
 *   depreciation of [from, to] (one entry per asset and fiscal year, dated
 *     the year's last day within the range, piece DOT-YYYY-MM of that
 *     date): D 6811 charge / C 28 + the account's digits after the first,
 *     and for a grant D 139 + the 13x's digits after the second / C 777
 *     the grant's part (lines of 0 left out; no entry when all are 0);
 *     in a fiscal year kept in the 2025 chart (proto/chart_rules.h) 777,
 *     675 and 775 are 747, 652 and 757;
 *   disposal (piece CES-<code>): first the depreciation from the last
 *     month depreciated to the disposal date, then on that date D 28x
 *     accumulated, D 675 net book value / C 2x cost; for a grant, its
 *     accounts closed: D 13x the whole grant / C 139x the part taken to
 *     income to that date / C 777 the remainder; D proceeds account / C 775
 *     the proceeds.
 * Pure: no allocation but the entry being built; decoded strings point
 * into the bytes.
 */
#ifndef GL_PROTO_ASSET_H
#define GL_PROTO_ASSET_H

#include "depreciation.h"
#include "entry.h"
#include "limits.h"
#include "wire.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_ASSET_CODE_MAX 16
#define GL_ASSETS_MAX 1000 /* assets per tenant: 608 asset_full */
#define GL_ASSET_DEPRECIATE 1
#define GL_ASSET_DISPOSE 2

#define GL_ASSET_JOURNAL "OD"
#define GL_ASSET_DEP_PIECE "DOT-%04u-%02u"                      /* year, month of the entry */
#define GL_ASSET_DISPOSAL_PIECE "CES-%s"                        /* the asset's code */
#define GL_ASSET_DEP_LABEL "Dotation aux amortissements %s"     /* the asset's code */
#define GL_ASSET_DISPOSAL_LABEL "Sortie de l'immobilisation %s" /* the asset's code */
#define GL_ASSET_CHARGE "6811"                                  /* Dotations aux amortissements */
#define GL_ASSET_DEPR "28"         /* Amortissements des immobilisations */
#define GL_ASSET_GRANT_TAKEN "139" /* Subventions d'investissement inscrites au résultat */
/* The 2018 chart's accounts (fiscal years opened before 2025) ... */
#define GL_ASSET_GRANT_INCOME "777" /* Quote-part des subventions virée au résultat */
#define GL_ASSET_NBV "675"          /* Valeurs comptables des éléments d'actif cédés */
#define GL_ASSET_PROCEEDS "775"     /* Produits des cessions d'éléments d'actif */
/* ... and the 2025 chart's (proto/chart_rules.h: 675, 775, 777 abolished) */
#define GL_ASSET_GRANT_INCOME_2025 "747" /* Quote-part des subventions d'investissement */
#define GL_ASSET_NBV_2025 "652"          /* Valeurs comptables des immobilisations cédées */
#define GL_ASSET_PROCEEDS_2025 "757"     /* Produits des cessions d'immobilisations */

typedef struct gl_asset {
    gl_str code, account, label;
    uint32_t acquired;
    int64_t cost_cents;
    uint8_t method;
    uint16_t life_months;
    uint32_t start;
    int64_t residual_cents;
    gl_str grant_account;
    int64_t grant_cents;
    uint16_t acq_fy;
    uint32_t acq_num;
} gl_asset;

/* The register's row: the record and what was posted from it. */
typedef struct gl_asset_state {
    gl_asset asset;
    uint32_t through;  /* YYYYMM depreciated through, 0 none */
    uint32_t disposed; /* YYYYMMDD, 0 while held */
    int64_t proceeds_cents;
} gl_asset_state;

void gl_asset_put(gl_buf *b, const gl_asset *a);
int gl_asset_get(gl_cur *c, gl_asset *out);
void gl_asset_state_put(gl_buf *b, const gl_asset_state *s);
int gl_asset_state_get(gl_cur *c, gl_asset_state *out);
/* ASSET_SET's body: the record, whole (MALFORMED, TRAILING_BYTES, STRING_*). */
int gl_asset_set_q_decode(const uint8_t *body, size_t len, gl_asset *out);

/* The record's field rules: true, or false and *field names the first at
 * fault ("code", "account", "label", "acquired", "cost", "method", "life",
 * "start", "residual", "grant_account", "grant", "acquisition", "plan":
 * gl_dep_valid refused the numbers together). */
bool gl_asset_check(const gl_asset *a, const char **field);
/* Every field equal but perhaps the label (a relabelling), or all. */
bool gl_asset_same_terms(const gl_asset *a, const gl_asset *b);
bool gl_asset_same(const gl_asset *a, const gl_asset *b);
/* The plan's view of a (proto/depreciation.h). */
gl_dep_asset gl_asset_dep(const gl_asset *a, uint8_t first_month, uint32_t disposal);

/* ASSETS reply, read row by row (GL_ERR_NOT_FOUND after the last). */
typedef struct gl_assets_iter {
    gl_cur cur;
    uint16_t left;
} gl_assets_iter;
int gl_assets_reply_begin(const uint8_t *body, size_t len, gl_assets_iter *it);
int gl_assets_reply_next(gl_assets_iter *it, gl_asset_state *out);

typedef struct gl_asset_post_q {
    uint8_t op;
    uint32_t through; /* YYYYMM */
    gl_str code;
    uint32_t date;
    int64_t proceeds_cents;
    gl_str proceeds_account;
} gl_asset_post_q;
void gl_asset_post_q_encode(gl_buf *b, const gl_asset_post_q *q);
int gl_asset_post_q_decode(const uint8_t *body, size_t len, gl_asset_post_q *out);
/* The body's field rules ("op", "through", "code", "date", "proceeds",
 * "proceeds_account"). */
bool gl_asset_post_check(const gl_asset_post_q *q, const char **field);

/* The account derived from base: prefix then base's digits after its
 * first skip ones, trailing zeros dropped, padded with zeros to base's
 * length ("28", "218300", 1 -> "281830"; "139", "131000", 2 -> "139100";
 * "6811", "218300", 6 -> "681100"). */
void gl_asset_account(char out[GL_ACCOUNT_MAX + 1], const char *prefix, gl_str base, size_t skip);

/* One entry of a post, with the asset it is for (its index in the
 * array). */
typedef int (*gl_asset_entry_fn)(void *user, const gl_entry_in *e, size_t asset);

/* Why a post is refused: the status (602, 604-607, 614) and the asset at
 * fault (its index, or n). */
typedef struct gl_asset_refusal {
    int status;
    size_t asset;
} gl_asset_refusal;

/* The entries q writes from the register s[0..n) (code order) of tenant
 * (fiscal years starting in first_month), each given to fn in order: GL_OK,
 * the first status other than GL_OK of fn, or a refusal (*why filled, its
 * status returned): 602 asset_unknown, 604 asset_posted (op 1: a month on
 * or before one already depreciated), 605 asset_nothing (op 1: no asset in
 * service by then), 606 asset_disposed, 607 asset_disposal_date (before
 * the start, or within a month depreciated), 614 asset_post_large (more
 * than GL_ENTRIES_MAX entries: the plan is counted first, fn then sees
 * none).  q passed gl_asset_post_check.  fn may be NULL (checks only). */
int gl_asset_post_plan(const gl_asset_post_q *q, const gl_asset_state *s, size_t n,
                       uint8_t first_month, const char *tenant, gl_asset_entry_fn fn, void *user,
                       gl_asset_refusal *why);
/* The register after q (planned without refusal): through and disposal
 * set.  Returns how many rows changed. */
size_t gl_asset_post_apply(const gl_asset_post_q *q, gl_asset_state *s, size_t n);

#endif
