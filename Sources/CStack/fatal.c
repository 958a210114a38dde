/* The last words of a crashing process: one line pointing at the session journal. */
#define _GNU_SOURCE
#include "CStack.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fatal_message[1024];
static size_t fatal_length;
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
#define FATAL_COUNT (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction previous[FATAL_COUNT];

static void on_fatal(int sig, siginfo_t *info, void *context) {
    (void)context;
    /* Only async-signal-safe calls: write(2) and sigaction(2). */
    if (fatal_length > 0) {
        ssize_t ignored = write(STDERR_FILENO, fatal_message, fatal_length);
        (void)ignored;
    }
    /* Hand the signal to whoever had it before (Swift's backtracer, or the default action):
     * for a fault, returning re-executes the instruction, which faults again into it; a signal
     * sent by kill() or raise() (si_code <= 0) or an abort is raised again. */
    for (size_t i = 0; i < FATAL_COUNT; i++) {
        if (fatal_signals[i] == sig) { sigaction(sig, &previous[i], NULL); break; }
    }
    if (info == NULL || info->si_code <= 0 || sig == SIGABRT || sig == SIGTRAP) raise(sig);
}

int jc_install_fatal_handler(const char *message) {
    size_t n = strlen(message);
    if (n >= sizeof fatal_message) n = sizeof fatal_message - 1;
    memcpy(fatal_message, message, n);
    fatal_message[n] = 0;
    fatal_length = n;
    /* An alternate stack, so that a stack overflow can still be reported. */
    static int stack_ready = 0;
    if (!stack_ready) {
        stack_t ss;
        ss.ss_size = 64 * 1024;
        ss.ss_sp = malloc(ss.ss_size);
        ss.ss_flags = 0;
        if (ss.ss_sp == NULL || sigaltstack(&ss, NULL) != 0) return -1;
        stack_ready = 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < FATAL_COUNT; i++) {
        if (sigaction(fatal_signals[i], &sa, &previous[i]) != 0) return -1;
    }
    return 0;
}
