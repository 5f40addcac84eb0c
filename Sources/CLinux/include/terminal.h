#ifndef DISCOTOP_TERMINAL_H
#define DISCOTOP_TERMINAL_H

#include <stddef.h>

/// Sends `query` (a request the terminal answers, such as the cursor position request u7) to
/// `out`, and reads from `in` until the answer (ending in `terminator`) arrives or `timeout_ms`
/// passes, with echo and line editing off meanwhile so the answer never shows. A terminal
/// answers in order, so once it has, it has read everything written before the query.
/// Async-signal-safe. Returns 0 when the terminal answered, -1 otherwise.
int discotop_terminal_settle(int in, int out, const char *query, size_t query_length, char terminator, int timeout_ms);

#endif
