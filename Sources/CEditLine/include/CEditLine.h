/*
 * CEditLine: fixed-argument C wrappers around libedit (histedit.h).
 *
 * libedit's el_set, el_get and history are variadic, and its hooks are plain C
 * function pointers; Swift can call neither directly. This header exposes a small
 * opaque "editor" (an EditLine plus its History) with ordinary functions that
 * Swift can import.
 *
 * Strings passed in are copied; strings handed out stay owned by the library (see
 * each function). Everything except the interrupt flag is meant to be used from a
 * single thread.
 */
#ifndef CEDITLINE_H
#define CEDITLINE_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------- */
/* Editor handle                                                             */
/* ------------------------------------------------------------------------- */

/** Opaque editor: an EditLine, its History and the prompt/completion state. */
typedef struct jc_editor jc_editor;

/**
 * Creates an editor with Emacs key bindings, EL_SIGNAL on, a history of 1000
 * entries attached for up/down recall, and TAB bound to the completion callback.
 *
 * `program` names the program for ~/.editrc sections. `in`, `out` and `err` may
 * be NULL for stdin, stdout (or stderr when only stdin and stderr are terminals)
 * and stderr. Sets LC_CTYPE from the environment (falling back to C.UTF-8) so
 * that libedit handles UTF-8 input; other locale categories are untouched.
 * After setting the bindings, reads the user's ~/.editrc (or $EDITRC).
 *
 * Returns NULL only when memory runs out. Release with jc_editor_destroy.
 */
jc_editor *jc_editor_create(const char *program, FILE *in, FILE *out, FILE *err);

/** Restores the terminal, frees the EditLine, the History and all copies. NULL is ignored. */
void jc_editor_destroy(jc_editor *editor);

/** 1 when libedit edits lines on a terminal, 0 when it reads input as it comes (no tty). */
int jc_editor_is_editing(const jc_editor *editor);

/* ------------------------------------------------------------------------- */
/* Prompt                                                                    */
/* ------------------------------------------------------------------------- */

/**
 * Sets the primary prompt (copied). Invisible terminal sequences, such as
 * colours, must be wrapped in \001 ... \001 so that libedit does not count them.
 * Returns 0, or -1 when out of memory (the old prompt is kept).
 */
int jc_editor_set_prompt(jc_editor *editor, const char *prompt);

/** Sets the continuation prompt (copied), shown instead of the primary one when switched on. */
int jc_editor_set_continuation_prompt(jc_editor *editor, const char *prompt);

/** Non-zero: the next jc_editor_gets shows the continuation prompt; zero: the primary one. */
void jc_editor_use_continuation_prompt(jc_editor *editor, int on);

/* ------------------------------------------------------------------------- */
/* Reading                                                                   */
/* ------------------------------------------------------------------------- */

/**
 * Reads one line with el_gets.
 *
 * Returns the line including its trailing newline (if any), valid until the next
 * call; *count receives its length in bytes. On failure returns NULL and:
 *   *count == 0                       end of input (Ctrl-D on an empty line);
 *   *count == -1, *error == EINTR     interrupted by a signal (Ctrl-C), the partial
 *                                     line is dropped;
 *   *count == -1, other *error        a read error (treat as end of input).
 * `count` and `error` may be NULL.
 */
const char *jc_editor_gets(jc_editor *editor, int *count, int *error);

/* ------------------------------------------------------------------------- */
/* History                                                                   */
/* ------------------------------------------------------------------------- */

/** Appends a line (copied) as the newest entry; a repeat of the newest entry is skipped. Returns 0 or -1. */
int jc_history_add(jc_editor *editor, const char *line);

/** Loads entries from a libedit history file, appending them. Returns the number loaded, or -1. */
int jc_history_load(jc_editor *editor, const char *path);

/** Writes all entries to a libedit history file (mode 0600). Returns the number written, or -1. */
int jc_history_save(jc_editor *editor, const char *path);

/** Keeps at most `size` entries, dropping the oldest. Returns 0 or -1. */
int jc_history_set_size(jc_editor *editor, int size);

/** Number of entries. */
int jc_history_count(jc_editor *editor);

/** Removes every entry. */
void jc_history_clear(jc_editor *editor);

/** Called once per entry, oldest first; `entry` is only valid during the call. */
typedef void (*jc_history_visit_fn)(void *context, const char *entry);

/** Visits every entry, oldest first. */
void jc_history_foreach(jc_editor *editor, void *context, jc_history_visit_fn visit);

/* ------------------------------------------------------------------------- */
/* Completion                                                                */
/* ------------------------------------------------------------------------- */

/** Collects the candidates of one TAB press; owned by the editor. */
typedef struct jc_completions jc_completions;

/**
 * Completion callback, called on TAB with the line split at the cursor.
 *
 * The callback reports how many bytes at the end of `before_cursor` form the word
 * being completed (jc_completions_set_word_length) and adds candidates, each the
 * full replacement for that word (jc_completions_add). The editor then:
 *   - one candidate: replaces the word with it;
 *   - several: replaces the word with their longest common prefix when that is
 *     longer; otherwise beeps, and on a second TAB with the line unchanged lists
 *     the candidates in columns below the prompt and redraws the line;
 *   - none: beeps.
 */
typedef void (*jc_complete_fn)(void *context, const char *before_cursor,
                               const char *after_cursor, jc_completions *out);

/** Installs the completion callback (NULL removes it; TAB then beeps). */
void jc_editor_set_completer(jc_editor *editor, jc_complete_fn complete, void *context);

/**
 * Adds a candidate (copied). `display` is what the candidate list shows, such as
 * the last path component; NULL shows the replacement itself. Returns 0 or -1.
 */
int jc_completions_add(jc_completions *out, const char *replacement, const char *display);

/** Sets the length in bytes of the word being replaced, counted back from the cursor. Default 0. */
void jc_completions_set_word_length(jc_completions *out, int bytes);

/* ------------------------------------------------------------------------- */
/* Interrupts                                                                */
/* ------------------------------------------------------------------------- */

/**
 * Installs a SIGINT handler (sigaction without SA_RESTART, so blocking reads
 * return EINTR) that only sets a flag. Safe to call more than once. Returns 0, or
 * -1 with errno set.
 */
int jc_install_sigint_handler(void);

/** 1 when SIGINT arrived since the last jc_clear_interrupt, else 0. Async-signal-safe. */
int jc_interrupted(void);

/** Clears the SIGINT flag. */
void jc_clear_interrupt(void);

#ifdef __cplusplus
}
#endif

#endif /* CEDITLINE_H */
