/* Batched one-sided Jacobi pseudo-inverses (Sources/CKernels/JacobiPinv.c) against the LAPACK
 * route `pinv` takes otherwise (sgesdd, then V diag(1/S) U^T), on the pinverse workload's shape:
 * float32 matrices of 64 x 64 with standard normal entries, one thread, milliseconds for the
 * batch (best of five rounds); and each route's worst per-matrix relative error against a float64
 * pinv (dgesdd) of the same float32 matrices.
 *
 * clang, as SwiftPM builds the kernel (gcc fuses multiplies and adds in the reference loops):
 *
 *     clang -O2 -I Sources/CBLAS/include -I Sources/CKernels/include bench/lapack/jacobi_pinv.c \
 *        Sources/CKernels/JacobiPinv.c Sources/CKernels/CKernels.c Sources/CBLAS/Fortran.c \
 *        -l:liblapacke.a -l:libopenblas.a -lm -lpthread -o /tmp/jacobi_pinv
 *     OPENBLAS_NUM_THREADS=1 /tmp/jacobi_pinv [BATCH M N [FILE.npy]]
 *
 * FILE.npy: the matrices to use instead (float32, little-endian, BATCH x M x N, as the peers
 * driver's .build/peers-data/pinverse/A.npy). */
#include <lapacke.h>
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "CKernels.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double normal(void) {
    double u = (rand() + 1.0) / (RAND_MAX + 2.0), v = (rand() + 1.0) / (RAND_MAX + 2.0);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* pinv of a row-major m x n float32 matrix through sgesdd (as Tensor/Kernels/Linalg.swift). */
static void lapack_pinv(const float *a, long m, long n, float rtol, float *p) {
    long k = m < n ? m : n;
    float *w = malloc(4 * m * n), *s = malloc(4 * k), *u = malloc(4 * n * k), *vt = malloc(4 * k * m), *x = malloc(4 * k * n);
    memcpy(w, a, 4 * m * n);
    /* LAPACK sees A^T (n x m column-major): its U is our Vh^T... as in Linalg.swift. */
    LAPACKE_sgesdd(LAPACK_COL_MAJOR, 'S', n, m, w, n, s, u, n, vt, k);
    float cutoff = rtol * s[0];
    long r = 0;
    while (r < k && s[r] > cutoff) r++;
    for (long i = 0; i < r; i++) for (long j = 0; j < n; j++) x[i * n + j] = u[i * n + j] / s[i];
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasTrans, n, m, r, 1, x, n, vt, k, 0, p, m);
    free(w); free(s); free(u); free(vt); free(x);
}

static void exact_pinv(const float *a, long m, long n, double rtol, double *p) {
    long k = m < n ? m : n;
    double *w = malloc(8 * m * n), *s = malloc(8 * k), *u = malloc(8 * n * k), *vt = malloc(8 * k * m);
    for (long i = 0; i < m * n; i++) w[i] = a[i];
    LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'S', n, m, w, n, s, u, n, vt, k);
    long r = 0;
    while (r < k && s[r] > rtol * s[0]) r++;
    memset(p, 0, 8 * n * m);
    for (long c = 0; c < r; c++)
        for (long i = 0; i < n; i++)
            for (long j = 0; j < m; j++) p[i * m + j] += u[c * n + i] / s[c] * vt[j * k + c];
    free(w); free(s); free(u); free(vt);
}

int main(int argc, char **argv) {
    long batch = argc > 3 ? atol(argv[1]) : 64, m = argc > 3 ? atol(argv[2]) : 64, n = argc > 3 ? atol(argv[3]) : 64;
    float rtol = 0x1p-23f * (m > n ? m : n);
    float *a = malloc(4 * batch * m * n), *p1 = malloc(4 * batch * m * n), *p2 = malloc(4 * batch * m * n);
    double *e = malloc(8 * m * n);
    srand(1);
    for (long i = 0; i < batch * m * n; i++) a[i] = (float)normal();
    if (argc > 4) {
        FILE *f = fopen(argv[4], "rb");
        unsigned char head[10];
        if (!f || fread(head, 1, 10, f) != 10) { perror(argv[4]); return 1; }
        fseek(f, 10 + head[8] + 256 * head[9], SEEK_SET);  /* .npy version 1: header length at bytes 8-9 */
        if (fread(a, 4, batch * m * n, f) != (size_t)(batch * m * n)) { fprintf(stderr, "%s: too short\n", argv[4]); return 1; }
        fclose(f);
    }
    double best1 = 1e9, best2 = 1e9;
    int notConverged = 0;
    for (int round = 0; round < 5; round++) {
        double t0 = now();
        for (long b = 0; b < batch; b++) lapack_pinv(a + b * m * n, m, n, rtol, p1 + b * m * n);
        double t1 = now();
        for (long b = 0; b < batch; b += 8) {
            const float *src[8] = {0};
            float *dst[8] = {0};
            long rank[8]; float smax[8], smin[8]; int ok[8];
            for (int j = 0; j < 8 && b + j < batch; j++) { src[j] = a + (b + j) * m * n; dst[j] = p2 + (b + j) * m * n; }
            if (!jc_pinv_jacobi8_f32(src, dst, m, n, rtol, 0, rank, smax, smin, ok)) { puts("kernel declined"); return 1; }
            for (int j = 0; j < 8 && b + j < batch; j++) notConverged += !ok[j];
        }
        double t2 = now();
        if (t1 - t0 < best1) best1 = t1 - t0;
        if (t2 - t1 < best2) best2 = t2 - t1;
    }
    double worst1 = 0, worst2 = 0;
    for (long b = 0; b < batch; b++) {
        exact_pinv(a + b * m * n, m, n, rtol, e);
        double n0 = 0, d1 = 0, d2 = 0;
        for (long i = 0; i < m * n; i++) {
            n0 += e[i] * e[i];
            d1 += (p1[b * m * n + i] - e[i]) * (p1[b * m * n + i] - e[i]);
            d2 += (p2[b * m * n + i] - e[i]) * (p2[b * m * n + i] - e[i]);
        }
        if (sqrt(d1 / n0) > worst1) worst1 = sqrt(d1 / n0);
        if (sqrt(d2 / n0) > worst2) worst2 = sqrt(d2 / n0);
    }
    printf("%ld x [%ld, %ld]: sgesdd %.2f ms, Jacobi %.2f ms (%.2fx); worst relative error %.2e / %.2e; %d not converged\n",
           batch, m, n, best1 * 1e3, best2 * 1e3, best2 / best1, worst1, worst2, notConverged / 5);
    return 0;
}
