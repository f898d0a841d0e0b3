/*
 * daemon/zap.h — the ZAP handler (ZeroMQ RFC 27): libzmq asks it, for every
 * CURVE handshake on the daemon's socket, whether the client's public key
 * may connect.  It admits only the CURVE keys of the keyring in force that
 * are not revoked, and names the admitted key in the reply's User-Id (64
 * lower-case hex digits of the CURVE public key), which libzmq attaches to
 * every message of that connection: the only identity the daemon trusts
 * (peer-supplied X-* metadata never is).
 *
 * The handler's REP socket lives on the transport thread, which polls it
 * beside the ROUTER socket: it reads the configuration pointer the transport
 * swaps on reload without any lock.  It must be bound before the ROUTER
 * socket binds; the ROUTER sets a ZAP domain and ZMQ_ZAP_ENFORCE_DOMAIN, so
 * that with no handler reachable every client is refused, never admitted.
 */
#ifndef GL_ZAP_H
#define GL_ZAP_H

#include "config.h"

#include <stddef.h>
#include <stdint.h>

#define ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define ZAP_DOMAIN "grandlivre"
#define ZAP_LOG_PER_MINUTE 10 /* refusals logged per minute; the rest counted */

typedef struct zap {
    void *sock;
    int64_t window_ms; /* start of the current logging minute */
    unsigned logged, suppressed;
} zap;

/* Bind the handler. 0, or -1 with a sentence in err. */
int zap_open(zap *z, void *zctx, char *err, size_t err_len);
void zap_close(zap *z);
/* Answer the requests waiting (never blocks; at most a few hundred a call)
 * from cfg's keyring.  Returns the number answered. */
int zap_answer(zap *z, const gl_config *cfg);

/* Parse a User-Id this handler set into the CURVE key. 0, or -1 if s is not
 * 64 hex digits. */
int zap_user_id_parse(const char *s, uint8_t curve[32]);

#endif
