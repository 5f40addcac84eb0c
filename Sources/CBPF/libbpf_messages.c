#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "CBPF.h"

static char last_message[1024];

static int capture(enum libbpf_print_level level, const char *format, va_list args)
{
    if (level == LIBBPF_DEBUG)
        return 0;
    char line[sizeof last_message];
    int length = vsnprintf(line, sizeof line, format, args);
    /* Keep the first line of the newest message that says something; verifier logs are long. */
    char *newline = strchr(line, '\n');
    if (newline)
        *newline = '\0';
    if (line[0] != '\0')
        memcpy(last_message, line, sizeof line);
    return length;
}

void discotop_libbpf_capture_messages(void) { libbpf_set_print(capture); }

const char *discotop_libbpf_last_message(void) { return last_message; }

void discotop_libbpf_clear_message(void) { last_message[0] = '\0'; }
