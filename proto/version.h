/*
 * proto/version.h — the release both programs report (`--version`, the
 * daemon's PING reply) beside GL_PROTOCOL_VERSION (proto/limits.h), the
 * version of the bytes on the wire, which changes far less often.
 */
#ifndef GL_VERSION_H
#define GL_VERSION_H

#define GL_RELEASE "0.1"

#endif
