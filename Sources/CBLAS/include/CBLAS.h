// OpenBLAS's CBLAS interface (and its openblas_* extensions) and LAPACKE, as declared by
// Debian's libopenblas-dev and liblapacke-dev. Both are linked statically (their .a archives,
// Package.swift): a dynamically loaded OpenBLAS costs the loader about 2 ms of symbol binding at
// every start or first product, the archives about 0.2 ms. Startup.c prepares OpenBLAS's
// environment before OpenBLAS's own constructor reads it.
#include <cblas.h>
#include <lapacke.h>

/// CPU features read with CPUID, as bits: 1 Intel vendor, 2 avx2, 4 fma, 8 avx512f, 16 avx512bw,
/// 32 avx512vl, 64 avx512_bf16 (0 where CPUID is not available).
unsigned jc_cpu_features(void);

/// The OpenBLAS kernel family to ask for on a CPU with `features` (jc_cpu_features's bits) when
/// OpenBLAS would fall back to a generic one: "Cooperlake", "SkylakeX", "Haswell", or NULL.
const char *jc_preferred_coretype(unsigned features);

/// The threads OpenBLAS is to get at the first large product, taken once: the machine's cores
/// when Startup.c started OpenBLAS with one thread, 0 when already taken or when the environment
/// chose (OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS, OMP_NUM_THREADS).
int jc_take_deferred_threads(void);

/// The value jc_take_deferred_threads would return, without taking it.
int jc_deferred_threads(void);

/// Forgets the deferred threads (the user chose a number: torch.set_num_threads).
void jc_clear_deferred_threads(void);

/// Defers `threads` again (restoring the state before a temporary choice of threads).
void jc_defer_threads(int threads);
