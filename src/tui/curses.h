/* curses.h: the one header that decides which curses is included. */
#ifndef HUBASSOC_TUI_CURSES_H
#define HUBASSOC_TUI_CURSES_H

#define NCURSES_WIDECHAR 1
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#endif
