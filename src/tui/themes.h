/*
 * themes.h: the names of the built-in themes, for whoever lists them (the
 * command line's completion, :theme's).  The rest of theming is tui.h's.
 */
#ifndef HUBASSOC_TUI_THEMES_H
#define HUBASSOC_TUI_THEMES_H

#include <stddef.h>

/* The built-in themes' names, n of them. */
const char *const *theme_builtin_names(size_t *n);

#endif
