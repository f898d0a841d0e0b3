/*
 * client/web/web_rcv.h — the web's pages of receivables (issue 17):
 * Créances, the aged balance (page_receivables.c), and Relances, the
 * reminders the next run would send with their letters
 * (page_reminders.c).  Both read the open items as `grandlivre
 * receivables` and `reminders` do (client/cli/receivables.h), and write
 * nothing.
 */
#ifndef GL_WEB_RCV_H
#define GL_WEB_RCV_H

#include "web.h"

#include "client/cli/receivables.h"

/* The items open at `at` of r->tenant's accounts starting with prefix
 * (rcv_collect, the registry asked again for this tenant): 0, or -1 after
 * a banner written to b (the daemon's refusal, said as on every page). */
int web_rcv_collect(web_req *r, gl_buf *b, const char *prefix, uint32_t at, bool payables,
                    rcv_items *out);
/* The date of the page (?at=, default today) into *at and at_text (cap
 * bytes); false with why (a msgid) when it is not a date. */
bool web_rcv_at(web_req *r, char *at_text, size_t cap, uint32_t *at, const char **why);

int page_receivables(web_req *r, gl_buf *b);     /* GET /receivables */
int page_reminders(web_req *r, gl_buf *b);       /* GET /reminders */
int page_reminder_letter(web_req *r, gl_buf *b); /* GET /reminders/letter?aux=X */
int form_reminder_sent(web_req *r, gl_buf *b);   /* POST /reminders: "Marquer comme envoyée" */

#endif
