/*
 * proto/reminder.h — the reminders sent to third parties (issue 17,
 * PROTOCOL.md §5.19c/§5.19d): the body of REMINDER_RECORD (25), the reply
 * of REMINDERS (26) and the payload of the chain event REMINDER (10).
 *
 *   REMINDER_RECORD body: date u32 | count u16 | (aux str8 | level u8)*count
 *   REMINDERS reply:      count u32 | (aux str8 | level u8 | date u32 |
 *                         count u32)*count — per third party, its last
 *                         reminder and how many were recorded
 *   REMINDER event:       aux str8 | level u8 | date u32
 */
#ifndef GL_PROTO_REMINDER_H
#define GL_PROTO_REMINDER_H

#include "wire.h"

#include <stdbool.h>
#include <stdint.h>

#define GL_REMINDER_LEVEL_MAX 3
#define GL_REMINDERS_MAX 1000 /* third parties per REMINDER_RECORD */

typedef struct gl_reminder_q {
    uint32_t date;
    uint16_t count;
    const uint8_t *items; /* count × (aux str8 | level u8), checked by decode */
    size_t items_len;
} gl_reminder_q;

typedef struct gl_reminder_item {
    gl_str aux;
    uint8_t level;
} gl_reminder_item;

/* Decode: MALFORMED, TRAILING_BYTES, BAD_DATE (109), COUNT_LIMIT (107:
 * 0 or more than GL_REMINDERS_MAX), STRING_TOO_LONG / STRING_INVALID (an
 * aux), FIELD_REQUIRED (434: an empty aux), REMINDER_LEVEL (453).  The
 * _stored variant reads what the daemon kept (the verifier). */
int gl_reminder_q_decode(const uint8_t *body, size_t len, gl_reminder_q *out);
int gl_reminder_q_decode_stored(const uint8_t *body, size_t len, gl_reminder_q *out);
/* The items of a decoded body, in order: *pos starts at 0; false past the
 * last. */
bool gl_reminder_q_next(const gl_reminder_q *q, size_t *pos, gl_reminder_item *out);
void gl_reminder_q_encode(gl_buf *out, uint32_t date, const gl_reminder_item *items,
                          uint16_t count);

/* One row of REMINDERS' reply. */
typedef struct gl_reminder_row {
    gl_str aux;
    uint8_t level;
    uint32_t date;
    uint32_t count;
} gl_reminder_row;

void gl_reminder_row_encode(gl_buf *out, const gl_reminder_row *r);
/* count u32 then the rows: *pos starts after the count (4). */
int gl_reminders_reply_count(const uint8_t *body, size_t len, uint32_t *count);
bool gl_reminders_reply_next(const uint8_t *body, size_t len, size_t *pos, gl_reminder_row *out);

/* The REMINDER event's payload (after the event head). */
void gl_reminder_event_encode(gl_buf *out, gl_str aux, uint8_t level, uint32_t date);
int gl_reminder_event_decode(const uint8_t *p, size_t len, gl_str *aux, uint8_t *level,
                             uint32_t *date);

#endif
