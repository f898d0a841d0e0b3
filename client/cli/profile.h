/*
 * client/cli/profile.h — the client's configuration file: named profiles
 * of the common options, so that a treasurer sets up once.
 *
 * The file is $XDG_CONFIG_HOME/grandlivre/config (XDG_CONFIG_HOME when it
 * is an absolute path), else ~/.config/grandlivre/config.  INI, read with
 * inih as the daemon's configuration is:
 *
 *     [default]
 *     endpoint   = ipc:///srv/grandlivre/grandlivred.sock
 *     server_key = 64 hex digits (grandlivred --print-server-key)
 *     key        = ~/.config/grandlivre/tresorier.key
 *     tenant     = amap-nord
 *     format     = table
 *     lang       = fr
 *
 * One section per profile; `[default]` is used when no profile is named
 * (--profile NAME, else GRANDLIVRE_PROFILE).  A key file path may start
 * with "~/"; a relative one is relative to the file's directory.  Every
 * setting is optional; flags win over the environment (GRANDLIVRE_*), which
 * wins over the file.  A mistake in the file (an unknown setting, a setting
 * outside a section or given twice, a section given twice, a value that is
 * not valid, a line that is neither) is refused naming file:line
 * (GL_ERR_CONFIG_INVALID); a profile named but absent is GL_ERR_NO_PROFILE.
 * An absent file is no error unless a profile was named.
 *
 * The section [group] is no profile: it holds the group's settings for
 * `recharge`, `dues` and `recharge plan|check` (issue 20), whatever the
 * profile:
 *
 *     [group]
 *     accounts = 411GRP,706100,628800,401GRP   (receivable, revenue, expense, payable)
 *     plan     = ~/.config/grandlivre/recharge-plan   (as a key file path)
 */
#ifndef GL_PROFILE_H
#define GL_PROFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

enum prof_field { PF_ENDPOINT, PF_SERVER_KEY, PF_KEY, PF_TENANT, PF_FORMAT, PF_LANG, PF_COUNT };
/* The setting names in the file, by prof_field: "endpoint", "server_key"... */
extern const char *const prof_field_name[PF_COUNT];

#define PROFILE_NAME_MAX 64
#define PROFILE_VALUE_MAX 1024

typedef struct profile {
    char path[PATH_MAX];             /* the file read ("" if none could be named) */
    char name[PROFILE_NAME_MAX + 1]; /* the profile read */
    bool file_found;                 /* the file exists */
    bool found;                      /* the file holds the profile */
    char value[PF_COUNT][PROFILE_VALUE_MAX];
    int line[PF_COUNT]; /* 0: not set in the profile */
    /* [group] (issue 20): "" when not set; the line where set */
    char group_accounts[PROFILE_VALUE_MAX], group_plan[PROFILE_VALUE_MAX];
    int group_accounts_line;
} profile;

/* The file's path: $XDG_CONFIG_HOME/grandlivre/config or
 * $HOME/.config/grandlivre/config.  -1 if neither variable helps. */
int profile_path(char *out, size_t out_len);

/* Read profile `name` of the file at path into p.  `named`: the profile
 * was asked for by name (its absence is then an error).  Returns GL_OK,
 * GL_ERR_CONFIG_INVALID (err: "path:line: what"), GL_ERR_NO_PROFILE or
 * GL_ERR_IO (a file that exists but cannot be read). */
int profile_load(profile *p, const char *path, const char *name, bool named, char *err,
                 size_t err_len);

/* Is name usable as a profile name (1-64 of [A-Za-z0-9._-])? */
bool profile_name_ok(const char *name);

/* Check one setting's value; NULL if valid, else why not. */
const char *profile_check(enum prof_field f, const char *value);

/* The file text with profile `name` set to values (NULL or "" entries
 * left out), replacing that section if `old` holds it, else appending it.
 * Returns a malloc'ed string, or NULL (out of memory). */
char *profile_render(const char *old, const char *name, const char *const values[PF_COUNT]);

#endif
