/*
 * CStack: run a function on a large stack on the calling thread.
 *
 * The interpreter recurses natively for every Python call, so deep user recursion needs more
 * than the main thread's 8 MiB. A second thread with a big stack would do, but then Ctrl-C
 * and window-size signals land on whichever thread the kernel picks (often an OpenBLAS
 * worker) and never interrupt the terminal read. Switching stacks on the main thread with
 * makecontext/swapcontext keeps every signal where the REPL expects it.
 */
#ifndef CSTACK_H
#define CSTACK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Calls body(context) on a fresh stack of `size` bytes (reserved, touched only as used) and
 * returns when body returns. Returns 0, or -1 (errno set) when the stack could not be made;
 * then body has not run and the caller should run it on its own stack.
 */
int jc_run_on_stack(size_t size, void (*body)(void *), void *context);

/**
 * Bytes of native stack left below the caller's frame on this thread: on the stack made by
 * jc_run_on_stack when running on it, otherwise on the thread's own stack
 * (pthread_getattr_np). Returns SIZE_MAX when the bounds are unknown. Cheap after the first
 * call on a thread; recursive code calls it to stop cleanly before the stack runs out.
 */
size_t jc_stack_remaining(void);

/**
 * Installs a handler for fatal signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) that
 * runs on an alternate stack, writes `message` (copied, at most 1023 bytes) to stderr with
 * async-signal-safe calls only, then passes the signal on to the handler installed before it
 * (Swift's backtracer or the default action). Returns 0, or -1 when it could not be installed.
 */
int jc_install_fatal_handler(const char *message);

#ifdef __cplusplus
}
#endif

#endif
