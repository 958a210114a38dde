/* Logs every malloc of more than 10 MB (size and address) to stderr: which large buffers a run
 * allocates, and so whether a write that should run in place copied its operand instead.
 *
 *     cc -O2 -shared -fPIC bench/memory/large_mallocs.c -o /tmp/large_mallocs.so
 *     LD_PRELOAD=/tmp/large_mallocs.so .build/release/jacobi SCRIPT.jac 2>&1 | grep '^malloc'
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);

void *malloc(size_t n) {
    void *p = __libc_malloc(n);
    if (n > (10u << 20)) {
        char line[96];
        int k = snprintf(line, sizeof line, "malloc %zu MiB -> %p\n", n >> 20, p);
        if (k > 0) (void)write(2, line, (size_t)k);
    }
    return p;
}
