/*
 * client/input/date_why.h — why a text is not a date, in words a treasurer
 * understands (issue 14: "2025-02-30 says the day does not exist"), for the
 * command line and the entry files alike.
 */
#ifndef GL_DATE_WHY_H
#define GL_DATE_WHY_H

#include <stddef.h>

/* s (len bytes) failed gl_date_parse.  Writes into out (out_len bytes) and
 * returns out: "the day does not exist (February 2025 has 28 days)", "there
 * is no month 13", "the year must be 1900-2999", or "expected YYYY-MM-DD". */
const char *date_why(const char *s, size_t len, char *out, size_t out_len);

#endif
