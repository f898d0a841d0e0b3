/*
 * client/web/page_post.h — Saisie, shared by its three files: the form's
 * values as typed (kept on a refusal, every one of them), the message of
 * each field at fault, and the templates of the usual operations.
 *
 * page_post.c reads and checks a POST and sends the entry; page_post_form.c
 * renders the form (with the chart's accounts and the known third parties
 * as datalists); page_post_templates.c holds the templates.
 */
#ifndef GL_PAGE_POST_H
#define GL_PAGE_POST_H

#include "web.h"

#define POST_LINES_SHOWN 4 /* empty lines of a new form, and added by "add lines" */
#define POST_LINES_MAX 200 /* a form's lines; longer entries: `grandlivre post FILE` */
#define POST_TEXT_MAX 256  /* bytes read of any field (labels are at most 200) */
#define POST_ERR_MAX 320

typedef struct post_line {
    char account[POST_TEXT_MAX], aux[POST_TEXT_MAX], label[POST_TEXT_MAX], debit[POST_TEXT_MAX],
        credit[POST_TEXT_MAX];
    char err[POST_ERR_MAX]; /* shown next to the line's account */
    char side_hint;         /* a template's expected side: 'D', 'C' or 0 */
    int64_t debit_cents, credit_cents;
} post_line;

typedef struct post_form {
    char journal[POST_TEXT_MAX], date[POST_TEXT_MAX], piece[POST_TEXT_MAX],
        piece_date[POST_TEXT_MAX], label[POST_TEXT_MAX];
    char rid[17]; /* the request id, hex, fixed when the form was first shown */
    char err_journal[POST_ERR_MAX], err_date[POST_ERR_MAX], err_piece[POST_ERR_MAX],
        err_piece_date[POST_ERR_MAX], err_label[POST_ERR_MAX], err_total[POST_ERR_MAX];
    char summary[POST_ERR_MAX * 2]; /* the banner above the form */
    bool fresh;                     /* a new form: the draft kept by app.js may fill it */
    size_t line_count;
    post_line lines[POST_LINES_MAX];
} post_form;

/* A new form: request id drawn, POST_LINES_SHOWN empty lines. */
void post_form_new(post_form *f);
/* The form rendered into b (whole page), its banners included. */
void post_form_page(web_req *r, gl_buf *b, post_form *f, const char *done, bool again);

typedef struct post_template_line {
    const char *account;
    char side;         /* 'D' or 'C' */
    const char *label; /* N_(): translated where shown */
} post_template_line;
typedef struct post_template {
    const char *name, *title, *journal, *label; /* title, label: N_() */
    post_template_line lines[5];
} post_template;
extern const post_template post_templates[];
extern const size_t post_template_count;
/* Fill f from the template called name: false if there is none. */
bool post_template_apply(post_form *f, const char *name);

#endif
