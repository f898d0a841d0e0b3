/*
 * client/cli/i18n.c — language choice and catalog binding (i18n.h).
 */
#include "i18n.h"

#include "proto/date.h"

#include <limits.h>
#include <stdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef GL_LOCALEDIR
#define GL_LOCALEDIR "/usr/local/share/locale"
#endif

static bool french;
static char localedir[PATH_MAX];

/* <dir of the executable>/locale when it holds the French catalog (the
 * build tree), else GL_LOCALEDIR (installed). */
static void find_localedir(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char mo[PATH_MAX + 64];
            snprintf(mo, sizeof mo, "%s/locale/fr/LC_MESSAGES/" GL_TEXTDOMAIN ".mo", exe);
            if (access(mo, R_OK) == 0 &&
                (size_t)snprintf(localedir, sizeof localedir, "%s/locale", exe) < sizeof localedir)
                return;
        }
    }
    snprintf(localedir, sizeof localedir, "%s", GL_LOCALEDIR);
}

const char *i18n_localedir(void) { return localedir; }

/* The user's locale for messages, as setlocale(LC_MESSAGES, "") reads it. */
static const char *user_locale(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && v[0])
            return v;
    }
    return "";
}

/* LC_MESSAGES to a locale other than C (so that gettext reads LANGUAGE):
 * the user's, else fr_FR.UTF-8, else C.UTF-8. */
static void messages_locale(void)
{
    static const char *const tries[] = {"", "fr_FR.UTF-8", "C.UTF-8", "C.utf8"};
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        const char *got = setlocale(LC_MESSAGES, tries[i]);
        if (got && strcmp(got, "C") && strcmp(got, "POSIX"))
            return;
    }
}

int i18n_set_lang(const char *lang)
{
    if (!lang || !lang[0] || !strcmp(lang, "auto")) {
        const char *loc = user_locale(); /* fr, fr_FR.UTF-8, fr_BE... */
        french = loc[0] == 'f' && loc[1] == 'r';
    } else if (!strcmp(lang, "fr"))
        french = true;
    else if (!strcmp(lang, "en"))
        french = false;
    else
        return -1;
    if (french) {
        setenv("LANGUAGE", "fr", 1);
        messages_locale();
    } else {
        setlocale(LC_MESSAGES, "C"); /* gettext gives the English msgid */
    }
    return 0;
}

bool i18n_french(void) { return french; }

char *i18n_date(uint32_t ymd, char out[11])
{
    if (!french)
        return gl_date_format(ymd, out);
    snprintf(out, 11, "%02u/%02u/%04u", ymd % 100, ymd / 100 % 100, ymd / 10000 % 10000);
    return out;
}

void i18n_init(void)
{
    find_localedir();
    bindtextdomain(GL_TEXTDOMAIN, localedir);
    bind_textdomain_codeset(GL_TEXTDOMAIN, "UTF-8");
    textdomain(GL_TEXTDOMAIN);
    if (i18n_set_lang(getenv("GRANDLIVRE_LANG")) != 0)
        i18n_set_lang(NULL); /* cli_parse names the bad value */
}
