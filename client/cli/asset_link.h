/*
 * client/cli/asset_link.h — `assets import`'s link from a fixed asset to
 * its acquisition entry, found in the books by journal and piece (the
 * generator's assets-<tenant>-<year>.json names them: entry_journal,
 * entry_piece), as `assets add --acquisition FY/NUM` names it by number.
 */
#ifndef GL_ASSET_LINK_H
#define GL_ASSET_LINK_H

#include "cli.h"

#include "proto/asset.h"

/* The first entry of journal `journal` with exactly piece `piece`, dated
 * from a's acquisition date to the end of the next calendar year, that
 * reverses nothing and debits a's account: its number into a->acq_fy and
 * a->acq_num (left 0 when there is none).  0, or an exit code after the
 * message (the journal could not be read). */
int asset_link_acquisition(cli *c, const char *journal, const char *piece, gl_asset *a);

#endif
