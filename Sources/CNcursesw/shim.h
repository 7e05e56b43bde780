// The only C entry point of Firegrid. Fixes for the pitfalls listed in DESIGN.md:
// the wide API needs NCURSES_WIDECHAR (SwiftPM drops -D_XOPEN_SOURCE), function-like
// macros and C globals are not visible to Swift 6, so they are wrapped here.
#ifndef FIREGRID_CNCURSESW_SHIM_H
#define FIREGRID_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// wcwidth is hidden from `import Glibc` without _XOPEN_SOURCE.
extern int wcwidth(wchar_t c);

static inline int fg_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

static inline FILE *fg_stdin(void) { return stdin; }
static inline FILE *fg_stdout(void) { return stdout; }

static inline int fg_lines(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int fg_cols(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

static inline int fg_key_f(int n) { return KEY_F(n); }
static inline int fg_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int fg_colors(void) { return COLORS; }
static inline int fg_key_code_yes(void) { return KEY_CODE_YES; }

static const attr_t fg_a_normal = A_NORMAL;
static const attr_t fg_a_bold = A_BOLD;
static const attr_t fg_a_reverse = A_REVERSE;
static const attr_t fg_a_underline = A_UNDERLINE;
static const attr_t fg_a_dim = A_DIM;

// Draw one character (a cell) with attributes and a colour pair.
static inline int fg_put_cell(WINDOW *w, int y, int x, const wchar_t *text, attr_t attrs, short pair) {
  cchar_t cc;
  if (setcchar(&cc, text, attrs, pair, NULL) != OK) return ERR;
  return mvwadd_wch(w, y, x, &cc);
}

static inline const char *fg_codeset(void) { return nl_langinfo(CODESET); }

// Signals that must restore the terminal: the handler only records the signal; the run
// loop notices it on its next wake-up (wget_wch is interrupted) and shuts down cleanly.
static volatile sig_atomic_t fg_pending_signal = 0;
static inline void fg_signal_handler(int sig) { fg_pending_signal = sig; }
static inline void fg_install_signal_handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fg_signal_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocked read must return so the loop sees the signal
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}
// A crash (a Swift trap is SIGILL or SIGTRAP) must not leave the terminal raw and blank:
// restore it, then die of the same signal so the exit status and any core dump stay true.
static inline void fg_crash_handler(int sig) {
  endwin();
  signal(sig, SIG_DFL);
  raise(sig);
}
static inline void fg_install_crash_handlers(void) {
  int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
  for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fg_crash_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(signals[i], &sa, NULL);
  }
}
static inline int fg_take_pending_signal(void) {
  int s = fg_pending_signal;
  fg_pending_signal = 0;
  return s;
}

#endif
