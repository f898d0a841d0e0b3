/*
 * daemon/rules/after.h — a POST that follows another request (fec import
 * sending its batches ahead): see after.c.
 */
#ifndef GL_RULES_AFTER_H
#define GL_RULES_AFTER_H

#include "daemon/ledger.h"

#include <stdint.h>

/* GL_OK if follows is 0 (the POST names no predecessor) or if the request
 * (follows, the same signer) was applied; else predecessor_not_applied
 * (451) with a detail naming it, or a storage error. */
int rules_after(gl_exec *x, uint64_t follows);

#endif
