// OpenBLAS's CBLAS interface (and its openblas_* extensions) and LAPACKE.
#include <cblas.h>
#include <lapacke.h>
