/* The small-product kernel (Sources/CKernels/SmallGemm.c) against OpenBLAS's sgemm, on the shapes
 * Jacobi's workloads multiply: best of 300 runs each, one thread and two.
 *
 *   cc -O2 -pthread -I Sources/CKernels/include -o /tmp/small_gemm bench/gemm/small_gemm.c \
 *      Sources/CKernels/SmallGemm.c Sources/CKernels/CKernels.c -lopenblas -lm
 *   OPENBLAS_NUM_THREADS=1 /tmp/small_gemm        # one thread each
 *   /tmp/small_gemm --two                         # the helper thread against OpenBLAS's two
 *
 * Also checks that each product's elements are the in-order sums of fused multiply-adds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cblas.h>
#include "CKernels.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int two = argc > 1 && !strcmp(argv[1], "--two");
    /* m, n, k, A transposed, B transposed: an MLP's layers (batch 64), the Hessian's products,
     * the medium Jacobians' and the full Jacobian's. */
    static const long shapes[][5] = {
        {64, 128, 64, 0, 0}, {64, 128, 64, 1, 0}, {128, 128, 64, 1, 0}, {64, 128, 128, 0, 0},
        {1024, 64, 64, 0, 0}, {1024, 64, 64, 0, 1}, {1024, 16, 64, 0, 1}, {2048, 32, 32, 0, 1},
        {4096, 128, 128, 0, 0}, {4096, 64, 128, 0, 0},
    };
    printf("%s\n%6s %5s %5s %3s %3s %14s %14s %7s\n", two ? "two threads" : "one thread", "m", "n", "k", "tA", "tB",
           "OpenBLAS us", "small us", "ratio");
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        long m = shapes[s][0], n = shapes[s][1], k = shapes[s][2], ta = shapes[s][3], tb = shapes[s][4];
        float *a = malloc(4 * m * k), *b = malloc(4 * k * n), *bt = malloc(4 * k * n), *c1 = malloc(4 * m * n), *c2 = malloc(4 * m * n);
        srand(1);
        for (long i = 0; i < m * k; i++) a[i] = rand() / (float)RAND_MAX - 0.5f;
        for (long i = 0; i < k * n; i++) b[i] = rand() / (float)RAND_MAX - 0.5f;
        double best1 = 1e9, best2 = 1e9;
        long rows = 96, units = (m + rows - 1) / rows;
        for (int r = 0; r < 300; r++) {
            double t0 = now();
            memset(c1, 0, 4 * m * n);
            cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1, a,
                        ta ? m : k, b, tb ? k : n, 1, c1, n);
            double t1 = now();
            const float *rb = b;
            if (tb) { jc_transpose_f32(b, n, k, bt); rb = bt; }
            if (two) jc_sgemm_small_parallel((int)ta, 1, m, n, k, a, ta ? m : k, rb, c2, rows, 0, units);
            else jc_sgemm_small_rows((int)ta, m, n, k, a, ta ? m : k, rb, c2, 0, m);
            double t2 = now();
            if (t1 - t0 < best1) best1 = t1 - t0;
            if (t2 - t1 < best2) best2 = t2 - t1;
        }
        long wrong = 0;
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) {
                float acc = 0;
                for (long p = 0; p < k; p++)
                    acc = fmaf(ta ? a[p * m + i] : a[i * k + p], tb ? b[j * k + p] : b[p * n + j], acc);
                if (memcmp(&acc, &c2[i * n + j], 4)) wrong++;
            }
        printf("%6ld %5ld %5ld %3ld %3ld %14.1f %14.1f %7.2f%s\n", m, n, k, ta, tb, best1 * 1e6, best2 * 1e6, best2 / best1,
               wrong ? "  WRONG" : "");
        free(a); free(b); free(bt); free(c1); free(c2);
    }
    return 0;
}
