/*
 * CFormat: one snprintf of a double with a `*` precision, for the printers.
 *
 * Swift reaches C's variadic printf only through CVarArg (withVaList), whose first use in a
 * process looks up the conformances of Int32 and Double to the CVarArg protocols by scanning every
 * conformance record of the binary: about 0.3 ms of the first printed tensor (perf, issue 17).
 */
#ifndef CFORMAT_H
#define CFORMAT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** snprintf(out, size, format, precision, value) for a format with one `%.*` conversion of a
 *  double (`%.*f`, `%.*e`, `%.*g`); returns what snprintf returns. */
int jc_format_double(char *out, size_t size, const char *format, int precision, double value);

/** snprintf(out, size, format, value) for a format with one conversion of a double and no `*`
 *  (`%.17g`, `%r`-style repr formats). */
int jc_format_double_plain(char *out, size_t size, const char *format, double value);

#ifdef __cplusplus
}
#endif

#endif
