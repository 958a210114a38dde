/*
 * CKernels: elementwise float32 kernels with AVX2 and FMA, chosen at run time.
 *
 * Swift compiles for the baseline x86-64 (SSE2), so its vectorised tanh/exp/logistic work on two
 * doubles at a time (and its fused multiply-adds are library calls). These C versions compute the
 * same formulas, in the same order, on four doubles at a time when the CPU has AVX2 and FMA
 * (checked once), and return 0 otherwise so that the caller uses its portable code. Results are
 * bit-identical to Tensor/Kernels/VectorMath.swift.
 */
#ifndef CKERNELS_H
#define CKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif
