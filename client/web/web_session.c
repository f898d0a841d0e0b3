/*
 * client/web/web_session.c — login token, sessions, CSRF (web_session.h).
 */
#include "web_session.h"

#include <sodium.h>
#include <string.h>

static void new_secret(char out[WEB_SECRET_HEX + 1])
{
    uint8_t raw[WEB_SECRET_HEX / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, WEB_SECRET_HEX + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

bool web_secret_eq(const char *a, const char *b)
{
    /* the lengths say nothing secret: a wrong length is no token at all */
    if (!a || !b || strnlen(a, WEB_SECRET_HEX + 1) != WEB_SECRET_HEX ||
        strnlen(b, WEB_SECRET_HEX + 1) != WEB_SECRET_HEX)
        return false;
    return sodium_memcmp(a, b, WEB_SECRET_HEX) == 0;
}

void web_sessions_init(web_sessions *w, int64_t now_s)
{
    memset(w, 0, sizeof *w);
    web_login_renew(w, now_s);
}

void web_login_renew(web_sessions *w, int64_t now_s)
{
    new_secret(w->login);
    w->login_until_s = now_s + WEB_LOGIN_TTL_S;
}

web_session *web_login(web_sessions *w, const char *token, int64_t now_s)
{
    if (!w->login[0] || now_s > w->login_until_s || !web_secret_eq(token, w->login))
        return NULL;
    sodium_memzero(w->login, sizeof w->login); /* once */
    web_session *slot = &w->s[0];
    for (size_t i = 0; i < WEB_SESSIONS_MAX; i++) {
        web_session *s = &w->s[i];
        if (!s->id[0] || now_s - s->last_s > WEB_IDLE_S) {
            slot = s;
            break;
        }
        if (s->last_s < slot->last_s)
            slot = s;
    }
    new_secret(slot->id);
    new_secret(slot->csrf);
    slot->last_s = now_s;
    return slot;
}

web_session *web_session_find(web_sessions *w, const char *id, int64_t now_s)
{
    for (size_t i = 0; i < WEB_SESSIONS_MAX; i++) {
        web_session *s = &w->s[i];
        if (!s->id[0] || !web_secret_eq(id, s->id))
            continue;
        if (now_s - s->last_s > WEB_IDLE_S) {
            web_logout(s);
            return NULL;
        }
        s->last_s = now_s;
        return s;
    }
    return NULL;
}

bool web_csrf_ok(const web_session *s, const char *csrf) { return web_secret_eq(csrf, s->csrf); }

void web_logout(web_session *s) { sodium_memzero(s, sizeof *s); }
