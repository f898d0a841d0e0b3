/*
 * client/cli/cmd_third_parties.c — `grandlivre third-parties
 * add|set|list|show|import`: the tenant's registry of third parties
 * (PROTOCOL.md §5.19a THIRD_PARTY_SET, §5.19b THIRD_PARTIES).  add refuses
 * a code the registry holds (here, then by the daemon's add-only mode); set
 * changes the fields given and keeps the others; import sends a CSV file's
 * rows, checked here first: a bad row names its line and nothing is sent.
 */
#include "cli.h"
#include "cli_replies.h"
#include "i18n.h"
#include "third_parties.h"

#include "proto/limits.h"
#include "proto/status.h"
#include "proto/third_party.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] = N_(
    "usage: grandlivre third-parties list --tenant T [--prefix P] [--format F]\n"
    "       grandlivre third-parties forget CODE --tenant T [--yes]\n"
    "       grandlivre third-parties show --tenant T CODE\n"
    "       grandlivre third-parties add --tenant T CODE --name NAME --collective ACCOUNT [fields]\n"
    "       grandlivre third-parties set --tenant T CODE [fields]\n"
    "       grandlivre third-parties import --tenant T FILE.csv\n"
    "\n"
    "The registry of third parties (tiers): who the auxiliary code of a line names.\n"
    "list    the registry, then the group entities from the daemon's configuration\n"
    "        (source \"configuration\"); --prefix keeps the codes starting with P\n"
    "show    one third party, every field\n"
    "add     a new third party (refused if the code is registered: use set)\n"
    "set     change the fields given, keep the others (a new code needs --name\n"
    "        and --collective); the same values again change nothing\n"
    "import  the rows of a CSV file (';' or ',' separated) whose header names the\n"
    "        columns code, name, kind, collective, siret, address, email, iban,\n"
    "        terms_days, natural_person (code, name and collective required); a\n"
    "        bad row names its line and nothing is imported\n"
    "\n"
    "fields: --name NAME  --kind customer|user|supplier|funder|employee|other\n"
    "        --collective ACCOUNT (an open class 4 account: 411000, 401000, 441000,\n"
    "        421000)  --siret SIREN-or-SIRET (9 or 14 digits, Luhn)  --address TEXT\n"
    "        --email ADDRESS  --iban IBAN (spaces removed, MOD 97 checked)\n"
    "        --terms-days 0-365  --natural-person yes|no (a private person)\n"
    "Members work on their own tenant; auditors may list and show.\n"
    "A natural person's name, address, e-mail and IBAN are sealed to the person's\n"
    "own key before they are sent (the daemon opens them for list and show);\n"
    "`third-parties forget CODE --tenant T [--yes]` destroys that key once the\n"
    "retention period is over (the accountant; see its --help).\n");

enum {
    OPT_NAME = 2100,
    OPT_KIND,
    OPT_COLLECTIVE,
    OPT_SIRET,
    OPT_ADDRESS,
    OPT_EMAIL,
    OPT_IBAN,
    OPT_TERMS,
    OPT_NATURAL,
    OPT_PREFIX,
};

/* The fields given on the command line (NULL: not given). */
typedef struct tp_opts {
    const char *v[OPT_PREFIX - OPT_NAME + 1];
} tp_opts;

static int on_opt(int opt, const char *arg, void *user)
{
    tp_opts *o = user;
    if (opt < OPT_NAME || opt > OPT_PREFIX)
        return EXIT_USAGE;
    o->v[opt - OPT_NAME] = arg;
    return 0;
}

void tp_list_free(tp_list *l)
{
    gl_buf_free(&l->bytes);
    memset(l, 0, sizeof *l);
}

bool tp_list_next(const tp_list *l, gl_cur *c, uint8_t *source, gl_third_party *r)
{
    (void)l; /* c walks its bytes */
    if (gl_cur_left(c) == 0)
        return false;
    *source = gl_get_u8(c);
    return gl_third_party_get(c, r) == GL_OK;
}

void tp_list_iter(const tp_list *l, gl_cur *c)
{
    gl_cur_init_stored(c, l->bytes.data, l->bytes.len);
}

/* One THIRD_PARTIES page into l (appended); *more, *last: the page's
 * flag and its last registry code. */
static int list_page(cli *c, gl_str prefix, gl_str after, tp_list *l, bool *more, char *last)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_tp_list_q q = {prefix, after};
    gl_tp_list_encode(&body, &q);
    gl_response resp;
    int rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_THIRD_PARTIES, c->tenant, body.data, body.len, &resp)
                 : cli_nomem("the third parties request");
    gl_buf_free(&body);
    if (rc)
        return rc;
    gl_tp_reply p;
    gl_tp_reply_open(&p, resp.reply.body, resp.reply.body_len);
    *more = p.more;
    uint8_t source;
    gl_third_party r;
    while (gl_tp_reply_next(&p, &source, &r)) {
        gl_put_u8(&l->bytes, source);
        gl_put_bytes(&l->bytes, r.raw, r.raw_len);
        l->count++;
        if (source == GL_TP_FROM_REGISTRY)
            snprintf(last, GL_AUX_MAX + 1, "%.*s", (int)r.code.len, r.code.ptr);
    }
    if (gl_tp_reply_end(&p) != GL_OK || !gl_buf_ok(&l->bytes)) {
        cli_error("cannot read the daemon's reply (third parties)");
        rc = EXIT_REFUSED;
    }
    gl_response_free(&resp);
    return rc;
}

int tp_list_fetch(cli *c, const char *prefix, tp_list *l)
{
    memset(l, 0, sizeof *l);
    gl_buf_init(&l->bytes);
    char last[GL_AUX_MAX + 1] = "";
    bool more = true;
    int rc = 0;
    while (rc == 0 && more)
        rc = list_page(c, (gl_str){prefix, strlen(prefix)}, (gl_str){last, strlen(last)}, l, &more,
                       last);
    return rc;
}

/* The record of code in l (source too), or false. */
static bool tp_find(const tp_list *l, const char *code, uint8_t *source, gl_third_party *r)
{
    gl_cur c;
    tp_list_iter(l, &c);
    while (tp_list_next(l, &c, source, r))
        if (r->code.len == strlen(code) && !memcmp(r->code.ptr, code, r->code.len))
            return true;
    return false;
}

static const char *source_name(uint8_t source)
{
    return source == GL_TP_FROM_CONFIG ? _("configuration") : _("registry");
}

static out_table *tp_table(void)
{
    static const out_col cols[] = {
        {"code", OUT_REF},           {"name", OUT_TEXT},  {"kind", OUT_TEXT},
        {"collective", OUT_REF},     {"siret", OUT_REF},  {"terms_days", OUT_INT},
        {"natural_person", OUT_INT}, {"email", OUT_TEXT}, {"iban", OUT_REF},
        {"address", OUT_TEXT},       {"source", OUT_TEXT}};
    return out_new(cols, sizeof cols / sizeof cols[0]);
}

static void tp_row(out_table *t, uint8_t source, const gl_third_party *r)
{
    const char *kind = gl_tp_kind_name(r->kind);
    out_text(t, r->code.ptr, r->code.len);
    if (r->flags & GL_TP_SEALED) /* a forgotten person's: nothing opens it (cmd_forget.c) */
        out_cstr(t, _("(forgotten)"));
    else
        out_text(t, r->name.ptr, r->name.len);
    out_cstr(t, kind ? kind : "?");
    out_text(t, r->collective.ptr, r->collective.len);
    out_text(t, r->siren.ptr, r->siren.len);
    out_int(t, r->terms_days);
    out_int(t, (r->flags & GL_TP_NATURAL_PERSON) ? 1 : 0);
    out_text(t, r->email.ptr, r->email.len);
    out_text(t, r->iban.ptr, r->iban.len);
    out_text(t, r->address.ptr, r->address.len);
    out_cstr(t, source_name(source));
}

static int cmd_list(cli *c, const char *prefix, const char *only)
{
    tp_list l;
    int rc = tp_list_fetch(c, prefix ? prefix : (only ? only : ""), &l);
    if (rc) {
        tp_list_free(&l);
        return rc;
    }
    out_table *t = tp_table();
    gl_cur cur;
    uint8_t source;
    gl_third_party r;
    bool found = false;
    tp_list_iter(&l, &cur);
    while (t && tp_list_next(&l, &cur, &source, &r)) {
        if (only && (r.code.len != strlen(only) || memcmp(r.code.ptr, only, r.code.len)))
            continue;
        found = true;
        tp_row(t, source, &r);
    }
    tp_list_free(&l);
    if (only && !found) {
        out_free(t);
        cli_error("%s: error %d %s: %s", only, GL_ERR_NO_THIRD_PARTY,
                  gl_status_name(GL_ERR_NO_THIRD_PARTY),
                  _(gl_status_message(GL_ERR_NO_THIRD_PARTY)));
        return EXIT_REFUSED;
    }
    return cli_format_render(c, t);
}

/* Strip the spaces of an IBAN as people write it, in upper case. */
static void iban_compact(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in && n + 1 < cap; in++)
        if (*in != ' ')
            out[n++] = (char)(*in >= 'a' && *in <= 'z' ? *in - 'a' + 'A' : *in);
    out[n] = '\0';
}

/* Field `name` of a record from text (the CLI's and the CSV's): into r,
 * IBAN compacted into iban_buf; 0, or a sentence in why. */
int tp_field_set(gl_third_party *r, const char *name, const char *value, char *iban_buf,
                 size_t iban_cap, const char **why)
{
    gl_str v = {value, strlen(value)};
    *why = NULL;
    if (!strcmp(name, "code"))
        r->code = v;
    else if (!strcmp(name, "name"))
        r->name = v;
    else if (!strcmp(name, "collective"))
        r->collective = v;
    else if (!strcmp(name, "siret"))
        r->siren = v;
    else if (!strcmp(name, "address"))
        r->address = v;
    else if (!strcmp(name, "email"))
        r->email = v;
    else if (!strcmp(name, "iban")) {
        iban_compact(value, iban_buf, iban_cap);
        r->iban = (gl_str){iban_buf, strlen(iban_buf)};
    } else if (!strcmp(name, "kind")) {
        r->kind = gl_tp_kind_of(value);
        if (!r->kind)
            *why = N_("kind must be customer, user, supplier, funder, employee or other");
    } else if (!strcmp(name, "terms_days")) {
        char *end;
        long d = strtol(value, &end, 10);
        if (!*value || *end || d < 0 || d > GL_TP_TERMS_MAX)
            *why = N_("terms_days must be a number of days from 0 to 365");
        else
            r->terms_days = (uint16_t)d;
    } else if (!strcmp(name, "natural_person")) {
        bool yes = !strcmp(value, "yes") || !strcmp(value, "oui") || !strcmp(value, "1");
        bool no = !*value || !strcmp(value, "no") || !strcmp(value, "non") || !strcmp(value, "0");
        if (!yes && !no)
            *why = N_("natural_person must be yes or no");
        r->flags =
            (uint8_t)(yes ? r->flags | GL_TP_NATURAL_PERSON : r->flags & ~GL_TP_NATURAL_PERSON);
    } else {
        *why = N_("unknown column");
    }
    return *why ? -1 : 0;
}

/* The rules the daemon applies to a record's fields (445), said here. */
int tp_check(const gl_third_party *r, const char **field)
{
    if (r->code.len > GL_AUX_MAX || r->name.len > GL_LABEL_MAX ||
        r->address.len > GL_TP_ADDRESS_MAX || r->email.len > GL_TP_EMAIL_MAX ||
        r->collective.len > GL_ACCOUNT_MAX || r->siren.len > 14 || r->iban.len > GL_TP_IBAN_MAX) {
        *field = r->code.len > GL_AUX_MAX ? "code" : "length";
        return GL_ERR_BAD_THIRD_PARTY;
    }
    return gl_third_party_check(r, field);
}

int tp_send(cli *c, uint8_t mode, const gl_third_party *r, size_t n, uint32_t *changed)
{
    *changed = 0;
    for (size_t start = 0; start < n; start += GL_TP_SET_MAX) {
        size_t count = n - start < GL_TP_SET_MAX ? n - start : GL_TP_SET_MAX;
        gl_buf body;
        gl_buf_init(&body);
        gl_put_u8(&body, mode);
        gl_put_u16(&body, (uint16_t)count);
        int rc = 0;
        for (size_t i = start; i < start + count && !rc; i++)
            rc = tp_seal_encode(c, &r[i],
                                &body); /* a natural person's block sealed (cmd_forget.c) */
        gl_response resp;
        rc = rc ? rc
             : gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_THIRD_PARTY_SET, c->tenant, body.data, body.len, &resp)
                 : cli_nomem("the third parties request");
        gl_buf_free(&body);
        if (rc)
            return rc;
        gl_reply_account_label counts; /* changed u32 | unchanged u32: the same layout */
        if (gl_reply_account_label_decode(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                          &counts) != GL_OK) {
            gl_response_free(&resp);
            cli_error("cannot read the daemon's reply (third parties)");
            return EXIT_REFUSED;
        }
        *changed += counts.changed;
        gl_response_free(&resp);
    }
    return 0;
}

static const char *const field_names[] = {"name",  "kind", "collective", "siret",         "address",
                                          "email", "iban", "terms_days", "natural_person"};

/* add / set: the stored record (if any), the options over it, sent. */
static int cmd_add_set(cli *c, bool add, const char *code, const tp_opts *o)
{
    tp_list l;
    int rc = tp_list_fetch(c, code, &l);
    if (rc) {
        tp_list_free(&l);
        return rc;
    }
    uint8_t source;
    gl_third_party r;
    bool exists = tp_find(&l, code, &source, &r);
    if (exists && (add || source == GL_TP_FROM_CONFIG)) {
        tp_list_free(&l);
        cli_error("%s: error %d %s: %s", code, GL_ERR_THIRD_PARTY_EXISTS,
                  gl_status_name(GL_ERR_THIRD_PARTY_EXISTS),
                  _(gl_status_message(GL_ERR_THIRD_PARTY_EXISTS)));
        return EXIT_REFUSED;
    }
    if (!exists)
        r = (gl_third_party){.code = {code, strlen(code)}, .kind = GL_TP_OTHER};
    char iban[64];
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++) {
        const char *why;
        if (o->v[i] && tp_field_set(&r, field_names[i], o->v[i], iban, sizeof iban, &why)) {
            cli_error("--%s: %s", field_names[i], _(why));
            tp_list_free(&l);
            return EXIT_USAGE;
        }
    }
    const char *field;
    if (tp_check(&r, &field) != GL_OK) {
        cli_error("%s: error %d %s: %s — %s", code, GL_ERR_BAD_THIRD_PARTY,
                  gl_status_name(GL_ERR_BAD_THIRD_PARTY),
                  _(gl_status_message(GL_ERR_BAD_THIRD_PARTY)), field);
        tp_list_free(&l);
        return EXIT_USAGE;
    }
    uint32_t changed = 0;
    rc = tp_send(c, add ? GL_TP_MODE_ADD : GL_TP_MODE_SET, &r, 1, &changed);
    tp_list_free(&l); /* r pointed into it */
    if (rc == 0)
        fprintf(stderr,
                changed ? _("grandlivre: %s: third party %s recorded\n")
                        : _("grandlivre: %s: third party %s unchanged\n"),
                c->tenant, code);
    return rc;
}

int cmd_third_parties(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "forget")) /* its own options (cmd_forget.c) */
        return cmd_third_parties_forget(argc - 1, argv + 1);
    static const struct option extra[] = {{"name", required_argument, NULL, OPT_NAME},
                                          {"kind", required_argument, NULL, OPT_KIND},
                                          {"collective", required_argument, NULL, OPT_COLLECTIVE},
                                          {"siret", required_argument, NULL, OPT_SIRET},
                                          {"address", required_argument, NULL, OPT_ADDRESS},
                                          {"email", required_argument, NULL, OPT_EMAIL},
                                          {"iban", required_argument, NULL, OPT_IBAN},
                                          {"terms-days", required_argument, NULL, OPT_TERMS},
                                          {"natural-person", required_argument, NULL, OPT_NATURAL},
                                          {"prefix", required_argument, NULL, OPT_PREFIX},
                                          {0}};
    tp_opts o = {{0}};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, _(help));
    if (rc)
        return rc < 0 ? 0 : rc;
    const char *sub = argc >= 1 ? argv[0] : "";
    bool ok_args = (!strcmp(sub, "list") && argc == 1) || (!strcmp(sub, "show") && argc == 2) ||
                   (!strcmp(sub, "add") && argc == 2) || (!strcmp(sub, "set") && argc == 2) ||
                   (!strcmp(sub, "import") && argc == 2);
    if (!ok_args) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(sub, "add") && (!o.v[OPT_NAME - OPT_NAME] || !o.v[OPT_COLLECTIVE - OPT_NAME])) {
        cli_error("add: --name and --collective are required");
        return EXIT_USAGE;
    }
    bool writes = strcmp(sub, "list") && strcmp(sub, "show");
    char what[32];
    snprintf(what, sizeof what, "third-parties %s", sub);
    if ((writes && (rc = cli_format_refuse(&c, what))) || (rc = cli_need_tenant(&c)) ||
        (rc = cli_connect(&c)))
        return rc;
    if (!strcmp(sub, "list"))
        rc = cmd_list(&c, o.v[OPT_PREFIX - OPT_NAME], NULL);
    else if (!strcmp(sub, "show"))
        rc = cmd_list(&c, NULL, argv[1]);
    else if (!strcmp(sub, "import"))
        rc = tp_import(&c, argv[1]);
    else
        rc = cmd_add_set(&c, !strcmp(sub, "add"), argv[1], &o);
    cli_close(&c);
    return rc;
}
