/*
 * tests/unit/test_web_session.c — client/web/web_session: the login token
 * works once within 15 minutes, sessions expire after 8 hours idle, the
 * CSRF token is the session's own (the clock is passed in).
 */
#include "client/web/web_session.h"

#include <criterion/criterion.h>

#include <string.h>

#define T0 1700000000

Test(web_session, login_token_works_once)
{
    web_sessions w;
    web_sessions_init(&w, T0);
    char token[WEB_SECRET_HEX + 1];
    strcpy(token, w.login);
    cr_assert_eq(strlen(token), WEB_SECRET_HEX);
    web_session *s = web_login(&w, token, T0 + 10);
    cr_assert_not_null(s);
    cr_assert_eq(strlen(s->id), WEB_SECRET_HEX);
    cr_assert_str_neq(s->id, s->csrf);
    cr_assert_null(web_login(&w, token, T0 + 11), "second use refused");
}

Test(web_session, login_token_expires_after_15_minutes)
{
    web_sessions w;
    web_sessions_init(&w, T0);
    char token[WEB_SECRET_HEX + 1];
    strcpy(token, w.login);
    cr_assert_null(web_login(&w, token, T0 + WEB_LOGIN_TTL_S + 1));
    web_sessions_init(&w, T0);
    strcpy(token, w.login);
    cr_assert_not_null(web_login(&w, token, T0 + WEB_LOGIN_TTL_S));
}

Test(web_session, wrong_token_refused)
{
    web_sessions w;
    web_sessions_init(&w, T0);
    char token[WEB_SECRET_HEX + 1];
    strcpy(token, w.login);
    token[5] = token[5] == 'a' ? 'b' : 'a';
    cr_assert_null(web_login(&w, token, T0));
    cr_assert_null(web_login(&w, "", T0));
    cr_assert_null(web_login(&w, NULL, T0));
    token[WEB_SECRET_HEX - 1] = '\0'; /* a prefix */
    cr_assert_null(web_login(&w, token, T0));
    cr_assert_not_null(web_login(&w, w.login, T0), "still usable after the wrong ones");
}

Test(web_session, renewed_token_replaces_the_old)
{
    web_sessions w;
    web_sessions_init(&w, T0);
    char old[WEB_SECRET_HEX + 1];
    strcpy(old, w.login);
    web_login_renew(&w, T0 + 5);
    cr_assert_null(web_login(&w, old, T0 + 6));
    cr_assert_not_null(web_login(&w, w.login, T0 + 6));
}

Test(web_session, session_idle_expiry)
{
    web_sessions w;
    web_sessions_init(&w, T0);
    web_session *s = web_login(&w, w.login, T0);
    char id[WEB_SECRET_HEX + 1];
    strcpy(id, s->id);
    cr_assert_eq(web_session_find(&w, id, T0 + WEB_IDLE_S), s, "used: the idle clock restarts");
    cr_assert_eq(web_session_find(&w, id, T0 + 2 * WEB_IDLE_S), s);
    cr_assert_null(web_session_find(&w, id, T0 + 3 * WEB_IDLE_S + 1), "8 h idle: gone");
    cr_assert_null(web_session_find(&w, id, T0 + 3 * WEB_IDLE_S + 2));
}

Test(web_session, csrf_is_the_sessions_own)
{
    web_sessions w;
    web_sessions_init(&w, T0);
    web_session *a = web_login(&w, w.login, T0);
    web_login_renew(&w, T0);
    web_session *b = web_login(&w, w.login, T0);
    cr_assert_neq(a, b);
    cr_assert(web_csrf_ok(a, a->csrf));
    cr_assert_not(web_csrf_ok(a, b->csrf));
    cr_assert_not(web_csrf_ok(a, ""));
    cr_assert_not(web_csrf_ok(a, NULL));
    cr_assert_not(web_csrf_ok(a, a->id));
}

Test(web_session, logout_ends_the_session)
{
    web_sessions w;
    web_sessions_init(&w, T0);
    web_session *s = web_login(&w, w.login, T0);
    char id[WEB_SECRET_HEX + 1], csrf[WEB_SECRET_HEX + 1];
    strcpy(id, s->id);
    strcpy(csrf, s->csrf);
    web_logout(s);
    cr_assert_null(web_session_find(&w, id, T0 + 1));
    cr_assert_null(web_session_find(&w, "", T0 + 1), "a free slot matches nothing");
}
