#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CBPF.h"

/* Per thread: libbpf prints from the thread that made the call, and the watcher and the
 * iterator load on different threads. */
static __thread char last_message[1024];

/* DISCOTOP_BPF_DEBUG=1 shows everything libbpf says (verifier logs included) on stderr: the
 * way to find out why a hook does not load on some kernel. Read once, before the callback is
 * installed: set lazily in the callback, two threads loading at once both wrote it. */
static int debug;

static int capture(enum libbpf_print_level level, const char *format, va_list args)
{
    if (debug) {
        va_list copy;
        va_copy(copy, args);
        vfprintf(stderr, format, copy);
        va_end(copy);
    }
    if (level == LIBBPF_DEBUG)
        return 0;
    char line[sizeof last_message];
    int length = vsnprintf(line, sizeof line, format, args);
    char *newline = strchr(line, '\n');
    if (newline)
        *newline = '\0';
    const char *text = strncmp(line, "libbpf: ", 8) == 0 ? line + 8 : line;
    /* A line naming a program ("prog 'x': failed to ...") says more than the summary line
     * libbpf prints after it ("failed to load object"), so the summary does not replace it. */
    int is_summary = strncmp(text, "failed to load object", 21) == 0;
    if (text[0] != '\0' && !(is_summary && last_message[0] != '\0'))
        snprintf(last_message, sizeof last_message, "%s", text);
    return length;
}

void discotop_libbpf_capture_messages(void)
{
    debug = getenv("DISCOTOP_BPF_DEBUG") != NULL;
    libbpf_set_print(capture);
}

const char *discotop_libbpf_last_message(void) { return last_message; }

void discotop_libbpf_clear_message(void) { last_message[0] = '\0'; }
