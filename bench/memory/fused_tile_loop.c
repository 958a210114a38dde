/* `U * V * T` over [64, 16, 64] float32 (V [64, 1, 64]) as Jacobi's fused loop runs it, through
 * the same kernel (CKernels' jc_binary_rows_f32): tiles of 1024 elements, V's row read in place,
 * the first product into a scratch tile, the second into the output. Beside it one plain multiply
 * over the whole arrays. Everything stays warm (best of 2000 rounds), so the difference from
 * `:time U * V * T` in Jacobi is what the loop costs outside its arithmetic.
 *
 *   clang -O2 -I Sources/CKernels/include bench/memory/fused_tile_loop.c Sources/CKernels/CKernels.c \
 *      -lm -o /tmp/fused_tile_loop && /tmp/fused_tile_loop
 *
 * An argument moves every buffer that many floats off its cache line: `/tmp/fused_tile_loop 4`
 * places them 16 bytes off, as malloc can.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "CKernels.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    enum { N = 65536, ROW = 64, TILE = 1024 };
    long off = argc > 1 ? atol(argv[1]) : 0;
    float *u = (float *)aligned_alloc(64, 4 * N + 64) + off, *t = (float *)aligned_alloc(64, 4 * N + 64) + off;
    float *v = aligned_alloc(64, 4 * 64 * ROW);
    float *y = (float *)aligned_alloc(64, 4 * N + 64) + off, *scratch = (float *)aligned_alloc(64, 4 * (TILE + 16) + 64) + off;
    for (long i = 0; i < N; i++) { u[i] = 1 + i % 7; t[i] = 2; }
    for (long i = 0; i < 64 * ROW; i++) v[i] = 0.5f;
    double fused = 1e9, plain = 1e9;
    for (int r = 0; r < 2000; r++) {
        double t0 = now();
        for (long start = 0; start < N; start += TILE) {
            /* Tile `start` lies in batch element start / 1024 of [64, 16, 64]: V's row of that element. */
            jc_binary_rows_f32(2, u + start, ROW, v + start / 1024 * ROW, 0, scratch, TILE / ROW, ROW);
            jc_binary_rows_f32(2, scratch, TILE, t + start, TILE, y + start, 1, TILE);
        }
        double e = now() - t0;
        if (e < fused) fused = e;
        t0 = now();
        jc_binary_rows_f32(2, u, N, t, N, y, 1, N);
        e = now() - t0;
        if (e < plain) plain = e;
    }
    printf("U * V * T in tiles: %.2f us; U * T in one run: %.2f us (y[5] = %g)\n", fused * 1e6, plain * 1e6, y[5]);
    return 0;
}
