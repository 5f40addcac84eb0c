#ifndef DISCOTOP_CNCURSES_SHIM_H
#define DISCOTOP_CNCURSES_SHIM_H
// SwiftPM drops pkg-config -D flags; wide-character curses needs this before the include.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>  // setupterm, for checking TERM before initscr
#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <sys/ioctl.h>

// Macros and globals Swift cannot import (or, for globals, cannot touch in Swift 6 mode).
static inline WINDOW *dt_stdscr(void) { return stdscr; }
static inline int dt_lines(void) { return LINES; }
static inline int dt_cols(void) { return COLS; }
static inline int dt_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int dt_a_normal(void) { return (int)A_NORMAL; }
static inline int dt_a_bold(void) { return (int)A_BOLD; }
static inline int dt_a_dim(void) { return (int)A_DIM; }
static inline int dt_a_reverse(void) { return (int)A_REVERSE; }
static inline int dt_a_underline(void) { return (int)A_UNDERLINE; }
static inline int dt_key_f(int n) { return KEY_F(n); }
static inline void dt_setlocale(void) { setlocale(LC_ALL, ""); }
// 1 when the locale setlocale chose encodes text as UTF-8 (C.UTF-8, en_US.UTF-8...), else 0.
static inline int dt_locale_is_utf8(void) { return strcmp(nl_langinfo(CODESET), "UTF-8") == 0; }
// The terminal's real size (ioctl is variadic, so Swift cannot call it). 0 on success.
static inline int dt_winsize(int fd, int *rows, int *cols) {
    struct winsize w;
    if (ioctl(fd, TIOCGWINSZ, &w) != 0) return -1;
    *rows = w.ws_row;
    *cols = w.ws_col;
    return 0;
}
// Whether terminfo describes `term` as a screen: 1 yes, 0 not described, -1 no terminfo
// database at all (setupterm's own codes), 2 described but unable to move the cursor (`dumb`,
// where curses starts and then draws nothing legible). Reads the database only and writes
// nothing: initscr, given an unknown TERM, prints ncurses' "Error opening terminal" and exits.
static inline int dt_terminfo_knows(const char *term) {
    int status = 0;
    if (setupterm(term, 1, &status) != OK) return status;
    char *move = tigetstr("cup");
    int result = (move == NULL || move == (char *)-1) ? 2 : 1;
    del_curterm(cur_term);
    return result;
}

// The mouse: button 1 and the wheel (buttons 4 and 5), reported as they happen (no click
// interval, so a click is not held back waiting for a double click). 0 turns it off.
static inline void dt_mouse(int on) {
    mousemask(on ? (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
    mouseinterval(0);
}
// After KEY_MOUSE: 1 a click, 2 the wheel up, 3 the wheel down, 0 anything else; where in cells.
static inline int dt_mouse_read(int *row, int *column) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *row = event.y;
    *column = event.x;
    if (event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 2;
    if (event.bstate & BUTTON5_PRESSED) return 3;
    return 0;
}

#endif
