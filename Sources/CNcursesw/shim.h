// The only C entry point of Firegrid. Fixes for the pitfalls listed in DESIGN.md:
// the wide API needs NCURSES_WIDECHAR (SwiftPM drops -D_XOPEN_SOURCE), function-like
// macros and C globals are not visible to Swift 6, so they are wrapped here.
#ifndef FIREGRID_CNCURSESW_SHIM_H
#define FIREGRID_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
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

// Signals that must restore the terminal (SIGINT, SIGTERM, SIGHUP): the handler only writes
// the signal's number to a pipe (the self-pipe), and the key wait polls the terminal and that
// pipe together, so the run loop wakes at once and shuts down cleanly.
//
// Why a pipe and not a flag (issue 16, a SIGTERM at the first screen never acted on):
// - A flag read and then cleared (`s = flag; flag = 0`) loses a signal that lands between the
//   two; a byte read from a pipe is taken whole or not at all.
// - A flag wakes nobody: the kernel gives a process-directed signal to any thread that does
//   not block it, and only that thread's blocking call is interrupted; the key wait then
//   noticed the flag at its next 100 ms timeout at best. The pipe wakes the key wait's poll
//   whichever thread ran the handler.
// - The state is one variable whatever includes this header: a `static` variable in a header
//   is one copy per translation unit, and Swift emits the inline functions below into every
//   object file that calls them (every Swift file of a debug build), so a handler installed
//   from one file would have written a flag another file never read. `weak` definitions are
//   merged by the linker into one.
// - A process inherits its signal mask across exec: started by a thread that blocks these
//   signals (any Dispatch or Swift-concurrency thread does, and Foundation's Process passes
//   that mask on), the program would never receive them. Installing unblocks them.
// - SA_RESTART: with the pipe nothing depends on a call being interrupted, and no thread's
//   read or write fails with EINTR because a signal happened to be delivered to it.
__attribute__((weak)) volatile sig_atomic_t fg_signal_read_fd = -1;
__attribute__((weak)) volatile sig_atomic_t fg_signal_write_fd = -1;
static inline void fg_signal_handler(int sig) {
  int saved = errno;
  unsigned char byte = (unsigned char)sig;
  // Non-blocking: a full pipe (signals nobody took) loses nothing that matters.
  if (fg_signal_write_fd >= 0) (void)!write(fg_signal_write_fd, &byte, 1);
  errno = saved;
}
static inline int fg_set_pipe_flags(int fd) {
  int fdflags = fcntl(fd, F_GETFD);
  int flflags = fcntl(fd, F_GETFL);
  if (fdflags < 0 || flflags < 0) return -1;
  if (fcntl(fd, F_SETFD, fdflags | FD_CLOEXEC) != 0) return -1;
  return fcntl(fd, F_SETFL, flflags | O_NONBLOCK);
}
/// Installs the handlers (once; again is harmless) and unblocks the signals in the calling
/// thread. 0, or -1 when no pipe could be made (the signals then keep their default action).
static inline int fg_install_signal_handlers(void) {
  if (fg_signal_read_fd < 0) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    if (fg_set_pipe_flags(fds[0]) != 0 || fg_set_pipe_flags(fds[1]) != 0) {
      close(fds[0]);
      close(fds[1]);
      return -1;
    }
    fg_signal_write_fd = fds[1];
    fg_signal_read_fd = fds[0];
  }
  int signals[] = {SIGINT, SIGTERM, SIGHUP};
  sigset_t unblock;
  sigemptyset(&unblock);
  for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fg_signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(signals[i], &sa, NULL);
    sigaddset(&unblock, signals[i]);
  }
  // A signal sent while they were blocked (inherited) is delivered here, to the handler.
  pthread_sigmask(SIG_UNBLOCK, &unblock, NULL);
  return 0;
}
/// The pipe's end to poll with the terminal (-1 before the handlers are installed).
static inline int fg_signal_fd(void) { return fg_signal_read_fd; }

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
/// The first signal not yet taken (its number), or 0: one byte from the pipe, never waiting.
static inline int fg_take_pending_signal(void) {
  unsigned char byte = 0;
  if (fg_signal_read_fd < 0) return 0;
  return read(fg_signal_read_fd, &byte, 1) == 1 ? byte : 0;
}

#endif
