/*
 * client/cli/carry_mode.h — `grandlivre accounts carry-mode` (issue 17):
 * see cmd_carry.c.
 */
#ifndef GL_CLI_CARRY_MODE_H
#define GL_CLI_CARRY_MODE_H

#include "cli.h"

/* Set ACCOUNT's carry-over mode ("detailed" or "summarised", French
 * "détaillé" / "résumé" too) with CARRY_MODE_SET; an exit status. */
int accounts_carry_mode(cli *c, const char *account, const char *mode);

/* `accounts carry-mode --tenant T` without an account: every account of
 * classes 1-5 with its mode, when and by whom it was set (carry_list.c);
 * an exit status. */
int accounts_carry_list(cli *c);

/* The origin of a line carrying an open_item (an à-nouveaux line of a
 * detailed account), for a person: "F-002 of 2024-04-12" ("F-002 du 12/04/2024"
 * in French; JSON gives its fy/num:line too);
 * false (out "") when the line carries none. */
bool carry_origin_text(const uint8_t *ext, size_t ext_len, char *out, size_t len);
/* The same for line fy/num:line of the tenant, read with ENTRY_GET (the
 * last entry read is kept: a ledger's à-nouveaux rows share one entry). */
bool carry_line_origin(cli *c, uint16_t fy, uint32_t num, uint16_t line, char *out, size_t len);
/* The invoice an à-nouveaux line carries (its piece and its date, the
 * document's: an item's age runs from it), read as carry_line_origin
 * does; false when the line carries none (a balance, or not an
 * à-nouveaux line). */
bool carry_line_item(cli *c, uint16_t fy, uint32_t num, uint16_t line, char *piece,
                     size_t piece_len, uint32_t *date);
/* The piece date of entry fy/num (ENTRY_GET, kept as above): the date of
 * the invoice a transfer to 416 moved (impairment). */
bool entry_piece_date(cli *c, uint16_t fy, uint32_t num, uint32_t *piece_date);
/* Is a ledger row's journal the à-nouveaux' (where carried items are)? */
#define CARRY_AN_JOURNAL(s) ((s).len == 2 && (s).ptr[0] == 'A' && (s).ptr[1] == 'N')

#endif
