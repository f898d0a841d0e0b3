/*
 * daemon/store/redigest.h — one step of the schema upgrade to protocol
 * version 2: carrying the idempotency records of the requests accepted
 * under version 1 over to version 2.
 *
 * A request record (`requests`: signer | request_id -> digest | reply)
 * holds the digest of the request's content (proto/request.h) so that a
 * retry is answered with the original reply.  A version 1 POST's content is
 * in entry layout 1; the same request sent again by a version 2 client
 * carries its entries in layout 2 (empty extension areas), so its digest
 * differs and it would be refused (request_id_reused) where it must be a
 * replay.  This step recomputes those digests from the requests themselves
 * (the `envelopes` database keeps each accepted request as received: it is
 * decoded as version 1, its body re-encoded as version 2, the digest
 * recomputed) and stamps the stored replies version 2.  History (envelopes,
 * chains, entries) is not touched.
 */
#ifndef GL_REDIGEST_H
#define GL_REDIGEST_H

#include "store.h"

#include <stddef.h>

/* For every envelope that is a version 1 request whose request record
 * still holds its version 1 digest: write the version 2 digest of the same
 * content (gl_request_digest_v2) and set the version of the stored reply
 * (same layout in both versions) to 2.  A version 1 request whose body
 * today's decoder refuses keeps its record as it is (the same content
 * cannot be sent in version 2 anyway); records already carried over are
 * left alone, so running it again changes nothing.  One write transaction,
 * committed before returning.  GL_OK with a one-line summary in msg
 * ("N request records carried over, ..."), or GL_ERR_STORAGE /
 * GL_ERR_MAP_FULL with the reason in msg (nothing changed). */
int store_upgrade_redigest_v1(store *s, char *msg, size_t msg_len);

#endif
