#define _GNU_SOURCE
#include "CStack.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

static ucontext_t jc_caller, jc_callee;
static void (*jc_body)(void *);
static void *jc_context;
static uintptr_t jc_big_low, jc_big_high;   /* the stack jc_run_on_stack made, while it runs */
static __thread uintptr_t jc_thread_low;    /* this thread's own stack, once asked */
static __thread int jc_thread_known;

static void jc_trampoline(void) {
    jc_body(jc_context);
    /* Returning resumes jc_caller through uc_link. */
}

int jc_run_on_stack(size_t size, void (*body)(void *), void *context) {
    void *stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    /* The lowest page stays inaccessible, so an overflow faults instead of writing elsewhere. */
    mprotect(stack, 4096, PROT_NONE);
    if (getcontext(&jc_callee) != 0) { munmap(stack, size); return -1; }
    jc_callee.uc_stack.ss_sp = stack;
    jc_callee.uc_stack.ss_size = size;
    jc_callee.uc_link = &jc_caller;
    jc_body = body;
    jc_context = context;
    makecontext(&jc_callee, jc_trampoline, 0);
    jc_big_low = (uintptr_t)stack + 4096;
    jc_big_high = (uintptr_t)stack + size;
    int status = swapcontext(&jc_caller, &jc_callee);
    jc_big_low = jc_big_high = 0;
    munmap(stack, size);
    return status == 0 ? 0 : -1;
}

size_t jc_stack_remaining(void) {
    char here;
    uintptr_t sp = (uintptr_t)&here;
    if (sp > jc_big_low && sp <= jc_big_high) return sp - jc_big_low;
    if (!jc_thread_known) {
        jc_thread_known = 1;
        pthread_attr_t attributes;
        void *low = NULL;
        size_t size = 0;
        if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
            pthread_attr_getstack(&attributes, &low, &size);
            pthread_attr_destroy(&attributes);
        }
        jc_thread_low = (uintptr_t)low;
    }
    if (jc_thread_low == 0 || sp <= jc_thread_low) return SIZE_MAX;
    return sp - jc_thread_low;
}
