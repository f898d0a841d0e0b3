/*
 * daemon/calendar.c — the daemon's clock in the French calendar; see
 * calendar.h.
 */
#include "calendar.h"

#include "proto/assert.h"
#include "proto/date.h"

uint32_t calendar_month(int64_t now_ms)
{
    GL_ASSERT(now_ms >= 0);
    return gl_date_paris(now_ms) / 100;
}

uint32_t calendar_month_add(uint32_t ym, int n)
{
    int64_t m = (int64_t)(ym / 100) * 12 + (int64_t)(ym % 100) - 1 + n;
    GL_ASSERT(m >= 0);
    return (uint32_t)(m / 12 * 100 + m % 12 + 1);
}

uint32_t calendar_last_due_month(int64_t now_ms)
{
    return calendar_month_add(calendar_month(now_ms), -2);
}

uint32_t calendar_last_entry_date(int64_t now_ms, unsigned first_month, unsigned future_years)
{
    uint32_t today = gl_date_paris(now_ms);
    if (!gl_date_valid(today))
        return 0; /* a clock beyond 2999: every valid date is allowed */
    unsigned fy = (unsigned)gl_fiscal_year(today, first_month) + future_years;
    if (fy > 2999)
        return 0;
    return gl_fiscal_year_end((uint16_t)fy, first_month);
}
