// What OpenBLAS reads from the environment when it starts, set before it starts.
//
// OpenBLAS is linked statically and initialises in a constructor of its own, before main: it
// reads OPENBLAS_CORETYPE to pick its kernels and OPENBLAS_NUM_THREADS to start its worker
// threads. `prepare_openblas` runs before it (a constructor of priority 101; constructors without
// a priority run after every one that has one), sets both, starts OpenBLAS itself
// (`gotoblas_init`, which does its work once: OpenBLAS's own constructor then returns at once)
// and removes what it set, so that the environment the program and its child processes see is
// the one it was given. What it sets:
//
// - OPENBLAS_NUM_THREADS=1, so that starting creates no worker thread that a session of small
//   products never uses; the cores are given back at the first large product
//   (BLASInfo.useThreads). Not when the environment already chooses a thread count.
// - OPENBLAS_CORETYPE on Intel CPUs: Debian's OpenBLAS 0.3.21 does not recognise recent Intel
//   CPUs and falls back to its SSE3 "Prescott" kernels, 2-4x slower, so the family the CPU's
//   features call for is requested (the one OpenBLAS picks itself on the Intel CPUs it knows).
//   Other vendors keep OpenBLAS's choice; an OPENBLAS_CORETYPE in the environment wins.
//
// Setting a variable moves the environment to a new array, and the Swift runtime on Linux finds
// the command line by walking back from the environment's array to the arguments before it on
// the initial stack: after a setenv this early, `CommandLine.arguments` would be empty. So the
// arguments the constructor is given are handed to the runtime's override first.
#include "CBLAS.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static atomic_int deferred_threads;

// OpenBLAS's initialisation (driver/others/memory.c), exported by the archive.
extern void gotoblas_init(void);

// The Swift runtime's backing store for `CommandLine.arguments` (stdlib/public/stubs/CommandLine.cpp).
extern void _swift_stdlib_overrideUnsafeArgvArgc(char **argv, int argc);

unsigned jc_cpu_features(void) {
    unsigned features = 0;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return 0;
    // "GenuineIntel" is ebx, edx, ecx.
    if (b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e) features |= 1;
    unsigned max = a;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return features;
    if ((c >> 12) & 1) features |= 4;
    if (max < 7) return features;
    __cpuid_count(7, 0, a, b, c, d);
    if ((b >> 5) & 1) features |= 2;
    if ((b >> 16) & 1) features |= 8;
    if ((b >> 30) & 1) features |= 16;
    if ((b >> 31) & 1) features |= 32;
    __cpuid_count(7, 1, a, b, c, d);
    if ((a >> 5) & 1) features |= 64;
#endif
    return features;
}

const char *jc_preferred_coretype(unsigned features) {
    if ((features & (8 | 16 | 32)) == (8 | 16 | 32)) return (features & 64) ? "Cooperlake" : "SkylakeX";
    if ((features & (2 | 4)) == (2 | 4)) return "Haswell";
    return NULL;
}

int jc_take_deferred_threads(void) { return atomic_exchange(&deferred_threads, 0); }
int jc_deferred_threads(void) { return atomic_load(&deferred_threads); }
void jc_clear_deferred_threads(void) { atomic_store(&deferred_threads, 0); }
void jc_defer_threads(int threads) { atomic_store(&deferred_threads, threads); }

// glibc calls constructors with main's arguments.
__attribute__((constructor(101))) static void prepare_openblas(int argc, char **argv, char **envp) {
    (void)envp;
    _swift_stdlib_overrideUnsafeArgvArgc(argv, argc);
    int set_threads = 0, set_coretype = 0;
    if (!getenv("OPENBLAS_NUM_THREADS") && !getenv("GOTO_NUM_THREADS") && !getenv("OMP_NUM_THREADS")) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        if (cores > 1) {
            set_threads = setenv("OPENBLAS_NUM_THREADS", "1", 1) == 0;
            if (set_threads) atomic_store(&deferred_threads, (int)cores);
        }
    }
    if (!getenv("OPENBLAS_CORETYPE")) {
        unsigned features = jc_cpu_features();
        const char *family = (features & 1) ? jc_preferred_coretype(features) : NULL;
        if (family) set_coretype = setenv("OPENBLAS_CORETYPE", family, 1) == 0;
    }
    gotoblas_init();
    if (set_threads) unsetenv("OPENBLAS_NUM_THREADS");
    if (set_coretype) unsetenv("OPENBLAS_CORETYPE");
}
