/*
 * utf8.h — encoding one Unicode scalar value as UTF-8, the step every
 * folder that turns glyphs back into text needs.
 */
#ifndef BP_COMMON_UTF8_H
#define BP_COMMON_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes the UTF-8 encoding of cp (at most 4 bytes, no NUL) to buf and
 * returns the number of bytes written.  cp must be a scalar value
 * (≤ 0x10FFFF, not a surrogate); callers pass what a decoder produced. */
size_t bp_utf8_encode(uint32_t cp, char *buf);

#endif
