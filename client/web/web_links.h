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

#endif
