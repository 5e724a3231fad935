/* SPDX-License-Identifier: ISC (see COPYING) */
/* text/text.h: everything that turns a string into terminal cells.
 *
 * The ONE path from a server string to the screen: text_fit() sanitises
 * (control characters, escape sequences, C1 controls, bidirectional
 * overrides and isolates, invalid UTF-8 all become visible placeholders and
 * never reach the terminal) and measures with wcwidth, so CJK text stays
 * aligned and is cut with an ellipsis, never in the middle of a character.
 *
 * What the sanitiser shows (UTF-8 mode / ASCII mode):
 *   C0 control, DEL        the control picture U+2400+c, U+2421 ("␛" for ESC)
 *                          / caret notation "^[", "^?"
 *   tab, LF, CR, VT, FF,   one space (CR LF counts as one)
 *   NEL, U+2028, U+2029
 *   escape sequence        ONE "␛" / "^[" for the whole sequence, payload
 *                          dropped: CSI (ESC [ or U+009B) up to its final
 *                          byte; OSC, DCS, SOS, PM, APC (ESC ] P X ^ _ or
 *                          their C1 forms) up to BEL, ST, CAN or SUB, or the
 *                          end of the string; other ESC sequences (ESC ( B,
 *                          ESC 7, ESC c) up to their final byte
 *   other C1 control       U+FFFD / "?"
 *   bidi controls          U+FFFD / "?" (U+202A..202E, U+2066..2069, LRM,
 *                          RLM, ALM): no text is ever reordered
 *   invisible characters   U+FFFD / "?" (zero-width space/joiners U+200B..D,
 *                          U+2060..2064, U+FEFF, soft hyphen, Hangul
 *                          fillers, tag characters, the other Unicode
 *                          format characters): shown, never dropped,
 *                          so "ab" and "a<ZWSP>b" never look the same
 *   invalid UTF-8          U+FFFD / "?" per maximal invalid subpart
 *                          (overlongs, surrogates, > U+10FFFF included)
 *   non-printable          U+FFFD / "?" (wcwidth() < 0: unassigned,
 *                          noncharacters)
 *   combining mark         kept after a printable base character (at most 8
 *                          per base, the rest dropped); with no base (string
 *                          start, after a placeholder): U+FFFD. Dropped in
 *                          ASCII mode.
 * Work is linear in the input; NULL is treated as "".
 */
#ifndef PAYOPS_TEXT_H
#define PAYOPS_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Output mode: UTF-8 terminal (default) or ASCII fallback (non-UTF-8 locale):
 * then every non-ASCII character is shown as '?' (wide ones as "??"), the
 * ellipsis is '~' and placeholders are ASCII ("^[" for ESC). */
void text_set_ascii(bool ascii);
bool text_ascii(void);

/* Sanitise `s` (len bytes, or strlen when len == (size_t)-1) into out (always
 * NUL-terminated, truncated at a character boundary if outsz is short).
 * Returns the display width of the result in columns. */
int text_sanitize(const char *s, size_t len, char *out, size_t outsz);

/* Display width in columns of the sanitised form of s. */
int text_width(const char *s);

/* Sanitise and fit s into exactly `cols` columns (when TEXT_PAD; else at most
 * cols): cut with an ellipsis when too wide, never splitting a character or a
 * wide glyph (a wide glyph that would straddle the edge becomes a space).
 * Returns the columns written. */
enum { TEXT_PAD = 1, TEXT_RIGHT = 2 /* right-align when padding */ };
int text_fit(const char *s, int cols, int flags, char *out, size_t outsz);

/* Money in integer minor units, exact: money_format(-123456789, "CNY") ->
 * "-¥1,234,567.89" ("-CNY 1,234,567.89" in ASCII mode); other currencies as
 * "USD 12.00"; currencies with no minor unit (JPY) print none, three-decimal
 * ones (KWD, BHD, ...) three. No currency (NULL or "") prints the bare
 * number; a currency that is not three letters A-Z prints as "???".
 * Returns the width in columns, or -1 (out = "") when outsz is too small. */
int money_format(int64_t minor, const char *currency, char *out, size_t outsz);
/* Parse "1,234.5", "¥12", "-0.01", "12.345" (too many decimals: error) into
 * minor units; 0 on success, -1 on error or overflow. */
int money_parse(const char *s, const char *currency, int64_t *minor);

/* RFC 3339 (UTC "Z" or an offset, optional fractional seconds) to time_t;
 * 0 on success, -1 when malformed. */
int time_parse_rfc3339(const char *s, time_t *out);
/* time_t to "2026-11-21T08:15:00Z". */
void time_format_rfc3339(time_t t, char *out, size_t outsz);
/* Compact age/duration: "0s" "42s" "3m05s" "2h05m" "3d04h"; negative
 * durations (a deadline passed) keep their sign. */
void time_format_age(int64_t seconds, char *out, size_t outsz);

/* UTF-8: the same functions as base/utf8.h's utf8_next, utf8_encode,
 * utf8_valid and utf8_scrub (see there), under the names this module's
 * callers have used; new code calls base/utf8.h. */
int text_utf8_next(const char *s, size_t len, uint32_t *cp);
int text_utf8_encode(uint32_t cp, char out[4]);
bool text_utf8_valid(const char *s, size_t len);
char *text_utf8_scrub(const char *s, size_t len, size_t *outlen);
/* Whether needle is in hay, letters in either case (towlower per
 * character, so "ICBC" finds "icbc"; Chinese matches itself). Text that
 * does not decode in the locale is compared as bytes (strcasestr); hay is
 * read up to 511 characters. An empty needle is everywhere. */
bool text_contains(const char *hay, const char *needle);

#endif
