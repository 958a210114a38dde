// OpenBLAS and LAPACKE, loaded on first use.
//
// Linking them makes every start pay for the dynamic loader's relocation of OpenBLAS, LAPACKE,
// LAPACK and libgfortran and for OpenBLAS's constructor, which starts its worker threads (about
// 5 ms of a 13 ms start on the 2-core machine, measured with perf stat). Most sessions start with
// work that needs no BLAS, so the libraries are opened by the first call to one of the functions
// below instead. Each function has the signature of its declaration in cblas.h or lapacke.h and
// forwards to the library's own definition, found once with dlsym. OPENBLAS_CORETYPE and
// OPENBLAS_NUM_THREADS set before that first call are read by OpenBLAS as at a start.
#include "CBLAS.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static void *openblas_handle;
static void *lapacke_handle;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void *open_first(const char *const *names) {
    for (int i = 0; names[i]; i++) {
        void *h = dlopen(names[i], RTLD_LAZY | RTLD_GLOBAL);
        if (h) return h;
    }
    return NULL;
}

static void load_libraries(void) {
    static const char *const openblas_names[] = {"libopenblas.so.0", "libopenblas.so", NULL};
    static const char *const lapacke_names[] = {"liblapacke.so.3", "liblapacke.so", NULL};
    openblas_handle = open_first(openblas_names);
    if (openblas_handle) lapacke_handle = open_first(lapacke_names);
}

// The library's definition of `name`; a missing library is an installation problem that no
// computation can continue from, so it ends the process with what to install.
static void *symbol(void **handle, const char *library, const char *name) {
    pthread_once(&load_once, load_libraries);
    void *f = *handle ? dlsym(*handle, name) : NULL;
    if (!f) {
        fprintf(stderr, "jacobi: cannot load %s from %s: %s\n"
                        "  install it: apt-get install libopenblas0 liblapacke (make run installs them)\n",
                name, library, dlerror());
        exit(70);
    }
    return f;
}

int jc_blas_is_loaded(void) { return openblas_handle != NULL; }

unsigned jc_cpu_features(void) {
    unsigned features = 0;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return 0;
    // "GenuineIntel" is ebx, edx, ecx.
    if (b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e) features |= 1;
    unsigned max = a;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return features;
    if ((c >> 12) & 1) features |= 4;
    if (max < 7) return features;
    __cpuid_count(7, 0, a, b, c, d);
    if ((b >> 5) & 1) features |= 2;
    if ((b >> 16) & 1) features |= 8;
    if ((b >> 30) & 1) features |= 16;
    if ((b >> 31) & 1) features |= 32;
    __cpuid_count(7, 1, a, b, c, d);
    if ((a >> 5) & 1) features |= 64;
#endif
    return features;
}

static const char *const OB_library = "libopenblas.so.0";
static const char *const LP_library = "liblapacke.so.3";
#define OB_handle openblas_handle
#define LP_handle lapacke_handle

// `name` with the declared signature, forwarding to library `lib`'s definition (OB or LP).
#define FORWARD(lib, ret, name, params, args)                                           \
    ret name params {                                                                   \
        static ret(*f) params;                                                          \
        if (!f) f = (ret(*) params)symbol(&lib##_handle, lib##_library, #name);         \
        return f args;                                                                  \
    }
#define FORWARD_VOID(lib, name, params, args)                                           \
    void name params {                                                                  \
        static void(*f) params;                                                         \
        if (!f) f = (void(*) params)symbol(&lib##_handle, lib##_library, #name);        \
        f args;                                                                         \
    }

FORWARD_VOID(OB, cblas_sgemm,
             (OPENBLAS_CONST enum CBLAS_ORDER o, OPENBLAS_CONST enum CBLAS_TRANSPOSE ta, OPENBLAS_CONST enum CBLAS_TRANSPOSE tb,
              OPENBLAS_CONST blasint m, OPENBLAS_CONST blasint n, OPENBLAS_CONST blasint k, OPENBLAS_CONST float alpha,
              OPENBLAS_CONST float *a, OPENBLAS_CONST blasint lda, OPENBLAS_CONST float *b, OPENBLAS_CONST blasint ldb,
              OPENBLAS_CONST float beta, float *c, OPENBLAS_CONST blasint ldc),
             (o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
FORWARD_VOID(OB, cblas_dgemm,
             (OPENBLAS_CONST enum CBLAS_ORDER o, OPENBLAS_CONST enum CBLAS_TRANSPOSE ta, OPENBLAS_CONST enum CBLAS_TRANSPOSE tb,
              OPENBLAS_CONST blasint m, OPENBLAS_CONST blasint n, OPENBLAS_CONST blasint k, OPENBLAS_CONST double alpha,
              OPENBLAS_CONST double *a, OPENBLAS_CONST blasint lda, OPENBLAS_CONST double *b, OPENBLAS_CONST blasint ldb,
              OPENBLAS_CONST double beta, double *c, OPENBLAS_CONST blasint ldc),
             (o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
FORWARD_VOID(OB, openblas_set_num_threads, (int n), (n))
FORWARD(OB, int, openblas_get_num_threads, (void), ())
FORWARD(OB, char *, openblas_get_corename, (void), ())
FORWARD(OB, char *, openblas_get_config, (void), ())

FORWARD(LP, lapack_int, LAPACKE_sgesdd,
        (int layout, char jobz, lapack_int m, lapack_int n, float *a, lapack_int lda, float *s, float *u, lapack_int ldu,
         float *vt, lapack_int ldvt),
        (layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt))
FORWARD(LP, lapack_int, LAPACKE_dgesdd,
        (int layout, char jobz, lapack_int m, lapack_int n, double *a, lapack_int lda, double *s, double *u, lapack_int ldu,
         double *vt, lapack_int ldvt),
        (layout, jobz, m, n, a, lda, s, u, ldu, vt, ldvt))
FORWARD(LP, lapack_int, LAPACKE_sgetrf, (int layout, lapack_int m, lapack_int n, float *a, lapack_int lda, lapack_int *ipiv),
        (layout, m, n, a, lda, ipiv))
FORWARD(LP, lapack_int, LAPACKE_dgetrf, (int layout, lapack_int m, lapack_int n, double *a, lapack_int lda, lapack_int *ipiv),
        (layout, m, n, a, lda, ipiv))
FORWARD(LP, lapack_int, LAPACKE_sgetri, (int layout, lapack_int n, float *a, lapack_int lda, const lapack_int *ipiv),
        (layout, n, a, lda, ipiv))
FORWARD(LP, lapack_int, LAPACKE_dgetri, (int layout, lapack_int n, double *a, lapack_int lda, const lapack_int *ipiv),
        (layout, n, a, lda, ipiv))
FORWARD(LP, lapack_int, LAPACKE_sgetrs,
        (int layout, char trans, lapack_int n, lapack_int nrhs, const float *a, lapack_int lda, const lapack_int *ipiv,
         float *b, lapack_int ldb),
        (layout, trans, n, nrhs, a, lda, ipiv, b, ldb))
FORWARD(LP, lapack_int, LAPACKE_dgetrs,
        (int layout, char trans, lapack_int n, lapack_int nrhs, const double *a, lapack_int lda, const lapack_int *ipiv,
         double *b, lapack_int ldb),
        (layout, trans, n, nrhs, a, lda, ipiv, b, ldb))
FORWARD(LP, lapack_int, LAPACKE_sgecon,
        (int layout, char norm, lapack_int n, const float *a, lapack_int lda, float anorm, float *rcond),
        (layout, norm, n, a, lda, anorm, rcond))
FORWARD(LP, lapack_int, LAPACKE_dgecon,
        (int layout, char norm, lapack_int n, const double *a, lapack_int lda, double anorm, double *rcond),
        (layout, norm, n, a, lda, anorm, rcond))
FORWARD(LP, float, LAPACKE_slange, (int layout, char norm, lapack_int m, lapack_int n, const float *a, lapack_int lda),
        (layout, norm, m, n, a, lda))
FORWARD(LP, double, LAPACKE_dlange, (int layout, char norm, lapack_int m, lapack_int n, const double *a, lapack_int lda),
        (layout, norm, m, n, a, lda))
