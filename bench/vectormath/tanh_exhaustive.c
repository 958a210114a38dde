/* Every non-negative float32 through Jacobi's AVX2 tanh (Sources/CKernels/CKernels.c, included
 * whole) against tanhl (64-bit significand) rounded to float32; tanh is odd and the kernel sets
 * the sign exactly, so the negative half follows. Prints the values that differ (at most 20) and
 * their count. About a minute on one core:
 *
 *     cc -O2 -I Sources/CKernels/include bench/vectormath/tanh_exhaustive.c -lm -o /tmp/tanh_exhaustive
 *     /tmp/tanh_exhaustive            # or: /tmp/tanh_exhaustive 0x3f000000 0x3f800000 (a range of bit patterns)
 */
#include "../../Sources/CKernels/CKernels.c"
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
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
