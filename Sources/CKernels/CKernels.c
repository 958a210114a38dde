#include "CKernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* No multiply-add is fused unless written as fma(): the Swift formulas round every step. */
#pragma STDC FP_CONTRACT OFF

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

/* tanh by expm1: with y = 2|x| = n ln 2 + r (|r| <= ln 2 / 2) and p = e^r - 1 (Taylor series to
 * r^13 / 13!, by Estrin's scheme: short dependency chains), e^y - 1 = 2^n p + (2^n - 1) with no
 * cancellation near 0, and tanh|x| = (e^y - 1) / (e^y - 1 + 2). Relative error a few units of
 * 2^-53, so the float32 result is the correctly rounded one (checked on every float32 against
 * tanhl, docs/performance.md). Every step is one IEEE operation or one fused multiply-add, in the
 * same order as the AVX2 version and the Swift `tanhViaDouble`, so the three agree bit for bit. */
#define TANH_C2 0.5
#define TANH_C3 (1.0 / 6)
#define TANH_C4 (1.0 / 24)
#define TANH_C5 (1.0 / 120)
#define TANH_C6 (1.0 / 720)
#define TANH_C7 (1.0 / 5040)
#define TANH_C8 (1.0 / 40320)
#define TANH_C9 (1.0 / 362880)
#define TANH_C10 (1.0 / 3628800)
#define TANH_C11 (1.0 / 39916800)
#define TANH_C12 (1.0 / 479001600)
#define TANH_C13 (1.0 / 6227020800)

#ifdef JC_X86
__attribute__((target("fma")))
#endif
static float tanh_scalar(float v) {
    double x = v, a = fabs(x);
    double y = 2 * (a < 20 ? a : 20);
    const double shifter = 6755399441055744.0;
    double t = fma(y, 1.4426950408889634, shifter);
    double n = t - shifter;
    double r = fma(-n, 1.9082149292705877e-10, fma(-n, 0.6931471803691238, y));
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double p01 = fma(r, TANH_C3, TANH_C2), p23 = fma(r, TANH_C5, TANH_C4), p45 = fma(r, TANH_C7, TANH_C6);
    double p67 = fma(r, TANH_C9, TANH_C8), p89 = fma(r, TANH_C11, TANH_C10), p1011 = fma(r, TANH_C13, TANH_C12);
    double p03 = fma(r2, p23, p01), p47 = fma(r2, p67, p45), p811 = fma(r2, p1011, p89);
    double q = fma(r8, p811, fma(r4, p47, p03));
    double p = fma(r2, q, r);
    uint64_t bits;
    memcpy(&bits, &t, 8);
    uint64_t sbits = (bits + 1023) << 52;
    double scale;
    memcpy(&scale, &sbits, 8);
    double em = fma(scale, p, scale - 1);
    double th = em / (em + 2);
    double s = copysign(th, x);
    return (float)(isnan(x) ? x : s);
}

/* ---- AVX2 versions ----------------------------------------------------------------------- */

#ifdef JC_X86
#define AVX2 __attribute__((target("avx2")))

/* AVX2 and FMA, checked once. tanh needs FMA; one check keeps every kernel on the same path. */
int jc_has_avx2_fma(void) {
    static int known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0;
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

#define AVX2_FMA __attribute__((target("avx2,fma")))

/* tanh_scalar, four doubles at a time. */
AVX2_FMA static inline __m256d tanh4(__m256d v) {
#define L(c) _mm256_set1_pd(c)
    const __m256d sign = L(-0.0);
    __m256d a = _mm256_andnot_pd(sign, v);
    /* NaN compares false and becomes 20: the NaN is restored at the end. */
    __m256d capped = _mm256_blendv_pd(L(20), a, _mm256_cmp_pd(a, L(20), _CMP_LT_OQ));
    __m256d y = _mm256_mul_pd(L(2), capped);
    const __m256d shifter = L(6755399441055744.0);
    __m256d t = _mm256_fmadd_pd(y, L(1.4426950408889634), shifter);
    __m256d n = _mm256_sub_pd(t, shifter);
    __m256d r = _mm256_fnmadd_pd(n, L(1.9082149292705877e-10), _mm256_fnmadd_pd(n, L(0.6931471803691238), y));
    __m256d r2 = _mm256_mul_pd(r, r), r4 = _mm256_mul_pd(r2, r2), r8 = _mm256_mul_pd(r4, r4);
    __m256d p01 = _mm256_fmadd_pd(r, L(TANH_C3), L(TANH_C2)), p23 = _mm256_fmadd_pd(r, L(TANH_C5), L(TANH_C4));
    __m256d p45 = _mm256_fmadd_pd(r, L(TANH_C7), L(TANH_C6)), p67 = _mm256_fmadd_pd(r, L(TANH_C9), L(TANH_C8));
    __m256d p89 = _mm256_fmadd_pd(r, L(TANH_C11), L(TANH_C10)), p1011 = _mm256_fmadd_pd(r, L(TANH_C13), L(TANH_C12));
    __m256d p03 = _mm256_fmadd_pd(r2, p23, p01), p47 = _mm256_fmadd_pd(r2, p67, p45);
    __m256d p811 = _mm256_fmadd_pd(r2, p1011, p89);
    __m256d q = _mm256_fmadd_pd(r8, p811, _mm256_fmadd_pd(r4, p47, p03));
    __m256d p = _mm256_fmadd_pd(r2, q, r);
    __m256i bits = _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(t), _mm256_set1_epi64x(1023)), 52);
    __m256d scale = _mm256_castsi256_pd(bits);
    __m256d em = _mm256_fmadd_pd(scale, p, _mm256_sub_pd(scale, L(1)));
    __m256d th = _mm256_div_pd(em, _mm256_add_pd(em, L(2)));
    __m256d s = _mm256_or_pd(th, _mm256_and_pd(sign, v));
    return _mm256_blendv_pd(s, v, _mm256_cmp_pd(v, v, _CMP_UNORD_Q));
#undef L
}

/* Eight elements per step: two independent chains for the out-of-order core to overlap. */
AVX2_FMA static int tanh_avx2(const float *x, float *y, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256d lo = tanh4(_mm256_cvtps_pd(_mm_loadu_ps(x + i)));
        __m256d hi = tanh4(_mm256_cvtps_pd(_mm_loadu_ps(x + i + 4)));
        _mm_storeu_ps(y + i, _mm256_cvtpd_ps(lo));
        _mm_storeu_ps(y + i + 4, _mm256_cvtpd_ps(hi));
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

/* ---- AVX-512 versions: the same steps on eight doubles ------------------------------------ */

#define AVX512 __attribute__((target("avx512f,avx512dq,fma")))

/* AVX-512F and DQ (the 64-bit integer and logic operations), checked once; `jc_use_avx512`
 * can turn them off so that tests compare the two widths. */
static int avx512_allowed = 1;
static int jc_has_avx512(void) {
    static int known = -1;
    if (known < 0) {
        __builtin_cpu_init();
        known = jc_has_avx2_fma() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") ? 1 : 0;
    }
    return known && avx512_allowed;
}

int jc_use_avx512(int allowed) {
    int before = jc_has_avx512();
    avx512_allowed = allowed;
    return before;
}

/* exp4, eight doubles at a time (no fused multiply-add: the Swift `expViaDouble` has none). */
AVX512 static inline __m512d exp8(__m512d x) {
#define L(c) _mm512_set1_pd(c)
    /* min/max return the second operand for NaN: the NaN is restored at the end. */
    __m512d c = _mm512_min_pd(_mm512_max_pd(x, L(-708)), L(709));
    const __m512d shifter = L(6755399441055744.0);
    __m512d t = _mm512_add_pd(_mm512_mul_pd(c, L(1.4426950408889634)), shifter);
    __m512d n = _mm512_sub_pd(t, shifter);
    __m512d r = _mm512_sub_pd(_mm512_sub_pd(c, _mm512_mul_pd(n, L(0.6931471803691238))),
                              _mm512_mul_pd(n, L(1.9082149292705877e-10)));
    __m512d p = L(1.0 / 39916800);
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1.0 / 3628800));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1.0 / 362880));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1.0 / 40320));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1.0 / 5040));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1.0 / 720));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1.0 / 120));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1.0 / 24));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1.0 / 6));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(0.5));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1));
    p = _mm512_add_pd(_mm512_mul_pd(p, r), L(1));
    __m512i bits = _mm512_slli_epi64(_mm512_add_epi64(_mm512_castpd_si512(t), _mm512_set1_epi64(1023)), 52);
    __m512d e = _mm512_mul_pd(p, _mm512_castsi512_pd(bits));
    return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q), e, x);
#undef L
}

/* tanh4, eight doubles at a time. */
AVX512 static inline __m512d tanh8(__m512d v) {
#define L(c) _mm512_set1_pd(c)
    /* NaN: min returns its second operand, 20; the NaN is restored at the end. */
    __m512d capped = _mm512_min_pd(_mm512_abs_pd(v), L(20));
    __m512d y = _mm512_mul_pd(L(2), capped);
    const __m512d shifter = L(6755399441055744.0);
    __m512d t = _mm512_fmadd_pd(y, L(1.4426950408889634), shifter);
    __m512d n = _mm512_sub_pd(t, shifter);
    __m512d r = _mm512_fnmadd_pd(n, L(1.9082149292705877e-10), _mm512_fnmadd_pd(n, L(0.6931471803691238), y));
    __m512d r2 = _mm512_mul_pd(r, r), r4 = _mm512_mul_pd(r2, r2), r8 = _mm512_mul_pd(r4, r4);
    __m512d p01 = _mm512_fmadd_pd(r, L(TANH_C3), L(TANH_C2)), p23 = _mm512_fmadd_pd(r, L(TANH_C5), L(TANH_C4));
    __m512d p45 = _mm512_fmadd_pd(r, L(TANH_C7), L(TANH_C6)), p67 = _mm512_fmadd_pd(r, L(TANH_C9), L(TANH_C8));
    __m512d p89 = _mm512_fmadd_pd(r, L(TANH_C11), L(TANH_C10)), p1011 = _mm512_fmadd_pd(r, L(TANH_C13), L(TANH_C12));
    __m512d p03 = _mm512_fmadd_pd(r2, p23, p01), p47 = _mm512_fmadd_pd(r2, p67, p45);
    __m512d p811 = _mm512_fmadd_pd(r2, p1011, p89);
    __m512d q = _mm512_fmadd_pd(r8, p811, _mm512_fmadd_pd(r4, p47, p03));
    __m512d p = _mm512_fmadd_pd(r2, q, r);
    __m512i bits = _mm512_slli_epi64(_mm512_add_epi64(_mm512_castpd_si512(t), _mm512_set1_epi64(1023)), 52);
    __m512d scale = _mm512_castsi512_pd(bits);
    __m512d em = _mm512_fmadd_pd(scale, p, _mm512_sub_pd(scale, L(1)));
    __m512d th = _mm512_div_pd(em, _mm512_add_pd(em, L(2)));
    __m512d s = _mm512_or_pd(th, _mm512_and_pd(L(-0.0), v));
    return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(v, v, _CMP_UNORD_Q), s, v);
#undef L
}

/* Sixteen elements per step, as tanh_avx2 takes eight: two independent chains. */
AVX512 static void tanh_avx512(const float *x, float *y, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512d lo = tanh8(_mm512_cvtps_pd(_mm256_loadu_ps(x + i)));
        __m512d hi = tanh8(_mm512_cvtps_pd(_mm256_loadu_ps(x + i + 8)));
        _mm256_storeu_ps(y + i, _mm512_cvtpd_ps(lo));
        _mm256_storeu_ps(y + i + 8, _mm512_cvtpd_ps(hi));
    }
    if (i < n) tanh_avx2(x + i, y + i, n - i);
}

AVX512 static void logistic_avx512(const float *x, float *y, long n) {
    long i = 0;
    const __m512d one = _mm512_set1_pd(1);
    for (; i + 8 <= n; i += 8) {
        __m512d v = _mm512_cvtps_pd(_mm256_loadu_ps(x + i));
        __m512d e = exp8(_mm512_sub_pd(_mm512_setzero_pd(), v));
        _mm256_storeu_ps(y + i, _mm512_cvtpd_ps(_mm512_div_pd(one, _mm512_add_pd(one, e))));
    }
    if (i < n) logistic_avx2(x + i, y + i, n - i);
}

AVX512 static void exp_avx512(const float *x, float *y, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm512_cvtpd_ps(exp8(_mm512_cvtps_pd(_mm256_loadu_ps(x + i)))));
    if (i < n) exp_avx2(x + i, y + i, n - i);
}

int jc_tanh_f32(const float *x, float *y, long n) {
    if (jc_has_avx512()) { tanh_avx512(x, y, n); return 1; }
    return jc_has_avx2_fma() ? tanh_avx2(x, y, n) : 0;
}
int jc_logistic_f32(const float *x, float *y, long n) {
    if (jc_has_avx512()) { logistic_avx512(x, y, n); return 1; }
    return jc_has_avx2_fma() ? logistic_avx2(x, y, n) : 0;
}
int jc_exp_f32(const float *x, float *y, long n) {
    if (jc_has_avx512()) { exp_avx512(x, y, n); return 1; }
    return jc_has_avx2_fma() ? exp_avx2(x, y, n) : 0;
}
#else
int jc_has_avx2_fma(void) { return 0; }
int jc_use_avx512(int allowed) { (void)allowed; return 0; }
int jc_tanh_f32(const float *x, float *y, long n) { (void)x; (void)y; (void)n; return 0; }
int jc_logistic_f32(const float *x, float *y, long n) { (void)x; (void)y; (void)n; return 0; }
int jc_exp_f32(const float *x, float *y, long n) { (void)x; (void)y; (void)n; return 0; }
#endif

/* ---- in-place transposes ---------------------------------------------------------------- */

/* One n x n matrix: 4 x 4 tiles with SSE (baseline x86-64), a tile and its mirror swapped in
 * registers; the rows and columns past the last multiple of 4 (and everything elsewhere) by
 * scalar swaps. A transpose moves values and computes nothing, so the result is exact. */
static void transpose_square(float *a, long n) {
    long n4 = 0;
#ifdef JC_X86
    n4 = n & ~3L;
    for (long i = 0; i < n4; i += 4) {
        float *d = a + i * n + i;
        __m128 r0 = _mm_loadu_ps(d), r1 = _mm_loadu_ps(d + n), r2 = _mm_loadu_ps(d + 2 * n), r3 = _mm_loadu_ps(d + 3 * n);
        _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
        _mm_storeu_ps(d, r0); _mm_storeu_ps(d + n, r1); _mm_storeu_ps(d + 2 * n, r2); _mm_storeu_ps(d + 3 * n, r3);
        for (long j = i + 4; j < n4; j += 4) {
            float *u = a + i * n + j, *l = a + j * n + i;
            __m128 u0 = _mm_loadu_ps(u), u1 = _mm_loadu_ps(u + n), u2 = _mm_loadu_ps(u + 2 * n), u3 = _mm_loadu_ps(u + 3 * n);
            __m128 l0 = _mm_loadu_ps(l), l1 = _mm_loadu_ps(l + n), l2 = _mm_loadu_ps(l + 2 * n), l3 = _mm_loadu_ps(l + 3 * n);
            _MM_TRANSPOSE4_PS(u0, u1, u2, u3);
            _MM_TRANSPOSE4_PS(l0, l1, l2, l3);
            _mm_storeu_ps(l, u0); _mm_storeu_ps(l + n, u1); _mm_storeu_ps(l + 2 * n, u2); _mm_storeu_ps(l + 3 * n, u3);
            _mm_storeu_ps(u, l0); _mm_storeu_ps(u + n, l1); _mm_storeu_ps(u + 2 * n, l2); _mm_storeu_ps(u + 3 * n, l3);
        }
    }
#endif
    for (long i = 0; i < n; i++) {
        for (long j = i < n4 ? n4 : i + 1; j < n; j++) {
            float t = a[i * n + j];
            a[i * n + j] = a[j * n + i];
            a[j * n + i] = t;
        }
    }
}

void jc_transpose_square_f32(float *p, long n, long count) {
    for (long m = 0; m < count; m++) transpose_square(p + m * n * n, n);
}

/* ---- binary arithmetic for the fused loops ------------------------------------------------ */

/* y[q row + j] = a[q stepA + j] op b[q stepB + j] for q < rows, j < row (a step of 0 reads one row
 * for every row; a plain run is one row of n). op: 0 add, 1 sub, 2 mul, 3 div. Each is one IEEE
 * operation per element, so eight lanes give the bits of Swift's loop. */
#ifdef JC_X86
#define BINARY_ROWS(NAME, VOP, SOP)                                                                 \
    AVX2 static void NAME(const float *a, long sa, const float *b, long sb, float *y, long rows, long row) { \
        for (long q = 0; q < rows; q++) {                                                           \
            const float *pa = a + q * sa, *pb = b + q * sb;                                         \
            float *py = y + q * row;                                                                \
            long j = 0;                                                                             \
            for (; j + 8 <= row; j += 8)                                                            \
                _mm256_storeu_ps(py + j, VOP(_mm256_loadu_ps(pa + j), _mm256_loadu_ps(pb + j)));   \
            for (; j < row; j++) py[j] = pa[j] SOP pb[j];                                           \
        }                                                                                           \
    }
BINARY_ROWS(add_rows, _mm256_add_ps, +)
BINARY_ROWS(sub_rows, _mm256_sub_ps, -)
BINARY_ROWS(mul_rows, _mm256_mul_ps, *)
BINARY_ROWS(div_rows, _mm256_div_ps, /)

int jc_binary_rows_f32(int op, const float *a, long stepA, const float *b, long stepB, float *y, long rows, long row) {
    if (!jc_has_avx2_fma()) return 0;
    switch (op) {
    case 0: add_rows(a, stepA, b, stepB, y, rows, row); return 1;
    case 1: sub_rows(a, stepA, b, stepB, y, rows, row); return 1;
    case 2: mul_rows(a, stepA, b, stepB, y, rows, row); return 1;
    case 3: div_rows(a, stepA, b, stepB, y, rows, row); return 1;
    default: return 0;
    }
}
#else
int jc_binary_rows_f32(int op, const float *a, long stepA, const float *b, long stepB, float *y, long rows, long row) {
    (void)op; (void)a; (void)stepA; (void)b; (void)stepB; (void)y; (void)rows; (void)row;
    return 0;
}
#endif