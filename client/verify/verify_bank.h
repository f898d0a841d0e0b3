/*
 * client/verify/verify_bank.h — the replay state of the bank events
 * (issue 18), shared by verify_bank.c (bank accounts, statements) and
 * verify_bank_match.c (matches): per tenant, hung on tstate.
 */
#ifndef GL_VERIFY_BANK_H
#define GL_VERIFY_BANK_H

#include "verify_int.h"

#include "proto/bank.h"

typedef struct bank_reg {
    uint8_t alen, ilen;
    char account[GL_ACCOUNT_MAX];
    char iban[GL_BANK_IBAN_MAX];
    uint32_t lines;   /* the last line id given */
    uint32_t matches; /* the last match id given */
} bank_reg;

typedef struct ref_key {
    uint8_t alen, rlen;
    char account[GL_ACCOUNT_MAX];
    char ref[GL_BANK_REF_LEN_MAX];
} ref_key;

typedef struct day_key {
    int64_t amount;
    uint32_t date;
    uint8_t alen, llen;
    char account[GL_ACCOUNT_MAX];
    char label[GL_BANK_TEXT_MAX];
} day_key;

/* A day_key and a file format (PROTOCOL.md §5.37: each format's
 * references name its movements its own way). */
typedef struct cover_key {
    day_key day;
    uint8_t format;
} cover_key;

/* A statement line (bank account, seq), or a match (bank account, id). */
typedef struct seq_key {
    uint32_t seq;
    uint8_t alen;
    char account[GL_ACCOUNT_MAX];
    uint8_t zero[3];
} seq_key;
typedef struct seq_val {
    int64_t amount;
    uint32_t booking;
    uint32_t match; /* its active match, 0: none */
} seq_val;
typedef struct match_val {
    const uint8_t *set; /* the set's bytes in the BANK_MATCH event */
    size_t len;
    uint8_t active;
} match_val;

struct vf_bank {
    bank_reg *regs;
    size_t n, cap;
    map refs;    /* ref_key -> uint32 seq */
    map days;    /* day_key -> uint32 count */
    map covered; /* cover_key -> uint32: those of them a reference of a format covers */
    map seqs;    /* seq_key -> seq_val: every line stored */
    map books;   /* line_key -> uint32: the ledger lines' active match (0: none) */
    map matches; /* seq_key (the id) -> match_val */
};

struct vf_bank *vf_bank_state(vctx *v);
bank_reg *vf_bank_reg(struct vf_bank *b, gl_str account);
seq_key vf_seq_key(gl_str account, uint32_t seq);

#endif
