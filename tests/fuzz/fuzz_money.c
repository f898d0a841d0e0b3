/*
 * tests/fuzz/fuzz_money.c — libFuzzer target for gl_money_parse: any byte
 * string is either refused, leaving the target untouched, or parsed to cents
 * that survive a round trip: formatting them with GL_MONEY_PLAIN (and
 * GL_MONEY_COMMA) and parsing the text back must give the same cents, and a
 * refusal must not be turned into an acceptance by the formatter.
 * Seeds: tests/fuzz/corpus/fuzz_money/.
 */
#include "proto/money.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define UNTOUCHED ((int64_t)0x5a5a5a5a5a5a5a5a)

/* Formatting cents in style and parsing the text back must give cents. */
static void round_trip(int64_t cents, enum gl_money_style style)
{
    char text[GL_MONEY_TEXT_MAX];
    gl_money_format(cents, style, text);
    size_t len = strlen(text);
    if (len == 0 || len >= GL_MONEY_TEXT_MAX)
        abort();
    int64_t back = UNTOUCHED;
    if (!gl_money_parse(text, len, &back) || back != cents)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t cents = UNTOUCHED;
    if (!gl_money_parse((const char *)data, size, &cents)) {
        if (cents != UNTOUCHED)
            abort();
        return 0;
    }
    round_trip(cents, GL_MONEY_PLAIN);
    round_trip(cents, GL_MONEY_COMMA);
    return 0;
}
