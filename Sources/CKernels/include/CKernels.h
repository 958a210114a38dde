/*
 * CKernels: elementwise float32 kernels with AVX2 and FMA, chosen at run time.
 *
 * Swift compiles for the baseline x86-64 (SSE2), so its vectorised tanh/exp/logistic work on two
 * doubles at a time (and its fused multiply-adds are library calls). These C versions compute the
 * same formulas, in the same order, on four doubles at a time when the CPU has AVX2 and FMA
 * (eight with AVX-512; checked once), and return 0 otherwise so that the caller uses its portable
 * code. Results are
 * bit-identical to Tensor/Kernels/VectorMath.swift.
 */
#ifndef CKERNELS_H
#define CKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/** 1 when the CPU has AVX2 and FMA (checked once), which every kernel here needs; 0 otherwise. */
int jc_has_avx2_fma(void);
/** Whether tanh, exp and logistic may use AVX-512 (eight doubles per instruction) where the CPU has
 *  AVX-512F and DQ; on by default. Returns whether they used it before the call. For tests that
 *  compare the AVX-512 and AVX2 kernels, which give the same bits. */
int jc_use_avx512(int allowed);
/** Writes tanh(x[i]) to y[i] for i < n and returns 1; returns 0 (and writes nothing) without AVX2
 *  and FMA. */
int jc_tanh_f32(const float *x, float *y, long n);
/** Writes 1 / (1 + exp(-x[i])) to y[i]; returns 0 without AVX2 and FMA. */
int jc_logistic_f32(const float *x, float *y, long n);
/** Writes exp(x[i]) to y[i]; returns 0 without AVX2 and FMA. */
int jc_exp_f32(const float *x, float *y, long n);
/** y[q*row + j] = a[q*stepA + j] op b[q*stepB + j] for q < rows, j < row, op 0 add, 1 sub, 2 mul,
 *  3 div, eight lanes at a time; returns 0 (writing nothing) without AVX2 and FMA or for another op. */
int jc_binary_rows_f32(int op, const float *a, long stepA, const float *b, long stepB, float *y, long rows, long row);
/** Transposes `count` contiguous n x n float32 matrices in place (4 x 4 SSE tiles on x86-64). */
void jc_transpose_square_f32(float *p, long n, long count);

/** Whether `jc_sgemm_small_rows` takes an m x n x k product: AVX2 and FMA, k <= 256,
 *  k * n <= 32768 (B stays in the L2 cache), and n at least 3/4 of n rounded up to 16 (the tile's
 *  width). Other products are faster through OpenBLAS. */
int jc_sgemm_small_fits(long m, long n, long k);
/** Rows row0..<row1 of C = op(A) B (C row-major m x n, every element written): A is m x k with rows
 *  lda apart, or stored transposed (k x m, rows lda apart) when transA; B is row-major k x n.
 *  Each element is one running sum of fused multiply-adds over k in order, from +0, so rows split
 *  between threads give the same bits. Only when `jc_sgemm_small_fits`. */
void jc_sgemm_small_rows(int transA, long m, long n, long k, const float *a, long lda, const float *b,
                         float *c, long row0, long row1);
/** Units unitsFrom..<unitsTo of a batch of `jc_sgemm_small_rows` products (as in
 *  `jc_sgemm_small_parallel`), on the calling thread alone. */
void jc_sgemm_small_units(int transA, long batch, long m, long n, long k, const float *a, long lda,
                          const float *b, float *c, long rowsPerUnit, long unitsFrom, long unitsTo);
/** Units unitsFrom..<unitsTo of a batch of `jc_sgemm_small_rows` products (B row-major, one
 *  [m, k] or [k, m] A, [k, n] B and [m, n] C after another), a unit being rowsPerUnit rows of one
 *  matrix (unit u: matrix u / ceil(m / rowsPerUnit)), run by the calling thread and one helper
 *  thread (started at the first call; it spins a little after each product, then sleeps). Returns
 *  0 without running anything when another thread is in a product here or no thread could start. */
int jc_sgemm_small_parallel(int transA, long batch, long m, long n, long k, const float *a, long lda,
                            const float *b, float *c, long rowsPerUnit, long unitsFrom, long unitsTo);
/** Whether `jc_pinv_jacobi8_f32` takes [m, n] matrices: AVX2 and FMA, 2 <= min(m, n) <= 64 and
 *  max(m, n) <= 256. */
int jc_pinv_jacobi_fits(long m, long n);
/** The pseudo-inverses of up to eight row-major [m, n] float32 matrices at once, by one-sided
 *  Jacobi: src[j] (NULL for an unused lane) to dst[j], row-major [n, m]. Singular values at or
 *  below max(atol, rtol * the largest) count as zero. Per lane: the rank kept, the largest singular
 *  value, the smallest kept one (0 when none), and whether the sweeps converged (when not, dst[j]
 *  holds no pseudo-inverse: use LAPACK). A matrix's result does not depend on the other lanes.
 *  Returns 0 (writing nothing) without AVX2 and FMA, outside `jc_pinv_jacobi_fits`, or when out of
 *  memory. */
int jc_pinv_jacobi8_f32(const float *const *src, float *const *dst, long m, long n, float rtol, float atol,
                        long *rank, float *sigmaMax, float *sigmaMinKept, int *converged);
/** body(context, u) for every u in unitsFrom..<unitsTo, on the calling thread and the small
 *  products' helper thread (units taken from one counter, so each runs once); returns after the
 *  last one has finished. Returns 0 without running anything when another thread is running
 *  units here or no thread could start: the caller runs them itself. */
int jc_parallel_units(void (*body)(void *context, long unit), void *context, long unitsFrom, long unitsTo);
/** Wakes the helper thread of `jc_parallel_units` ahead of work (starting it if needed), so that
 *  it spins, ready, for the next 0.1 ms: a thread woken from sleep takes tens of microseconds to
 *  run, about the time of the product that woke it. */
void jc_parallel_prewake(void);
/** This thread's scratch buffer of at least `floats` floats, on a 64-byte line, kept for the
 *  thread's next call (it moves when a larger one is asked for); NULL when it cannot be had. The
 *  fused loops' registers: warm in this core's cache, never shared with another thread's. */
float *jc_thread_scratch_f32(long floats);
/** Whether the helper thread is spinning or working now (not asleep): work posted now starts on
 *  both threads at once. */
int jc_parallel_helper_awake(void);
/** dst (cols x rows) = the transpose of src (rows x cols), both contiguous row-major. */
void jc_transpose_f32(const float *src, long rows, long cols, float *dst);

#ifdef __cplusplus
}
#endif

#endif
