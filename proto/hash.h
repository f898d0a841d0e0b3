/*
 * proto/hash.h — the one non-cryptographic hash of the tree: FNV-1a, 64
 * bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3, as published
 * by Fowler, Noll and Vo), for the in-memory open-addressing tables of the
 * daemon, the client and the test tools.
 *
 * Never stored, never sent: a table may change its hash without any
 * ledger, archive or message changing.  Not for anything an attacker could
 * aim at (the chain and signatures use BLAKE2b and Ed25519, proto/chain.h).
 * Pure: no state, no allocation.
 */
#ifndef GL_HASH_H
#define GL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define GL_FNV1A64_OFFSET 0xcbf29ce484222325ull
#define GL_FNV1A64_PRIME 0x100000001b3ull

/* Continue the FNV-1a hash h over n bytes at p (p may be NULL when n is
 * 0): start from GL_FNV1A64_OFFSET, or from a previous result to hash a
 * key in pieces.  Cannot fail. */
uint64_t gl_fnv1a64_more(uint64_t h, const void *p, size_t n);

/* FNV-1a of n bytes at p. */
uint64_t gl_fnv1a64(const void *p, size_t n);

#endif
