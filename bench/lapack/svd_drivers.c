/* LAPACK's two SVD drivers on the pinverse workload's shape: 64 float32 matrices of 64 x 64, thin
 * factors, one thread; the milliseconds for all 64, three rounds. `pinv` calls sgesdd on each
 * matrix (Tensor/Kernels/Linalg.swift), split over the cores.
 *
 *     cc -O2 -I Sources/CBLAS/include bench/lapack/svd_drivers.c Sources/CBLAS/Fortran.c \
 *        -l:liblapacke.a -l:libopenblas.a -lm -lpthread -o /tmp/svd_drivers
 *     OPENBLAS_NUM_THREADS=1 /tmp/svd_drivers
 */
#include <lapacke.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
    enum { N = 64, B = 64 };
    static float a[B * N * N], w[N * N], s[N], u[N * N], vt[N * N], superb[N];
    srand(1);
    for (int i = 0; i < B * N * N; i++) a[i] = rand() / (float)RAND_MAX - 0.5f;
    for (int round = 0; round < 3; round++) {
        double t0 = now();
        for (int b = 0; b < B; b++) {
            memcpy(w, a + b * N * N, sizeof w);
            LAPACKE_sgesdd(LAPACK_COL_MAJOR, 'S', N, N, w, N, s, u, N, vt, N);
        }
        double t1 = now();
        for (int b = 0; b < B; b++) {
            memcpy(w, a + b * N * N, sizeof w);
            LAPACKE_sgesvd(LAPACK_COL_MAJOR, 'S', 'S', N, N, w, N, s, u, N, vt, N, superb);
        }
        double t2 = now();
        printf("64 matrices 64 x 64: sgesdd %.2f ms, sgesvd %.2f ms\n", (t1 - t0) * 1e3, (t2 - t1) * 1e3);
    }
    return 0;
}
