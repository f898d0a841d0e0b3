/*
 * client/web/web_mhd_lazy.c — libmicrohttpd, loaded when `grandlivre web`
 * first needs it rather than when every `grandlivre` process starts.
 *
 * Why: linked normally, libmicrohttpd brings GnuTLS and its eight
 * dependencies (p11-kit, nettle, hogweed, gmp, tasn1, idn2, unistring,
 * ffi) into every process, ping and balance included, and GnuTLS's
 * constructor initialises itself at load: measured 32 → 21 shared objects
 * and about a third of the process's CPU (docs/bench-16-c.md).  Only the
 * web server uses them.
 *
 * How: this file defines the few MHD_* functions the web server calls;
 * each forwards to the one dlopen() finds in the shared library by its
 * soname (so Debian's security updates of libmicrohttpd and GnuTLS still
 * reach the program: nothing is linked statically).  The linker, given
 * these definitions first, finds no reference left to libmicrohttpd and
 * (--as-needed, Debian's default) does not record it as needed.  Loading
 * happens once (pthread_once): on the first call, which is in the main
 * thread before the server's threads exist.
 *
 * A missing library is told as such (cli_error), and every function then
 * fails the way libmicrohttpd reports a failure (NULL, MHD_NO).
 */
#include "client/cli/cli.h"

#include <dlfcn.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>

/* The soname the header we compile against belongs to (0.9.x: 12). */
#define MHD_SONAME "libmicrohttpd.so.12"

static struct {
    struct MHD_Daemon *(*start_va)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                   MHD_AccessHandlerCallback, void *, va_list);
    void (*stop)(struct MHD_Daemon *);
    const union MHD_DaemonInfo *(*daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
    enum MHD_Result (*feature)(enum MHD_FEATURE);
    const char *(*lookup)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
    enum MHD_Result (*queue)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
    struct MHD_Response *(*from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
    void (*destroy)(struct MHD_Response *);
    enum MHD_Result (*add_header)(struct MHD_Response *, const char *, const char *);
    bool ok;
} mhd;

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;

/* dlsym returns void *: POSIX guarantees it converts to a function pointer. */
#define MHD_SYM(field, name) (*(void **)&mhd.field = dlsym(lib, name)) != NULL

static void mhd_load(void)
{
    void *lib = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        cli_error("cannot load %s (the web server's library): %s", MHD_SONAME, dlerror());
        return;
    }
    mhd.ok =
        MHD_SYM(start_va, "MHD_start_daemon_va") && MHD_SYM(stop, "MHD_stop_daemon") &&
        MHD_SYM(daemon_info, "MHD_get_daemon_info") &&
        MHD_SYM(feature, "MHD_is_feature_supported") &&
        MHD_SYM(lookup, "MHD_lookup_connection_value") && MHD_SYM(queue, "MHD_queue_response") &&
        MHD_SYM(from_buffer, "MHD_create_response_from_buffer") &&
        MHD_SYM(destroy, "MHD_destroy_response") && MHD_SYM(add_header, "MHD_add_response_header");
    if (!mhd.ok)
        cli_error("cannot load %s (the web server's library): %s", MHD_SONAME, dlerror());
}

static bool mhd_ready(void)
{
    pthread_once(&mhd_once, mhd_load);
    return mhd.ok;
}

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    if (!mhd_ready())
        return NULL;
    va_list ap;
    va_start(ap, dh_cls);
    struct MHD_Daemon *d = mhd.start_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

void MHD_stop_daemon(struct MHD_Daemon *daemon)
{
    if (mhd_ready())
        mhd.stop(daemon);
}

/* The info types the web server asks for take no further argument. */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
                                                enum MHD_DaemonInfoType info_type, ...)
{
    return mhd_ready() ? mhd.daemon_info(daemon, info_type) : NULL;
}

enum MHD_Result MHD_is_feature_supported(enum MHD_FEATURE feature)
{
    return mhd_ready() ? mhd.feature(feature) : MHD_NO;
}

const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                        const char *key)
{
    return mhd_ready() ? mhd.lookup(connection, kind, key) : NULL;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response)
{
    return mhd_ready() ? mhd.queue(connection, status_code, response) : MHD_NO;
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
    return mhd_ready() ? mhd.from_buffer(size, buffer, mode) : NULL;
}

void MHD_destroy_response(struct MHD_Response *response)
{
    if (mhd_ready())
        mhd.destroy(response);
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header,
                                        const char *content)
{
    return mhd_ready() ? mhd.add_header(response, header, content) : MHD_NO;
}
