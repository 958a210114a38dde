/* Small float32 products without packing: C = op(A) B, for the products whose B panel stays in the
 * cache (the layers of an MLP, a Hessian's [1024, 64] x [64, 64]). OpenBLAS copies both operands
 * into packed panels before every product; for k <= 256 that copy is a large share of the time
 * (70 GFLOP/s on one core here, against 85 for this kernel; docs/performance.md). Here B is read
 * where it is (row-major [k, n]; a transposed B is first transposed into the caller's scratch) and
 * A's elements are broadcast from where they are, so nothing else is copied.
 *
 * Every element of C is one running sum over p = 0, 1, ..., k-1 of fused multiply-adds, started
 * at +0: the result does not depend on the tiling, on which rows a thread takes, or on the CPU's
 * vector width. */
#include "CKernels.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define JC_X86 1
#endif

/* Rows of A and columns of B in one register tile: 6 x 16 floats are 12 accumulators, with two
 * registers for a row of B and one for a broadcast element of A (15 of 16 ymm registers). */
#define MR 6
#define NR 16
/* The largest k and k * n the kernel takes: A's micro-panel (MR x k) stays in L1 and B (k x n)
 * in L2. Beyond them OpenBLAS's packing pays for itself. */
#define MAX_K 256
#define MAX_KN (32 * 1024)

int jc_sgemm_small_fits(long m, long n, long k) {
    /* At least 3/4 of the tiles' columns real: the masked last tile computes 16 columns whatever
     * it keeps (n = 8: 1.7x OpenBLAS's time for [2048, 32] x [32, 8]). */
    long padded = (n + NR - 1) / NR * NR;
    return jc_has_avx2_fma() && m > 0 && n > 0 && k > 0 && k <= MAX_K && k * n <= MAX_KN && 4 * n >= 3 * padded;
}

#ifdef JC_X86
#define AVX2_FMA __attribute__((target("avx2,fma")))

/* dst[j * rows + i] = src[i * cols + j] for an 8 x 8 block, in registers. */
AVX2_FMA static inline void transpose8(const float *src, long cols, float *dst, long rows) {
    __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + cols), r2 = _mm256_loadu_ps(src + 2 * cols);
    __m256 r3 = _mm256_loadu_ps(src + 3 * cols), r4 = _mm256_loadu_ps(src + 4 * cols), r5 = _mm256_loadu_ps(src + 5 * cols);
    __m256 r6 = _mm256_loadu_ps(src + 6 * cols), r7 = _mm256_loadu_ps(src + 7 * cols);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3);
    __m256 t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(u0, u4, 0x20));
    _mm256_storeu_ps(dst + rows, _mm256_permute2f128_ps(u1, u5, 0x20));
    _mm256_storeu_ps(dst + 2 * rows, _mm256_permute2f128_ps(u2, u6, 0x20));
    _mm256_storeu_ps(dst + 3 * rows, _mm256_permute2f128_ps(u3, u7, 0x20));
    _mm256_storeu_ps(dst + 4 * rows, _mm256_permute2f128_ps(u0, u4, 0x31));
    _mm256_storeu_ps(dst + 5 * rows, _mm256_permute2f128_ps(u1, u5, 0x31));
    _mm256_storeu_ps(dst + 6 * rows, _mm256_permute2f128_ps(u2, u6, 0x31));
    _mm256_storeu_ps(dst + 7 * rows, _mm256_permute2f128_ps(u3, u7, 0x31));
}

/* Full 8 x 8 blocks in registers, 32 x 32 squares of them at a time (the rows of the source and
 * of the destination a square touches stay in the L1 cache: [128, 64] 1.46 -> 0.85 us, [256, 1000]
 * 81 -> 64 us), the edges element by element. A transpose only moves values. */
AVX2_FMA static void transpose_avx2(const float *src, long rows, long cols, float *dst) {
    long r8 = rows & ~7L, c8 = cols & ~7L;
    for (long i0 = 0; i0 < r8; i0 += 32)
        for (long j0 = 0; j0 < c8; j0 += 32)
            for (long i = i0; i < i0 + 32 && i < r8; i += 8)
                for (long j = j0; j < j0 + 32 && j < c8; j += 8)
                    transpose8(src + i * cols + j, cols, dst + j * rows + i, rows);
    for (long i = 0; i < rows; i++)
        for (long j = i < r8 ? c8 : 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
}
#endif

void jc_transpose_f32(const float *src, long rows, long cols, float *dst) {
#ifdef JC_X86
    if (jc_has_avx2_fma()) { transpose_avx2(src, rows, cols, dst); return; }
#endif
    for (long i = 0; i < rows; i++)
        for (long j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
}

#ifdef JC_X86
/* The tile at a (element (r, p) at a[r * ars + p * acs]) and b (row p at b + p * ldb), into c (row
 * r at c + r * ldc). With `masked`, only the columns whose mask lane is set are read and written
 * (the last tile of a row, n not a multiple of 16). */
AVX2_FMA static inline void tile(long k, const float *a, long ars, long acs, const float *b, long ldb,
                                 float *c, long ldc, int masked, __m256i m0, __m256i m1) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
#define STEP(B0, B1)                                                                                   \
    {                                                                                                  \
        const float *ap = a + p * acs;                                                                 \
        __m256 b0 = B0, b1 = B1, x;                                                                    \
        x = _mm256_broadcast_ss(ap); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01); \
        x = _mm256_broadcast_ss(ap + ars); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11); \
        x = _mm256_broadcast_ss(ap + 2 * ars); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21); \
        x = _mm256_broadcast_ss(ap + 3 * ars); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31); \
        x = _mm256_broadcast_ss(ap + 4 * ars); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41); \
        x = _mm256_broadcast_ss(ap + 5 * ars); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51); \
    }
    if (masked) {
        for (long p = 0; p < k; p++)
            STEP(_mm256_maskload_ps(b + p * ldb, m0), _mm256_maskload_ps(b + p * ldb + 8, m1))
#define STORE(R, LO, HI) _mm256_maskstore_ps(c + R * ldc, m0, LO); _mm256_maskstore_ps(c + R * ldc + 8, m1, HI);
        STORE(0, c00, c01) STORE(1, c10, c11) STORE(2, c20, c21) STORE(3, c30, c31) STORE(4, c40, c41) STORE(5, c50, c51)
#undef STORE
    } else {
        for (long p = 0; p < k; p++) STEP(_mm256_loadu_ps(b + p * ldb), _mm256_loadu_ps(b + p * ldb + 8))
#define STORE(R, LO, HI) _mm256_storeu_ps(c + R * ldc, LO); _mm256_storeu_ps(c + R * ldc + 8, HI);
        STORE(0, c00, c01) STORE(1, c10, c11) STORE(2, c20, c21) STORE(3, c30, c31) STORE(4, c40, c41) STORE(5, c50, c51)
#undef STORE
    }
#undef STEP
}

/* One band of MR rows, every column tile of n columns (B's rows ldb apart). */
AVX2_FMA static void band(long n, long ldb, long k, const float *a, long ars, long acs, const float *b, float *c, long ldc) {
    long j = 0;
    __m256i none = _mm256_setzero_si256();
    for (; j + NR <= n; j += NR) tile(k, a, ars, acs, b + j, ldb, c + j, ldc, 0, none, none);
    if (j < n) {
        long left = n - j;
        __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        __m256i m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)left), lanes);
        __m256i m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)left - 8), lanes);
        tile(k, a, ars, acs, b + j, ldb, c + j, ldc, 1, m0, m1);
    }
}

void jc_sgemm_small_rows(int transA, long m, long n, long k, const float *a, long lda, const float *b,
                         float *c, long row0, long row1) {
    /* Element (i, p) of op(A): a[i * lda + p], or a[p * lda + i] when A is stored transposed. */
    long ars = transA ? 1 : lda, acs = transA ? lda : 1;
    (void)m;
    long i = row0;
    for (; i + MR <= row1; i += MR) band(n, n, k, a + i * ars, ars, acs, b, c + i * n, n);
    if (i < row1) {
        /* The last rows: copied into a zero-padded band of MR rows, computed into a scratch tile
         * band, and the real rows copied out. */
        long rows = row1 - i;
        float pa[MR * MAX_K];
        memset(pa, 0, sizeof(float) * MR * (size_t)k);
        for (long r = 0; r < rows; r++)
            for (long p = 0; p < k; p++) pa[r * k + p] = a[(i + r) * ars + p * acs];
        float pc[MR * NR];
        for (long j = 0; j < n; j += NR) {
            long cols = n - j < NR ? n - j : NR;
            band(cols, n, k, pa, k, 1, b + j, pc, NR);
            for (long r = 0; r < rows; r++) memcpy(c + (i + r) * n + j, pc + r * NR, sizeof(float) * (size_t)cols);
        }
    }
}
#else
void jc_sgemm_small_rows(int transA, long m, long n, long k, const float *a, long lda, const float *b,
                         float *c, long row0, long row1) {
    (void)transA; (void)m; (void)n; (void)k; (void)a; (void)lda; (void)b; (void)c; (void)row0; (void)row1;
}
#endif

/* ---- a second thread ------------------------------------------------------------------------
 * Products of a few MFLOP take 25-100 us on one core: too short to wait for a thread woken from
 * sleep (Dispatch's pool often had finished nothing by the time the caller had done every row).
 * So one helper thread, started at the first such product, spins for 0.1 ms after each one (as
 * OpenBLAS's threads do) and sleeps on a condition variable after that.
 *
 * The work is units of rows taken from one counter: its high 32 bits are the product's number,
 * the low 32 the next unit. A helper that wakes late finds its product's number gone and takes
 * nothing, so the caller never waits for a thread that has not started: it waits only for the
 * units actually taken. */

typedef struct {
    int transA;
    long m, n, k, lda, batch, rowsPerUnit, unitsPerMatrix;
    const float *a, *b;
    float *c;
    /* Set for `jc_parallel_units`: each unit is body(context, unit) instead of rows of a product. */
    void (*body)(void *context, long unit);
    void *context;
} product_t;

static product_t current;                       /* written by the caller between products */
static _Atomic unsigned long long next_unit;    /* product number << 32 | next unit */
static atomic_long units_total;                 /* the current product's last unit + 1 */
static atomic_long units_done;
static atomic_int busy;                         /* one product at a time (others run on their own) */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static atomic_int helper_state;                 /* 0 none, 1 started */
static _Atomic unsigned posted;                 /* the last product's number */
static _Atomic unsigned wakeups;                /* bumped by jc_parallel_prewake */
static atomic_int awake;                        /* 1 while the helper spins or works, 0 asleep */

static void run_unit(const product_t *p, long u) {
    if (p->body) { p->body(p->context, u); return; }
    long matrix = u / p->unitsPerMatrix, row0 = (u % p->unitsPerMatrix) * p->rowsPerUnit;
    long row1 = row0 + p->rowsPerUnit < p->m ? row0 + p->rowsPerUnit : p->m;
    jc_sgemm_small_rows(p->transA, p->m, p->n, p->k, p->a + matrix * p->m * p->k, p->lda,
                        p->b + matrix * p->k * p->n, p->c + matrix * p->m * p->n, row0, row1);
}

void jc_sgemm_small_units(int transA, long batch, long m, long n, long k, const float *a, long lda,
                          const float *b, float *c, long rowsPerUnit, long unitsFrom, long unitsTo) {
    product_t p = {transA, m, n, k, lda, batch, rowsPerUnit, (m + rowsPerUnit - 1) / rowsPerUnit, a, b, c, NULL, NULL};
    for (long u = unitsFrom; u < unitsTo; u++) run_unit(&p, u);
}

/* Takes units of product `number` until none is left; returns how many it ran. */
static long take_units(unsigned number) {
    long ran = 0;
    for (;;) {
        unsigned long long v = atomic_load_explicit(&next_unit, memory_order_acquire);
        if ((unsigned)(v >> 32) != number) return ran;
        if ((long)(v & 0xffffffffu) >= atomic_load_explicit(&units_total, memory_order_relaxed)) return ran;
        if (!atomic_compare_exchange_weak_explicit(&next_unit, &v, v + 1, memory_order_acq_rel, memory_order_acquire))
            continue;
        run_unit(&current, (long)(v & 0xffffffffu));
        atomic_fetch_add_explicit(&units_done, 1, memory_order_release);
        ran++;
    }
}

/* How long the helper spins after a product before it sleeps: a Hessian's products come a few
 * tens of microseconds apart; spinning longer would take the core from OpenBLAS's own threads. */
#define SPIN_NS 100000L

static void *helper(void *unused) {
    (void)unused;
    atomic_store_explicit(&awake, 1, memory_order_relaxed);
    unsigned seen = 0, woken = 0;
    for (;;) {
        unsigned number;
        long spins = 0;
        struct timespec start, t;
        clock_gettime(CLOCK_MONOTONIC, &start);
        while ((number = atomic_load_explicit(&posted, memory_order_acquire)) == seen) {
#ifdef JC_X86
            _mm_pause();
#endif
            if (++spins % 64 != 0) continue;
            clock_gettime(CLOCK_MONOTONIC, &t);
            if ((t.tv_sec - start.tv_sec) * 1000000000L + (t.tv_nsec - start.tv_nsec) < SPIN_NS) continue;
            pthread_mutex_lock(&lock);
            atomic_store_explicit(&awake, 0, memory_order_relaxed);
            while (atomic_load_explicit(&posted, memory_order_acquire) == seen
                   && atomic_load_explicit(&wakeups, memory_order_acquire) == woken)
                pthread_cond_wait(&wake, &lock);
            woken = atomic_load_explicit(&wakeups, memory_order_acquire);
            atomic_store_explicit(&awake, 1, memory_order_relaxed);
            pthread_mutex_unlock(&lock);
            /* Woken for work or ahead of it (jc_parallel_prewake): spin again for SPIN_NS. */
            clock_gettime(CLOCK_MONOTONIC, &start);
        }
        seen = number;
        take_units(number);
    }
    return NULL;
}

/* Starts the helper thread if it is not running; 0 when it cannot be started. */
static int start_helper(void) {
    static pthread_mutex_t starting = PTHREAD_MUTEX_INITIALIZER;
    if (atomic_load(&helper_state) != 0) return 1;
    pthread_mutex_lock(&starting);
    int ok = 1;
    if (atomic_load(&helper_state) == 0) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        ok = pthread_create(&t, &attr, helper, NULL) == 0;
        pthread_attr_destroy(&attr);
        if (ok) atomic_store(&helper_state, 1);
    }
    pthread_mutex_unlock(&starting);
    return ok;
}

int jc_parallel_helper_awake(void) { return atomic_load_explicit(&awake, memory_order_relaxed); }

void jc_parallel_prewake(void) {
    if (!start_helper()) return;
    pthread_mutex_lock(&lock);
    atomic_fetch_add_explicit(&wakeups, 1, memory_order_release);
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}

/* Posts `job` for units unitsFrom..<unitsTo, runs units on the calling thread until none is
 * left, and waits for the units the helper took. 0 (nothing run) when busy or without a helper. */
static int run_parallel(product_t job, long unitsFrom, long unitsTo) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&busy, &expected, 1)) return 0;
    if (!start_helper()) { atomic_store(&busy, 0); return 0; }
    current = job;
    unsigned number = atomic_load(&posted) + 1;
    if (number == 0) number = 1;
    atomic_store_explicit(&units_total, unitsTo, memory_order_relaxed);
    atomic_store_explicit(&units_done, unitsFrom, memory_order_relaxed);
    atomic_store_explicit(&next_unit, ((unsigned long long)number << 32) | (unsigned long long)unitsFrom, memory_order_release);
    pthread_mutex_lock(&lock);
    atomic_store_explicit(&posted, number, memory_order_release);
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    take_units(number);
    while (atomic_load_explicit(&units_done, memory_order_acquire) < unitsTo) {
#ifdef JC_X86
        _mm_pause();
#endif
    }
    atomic_store(&busy, 0);
    return 1;
}

int jc_sgemm_small_parallel(int transA, long batch, long m, long n, long k, const float *a, long lda,
                            const float *b, float *c, long rowsPerUnit, long unitsFrom, long unitsTo) {
    long unitsPerMatrix = (m + rowsPerUnit - 1) / rowsPerUnit;
    product_t job = {transA, m, n, k, lda, batch, rowsPerUnit, unitsPerMatrix, a, b, c, NULL, NULL};
    return run_parallel(job, unitsFrom, unitsTo);
}

/* Each thread's scratch: kept from one call to the next, so that a fused loop's registers are in
 * that core's cache already and never in the other's (a freed block that the other thread's next
 * unit allocated made every register write fetch the line from the other core). On a cache line. */
typedef struct {
    float *base;
    long floats;
} scratch_t;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p) {
    scratch_t *s = p;
    free(s->base);
    free(s);
}

static void scratch_init(void) { pthread_key_create(&scratch_key, scratch_free); }

float *jc_thread_scratch_f32(long floats) {
    pthread_once(&scratch_once, scratch_init);
    scratch_t *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s || pthread_setspecific(scratch_key, s) != 0) { free(s); return NULL; }
    }
    if (floats > s->floats) {
        free(s->base);
        long rounded = (floats + 4095) / 4096 * 4096;
        s->base = aligned_alloc(64, (size_t)rounded * sizeof(float));
        s->floats = s->base ? rounded : 0;
    }
    return s->base;
}

int jc_parallel_units(void (*body)(void *context, long unit), void *context, long unitsFrom, long unitsTo) {
    product_t job = {0, 0, 0, 0, 0, 0, 0, 1, NULL, NULL, NULL, body, context};
    return run_parallel(job, unitsFrom, unitsTo);
}

