/*
 * client/web/web_csv.h — "Exporter en CSV" of Journal, Grand livre,
 * Balance and Recherche: the same address with &format=csv answers a file
 * holding every row of the filter (every page asked of the daemon, not only
 * the one shown), written by client/output in the CLI's csv-fr (';', decimal
 * comma, UTF-8 BOM, formula-looking text cells neutralised) with the
 * columns of the matching command, so that the file equals the output of
 * `grandlivre journal|ledger|balance --format csv-fr` for the same filter.
 *
 * A daemon failure on any page gives no file: the whole HTML page is
 * replaced by one carrying the banner (title and active are its heading and
 * navigation entry), status 200.
 */
#ifndef GL_WEB_CSV_H
#define GL_WEB_CSV_H

#include "web.h"

#include "proto/query.h"
#include "proto/reply.h"

/* Whether the request asks for the file (?format=csv). */
bool web_csv_wanted(const web_req *r);

/* "what-TENANT-2025-01-01-2025-12-31.csv" (to 0: one date) into out. */
void web_csv_name(char *out, size_t cap, const char *what, const char *tenant, uint32_t from,
                  uint32_t to);

/* The link "Export as CSV": href is the page's address and query
 * (already escaped for an attribute, without the tenant), "format=csv" and
 * the tenant are added. */
void web_csv_link(gl_buf *b, const web_req *r, const char *href);

/* Whether a JOURNAL row goes into the file (a filter the daemon cannot
 * run, Recherche's piece); NULL keeps every row. */
typedef bool (*web_csv_keep_fn)(const gl_reply_journal_row *row, void *user);

/* Each answers the request with the file (b holds it, r->content_type and
 * r->download set) and returns 200, or writes the page with the daemon's
 * banner.  q is walked from its start to its end (its cursor is used). */
int web_csv_journal(web_req *r, gl_buf *b, const char *title, const char *active, gl_journal_q *q,
                    web_csv_keep_fn keep, void *user, const char *name);
int web_csv_ledger(web_req *r, gl_buf *b, const char *title, const char *active, gl_ledger_q *q,
                   const char *name);
int web_csv_balance(web_req *r, gl_buf *b, const char *title, const char *active,
                    const gl_balance_q *q, const char *name);
/* t (NULL: out of memory) as the file named name, or the page saying it
 * could not be written: the other pages' files (Créances). */
int web_csv_send(web_req *r, gl_buf *b, const char *title, const char *active,
                 const struct out_table *t, const char *name);

#endif
