#ifndef DISCOTOP_TERMINAL_H
#define DISCOTOP_TERMINAL_H

#include <stddef.h>

/// Sends `query` (a request the terminal answers, such as the cursor position request u7) to
/// `out`, and reads from `in` until the answer (ending in `terminator`) arrives or `timeout_ms`
/// passes, with echo and line editing off meanwhile so the answer never shows. A terminal
/// answers in order, so once it has, it has read everything written before the query.
/// Async-signal-safe. Returns 0 when the terminal answered, -1 otherwise.
int discotop_terminal_settle(int in, int out, const char *query, size_t query_length, char terminator, int timeout_ms);

/// Remembers the terminal's modes on `in` (call before curses changes them); the exit sequence
/// will be written to `out`, where curses writes.
int discotop_terminal_guard_save(int in, int out);

/// From now on, a fatal signal first writes `exit_sequence` (leave the alternate screen, show
/// the cursor, reset attributes), waits for the terminal to take it (through `query`, as
/// discotop_terminal_settle), and puts back the modes saved by discotop_terminal_guard_save;
/// then the signal takes its course. Copies both strings. Returns 0, or -1 if they are too long.
int discotop_terminal_guard_arm(const char *exit_sequence, const char *query, char terminator);

/// The terminal was put back by the normal way out: fatal signals leave it alone again.
void discotop_terminal_guard_disarm(void);

#endif
