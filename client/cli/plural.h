/*
 * client/cli/plural.h — "1 entry", "2 entries" (issue 14: plurals right).
 * PLURAL(n, one, other) chooses between two whole messages, each a plain
 * literal (format checking sees both), the shape of ngettext(one, other, n)
 * and it is ngettext: the messages are translated as they stand.  English and French
 * both take the singular for 1 only here (0 entries, 0 écriture is French's
 * own matter: gettext's plural forms decide it there).
 */
#ifndef GL_PLURAL_H
#define GL_PLURAL_H

#include <libintl.h>

/* ngettext: the catalog's plural forms in French, "one" for n == 1 and
 * "other" otherwise without a catalog (xgettext's keyword PLURAL:2,3). */
#define PLURAL(n, one, other) ngettext((one), (other), (unsigned long)(n))

#endif
