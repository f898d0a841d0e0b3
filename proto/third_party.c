/*
 * proto/third_party.c — the third-party record's codec and field rules
 * (third_party.h, PROTOCOL.md §5.22).
 */
#include "third_party.h"

#include "limits.h"
#include "status.h"

#include <string.h>

static const char *const kind_names[] = {NULL,       "customer", "supplier", "funder",
                                         "employee", "group",    "other"};

const char *gl_tp_kind_name(uint8_t kind)
{
    return kind >= 1 && kind <= GL_TP_KIND_MAX_ ? kind_names[kind] : NULL;
}

uint8_t gl_tp_kind_of(const char *name)
{
    for (uint8_t k = 1; k <= GL_TP_KIND_MAX_; k++)
        if (!strcmp(kind_names[k], name))
            return k;
    if (!strcmp(name, "user")) /* the home-help users are customers (411) */
        return GL_TP_CUSTOMER;
    return 0;
}

static void put_ident(gl_buf *b, const gl_third_party *r)
{
    gl_put_str8(b, r->name.ptr, r->name.len);
    gl_put_str16(b, r->address.ptr, r->address.len);
    gl_put_str8(b, r->email.ptr, r->email.len);
    gl_put_str8(b, r->iban.ptr, r->iban.len);
}

void gl_third_party_encode(gl_buf *b, const gl_third_party *r)
{
    gl_put_str8(b, r->code.ptr, r->code.len);
    gl_put_u8(b, r->kind);
    gl_put_str8(b, r->collective.ptr, r->collective.len);
    gl_put_str8(b, r->siren.ptr, r->siren.len);
    gl_put_u16(b, r->terms_days);
    gl_put_u8(b, r->flags);
    gl_buf ident;
    gl_buf_init(&ident);
    if (r->flags & GL_TP_SEALED)
        gl_put_bytes(&ident, r->ident.ptr, r->ident.len);
    else
        put_ident(&ident, r);
    if (!gl_buf_ok(&ident) || ident.len > UINT16_MAX) {
        gl_put_u16(b, 0); /* cannot happen within the maxima; fails the check */
    } else {
        gl_put_u16(b, (uint16_t)ident.len);
        gl_put_bytes(b, ident.data, ident.len);
    }
    gl_buf_free(&ident);
}

int gl_third_party_get(gl_cur *c, gl_third_party *out)
{
    memset(out, 0, sizeof *out);
    out->raw = c->pos;
    out->code = gl_get_str8(c, GL_AUX_MAX);
    out->kind = gl_get_u8(c);
    out->collective = gl_get_str8(c, GL_ACCOUNT_MAX);
    out->siren = gl_get_str8(c, 14);
    out->terms_days = gl_get_u16(c);
    out->flags = gl_get_u8(c);
    uint16_t n = gl_get_u16(c);
    const uint8_t *p = gl_get_bytes(c, n);
    if (gl_cur_status(c) != GL_OK)
        return gl_cur_status(c);
    out->ident = (gl_str){(const char *)p, n};
    out->raw_len = (size_t)(c->pos - out->raw);
    if (out->flags & GL_TP_SEALED)
        return GL_OK; /* opaque: only its holder opens it */
    gl_cur in;
    gl_cur_init(&in, p, n);
    in.stored = c->stored;
    out->name = gl_get_str8(&in, GL_LABEL_MAX);
    out->address = gl_get_str16(&in, GL_TP_ADDRESS_MAX);
    out->email = gl_get_str8(&in, GL_TP_EMAIL_MAX);
    out->iban = gl_get_str8(&in, GL_TP_IBAN_MAX);
    int st = gl_cur_end(&in);
    return st != GL_OK ? gl_cur_fail(c, st) : GL_OK;
}

bool gl_siren_valid(gl_str s)
{
    if (s.len != 9 && s.len != 14)
        return false;
    unsigned sum = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if (ch < '0' || ch > '9')
            return false;
        unsigned d = ch - '0';
        if ((s.len - 1 - i) % 2 == 1) /* every second digit from the right, doubled */
            d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
    }
    return sum % 10 == 0;
}

bool gl_iban_valid(gl_str s)
{
    if (s.len < 15 || s.len > GL_TP_IBAN_MAX)
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        bool letter = ch >= 'A' && ch <= 'Z', digit = ch >= '0' && ch <= '9';
        if (i < 2 ? !letter : i < 4 ? !digit : !(letter || digit))
            return false;
    }
    /* the first four characters moved to the end, letters as 10-35, the
     * number taken mod 97 digit by digit: 1 for a valid IBAN */
    unsigned rem = 0;
    for (size_t k = 0; k < s.len; k++) {
        char ch = s.ptr[(k + 4) % s.len];
        if (ch >= 'A')
            rem = (rem * 100 + (unsigned)(ch - 'A' + 10)) % 97;
        else
            rem = (rem * 10 + (unsigned)(ch - '0')) % 97;
    }
    return rem == 1;
}

bool gl_email_valid(gl_str s)
{
    const char *at = s.len ? memchr(s.ptr, '@', s.len) : NULL;
    if (!at || at == s.ptr || memchr(at + 1, '@', s.len - (size_t)(at + 1 - s.ptr)))
        return false;
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)s.ptr[i] <= ' ')
            return false;
    const char *domain = at + 1, *end = s.ptr + s.len;
    const char *dot = memchr(domain, '.', (size_t)(end - domain));
    return dot && dot > domain && dot + 1 < end && end[-1] != '.';
}

static bool code_valid(gl_str code)
{
    if (code.len == 0 || code.ptr[0] == ' ' || code.ptr[code.len - 1] == ' ')
        return false;
    return true; /* the text rule was checked by the decoder */
}

int gl_third_party_check(const gl_third_party *r, const char **field)
{
    *field = NULL;
    if (!code_valid(r->code))
        *field = "code";
    else if (!gl_tp_kind_name(r->kind))
        *field = "kind";
    else if (r->collective.len == 0) /* its class: the daemon's check (446) */
        *field = "collective";
    else if (r->siren.len && !gl_siren_valid(r->siren))
        *field = "siret";
    else if (r->terms_days > GL_TP_TERMS_MAX)
        *field = "terms_days";
    else if (r->flags & ~GL_TP_FLAGS_KNOWN)
        *field = "flags";
    else if (r->flags & GL_TP_SEALED) /* a natural person's block, opened only by its key */
        *field =
            (r->flags & GL_TP_NATURAL_PERSON) && r->ident.len >= GL_TP_SEALED_MIN ? NULL : "sealed";
    else if (r->name.len == 0 || r->name.ptr[0] == ' ')
        *field = "name";
    else if (r->email.len && !gl_email_valid(r->email))
        *field = "email";
    else if (r->iban.len && !gl_iban_valid(r->iban))
        *field = "iban";
    return *field ? GL_ERR_BAD_THIRD_PARTY : GL_OK;
}

int gl_tp_set_decode(const uint8_t *body, size_t len, gl_tp_set_q *out, uint32_t *bad_item)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->mode = gl_get_u8(&c);
    out->count = gl_get_u16(&c);
    if (gl_cur_status(&c) != GL_OK)
        return gl_cur_status(&c);
    if (out->mode > GL_TP_MODE_ADD)
        return GL_ERR_RESERVED_NONZERO;
    if (out->count == 0 || out->count > GL_TP_SET_MAX)
        return GL_ERR_COUNT_LIMIT;
    out->records = c.pos;
    for (uint32_t i = 1; i <= out->count; i++) {
        gl_third_party r;
        int st = gl_third_party_get(&c, &r);
        if (st != GL_OK) {
            *bad_item = i;
            return st;
        }
    }
    out->records_len = (size_t)(c.pos - out->records);
    return gl_cur_end(&c);
}

void gl_tp_set_iter(const gl_tp_set_q *q, gl_cur *it)
{
    gl_cur_init(it, q->records, q->records_len);
}

int gl_tp_list_decode(const uint8_t *body, size_t len, gl_tp_list_q *out)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    out->prefix = gl_get_str8(&c, GL_AUX_MAX);
    out->after = gl_get_str8(&c, GL_AUX_MAX);
    return gl_cur_end(&c);
}

void gl_tp_list_encode(gl_buf *b, const gl_tp_list_q *q)
{
    gl_put_str8(b, q->prefix.ptr, q->prefix.len);
    gl_put_str8(b, q->after.ptr, q->after.len);
}

int gl_tp_reply_open(gl_tp_reply *p, const uint8_t *body, size_t len)
{
    /* the daemon's stored records: gl_cur_init_stored's strings */
    gl_cur_init_stored(&p->c, body, len);
    p->count = gl_get_u32(&p->c);
    p->more = gl_get_u8(&p->c) != 0;
    p->read = 0;
    return gl_cur_status(&p->c);
}

bool gl_tp_reply_next(gl_tp_reply *p, uint8_t *source, gl_third_party *out)
{
    if (p->read == p->count || gl_cur_status(&p->c) != GL_OK)
        return false;
    *source = gl_get_u8(&p->c);
    if (gl_third_party_get(&p->c, out) != GL_OK) {
        gl_cur_fail(&p->c, GL_ERR_MALFORMED);
        return false;
    }
    p->read++;
    return true;
}

int gl_tp_reply_end(gl_tp_reply *p)
{
    if (p->read != p->count)
        gl_cur_fail(&p->c, GL_ERR_MALFORMED);
    return gl_cur_end(&p->c);
}
