#include "CKernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define JC_X86 1
#endif

/* ---- scalar versions: the Swift formulas, for the tail of an array ---------------------- */

static double exp_scalar(double x) {
    double c = x < -708 ? -708 : (x > 709 ? 709 : x);
    const double shifter = 6755399441055744.0;
    double t = c * 1.4426950408889634 + shifter;
    double n = t - shifter;
    double r = (c - n * 0.6931471803691238) - n * 1.9082149292705877e-10;
    double p = 1.0 / 39916800;
    p = p * r + 1.0 / 3628800;
    p = p * r + 1.0 / 362880;
    p = p * r + 1.0 / 40320;
    p = p * r + 1.0 / 5040;
    p = p * r + 1.0 / 720;
    p = p * r + 1.0 / 120;
    p = p * r + 1.0 / 24;
    p = p * r + 1.0 / 6;
    p = p * r + 0.5;
    p = p * r + 1;
    p = p * r + 1;
    uint64_t bits;
    memcpy(&bits, &t, 8);
    uint64_t sbits = (bits + 1023) << 52;
    double scale;
    memcpy(&scale, &sbits, 8);
    double e = p * scale;
    return isnan(x) ? x : e;
}

static float tanh_scalar(float v) {
    double x = v, a = fabs(x);
    double e = exp_scalar(2 * (a < 20 ? a : 20));
    double far = 1 - 2 / (e + 1);
    double s = x * x;
    double q = 62.0 / 2835;
    q = q * s - 17.0 / 315;
    q = q * s + 2.0 / 15;
    q = q * s - 1.0 / 3;
    double near = a + a * s * q;
    double t = a < 0.125 ? near : far;
    double signed_t = copysign(t, x);
    return (float)(isnan(x) ? x : signed_t);
}

/* ---- AVX2 versions ----------------------------------------------------------------------- */

#ifdef JC_X86
#define AVX2 __attribute__((target("avx2")))

static int has_avx2(void) {
    static int known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return known;
}

AVX2 static inline __m256d exp4(__m256d x) {
    __m256d c = _mm256_min_pd(_mm256_max_pd(x, _mm256_set1_pd(-708)), _mm256_set1_pd(709));
    /* min/max above return the second operand for NaN: the NaN is restored at the end. */
    const __m256d shifter = _mm256_set1_pd(6755399441055744.0);
    __m256d t = _mm256_add_pd(_mm256_mul_pd(c, _mm256_set1_pd(1.4426950408889634)), shifter);
    __m256d n = _mm256_sub_pd(t, shifter);
    __m256d r = _mm256_sub_pd(_mm256_sub_pd(c, _mm256_mul_pd(n, _mm256_set1_pd(0.6931471803691238))),
                              _mm256_mul_pd(n, _mm256_set1_pd(1.9082149292705877e-10)));
    __m256d p = _mm256_set1_pd(1.0 / 39916800);
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 3628800));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 362880));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 40320));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 5040));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 720));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 120));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 24));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1.0 / 6));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(0.5));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1));
    p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(1));
    __m256i bits = _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(t), _mm256_set1_epi64x(1023)), 52);
    __m256d e = _mm256_mul_pd(p, _mm256_castsi256_pd(bits));
    __m256d isnan = _mm256_cmp_pd(x, x, _CMP_UNORD_Q);
    return _mm256_blendv_pd(e, x, isnan);
}

AVX2 static int tanh_avx2(const float *x, float *y, long n) {
    const __m256d sign = _mm256_set1_pd(-0.0);
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(x + i));
        __m256d a = _mm256_andnot_pd(sign, v);
        __m256d capped = _mm256_blendv_pd(_mm256_set1_pd(20), a, _mm256_cmp_pd(a, _mm256_set1_pd(20), _CMP_LT_OQ));
        __m256d e = exp4(_mm256_mul_pd(_mm256_set1_pd(2), capped));
        __m256d far = _mm256_sub_pd(_mm256_set1_pd(1), _mm256_div_pd(_mm256_set1_pd(2), _mm256_add_pd(e, _mm256_set1_pd(1))));
        __m256d s = _mm256_mul_pd(v, v);
        __m256d q = _mm256_set1_pd(62.0 / 2835);
        q = _mm256_sub_pd(_mm256_mul_pd(q, s), _mm256_set1_pd(17.0 / 315));
        q = _mm256_add_pd(_mm256_mul_pd(q, s), _mm256_set1_pd(2.0 / 15));
        q = _mm256_sub_pd(_mm256_mul_pd(q, s), _mm256_set1_pd(1.0 / 3));
        __m256d near = _mm256_add_pd(a, _mm256_mul_pd(_mm256_mul_pd(a, s), q));
        __m256d t = _mm256_blendv_pd(far, near, _mm256_cmp_pd(a, _mm256_set1_pd(0.125), _CMP_LT_OQ));
        __m256d signed_t = _mm256_or_pd(t, _mm256_and_pd(sign, v));
        __m256d out = _mm256_blendv_pd(signed_t, v, _mm256_cmp_pd(v, v, _CMP_UNORD_Q));
        _mm_storeu_ps(y + i, _mm256_cvtpd_ps(out));
    }
    for (; i < n; i++) y[i] = tanh_scalar(x[i]);
    return 1;
}

AVX2 static int logistic_avx2(const float *x, float *y, long n) {
    long i = 0;
    const __m256d one = _mm256_set1_pd(1);
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(x + i));
        __m256d e = exp4(_mm256_sub_pd(_mm256_setzero_pd(), v));
        _mm_storeu_ps(y + i, _mm256_cvtpd_ps(_mm256_div_pd(one, _mm256_add_pd(one, e))));
    }
    for (; i < n; i++) y[i] = (float)(1 / (1 + exp_scalar(-(double)x[i])));
    return 1;
}

AVX2 static int exp_avx2(const float *x, float *y, long n) {
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_cvtps_pd(_mm_loadu_ps(x + i));
        _mm_storeu_ps(y + i, _mm256_cvtpd_ps(exp4(v)));
    }
    for (; i < n; i++) y[i] = (float)exp_scalar(x[i]);
    return 1;
}

int jc_tanh_f32(const float *x, float *y, long n) { return has_avx2() ? tanh_avx2(x, y, n) : 0; }
int jc_logistic_f32(const float *x, float *y, long n) { return has_avx2() ? logistic_avx2(x, y, n) : 0; }
int jc_exp_f32(const float *x, float *y, long n) { return has_avx2() ? exp_avx2(x, y, n) : 0; }
#else
int jc_tanh_f32(const float *x, float *y, long n) { (void)x; (void)y; (void)n; return 0; }
int jc_logistic_f32(const float *x, float *y, long n) { (void)x; (void)y; (void)n; return 0; }
int jc_exp_f32(const float *x, float *y, long n) { (void)x; (void)y; (void)n; return 0; }
#endif
