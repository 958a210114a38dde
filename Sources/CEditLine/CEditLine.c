/*
 * CEditLine: fixed-argument wrappers around libedit. See include/CEditLine.h.
 *
 * The editor keeps every string that libedit reads back (the prompts) in memory
 * it owns, finds itself again inside libedit callbacks through EL_CLIENTDATA, and
 * implements TAB completion as a libedit "user function" (EL_ADDFN) bound to ^I.
 */
#define _GNU_SOURCE /* strndup, wcwidth */

#include "CEditLine.h"

#include <errno.h>
#include <histedit.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

/* Entries kept in the history. */
#define JC_HISTORY_SIZE 1000
/* Above this many candidates, the list is shown only after asking. */
#define JC_LIST_QUERY_ITEMS 100
/* Delimits invisible sequences inside prompts (EL_PROMPT_ESC). */
#define JC_PROMPT_IGNORE '\1'

struct jc_completions {
    char **replacements;
    char **displays;   /* entries may be NULL: show the replacement */
    int count;
    int capacity;
    int word_length;   /* bytes before the cursor that the candidates replace */
};

struct jc_editor {
    EditLine *el;
    History *history;
    HistEvent event;          /* scratch event for history() calls */
    FILE *out;                /* where candidate lists are printed */
    int editing;              /* libedit edits on a terminal (not NO_TTY) */

    char *prompt;             /* owned copies returned by prompt_callback */
    char *continuation_prompt;
    int use_continuation;

    jc_complete_fn complete;
    void *complete_context;

    /* The line and cursor right after the last TAB, to recognise a second TAB. */
    char *last_tab_line;
    size_t last_tab_cursor;
};

/* ------------------------------------------------------------------------- */
/* Interrupts                                                                */
/* ------------------------------------------------------------------------- */

static volatile sig_atomic_t jc_sigint_seen = 0;

static void jc_sigint_handler(int signo) {
    (void)signo;
    jc_sigint_seen = 1;
}

int jc_install_sigint_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = jc_sigint_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; /* no SA_RESTART: a blocked read() returns EINTR */
    return sigaction(SIGINT, &action, NULL);
}

int jc_interrupted(void) { return jc_sigint_seen != 0; }

void jc_clear_interrupt(void) { jc_sigint_seen = 0; }

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

/* libedit converts input with the C library's multibyte functions; with the
 * default "C" locale every non-ASCII byte would be rejected. Choose a UTF-8
 * LC_CTYPE unless the program already chose a locale itself. */
static void jc_setup_ctype_locale(void) {
    const char *current = setlocale(LC_CTYPE, NULL);
    if (current != NULL && strcmp(current, "C") != 0 && strcmp(current, "POSIX") != 0)
        return;
    if (setlocale(LC_CTYPE, "") != NULL && strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
        return;
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL && setlocale(LC_CTYPE, "C.utf8") == NULL)
        setlocale(LC_CTYPE, ""); /* no UTF-8 locale at all: keep the environment's */
}

static char *jc_strdup_or_empty(const char *s) { return strdup(s != NULL ? s : ""); }

/* Replaces *slot with a copy of value; keeps the old string when out of memory. */
static int jc_replace_string(char **slot, const char *value) {
    char *copy = jc_strdup_or_empty(value);
    if (copy == NULL)
        return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

/* The editor stored in EL_CLIENTDATA, or NULL. */
static jc_editor *jc_editor_of(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0)
        return NULL;
    return (jc_editor *)data;
}

/* Columns a UTF-8 string takes on the terminal (bytes that do not decode count as one). */
static size_t jc_display_width(const char *s) {
    size_t width = 0;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    size_t left = strlen(s);
    while (left > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s, left, &state);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&state, 0, sizeof state);
            width += 1;
            s += 1;
            left -= 1;
            continue;
        }
        int w = wcwidth(wc);
        width += w > 0 ? (size_t)w : 0;
        s += n;
        left -= n;
    }
    return width;
}

/* Characters (as libedit counts them: wide characters) in the first `bytes` bytes of s. */
static int jc_char_count(const char *s, size_t bytes) {
    int count = 0;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    while (bytes > 0) {
        size_t n = mbrlen(s, bytes, &state);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&state, 0, sizeof state);
            n = 1;
        }
        s += n;
        bytes -= n;
        count += 1;
    }
    return count;
}

/* ------------------------------------------------------------------------- */
/* Creation                                                                  */
/* ------------------------------------------------------------------------- */

static char *jc_prompt_callback(EditLine *el) {
    static char empty[] = "";
    jc_editor *editor = jc_editor_of(el);
    if (editor == NULL)
        return empty;
    return editor->use_continuation ? editor->continuation_prompt : editor->prompt;
}

static unsigned char jc_complete_command(EditLine *el, int ch);
static unsigned char jc_search_command(EditLine *el, int ch);

jc_editor *jc_editor_create(const char *program, FILE *in, FILE *out, FILE *err) {
    if (in == NULL)
        in = stdin;
    if (err == NULL)
        err = stderr;
    if (out == NULL) {
        /* `jacobi > file` on a terminal: keep prompt and echo on the terminal. */
        int only_stdout_redirected = isatty(fileno(in)) && !isatty(fileno(stdout))
                                     && isatty(fileno(stderr));
        out = only_stdout_redirected ? stderr : stdout;
    }

    jc_editor *editor = calloc(1, sizeof *editor);
    if (editor == NULL)
        return NULL;
    editor->out = out;
    editor->prompt = strdup("");
    editor->continuation_prompt = strdup("");
    editor->history = history_init();
    if (editor->prompt == NULL || editor->continuation_prompt == NULL || editor->history == NULL) {
        jc_editor_destroy(editor);
        return NULL;
    }
    history(editor->history, &editor->event, H_SETSIZE, JC_HISTORY_SIZE);
    history(editor->history, &editor->event, H_SETUNIQUE, 1);

    jc_setup_ctype_locale();
    editor->el = el_init(program != NULL ? program : "jacobi", in, out, err);
    if (editor->el == NULL) {
        jc_editor_destroy(editor);
        return NULL;
    }
    EditLine *el = editor->el;

    el_set(el, EL_CLIENTDATA, (void *)editor);
    el_set(el, EL_PROMPT_ESC, jc_prompt_callback, JC_PROMPT_IGNORE);
    el_set(el, EL_EDITOR, "emacs");
    /* libedit restores the terminal and forwards signals (our SIGINT handler). */
    el_set(el, EL_SIGNAL, 1);
    /* Up/down arrows and ^P/^N walk this history. */
    el_set(el, EL_HIST, history, editor->history);

    /* libedit copies these two strings and never frees the copies (a known leak of
     * about 200 bytes per editor, once per process in practice). */
    el_set(el, EL_ADDFN, "jc-complete", "Complete the word before the cursor",
           jc_complete_command);
    el_set(el, EL_BIND, "^I", "jc-complete", NULL);
    el_set(el, EL_ADDFN, "jc-search", "Search the history backwards as you type",
           jc_search_command);
    el_set(el, EL_BIND, "^R", "jc-search", NULL);

    /* Keys many terminals send that libedit may not map from termcap. */
    el_set(el, EL_BIND, "\\e[H", "ed-move-to-beg", NULL);     /* Home */
    el_set(el, EL_BIND, "\\e[F", "ed-move-to-end", NULL);     /* End */
    el_set(el, EL_BIND, "\\e[1~", "ed-move-to-beg", NULL);
    el_set(el, EL_BIND, "\\e[4~", "ed-move-to-end", NULL);
    el_set(el, EL_BIND, "\\e[3~", "ed-delete-next-char", NULL); /* Delete */
    el_set(el, EL_BIND, "\\e[1;5C", "em-next-word", NULL);    /* Ctrl-Right */
    el_set(el, EL_BIND, "\\e[1;5D", "ed-prev-word", NULL);    /* Ctrl-Left */

    /* Let the user's ~/.editrc ($EDITRC) adjust all of the above. */
    el_source(el, NULL);

    /* libedit edits only on a terminal, and not when ~/.editrc says "edit off". */
    int edit_mode = 0;
    editor->editing = isatty(fileno(in)) && el_get(el, EL_EDITMODE, &edit_mode) == 0
                      && edit_mode != 0;
    return editor;
}

void jc_editor_destroy(jc_editor *editor) {
    if (editor == NULL)
        return;
    if (editor->el != NULL)
        el_end(editor->el); /* also restores the terminal mode */
    if (editor->history != NULL)
        history_end(editor->history);
    free(editor->prompt);
    free(editor->continuation_prompt);
    free(editor->last_tab_line);
    free(editor);
}

int jc_editor_is_editing(const jc_editor *editor) { return editor->editing; }

/* ------------------------------------------------------------------------- */
/* Prompt and reading                                                        */
/* ------------------------------------------------------------------------- */

int jc_editor_set_prompt(jc_editor *editor, const char *prompt) {
    return jc_replace_string(&editor->prompt, prompt);
}

int jc_editor_set_continuation_prompt(jc_editor *editor, const char *prompt) {
    return jc_replace_string(&editor->continuation_prompt, prompt);
}

void jc_editor_use_continuation_prompt(jc_editor *editor, int on) {
    editor->use_continuation = on != 0;
}

const char *jc_editor_gets(jc_editor *editor, int *count, int *error) {
    /* A new line: a TAB on it is never the second one of a pair. */
    free(editor->last_tab_line);
    editor->last_tab_line = NULL;

    int n = 0;
    errno = 0;
    const char *line = el_gets(editor->el, &n);
    int saved_errno = errno;
    if (line == NULL && n > 0)
        n = 0; /* defensive: no line means no length */
    if (count != NULL)
        *count = n;
    if (error != NULL)
        *error = line == NULL ? saved_errno : 0;
    return line;
}

/* ------------------------------------------------------------------------- */
/* History                                                                   */
/* ------------------------------------------------------------------------- */

int jc_history_add(jc_editor *editor, const char *line) {
    if (line == NULL)
        return -1;
    return history(editor->history, &editor->event, H_ENTER, line) < 0 ? -1 : 0;
}

int jc_history_load(jc_editor *editor, const char *path) {
    if (path == NULL)
        return -1;
    int loaded = history(editor->history, &editor->event, H_LOAD, path);
    return loaded < 0 ? -1 : loaded;
}

int jc_history_save(jc_editor *editor, const char *path) {
    if (path == NULL)
        return -1;
    int saved = history(editor->history, &editor->event, H_SAVE, path);
    return saved < 0 ? -1 : saved;
}

int jc_history_set_size(jc_editor *editor, int size) {
    if (size < 0)
        return -1;
    return history(editor->history, &editor->event, H_SETSIZE, size) < 0 ? -1 : 0;
}

int jc_history_count(jc_editor *editor) {
    if (history(editor->history, &editor->event, H_GETSIZE) < 0)
        return 0;
    return editor->event.num;
}

void jc_history_clear(jc_editor *editor) {
    history(editor->history, &editor->event, H_CLEAR);
}

void jc_history_foreach(jc_editor *editor, void *context, jc_history_visit_fn visit) {
    /* In libedit, H_LAST is the oldest entry and H_PREV steps towards newer ones. */
    HistEvent event;
    for (int rc = history(editor->history, &event, H_LAST); rc >= 0;
         rc = history(editor->history, &event, H_PREV))
        visit(context, event.str);
}

/* ------------------------------------------------------------------------- */
/* Completion                                                                */
/* ------------------------------------------------------------------------- */

void jc_editor_set_completer(jc_editor *editor, jc_complete_fn complete, void *context) {
    editor->complete = complete;
    editor->complete_context = context;
}

int jc_completions_add(jc_completions *out, const char *replacement, const char *display) {
    if (replacement == NULL)
        return -1;
    if (out->count == out->capacity) {
        int capacity = out->capacity == 0 ? 16 : out->capacity * 2;
        char **replacements = realloc(out->replacements, (size_t)capacity * sizeof *replacements);
        if (replacements == NULL)
            return -1;
        out->replacements = replacements;
        char **displays = realloc(out->displays, (size_t)capacity * sizeof *displays);
        if (displays == NULL)
            return -1;
        out->displays = displays;
        out->capacity = capacity;
    }
    char *replacement_copy = strdup(replacement);
    char *display_copy = display != NULL ? strdup(display) : NULL;
    if (replacement_copy == NULL || (display != NULL && display_copy == NULL)) {
        free(replacement_copy);
        free(display_copy);
        return -1;
    }
    out->replacements[out->count] = replacement_copy;
    out->displays[out->count] = display_copy;
    out->count += 1;
    return 0;
}

void jc_completions_set_word_length(jc_completions *out, int bytes) {
    out->word_length = bytes < 0 ? 0 : bytes;
}

static void jc_completions_free(jc_completions *c) {
    for (int i = 0; i < c->count; i++) {
        free(c->replacements[i]);
        free(c->displays[i]);
    }
    free(c->replacements);
    free(c->displays);
}

/* Bytes shared at the start of every candidate, cut back to a character boundary. */
static size_t jc_common_prefix_length(const jc_completions *c) {
    size_t length = strlen(c->replacements[0]);
    for (int i = 1; i < c->count; i++) {
        size_t j = 0;
        while (j < length && c->replacements[i][j] == c->replacements[0][j])
            j++;
        length = j;
    }
    /* Do not split a UTF-8 sequence: back off over continuation bytes. */
    while (length > 0 && ((unsigned char)c->replacements[0][length] & 0xC0) == 0x80)
        length--;
    return length;
}

/* Replaces the `word_bytes` bytes before the cursor (text `word`) with `text`. */
static void jc_replace_word(EditLine *el, const char *word, size_t word_bytes, const char *text) {
    int chars = jc_char_count(word, word_bytes);
    if (chars > 0)
        el_deletestr(el, chars);
    if (*text != '\0')
        el_insertstr(el, text);
}

/* Prints the candidates in columns, ls style (down, then across). */
static void jc_print_columns(jc_editor *editor, const jc_completions *c) {
    FILE *out = editor->out;
    int terminal_columns = 0;
    if (el_get(editor->el, EL_GETTC, "co", &terminal_columns) != 0 || terminal_columns <= 0)
        terminal_columns = 80;

    size_t widest = 0;
    for (int i = 0; i < c->count; i++) {
        const char *shown = c->displays[i] != NULL ? c->displays[i] : c->replacements[i];
        size_t w = jc_display_width(shown);
        if (w > widest)
            widest = w;
    }
    size_t column_width = widest + 2;
    int columns = (int)((size_t)terminal_columns / column_width);
    if (columns < 1)
        columns = 1;
    int rows = (c->count + columns - 1) / columns;
    columns = (c->count + rows - 1) / rows; /* balance the last column */

    for (int row = 0; row < rows; row++) {
        for (int column = 0; column < columns; column++) {
            int i = column * rows + row;
            if (i >= c->count)
                break;
            const char *shown = c->displays[i] != NULL ? c->displays[i] : c->replacements[i];
            fputs(shown, out);
            int last_in_row = column == columns - 1 || (column + 1) * rows + row >= c->count;
            if (!last_in_row)
                for (size_t pad = jc_display_width(shown); pad < column_width; pad++)
                    fputc(' ', out);
        }
        fputc('\n', out);
    }
}

/* Lists the candidates below the current line; the caller returns CC_REDISPLAY. */
static void jc_list_candidates(jc_editor *editor, const jc_completions *c) {
    FILE *out = editor->out;
    fputc('\n', out);
    if (c->count > JC_LIST_QUERY_ITEMS) {
        fprintf(out, "Display all %d possibilities? (y or n) ", c->count);
        fflush(out);
        char answer = 0;
        int got = el_getc(editor->el, &answer);
        fputc('\n', out);
        if (got != 1 || (answer != 'y' && answer != 'Y')) {
            fflush(out);
            return;
        }
    }
    jc_print_columns(editor, c);
    fflush(out);
}

/* Remembers the line and cursor after a TAB, to recognise the next TAB as a second one. */
static void jc_remember_tab_state(jc_editor *editor) {
    const LineInfo *info = el_line(editor->el);
    free(editor->last_tab_line);
    editor->last_tab_line = strndup(info->buffer, (size_t)(info->lastchar - info->buffer));
    editor->last_tab_cursor = (size_t)(info->cursor - info->buffer);
}

static int jc_is_second_tab(const jc_editor *editor, const char *line, size_t line_length,
                            size_t cursor) {
    return editor->last_tab_line != NULL && editor->last_tab_cursor == cursor
           && strlen(editor->last_tab_line) == line_length
           && memcmp(editor->last_tab_line, line, line_length) == 0;
}

/* The libedit user function bound to TAB. */
static unsigned char jc_complete_command(EditLine *el, int ch) {
    (void)ch;
    jc_editor *editor = jc_editor_of(el);
    if (editor == NULL || editor->complete == NULL)
        return CC_ERROR;

    /* Copy the line: libedit's LineInfo is not NUL-terminated and changes on edit. */
    const LineInfo *info = el_line(el);
    size_t cursor = (size_t)(info->cursor - info->buffer);
    size_t length = (size_t)(info->lastchar - info->buffer);
    char *line = strndup(info->buffer, length);
    char *before = strndup(info->buffer, cursor);
    if (line == NULL || before == NULL) {
        free(line);
        free(before);
        return CC_ERROR;
    }
    int second_tab = jc_is_second_tab(editor, line, length, cursor);

    jc_completions candidates;
    memset(&candidates, 0, sizeof candidates);
    editor->complete(editor->complete_context, before, line + cursor, &candidates);

    unsigned char result;
    if (candidates.count == 0) {
        result = CC_ERROR; /* beep */
    } else {
        size_t word_bytes = (size_t)candidates.word_length;
        if (word_bytes > cursor)
            word_bytes = cursor;
        const char *word = before + cursor - word_bytes;

        if (candidates.count == 1) {
            if (strcmp(candidates.replacements[0], word) != 0)
                jc_replace_word(el, word, word_bytes, candidates.replacements[0]);
            result = CC_REFRESH;
        } else {
            size_t prefix = jc_common_prefix_length(&candidates);
            int extends = prefix > word_bytes
                          || (prefix == word_bytes
                              && strncmp(candidates.replacements[0], word, prefix) != 0);
            if (extends) {
                char *common = strndup(candidates.replacements[0], prefix);
                if (common != NULL) {
                    jc_replace_word(el, word, word_bytes, common);
                    free(common);
                }
                result = CC_REFRESH;
            } else if (second_tab) {
                jc_list_candidates(editor, &candidates);
                result = CC_REDISPLAY;
            } else {
                result = CC_REFRESH_BEEP;
            }
        }
    }

    jc_completions_free(&candidates);
    free(line);
    free(before);
    jc_remember_tab_state(editor);
    return result;
}

/* ------------------------------------------------------------------------- */
/* Reverse incremental history search (Ctrl-R)                               */
/* ------------------------------------------------------------------------- */

/* The query grows by one character at a time; at most this many bytes. */
#define JC_SEARCH_QUERY_MAX 256

/* The `skip`-th newest single-line history entry containing `query` (a copy), or NULL. */
static char *jc_search_match(jc_editor *editor, const char *query, int skip) {
    HistEvent event;
    /* In libedit, H_FIRST is the newest entry and H_NEXT steps towards older ones. */
    for (int rc = history(editor->history, &event, H_FIRST); rc >= 0;
         rc = history(editor->history, &event, H_NEXT)) {
        const char *entry = event.str;
        if (entry == NULL || strchr(entry, '\n') != NULL || strstr(entry, query) == NULL)
            continue;
        if (skip-- == 0)
            return strdup(entry);
    }
    return NULL;
}

/* Draws the search line over the current screen line, cut to the terminal's width. */
static void jc_search_draw(jc_editor *editor, const char *query, const char *match, int failed) {
    int columns = 0;
    if (el_get(editor->el, EL_GETTC, "co", &columns) != 0 || columns <= 0)
        columns = 80;
    FILE *out = editor->out;
    fputs("\r\x1b[K", out);
    int used = fprintf(out, "(%sreverse-i-search)`%s': ", failed ? "failed " : "", query);
    int room = columns - 1 - (used > 0 ? used : 0);
    if (match != NULL && room > 0) {
        size_t length = strlen(match);
        if (length > (size_t)room) {
            length = (size_t)room;
            while (length > 0 && ((unsigned char)match[length] & 0xC0) == 0x80)
                length--; /* never cut inside a UTF-8 sequence */
        }
        fwrite(match, 1, length, out);
    }
    fflush(out);
}

/* Replaces the whole line being edited with `text`. */
static void jc_replace_line(EditLine *el, const char *text) {
    const LineInfo *info = el_line(el);
    el_cursor(el, jc_char_count(info->cursor, (size_t)(info->lastchar - info->cursor)));
    info = el_line(el);
    int chars = jc_char_count(info->buffer, (size_t)(info->lastchar - info->buffer));
    if (chars > 0)
        el_deletestr(el, chars);
    if (*text != '\0')
        el_insertstr(el, text);
}

/* The libedit user function bound to ^R: as readline's reverse-i-search. Typing extends the
 * query and shows the newest matching history line; ^R again goes to an older match;
 * Backspace shortens the query; Enter runs the match; ^G or ^C give the original line back;
 * any other key keeps the match on the line and then acts as usual (arrows, ^A, ^E). */
static unsigned char jc_search_command(EditLine *el, int ch) {
    (void)ch;
    jc_editor *editor = jc_editor_of(el);
    if (editor == NULL)
        return CC_ERROR;
    const LineInfo *info = el_line(el);
    char *original = strndup(info->buffer, (size_t)(info->lastchar - info->buffer));
    if (original == NULL)
        return CC_ERROR;
    char query[JC_SEARCH_QUERY_MAX + 1] = "";
    size_t query_length = 0;
    int skip = 0, failed = 0;
    char *match = NULL;
    char *shown = NULL; /* the last successful match: stays on screen while a query fails */
    jc_search_draw(editor, query, NULL, 0);

    unsigned char result = CC_REDISPLAY;
    const char *keep = NULL; /* the line to leave in the editor */
    for (;;) {
        char key = 0;
        int got = el_getc(el, &key);
        if (got != 1 || key == '\a' /* ^G */ || key == '\x03' /* ^C */) {
            keep = original;
            jc_clear_interrupt(); /* a ^C here cancels the search, nothing else */
            break;
        }
        if (key == '\r' || key == '\n') {
            keep = shown != NULL ? shown : original;
            el_push(el, "\n"); /* run it, as readline does */
            break;
        }
        if (key == '\x12' /* ^R */) {
            skip += 1;
        } else if (key == '\x7f' || key == '\b') {
            if (query_length > 0)
                query[--query_length] = '\0';
            skip = 0;
        } else if ((unsigned char)key >= 0x20) {
            if (query_length < JC_SEARCH_QUERY_MAX) {
                query[query_length++] = key;
                query[query_length] = '\0';
            }
            skip = 0;
        } else {
            /* Another control key: keep the match and let the key act on it. */
            keep = shown != NULL ? shown : original;
            char pushed[2] = {key, '\0'};
            el_push(el, pushed);
            break;
        }
        free(match);
        match = query_length > 0 ? jc_search_match(editor, query, skip) : NULL;
        if (match == NULL && skip > 0 && query_length > 0) {
            skip -= 1; /* no older match: stay on this one */
            match = jc_search_match(editor, query, skip);
        }
        failed = query_length > 0 && match == NULL;
        if (match != NULL) {
            free(shown);
            shown = strdup(match);
        } else if (query_length == 0) {
            free(shown);
            shown = NULL;
        }
        jc_search_draw(editor, query, shown, failed);
    }
    /* Leave the screen line blank at column 0: libedit redraws the prompt and line there. */
    fputs("\r\x1b[K", editor->out);
    fflush(editor->out);
    jc_replace_line(el, keep);
    free(match);
    free(shown);
    free(original);
    return result;
}
