/*
 * client/web/web_links.h — the link from a row to its entry (Entrée).
 */
#ifndef GL_WEB_LINKS_H
#define GL_WEB_LINKS_H

#include "web.h"

#include "proto/entry.h"

/* <a href="/entry?id=FY/NUM&tenant=T">FY/NUM</a> */
void web_entry_link(gl_buf *b, const web_req *r, uint16_t fy, uint32_t num);
/* The cells of one line: account, aux, label, debit, credit (the row's
 * other cells are the caller's). */
void web_line_cells(gl_buf *b, const gl_line *l, gl_str label);
/* The rows of one journal entry (page_journal.c): a <tr> per line. */
struct gl_reply_journal_row;
void web_journal_rows(gl_buf *b, const web_req *r, const struct gl_reply_journal_row *row);
/* The journal table's head and foot (the columns of web_journal_rows). */
void web_journal_head(gl_buf *b);
void web_journal_foot(gl_buf *b);

#endif
