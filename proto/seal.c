/*
 * proto/seal.c — the identifying block, its sealing, and the codecs of
 * PERSON_KEY, FORGET and their chain event (seal.h).
 */
#include "seal.h"

#include "limits.h"
#include "status.h"

#include <sodium.h>

#include <string.h>

_Static_assert(GL_PERSON_PK_BYTES == crypto_box_PUBLICKEYBYTES, "X25519 public key");
_Static_assert(GL_PERSON_SK_BYTES == crypto_box_SECRETKEYBYTES, "X25519 secret key");
_Static_assert(GL_SEAL_OVERHEAD == crypto_box_SEALBYTES, "sealed box overhead");

void gl_identity_encode(gl_buf *b, const gl_identity *id)
{
    gl_put_str8(b, id->name.ptr, id->name.len);
    gl_put_str16(b, id->address.ptr, id->address.len);
    gl_put_str8(b, id->email.ptr, id->email.len);
    gl_put_str8(b, id->iban.ptr, id->iban.len);
}

int gl_identity_decode(const uint8_t *block, size_t len, gl_identity *out)
{
    gl_cur c;
    gl_cur_init(&c, block, len);
    out->name = gl_get_str8(&c, GL_LABEL_MAX);
    out->address = gl_get_str16(&c, GL_SEAL_ADDRESS_MAX);
    out->email = gl_get_str8(&c, GL_SEAL_EMAIL_MAX);
    out->iban = gl_get_str8(&c, GL_SEAL_IBAN_MAX);
    return gl_cur_end(&c);
}

int gl_identity_seal(const uint8_t pk[GL_PERSON_PK_BYTES], const uint8_t *block, size_t block_len,
                     gl_buf *out)
{
    uint8_t *dst = gl_buf_room(out, block_len + GL_SEAL_OVERHEAD);
    if (!dst || crypto_box_seal(dst, block, block_len, pk) != 0)
        return GL_ERR_INTERNAL;
    out->len += block_len + GL_SEAL_OVERHEAD;
    return GL_OK;
}

bool gl_identity_open(const uint8_t pk[GL_PERSON_PK_BYTES], const uint8_t sk[GL_PERSON_SK_BYTES],
                      const uint8_t *sealed, size_t sealed_len, gl_buf *out)
{
    if (sealed_len < GL_SEAL_OVERHEAD)
        return false;
    size_t n = sealed_len - GL_SEAL_OVERHEAD;
    uint8_t *dst = gl_buf_room(out, n ? n : 1);
    if (!dst || crypto_box_seal_open(dst, sealed, sealed_len, pk, sk) != 0)
        return false;
    out->len += n;
    return true;
}

int gl_person_code_decode(const uint8_t *body, size_t len, gl_str *code)
{
    gl_cur c;
    gl_cur_init(&c, body, len);
    *code = gl_get_str8(&c, GL_AUX_MAX);
    int st = gl_cur_end(&c);
    if (st == GL_OK && code->len == 0)
        return GL_ERR_MALFORMED;
    return st;
}

void gl_person_code_encode(gl_buf *b, gl_str code) { gl_put_str8(b, code.ptr, code.len); }

void gl_forget_ev_encode(gl_buf *b, const gl_forget_ev *e)
{
    gl_put_str8(b, e->code.ptr, e->code.len);
    gl_put_u32(b, e->date);
}

int gl_forget_ev_decode(const uint8_t *p, size_t len, gl_forget_ev *out)
{
    gl_cur c;
    gl_cur_init_stored(&c, p, len);
    out->code = gl_get_str8(&c, GL_AUX_MAX);
    out->date = gl_get_u32(&c);
    return gl_cur_end(&c);
}
