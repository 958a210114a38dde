/* Pseudo-inverses of small float32 matrices, eight at a time, by one-sided Jacobi (Hestenes).
 *
 * LAPACK's gesdd reduces a 64 x 64 matrix to bidiagonal form with level-2 operations one matrix at
 * a time. Here eight matrices sit in the eight lanes of an AVX2 register, element (r, c) of all
 * eight in one vector, and every operation runs on all eight at once.
 *
 * One-sided Jacobi orthogonalises the k columns of G (l x k, l >= k; G = A, or A transposed when A
 * is wide) by plane rotations from the right: G V = B, whose columns are u_c sigma_c. Rotation
 * (p, q) makes columns p and q orthogonal. A sweep rotates every pair once, row by row (p, then
 * q > p), with the largest remaining column moved to p first (de Rijk's pivoting), and the
 * iteration stops after the first sweep in which every pair already was orthogonal to
 * sqrt(l) * eps (relative to the columns' norms: LAPACK's sgesvj uses the same tolerance). Then
 *
 *     pinv(G) = V diag(1 / sigma_c^2) B^T    over the sigma_c above the cut-off,
 *
 * and pinv(A) = pinv(G), or its transpose when G is A transposed. Each lane is scaled by a power of
 * two first (exact), so that squares neither overflow nor lose the small columns.
 *
 * A lane's arithmetic does not depend on the other lanes: where a lane's pair is already
 * orthogonal its rotation has t = 0 (which leaves both columns and their scales exactly as they
 * were), and a lane whose sweep rotated nothing has its columns in descending order of norm, so
 * later sweeps neither rotate nor swap them. So a matrix gets the same bits whichever matrices
 * share its group. */
#include "CKernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Every rounding written out: no multiply and add fused unless written as one. */
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define JC_X86 1
#endif

#define LANES 8
/* Eight float32 64 x 64 Gaussian matrices converge in 8-9 sweeps (the last one only checks); a lane
 * not converged after this many is reported, and the caller uses LAPACK for it. */
#define MAX_SWEEPS 30
/* Column lengths and counts the kernel takes: G and V of eight matrices stay in the L2 cache, and
 * beyond 64 columns the sweeps cost more than LAPACK (16 matrices of 128 x 128: 1.9x sgesdd's time). */
#define MAX_L 256
#define MAX_K 64

int jc_pinv_jacobi_fits(long m, long n) {
    long k = m < n ? m : n, l = m < n ? n : m;
    return jc_has_avx2_fma() && k >= 2 && k <= MAX_K && l <= MAX_L;
}

#ifdef JC_X86
#define AVX2_FMA __attribute__((target("avx2,fma")))

/* The sum x.y of two columns of l vectors, in four chains. */
AVX2_FMA static inline __m256 dot(const float *x, const float *y, long l) {
    __m256 g0 = _mm256_setzero_ps(), g1 = g0, g2 = g0, g3 = g0;
    long r = 0;
    for (; r + 4 <= l; r += 4) {
        g0 = _mm256_fmadd_ps(_mm256_load_ps(x + r * LANES), _mm256_load_ps(y + r * LANES), g0);
        g1 = _mm256_fmadd_ps(_mm256_load_ps(x + (r + 1) * LANES), _mm256_load_ps(y + (r + 1) * LANES), g1);
        g2 = _mm256_fmadd_ps(_mm256_load_ps(x + (r + 2) * LANES), _mm256_load_ps(y + (r + 2) * LANES), g2);
        g3 = _mm256_fmadd_ps(_mm256_load_ps(x + (r + 3) * LANES), _mm256_load_ps(y + (r + 3) * LANES), g3);
    }
    for (; r < l; r++) g0 = _mm256_fmadd_ps(_mm256_load_ps(x + r * LANES), _mm256_load_ps(y + r * LANES), g0);
    return _mm256_add_ps(_mm256_add_ps(g0, g1), _mm256_add_ps(g2, g3));
}

/* The rotations act on scaled columns: column c of G is scale[c] times what is stored, and V's
 * column c shares the scale. Rotation (p, q) with t = tan(theta) and c = cos(theta),
 *
 *     x' = c (x - t y),  y' = c (y + t x),
 *
 * is then one fused multiply-add per element, x^ <- x^ - (t scale_q / scale_p) y^ and
 * y^ <- y^ + (t scale_p / scale_q) x^ (x^ before the update), with the factor c moved into the two
 * scales. Each scale shrinks by at most 1/sqrt(2) a rotation, so they are applied to the columns
 * (and reset to 1) at the start of every sweep. Where t = 0 both columns and scales stay exactly
 * as they are. */
AVX2_FMA static inline void rotate(float *restrict x, float *restrict y, long l, __m256 alpha, __m256 beta) {
    for (long r = 0; r < l; r++) {
        __m256 xv = _mm256_load_ps(x + r * LANES), yv = _mm256_load_ps(y + r * LANES);
        _mm256_store_ps(x + r * LANES, _mm256_fnmadd_ps(alpha, yv, xv));
        _mm256_store_ps(y + r * LANES, _mm256_fmadd_ps(beta, xv, yv));
    }
}

/* `rotate`, returning the new x^'s dot with the column z (the next pair's), summed as `dot` sums. */
#define ROTATE_DOT_ROW(r, acc)                                                                  \
    do {                                                                                        \
        __m256 xv = _mm256_load_ps(x + (r) * LANES), yv = _mm256_load_ps(y + (r) * LANES);      \
        __m256 nx = _mm256_fnmadd_ps(alpha, yv, xv);                                            \
        _mm256_store_ps(x + (r) * LANES, nx);                                                   \
        _mm256_store_ps(y + (r) * LANES, _mm256_fmadd_ps(beta, xv, yv));                        \
        acc = _mm256_fmadd_ps(nx, _mm256_load_ps(z + (r) * LANES), acc);                        \
    } while (0)
AVX2_FMA static inline __m256 rotate_dot(float *restrict x, float *restrict y, const float *restrict z, long l,
                                         __m256 alpha, __m256 beta) {
    __m256 g0 = _mm256_setzero_ps(), g1 = g0, g2 = g0, g3 = g0;
    long r = 0;
    for (; r + 4 <= l; r += 4) {
        ROTATE_DOT_ROW(r, g0);
        ROTATE_DOT_ROW(r + 1, g1);
        ROTATE_DOT_ROW(r + 2, g2);
        ROTATE_DOT_ROW(r + 3, g3);
    }
    for (; r < l; r++) ROTATE_DOT_ROW(r, g0);
    return _mm256_add_ps(_mm256_add_ps(g0, g1), _mm256_add_ps(g2, g3));
}

/* Applies the scales to G's and V's columns and resets them (scale[c] and its inverse at
 * scale[k + c]) to 1. */
AVX2_FMA static void settle(float *g, float *v, float *scale, long l, long k) {
    for (long c = 0; c < k; c++) {
        __m256 f = _mm256_load_ps(scale + c * LANES);
        for (long r = 0; r < l; r++) _mm256_store_ps(g + (c * l + r) * LANES, _mm256_mul_ps(f, _mm256_load_ps(g + (c * l + r) * LANES)));
        for (long r = 0; r < k; r++) _mm256_store_ps(v + (c * k + r) * LANES, _mm256_mul_ps(f, _mm256_load_ps(v + (c * k + r) * LANES)));
        _mm256_store_ps(scale + c * LANES, _mm256_set1_ps(1));
        _mm256_store_ps(scale + (k + c) * LANES, _mm256_set1_ps(1));
    }
}

/* de Rijk's pivoting: in each lane, the column of largest norm among p..<k swapped into place p
 * (with its column of V, norm and scales) before p's rotations. Ordered so, the sweeps converge
 * sooner: 7 instead of 10 for 64 x 64 Gaussian matrices, with a quarter fewer rotations. */
static void pivot(float *g, float *v, float *d, float *scale, long l, long k, long p) {
    for (int j = 0; j < LANES; j++) {
        long best = p;
        for (long c = p + 1; c < k; c++)
            if (d[c * LANES + j] > d[best * LANES + j]) best = c;
        if (best == p) continue;
        float t;
#define SWAP(a, b) (t = (a), (a) = (b), (b) = t)
        for (long r = 0; r < l; r++) SWAP(g[(p * l + r) * LANES + j], g[(best * l + r) * LANES + j]);
        for (long r = 0; r < k; r++) SWAP(v[(p * k + r) * LANES + j], v[(best * k + r) * LANES + j]);
        SWAP(d[p * LANES + j], d[best * LANES + j]);
        SWAP(scale[p * LANES + j], scale[best * LANES + j]);
        SWAP(scale[(k + p) * LANES + j], scale[(k + best) * LANES + j]);
#undef SWAP
    }
}

/* One sweep over the pairs of G's k columns (each l vectors), row by row with de Rijk's pivoting,
 * rotating V's columns (each k vectors) alike. The columns' squared norms, in d, are summed afresh
 * at the start and then updated by each rotation (a - t g and b + t g, as LAPACK's sgesvj).
 * Returns the lanes (a bit each) in which some pair was rotated. */
AVX2_FMA static int sweep(float *g, float *v, float *d, float *scale, long l, long k, float tolerance) {
    const __m256 one = _mm256_set1_ps(1), zero = _mm256_setzero_ps(), half = _mm256_set1_ps(0.5f);
    const __m256 tol = _mm256_set1_ps(tolerance), absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256 signMask = _mm256_castsi256_ps(_mm256_set1_epi32((int)0x80000000u)), huge = _mm256_set1_ps(1e15f);
    int rotated = 0;
    settle(g, v, scale, l, k);
    for (long c = 0; c < k; c++) _mm256_store_ps(d + c * LANES, dot(g + c * l * LANES, g + c * l * LANES, l));
    for (long p = 0; p + 1 < k; p++) {
        pivot(g, v, d, scale, l, k, p);
        /* The next pair's x^.y^ when the last rotation computed it. */
        __m256 known = _mm256_setzero_ps();
        int haveKnown = 0;
        for (long q = p + 1; q < k; q++) {
            float *x = g + p * l * LANES, *y = g + q * l * LANES;
            __m256 sp = _mm256_load_ps(scale + p * LANES), sq = _mm256_load_ps(scale + q * LANES);
            __m256 gxy = _mm256_mul_ps(_mm256_mul_ps(haveKnown ? known : dot(x, y, l), sp), sq);
            __m256 a = _mm256_load_ps(d + p * LANES), b = _mm256_load_ps(d + q * LANES);
            haveKnown = 0;
            /* Rotate where |g| > tol sqrt(a) sqrt(b) (false where g = 0, so never for a zero column;
             * square roots first, so that columns down to 1e-19 of the largest do not underflow). */
            __m256 bound = _mm256_mul_ps(tol, _mm256_mul_ps(_mm256_sqrt_ps(a), _mm256_sqrt_ps(b)));
            __m256 mask = _mm256_cmp_ps(_mm256_and_ps(gxy, absMask), bound, _CMP_GT_OQ);
            int bits = _mm256_movemask_ps(mask);
            if (!bits) continue;
            rotated |= bits;
            /* zeta = (b - a) / 2g; t = sign(zeta) / (|zeta| + sqrt(1 + zeta^2)), the smaller root,
             * or 1 / 2zeta where zeta^2 would overflow; 1 / c = sqrt(1 + t^2). */
            __m256 zeta = _mm256_div_ps(_mm256_mul_ps(half, _mm256_sub_ps(b, a)), gxy);
            __m256 az = _mm256_and_ps(zeta, absMask);
            __m256 sign = _mm256_or_ps(one, _mm256_and_ps(zeta, signMask));
            __m256 t = _mm256_div_ps(sign, _mm256_add_ps(az, _mm256_sqrt_ps(_mm256_fmadd_ps(zeta, zeta, one))));
            __m256 far = _mm256_and_ps(mask, _mm256_cmp_ps(az, huge, _CMP_GT_OQ));
            if (_mm256_movemask_ps(far)) t = _mm256_blendv_ps(t, _mm256_div_ps(half, zeta), far);
            t = _mm256_blendv_ps(zero, t, mask);
            __m256 secant = _mm256_sqrt_ps(_mm256_fmadd_ps(t, t, one)), c = _mm256_div_ps(one, secant);
            __m256 ip = _mm256_load_ps(scale + (k + p) * LANES), iq = _mm256_load_ps(scale + (k + q) * LANES);
            __m256 alpha = _mm256_mul_ps(_mm256_mul_ps(t, sq), ip), beta = _mm256_mul_ps(_mm256_mul_ps(t, sp), iq);
            _mm256_store_ps(scale + p * LANES, _mm256_mul_ps(c, sp));
            _mm256_store_ps(scale + q * LANES, _mm256_mul_ps(c, sq));
            _mm256_store_ps(scale + (k + p) * LANES, _mm256_mul_ps(secant, ip));
            _mm256_store_ps(scale + (k + q) * LANES, _mm256_mul_ps(secant, iq));
            __m256 tg = _mm256_mul_ps(t, gxy);
            _mm256_store_ps(d + p * LANES, _mm256_max_ps(zero, _mm256_sub_ps(a, tg)));
            _mm256_store_ps(d + q * LANES, _mm256_add_ps(b, tg));
            if (q + 1 < k) {
                known = rotate_dot(x, y, y + l * LANES, l, alpha, beta);
                haveKnown = 1;
            } else {
                rotate(x, y, l, alpha, beta);
            }
            rotate(v + p * k * LANES, v + q * k * LANES, k, alpha, beta);
        }
    }
    return rotated;
}

AVX2_FMA static int pinv8(const float *const *src, float *const *dst, long m, long n, float rtol, float atol,
                          long *rank, float *sigmaMax, float *sigmaMinKept, int *converged) {
    const int wide = m < n;
    const long l = wide ? n : m, k = wide ? m : n;
    /* aligned_alloc takes only a size that is a multiple of the alignment. */
    size_t bytes = sizeof(float) * (LANES * (size_t)(l * k + k * k + 3 * k + l * 2) + (size_t)(m * n + 8));
    float *g = aligned_alloc(32, (bytes + 31) / 32 * 32);
    if (!g) return 0;
    float *v = g + l * k * LANES, *w = v + k * k * LANES, *columnScale = w + k * LANES, *row = columnScale + 2 * k * LANES;
    float *zeros = row + l * 2 * LANES;
    memset(zeros, 0, sizeof(float) * (size_t)(m * n));
    float scale[LANES];
    const float *from[LANES];
    int live = 0;
    const __m256 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));

    /* Each lane scaled by the power of two that brings its largest magnitude into [0.5, 1). */
    for (int j = 0; j < LANES; j++) {
        scale[j] = 0;
        from[j] = zeros;
        if (!src[j]) continue;
        __m256 most = _mm256_setzero_ps();
        long i = 0;
        for (; i + 8 <= m * n; i += 8) most = _mm256_max_ps(most, _mm256_and_ps(absMask, _mm256_loadu_ps(src[j] + i)));
        float lanes[LANES], largest = 0;
        _mm256_storeu_ps(lanes, most);
        for (int t = 0; t < LANES; t++) largest = fmaxf(largest, lanes[t]);
        for (; i < m * n; i++) largest = fmaxf(largest, fabsf(src[j][i]));
        if (largest == 0) continue;
        int e;
        frexpf(largest, &e);
        scale[j] = ldexpf(1, -e);
        from[j] = src[j];
        live |= 1 << j;
    }
    /* G's column c, row r, lane j at g[(c * l + r) * 8 + j]: column c of A, or row c when A is wide. */
    const __m256 scales = _mm256_loadu_ps(scale);
    for (long c = 0; c < k; c++)
        for (long r = 0; r < l; r++) {
            long at = wide ? c * n + r : r * n + c;
            __m256 x = _mm256_setr_ps(from[0][at], from[1][at], from[2][at], from[3][at], from[4][at], from[5][at],
                                      from[6][at], from[7][at]);
            _mm256_store_ps(g + (c * l + r) * LANES, _mm256_mul_ps(x, scales));
        }
    memset(v, 0, sizeof(float) * LANES * (size_t)(k * k));
    for (long c = 0; c < k; c++) _mm256_store_ps(v + (c * k + c) * LANES, _mm256_set1_ps(1));

    /* Sweep until a sweep rotates nothing in any lane. */
    const float tolerance = sqrtf((float)l) * 0x1p-24f;
    int pending = live;
    for (long c = 0; c < 2 * k; c++) _mm256_store_ps(columnScale + c * LANES, _mm256_set1_ps(1));
    for (int s = 0; s < MAX_SWEEPS && pending; s++) pending = sweep(g, v, w, columnScale, l, k, tolerance) & live;
    settle(g, v, columnScale, l, k);

    /* sigma_c^2 = |b_c|^2; the cut-off max(atol, rtol * sigma_max), scaled like the lane. */
    for (long c = 0; c < k; c++) {
        __m256 acc = _mm256_setzero_ps();
        const float *x = g + c * l * LANES;
        for (long r = 0; r < l; r++) acc = _mm256_fmadd_ps(_mm256_load_ps(x + r * LANES), _mm256_load_ps(x + r * LANES), acc);
        _mm256_store_ps(w + c * LANES, acc);
    }
    for (int j = 0; j < LANES; j++) {
        float largest = 0, smallestKept = INFINITY;
        long kept = 0;
        for (long c = 0; c < k; c++) largest = fmaxf(largest, sqrtf(w[c * LANES + j]));
        float cutoff = fmaxf(atol * scale[j], rtol * largest);
        for (long c = 0; c < k; c++) {
            float sigma = sqrtf(w[c * LANES + j]);
            if (live >> j & 1 && sigma > cutoff) {
                kept++;
                smallestKept = fminf(smallestKept, sigma);
                w[c * LANES + j] = 1 / w[c * LANES + j];
            } else {
                w[c * LANES + j] = 0;
            }
        }
        rank[j] = kept;
        sigmaMax[j] = scale[j] > 0 ? largest / scale[j] : 0;
        sigmaMinKept[j] = kept ? smallestKept / scale[j] : 0;
        converged[j] = !(pending >> j & 1);
    }
    /* V's column c times 1 / sigma_c^2 (0 past the cut-off). */
    for (long c = 0; c < k; c++) {
        __m256 wc = _mm256_load_ps(w + c * LANES);
        for (long i = 0; i < k; i++)
            _mm256_store_ps(v + (c * k + i) * LANES, _mm256_mul_ps(wc, _mm256_load_ps(v + (c * k + i) * LANES)));
    }
    /* pinv(G)[i][jj] = sum over c of (V w)[i][c] B[jj][c], then scaled back and scattered: to
     * pinv(A)[i][jj] (n x m = k x l) for a tall A, to pinv(A)[jj][i] (l x k) for a wide one. */
    for (long i = 0; i < k; i++) {
        long jj = 0;
        for (; jj + 4 <= l; jj += 4) {
            __m256 p0 = _mm256_setzero_ps(), p1 = p0, p2 = p0, p3 = p0;
            for (long c = 0; c < k; c++) {
                __m256 vi = _mm256_load_ps(v + (c * k + i) * LANES);
                const float *bc = g + (c * l + jj) * LANES;
                p0 = _mm256_fmadd_ps(vi, _mm256_load_ps(bc), p0);
                p1 = _mm256_fmadd_ps(vi, _mm256_load_ps(bc + LANES), p1);
                p2 = _mm256_fmadd_ps(vi, _mm256_load_ps(bc + 2 * LANES), p2);
                p3 = _mm256_fmadd_ps(vi, _mm256_load_ps(bc + 3 * LANES), p3);
            }
            _mm256_store_ps(row + jj * LANES, p0);
            _mm256_store_ps(row + (jj + 1) * LANES, p1);
            _mm256_store_ps(row + (jj + 2) * LANES, p2);
            _mm256_store_ps(row + (jj + 3) * LANES, p3);
        }
        for (; jj < l; jj++) {
            __m256 p0 = _mm256_setzero_ps();
            for (long c = 0; c < k; c++)
                p0 = _mm256_fmadd_ps(_mm256_load_ps(v + (c * k + i) * LANES), _mm256_load_ps(g + (c * l + jj) * LANES), p0);
            _mm256_store_ps(row + jj * LANES, p0);
        }
        for (int j = 0; j < LANES; j++) {
            if (!src[j]) continue;
            float *out = dst[j];
            for (long t = 0; t < l; t++) {
                float x = row[t * LANES + j] * scale[j];
                if (wide) out[t * m + i] = x; else out[i * m + t] = x;
            }
        }
    }
    free(g);
    return 1;
}
#endif

int jc_pinv_jacobi8_f32(const float *const *src, float *const *dst, long m, long n, float rtol, float atol,
                        long *rank, float *sigmaMax, float *sigmaMinKept, int *converged) {
#ifdef JC_X86
    if (jc_pinv_jacobi_fits(m, n)) return pinv8(src, dst, m, n, rtol, atol, rank, sigmaMax, sigmaMinKept, converged);
#endif
    (void)src; (void)dst; (void)m; (void)n; (void)rtol; (void)atol;
    (void)rank; (void)sigmaMax; (void)sigmaMinKept; (void)converged;
    return 0;
}
