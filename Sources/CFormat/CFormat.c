#include "CFormat.h"
#include <stdio.h>

int jc_format_double(char *out, size_t size, const char *format, int precision, double value) {
    return snprintf(out, size, format, precision, value);
}

int jc_format_double_plain(char *out, size_t size, const char *format, double value) {
    return snprintf(out, size, format, value);
}
