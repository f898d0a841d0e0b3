/*
 * proto/rules.h — the accounting guard rails (issue 13 items 1-3): rules
 * on what may be WRITTEN from now on, kept apart from gl_entry_check (the
 * ledger-free rules every stored entry has always met) because a ledger
 * written before them may hold entries that break them, and such a ledger
 * must still be read, exported and verified: nothing stored is rejected
 * after the fact.  The daemon applies them to every entry it writes (POST,
 * RECHARGE, DUES; its own year-close entries satisfy them by construction)
 * and to ACCOUNTS_OPEN; the reference client applies the text and account
 * rules to its input files before sending, naming the place at fault.
 *
 * Blank text.  A piece reference or an entry label is blank when it holds
 * no character but spaces and invisible marks: U+0020, U+00A0, U+1680,
 * U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 (the Unicode
 * White_Space characters; the C0/C1 ones, TAB included, are refused by the
 * text rule anyway and count as blank here too) and U+00AD, U+034F, U+061C,
 * U+180E, U+200B-U+200F, U+2060-U+2064, U+FEFF (format characters that
 * print nothing).  A text that is not well-formed UTF-8 is not blank (the
 * text rule refuses it).
 *
 * Account numbers (new accounts and every line of a new entry): at least
 * three characters of [0-9A-Z] (at most GL_ACCOUNT_MAX), the first three
 * digits, the first 1-8; 9 (analytic accounts) only where the tenant's
 * configuration says `analytic_class9 = yes`.  So 512, 512000 and 411GRP
 * are numbers, 6A, 51, 0123 and 5A1 are not.
 *
 * Classes 8 and 9 balance within an entry: the net (debit - credit) of an
 * entry's class 8 lines must be zero, and so must that of its class 9
 * lines.  The one exception is a repair: for a class whose fiscal-year net
 * N (debit - credit of every class-c line of the tenant's fiscal year,
 * before the entry) is not zero, an entry whose class-c net is n is
 * accepted when the year's net after it, N + n, lies in [0, N) for N > 0
 * or in (N, 0] for N < 0: strictly closer to zero, never past it.  A
 * ledger that holds such an imbalance (written before the rule) can so be
 * brought back to zero, by one entry or several; an entry that overshoots
 * (N + n beyond zero) or moves away is refused like any other.
 */
#ifndef GL_RULES_H
#define GL_RULES_H

#include "entry.h"
#include "wire.h"

#include <stdbool.h>
#include <stdint.h>

#define GL_ACCOUNT_RULE                                                                                            \
    "an account number is at least three characters A-Z 0-9, the first three digits, the first 1-8 (9 only where " \
    "the tenant's configuration enables analytic accounts)"

/* Is s empty or only spaces and invisible marks (above)? */
bool gl_text_blank(gl_str s);

/* The mandatory fields of an entry: GL_OK, or GL_ERR_FIELD_REQUIRED with
 * *field naming the first blank one ("piece reference", "label").  The
 * piece date cannot be missing: 0 is no date (the decoder refuses it,
 * bad_date). */
int gl_entry_fields_check(const gl_entry *e, const char **field);

/* Is account a number new accounts and entries may use (above)?  class9:
 * the tenant enables analytic accounts. */
bool gl_account_number_valid(gl_str account, bool class9);

/* The net (debit - credit) of e's class 8 lines in nets[0], of its class 9
 * lines in nets[1].  e must have passed gl_entry_check (its debit and
 * credit totals fit in int64, so these nets do). */
void gl_entry_class_nets(const gl_entry *e, int64_t nets[2]);

/* Does a fiscal-year class net going from `before` to `after` repair it:
 * before != 0 and after strictly closer to zero without passing it? */
bool gl_class_repairs(int64_t before, int64_t after);

#endif
