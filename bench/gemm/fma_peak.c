/* The machine's float32 FMA peak on one core: twelve independent chains of AVX2 fused
 * multiply-adds (eight floats, two FLOPs each), more than the two FMA units' latency needs to stay
 * busy, so the loop runs at the clock the core really has under load (boost included). What the
 * single-thread targets are measured against (docs/performance.md).
 *
 *   cc -O2 -o /tmp/fma_peak bench/gemm/fma_peak.c && /tmp/fma_peak
 *
 * Prints GFLOP/s, best of five runs of 1.5e8 iterations. */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#define STEP(x) x = _mm256_fmadd_ps(x, b, c)

__attribute__((target("avx2,fma"))) static double run(long n, float *sink) {
    __m256 a0 = _mm256_set1_ps(1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    __m256 a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
    const __m256 b = _mm256_set1_ps(0.9999999f), c = _mm256_set1_ps(1e-8f);
    double t0 = now();
    for (long i = 0; i < n; i++) {
        STEP(a0); STEP(a1); STEP(a2); STEP(a3); STEP(a4); STEP(a5);
        STEP(a6); STEP(a7); STEP(a8); STEP(a9); STEP(a10); STEP(a11);
        /* Keeps the twelve chains in registers and the loop from being folded away. */
        __asm__ volatile("" : "+x"(a0), "+x"(a1), "+x"(a2), "+x"(a3), "+x"(a4), "+x"(a5),
                         "+x"(a6), "+x"(a7), "+x"(a8), "+x"(a9), "+x"(a10), "+x"(a11));
    }
    double t = now() - t0;
    float out[8];
    _mm256_storeu_ps(out, _mm256_add_ps(_mm256_add_ps(a0, a11), _mm256_add_ps(a5, a6)));
    *sink += out[0];
    return n * 12.0 * 16 / t / 1e9;
}

int main(void) {
    float sink = 0;
    double best = 0;
    for (int r = 0; r < 5; r++) {
        double g = run(150000000L, &sink);
        if (g > best) best = g;
    }
    printf("one core, float32 AVX2 FMA: %.1f GFLOP/s (best of 5; checksum %g)\n", best, sink);
    return 0;
}
