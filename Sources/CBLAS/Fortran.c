// The one routine of the GNU Fortran runtime that the LAPACK routines Jacobi links need.
//
// OpenBLAS's archive holds reference LAPACK compiled with gfortran; the routines Jacobi calls
// (gesdd, gecon, lange, getri and what they call) reach the runtime only to join two strings
// (the option names they pass to ilaenv). Defining it here keeps libgfortran and libquadmath,
// about 0.5 ms of loading at every start, out of the program.
#include <stddef.h>
#include <string.h>

// Fortran's `dest = s1 // s2`: fixed-length strings, the result cut to `destlen` or padded with
// blanks up to it (gfortran passes lengths as size_t since version 8).
void _gfortran_concat_string(size_t destlen, char *dest, size_t len1, const char *s1, size_t len2, const char *s2) {
    size_t n1 = len1 < destlen ? len1 : destlen;
    memcpy(dest, s1, n1);
    dest += n1;
    destlen -= n1;
    size_t n2 = len2 < destlen ? len2 : destlen;
    memcpy(dest, s2, n2);
    memset(dest + n2, ' ', destlen - n2);
}
