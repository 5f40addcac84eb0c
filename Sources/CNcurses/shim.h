#ifndef DISCOTOP_CNCURSES_SHIM_H
#define DISCOTOP_CNCURSES_SHIM_H
// SwiftPM drops pkg-config -D flags; wide-character curses needs this before the include.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <ncursesw/ncurses.h>
#endif
