// OpenBLAS's CBLAS interface (and its openblas_* extensions) and LAPACKE, as declared by
// Debian's libopenblas-dev and liblapacke-dev. The functions Jacobi calls are defined in
// Loader.c, which loads the libraries on first use (dlopen), not when the program starts.
#include <cblas.h>
#include <lapacke.h>

/// Whether OpenBLAS has been loaded (a BLAS or LAPACK function was called).
int jc_blas_is_loaded(void);

/// CPU features read with CPUID, as bits: 1 Intel vendor, 2 avx2, 4 fma, 8 avx512f, 16 avx512bw,
/// 32 avx512vl, 64 avx512_bf16 (0 where CPUID is not available).
unsigned jc_cpu_features(void);
