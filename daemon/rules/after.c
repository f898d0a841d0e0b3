/*
 * daemon/rules/after.c — a POST that names the request it follows.
 *
 * `grandlivre fec import` sends its batches ahead, several in flight, so
 * that the daemon never waits for the client; but a batch sent ahead must
 * not be posted when the one before it was refused (the import stops at
 * the first refusal, names its line, and a rerun after the fix goes on in
 * the file's order).  So each batch after the first names its predecessor
 * (the optional `follows` field of the POST body, PROTOCOL.md §5.4) and is
 * applied only if that request was: what "applied" means is the request
 * record (DB_REQUESTS, key signer + request id), which the writer keeps
 * for every successful write and only for those (§4.3).  The predecessor
 * is looked up in the request's own write transaction, so one applied
 * earlier in the same group commit counts, and one refused there does
 * not.  Same signer only: a key cannot make its POST depend on another
 * key's requests, nor learn anything of them (the answer is the same
 * refusal as for an id never used).
 */
#include "after.h"

#include "daemon/store/keys.h"
#include "daemon/store/store.h"

#include "proto/status.h"

#include <inttypes.h>
#include <stdio.h>

int rules_after(gl_exec *x, uint64_t follows)
{
    if (follows == 0)
        return GL_OK;
    uint8_t k[KEY_REQUESTS_LEN];
    store_val v;
    key_requests(k, x->req->signer, follows);
    int st = store_get(x->txn, DB_REQUESTS, k, sizeof k, &v);
    if (st != GL_ERR_NOT_FOUND)
        return st;
    snprintf(x->detail, sizeof x->detail,
             "request %" PRIu64 " (this key's), which this POST follows, was not applied", follows);
    return GL_ERR_PREDECESSOR_NOT_APPLIED;
}
