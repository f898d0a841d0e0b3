/*
 * client/cli/i18n.h — the client's messages in the user's language, with
 * gettext (libintl, in glibc).  The English text in the source is the
 * msgid; po/fr.po holds the French, compiled by msgfmt into
 * grandlivre.mo at build time.
 *
 * The language: --lang (fr, en or auto), then GRANDLIVRE_LANG, then the
 * profile's lang; auto (or none of them) follows the locale (LC_ALL,
 * LC_MESSAGES, LANG: fr_* is French, anything else English).
 *
 * The catalog is looked up next to the executable first
 * (<dir of grandlivre>/locale/fr/LC_MESSAGES/grandlivre.mo: the build
 * tree, where tests and the demo run), then in GL_LOCALEDIR, the
 * compile-time $(PREFIX)/share/locale where `make install` puts it.
 *
 * French works without fr_FR.UTF-8 generated on the machine: gettext
 * ignores LANGUAGE only under the C locale, so LC_MESSAGES is set to the
 * first of the user's locale, fr_FR.UTF-8 and C.UTF-8 that exists, and
 * LANGUAGE to fr; translations are always given in UTF-8.  Only
 * LC_MESSAGES changes: numbers, dates and CSV stay locale-independent.
 */
#ifndef GL_I18N_H
#define GL_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GL_TEXTDOMAIN "grandlivre"
#define _(s) gettext(s)
#define N_(s) (s) /* marked for xgettext, translated where it is printed */

/* Bind the catalog and choose the language from GRANDLIVRE_LANG or the
 * locale (before the command's options are known). */
void i18n_init(void);
/* Choose the language: "fr", "en", "auto" or NULL (= auto).
 * Returns 0, or -1 for any other value. */
int i18n_set_lang(const char *lang);
/* The language in effect is French. */
bool i18n_french(void);
/* A date as people read it in the language in effect: "31/03/2025" in
 * French, "2025-03-31" in English (out: 11 bytes). */
char *i18n_date(uint32_t ymd, char out[11]);
/* The directory the catalog is read from. */
const char *i18n_localedir(void);

#endif
