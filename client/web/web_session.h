/*
 * client/web/web_session.h — the login token, the sessions and their CSRF
 * tokens of `grandlivre web`.  Pure logic with the clock passed in (the
 * unit tests move it); the random bytes come from libsodium.
 *
 * The login token (printed once in a URL) works once, within
 * WEB_LOGIN_TTL_S; it is exchanged for a session whose id goes in a cookie
 * and whose CSRF token goes in every form.  A session unused for
 * WEB_IDLE_S is gone.  Every comparison of a secret is constant-time.
 */
#ifndef GL_WEB_SESSION_H
#define GL_WEB_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEB_LOGIN_TTL_S (15 * 60)
#define WEB_IDLE_S (8 * 3600)
#define WEB_SESSIONS_MAX 16
#define WEB_SECRET_HEX 64 /* 32 random bytes in hex */

typedef struct web_session {
    char id[WEB_SECRET_HEX + 1]; /* "" = free slot */
    char csrf[WEB_SECRET_HEX + 1];
    int64_t last_s; /* last request */
} web_session;

typedef struct web_sessions {
    char login[WEB_SECRET_HEX + 1]; /* "" once used */
    int64_t login_until_s;
    web_session s[WEB_SESSIONS_MAX];
} web_sessions;

/* No session; a fresh login token valid until now_s + WEB_LOGIN_TTL_S. */
void web_sessions_init(web_sessions *w, int64_t now_s);
/* A fresh login token (the old one no longer works). */
void web_login_renew(web_sessions *w, int64_t now_s);
/* Exchange the login token for a new session (the oldest is dropped when
 * all slots are taken).  NULL if token is not the login token, used, or
 * expired. */
web_session *web_login(web_sessions *w, const char *token, int64_t now_s);
/* The live session of this id (its idle clock restarted), or NULL. */
web_session *web_session_find(web_sessions *w, const char *id, int64_t now_s);
/* Whether csrf is the session's CSRF token (constant time). */
bool web_csrf_ok(const web_session *s, const char *csrf);
void web_logout(web_session *s);

/* Whether a and b are equal secrets of WEB_SECRET_HEX characters. */
bool web_secret_eq(const char *a, const char *b);

#endif
