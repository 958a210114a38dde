/* Every non-negative float32 through Jacobi's tanh kernel (Sources/CKernels/CKernels.c, included
 * whole: AVX-512 where the CPU has it, else AVX2; `--avx2` first forces AVX2) against tanhl (64-bit significand) rounded to float32; tanh is odd and the kernel sets
 * the sign exactly, so the negative half follows. Prints the values that differ (at most 20) and
 * their count. About a minute on one core:
 *
 *     cc -O2 -I Sources/CKernels/include bench/vectormath/tanh_exhaustive.c -lm -o /tmp/tanh_exhaustive
 *     /tmp/tanh_exhaustive            # or: /tmp/tanh_exhaustive 0x3f000000 0x3f800000 (a range of bit patterns)
 *     /tmp/tanh_exhaustive --time     # ns an element over 1M values in [-4, 4], best of 9 passes
 *     /tmp/tanh_exhaustive --avx2 ...  # the same with the AVX2 kernel on an AVX-512 CPU
 *
 * The file includes the kernel from the tree it sits in, so compiling it in a worktree of an older
 * commit times (or checks) that commit's kernel.
 */
#include "../../Sources/CKernels/CKernels.c"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int timing(void) {
    enum { N = 1 << 20 };
    static float x[N], y[N];
    for (long i = 0; i < N; i++) x[i] = (float)(8.0 * i / N - 4.0);
    double best = 1e9;
    for (int pass = 0; pass < 9; pass++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (!jc_tanh_f32(x, y, N)) { fprintf(stderr, "no AVX2 kernel on this CPU\n"); return 2; }
        clock_gettime(CLOCK_MONOTONIC, &b);
        double t = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
        if (t < best) best = t;
    }
    printf("tanh: %.2f ns an element (best of 9 passes over %d values)\n", best / N * 1e9, N);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--avx2") == 0) { jc_use_avx512(0); argc--; argv++; }
    if (argc > 1 && strcmp(argv[1], "--time") == 0) return timing();
    uint64_t lo = argc > 1 ? strtoull(argv[1], 0, 0) : 0, hi = argc > 2 ? strtoull(argv[2], 0, 0) : 0x7f800001;
    enum { N = 4096 };
    static float x[N], y[N];
    long wrong = 0, total = 0;
    for (uint64_t b = lo; b < hi; b += N) {
        int m = 0;
        for (; m < N && b + m < hi; m++) { uint32_t u = (uint32_t)(b + m); memcpy(&x[m], &u, 4); }
        if (!jc_tanh_f32(x, y, m)) { fprintf(stderr, "this CPU has no AVX2 and FMA: nothing to check\n"); return 2; }
        for (int i = 0; i < m; i++) {
            float want = (float)tanhl((long double)x[i]);
            if (y[i] != want && !(isnan(y[i]) && isnan(want))) {
                if (wrong < 20) printf("tanh(%a) = %a, correctly rounded %a\n", x[i], y[i], want);
                wrong++;
            }
        }
        total += m;
    }
    printf("bit patterns %#llx..%#llx: %ld values, %ld not correctly rounded\n", (unsigned long long)lo,
           (unsigned long long)hi, total, wrong);
    return wrong != 0;
}
