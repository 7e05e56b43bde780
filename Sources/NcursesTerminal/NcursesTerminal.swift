import CNcursesw
import Foundation
import TerminalUI

/// The `Terminal` over ncursesw: the only code in Firegrid that knows ncurses exists.
///
/// It owns the screen from `init` to `shutdown()`: locale check, `newterm`, raw keyboard
/// (so Ctrl-S and Ctrl-C reach the app), wide-character input through `wget_wch`, resize as
/// an event, colours with a monochrome fallback, and restoring the terminal on every exit
/// path (SIGINT, SIGTERM and SIGHUP become a `.terminate` event; see shim.h).
///
/// Signals: the handler writes the signal to a pipe and `nextEvent` waits in one `poll` for a
/// key or that pipe, so a signal is acted on at once wherever the kernel delivered it. Before
/// `installSignalHandlers()` the three signals keep their default action (the process dies
/// at once: nothing is on the screen yet, and every write of the store is atomic); between
/// it and the screen, a signal makes `init` throw `OpenError.terminated` without drawing.
/// What it cannot cut short: the run loop waiting for an effect the next key depends on (a
/// save, an opening), which ends on its own; the runner then sees the `.terminate`.
public final class NcursesTerminal: Terminal {
  /// How long a wait for a key lasts before the loop gets an `.idle` turn: short enough that
  /// a progress line moves and a save's result shows at once, long enough to cost nothing.
  static let idleMilliseconds: Int32 = 100
  /// How long `wget_wch` itself waits: the rest of a character's bytes, as ESCDELAY gives an
  /// escape sequence's. Nothing typed: `nextEvent` then waits in poll, where a signal wakes it.
  static let characterMilliseconds: Int32 = 25
  /// Why the terminal could not be opened. `message` is for the user, Chinese then English.
  public enum OpenError: Error, CustomStringConvertible {
    case notUTF8(codeset: String)
    case noTerminal(term: String)
    /// A terminating signal came before the screen was opened: exit with
    /// `exitStatus(forSignal:)`, nothing to restore.
    case terminated(signal: Int32)

    public var description: String {
      switch self {
      case .terminated(let signal):
        return "已收到信号 \(signal)，程序退出。Signal \(signal) received before the screen opened."
      case .notUTF8(let codeset):
        return """
          错误：终端字符集不是 UTF-8（当前为 \(codeset)），无法正确显示中文。
          请设置 UTF-8 区域，例如：export LANG=C.UTF-8
          Error: the terminal's character set is \(codeset), not UTF-8; Chinese text cannot be shown.
          Set a UTF-8 locale, e.g. export LANG=C.UTF-8
          """
      case .noTerminal(let term):
        return """
          错误：无法打开终端（TERM=\(term)）。请在真实终端中运行。
          Error: cannot open the terminal (TERM=\(term)). Run Firegrid in a real terminal.
          """
      }
    }
  }

  private let screen: OpaquePointer
  private let window: UnsafeMutablePointer<WINDOW>
  private let hasColors: Bool
  private var pairs: [PairKey: Int16] = [:]
  private var previous: ScreenBuffer?
  private var isOpen = true

  private struct PairKey: Hashable {
    var foreground: Color?
    var background: Color?
  }

  /// The exit status the process should use after a terminating signal (128 + signal).
  public static func exitStatus(forSignal signal: Int32) -> Int32 { 128 + signal }

  /// Installs the handlers of SIGINT, SIGTERM and SIGHUP and unblocks them (see shim.h); `init`
  /// does it too. A caller that wants them before the terminal opens calls this first.
  public static func installSignalHandlers() {
    _ = fg_install_signal_handlers()
  }

  /// Opens the terminal. Throws `OpenError` (without touching the screen) when the locale is
  /// not UTF-8 or the terminal cannot be opened.
  public init() throws {
    setlocale(LC_ALL, "")
    let codeset = String(cString: fg_codeset())
    guard codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8" else {
      throw OpenError.notUTF8(codeset: codeset)
    }
    // Our handlers first: ncurses leaves SIGINT/SIGTERM alone when they are not SIG_DFL.
    Self.installSignalHandlers()
    fg_install_crash_handlers()
    // A signal taken since (or inherited pending, now unblocked): leave before drawing.
    let early = fg_take_pending_signal()
    if early != 0 { throw OpenError.terminated(signal: early) }
    guard let screen = newterm(nil, fg_stdout(), fg_stdin()) else {
      throw OpenError.noTerminal(term: ProcessInfo.processInfo.environment["TERM"] ?? "")
    }
    self.screen = screen
    set_term(screen)
    // newterm's window is stdscr; there is no accessor needed beyond this one call.
    guard let window = newwin(0, 0, 0, 0) else {
      endwin()
      delscreen(screen)
      throw OpenError.noTerminal(term: ProcessInfo.processInfo.environment["TERM"] ?? "")
    }
    self.window = window
    raw()  // Ctrl-S/Ctrl-Q/Ctrl-C arrive as keys, no flow control freezing the screen
    noecho()
    nonl()
    keypad(window, true)
    set_escdelay(25)
    // Keys are read with a short wait; `nextEvent` waits in poll (a key or a signal).
    wtimeout(window, Self.characterMilliseconds)
    hasColors = has_colors()
    if hasColors {
      start_color()
      use_default_colors()
    }
  }

  deinit { shutdown() }

  /// Restores the terminal. Safe to call more than once.
  public func shutdown() {
    guard isOpen else { return }
    isOpen = false
    curs_set(1)
    endwin()
    delwin(window)
    delscreen(screen)
  }

  public var size: Size {
    Size(columns: Int(fg_cols(window)), rows: Int(fg_lines(window)))
  }

  public func present(_ buffer: ScreenBuffer, cursor: (x: Int, y: Int)?) {
    let full = previous == nil || previous?.size != buffer.size
    if full { werase(window) }
    for y in 0..<buffer.size.rows {
      if !full, let previous, rowEqual(previous, buffer, y) { continue }
      for x in 0..<buffer.size.columns {
        let cell = buffer[x, y]
        if cell.isContinuation { continue }
        // The bottom-right cell: writing it scrolls some terminals; ncurses returns ERR, harmless.
        draw(cell, x: x, y: y)
      }
    }
    previous = buffer
    if let cursor {
      curs_set(1)
      wmove(window, Int32(cursor.y), Int32(cursor.x))
    } else {
      curs_set(0)
    }
    wnoutrefresh(window)
    doupdate()
  }

  private func rowEqual(_ a: ScreenBuffer, _ b: ScreenBuffer, _ y: Int) -> Bool {
    for x in 0..<a.size.columns where a[x, y] != b[x, y] { return false }
    return true
  }

  private func draw(_ cell: Cell, x: Int, y: Int) {
    var attrs = fg_a_normal
    let style = cell.style
    if style.bold { attrs |= fg_a_bold }
    if style.reverse { attrs |= fg_a_reverse }
    if style.underline { attrs |= fg_a_underline }
    if style.dim { attrs |= fg_a_dim }
    var pair: Int16 = 0
    if hasColors {
      pair = colorPair(foreground: style.foreground, background: style.background)
    } else if style.background != nil && !style.reverse {
      // Monochrome: a coloured bar becomes reverse video, coloured text bold.
      attrs |= fg_a_reverse
    } else if style.foreground != nil {
      attrs |= fg_a_bold
    }
    var scalars = cell.symbol.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
    if scalars.isEmpty { scalars = [wchar_t(32)] }
    scalars.append(0)
    _ = scalars.withUnsafeBufferPointer { text in
      fg_put_cell(window, Int32(y), Int32(x), text.baseAddress, attrs, pair)
    }
  }

  private func colorPair(foreground: Color?, background: Color?) -> Int16 {
    if foreground == nil && background == nil { return 0 }
    let key = PairKey(foreground: foreground, background: background)
    if let pair = pairs[key] { return pair }
    let next = Int16(pairs.count + 1)
    let fg = Int16(foreground?.rawValue ?? -1)
    let bg = Int16(background?.rawValue ?? -1)
    init_pair(next, fg, bg)
    pairs[key] = next
    return next
  }

  public func nextEvent() -> Event? {
    while true {
      let signal = fg_take_pending_signal()
      if signal != 0 { return .terminate(signal: signal) }
      // Keys ncurses already holds (typed ahead, pasted, the rest of an escape sequence) and
      // a resize come first, with only `characterMilliseconds` of waiting.
      var ch: wint_t = 0
      let result = wget_wch(window, &ch)
      if result == fg_key_code_yes() {
        if let event = functionKeyEvent(Int32(ch)) { return event }
        continue
      }
      if result != ERR {
        if let key = characterKey(UInt32(ch)) { return .key(key) }
        continue
      }
      // Nothing: wait for a key or a signal. No key within the timeout: the loop gets an
      // `.idle` turn to take finished background work and notice a new day.
      switch waitForInput() {
      case .timeout: return .idle
      case .hungUp: return .terminate(signal: SIGHUP)
      case .ready: continue
      }
    }
  }

  private enum Wait { case ready, timeout, hungUp }

  /// One poll of the terminal's input and the signal pipe, at most `idleMilliseconds`. A poll
  /// cut short by a signal (SIGWINCH: ncurses's handler) counts as ready: the loop looks.
  private func waitForInput() -> Wait {
    var fds = [
      pollfd(fd: fileno(fg_stdin()), events: Int16(POLLIN), revents: 0),
      pollfd(fd: fg_signal_fd(), events: Int16(POLLIN), revents: 0),
    ]
    let count = poll(&fds, nfds_t(fds.count), Self.idleMilliseconds)
    if count == 0 { return .timeout }
    // The terminal is gone (its window closed without a SIGHUP reaching us): no key can
    // ever come, and polling it again would return at once, for ever.
    let gone = Int16(POLLHUP | POLLERR | POLLNVAL)
    if count > 0, fds[0].revents & gone != 0, fds[0].revents & Int16(POLLIN) == 0 {
      return .hungUp
    }
    return .ready
  }

  private func characterKey(_ code: UInt32) -> Key? {
    switch code {
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 8, 127: return .backspace
    case 1...26:
      return .control(Character(Unicode.Scalar(code + 96)!))
    case 0, 28...31: return nil
    default:
      guard let scalar = Unicode.Scalar(code) else { return nil }
      return .character(Character(scalar))
    }
  }

  private func functionKeyEvent(_ code: Int32) -> Event? {
    if code == KEY_RESIZE {
      previous = nil  // redraw everything at the new size
      return .resize(size)
    }
    for n in 1...12 where code == fg_key_f(Int32(n)) { return .key(.function(n)) }
    let key: Key?
    switch code {
    case KEY_UP: key = .up
    case KEY_DOWN: key = .down
    case KEY_LEFT: key = .left
    case KEY_RIGHT: key = .right
    case KEY_HOME: key = .home
    case KEY_END: key = .end
    case KEY_PPAGE: key = .pageUp
    case KEY_NPAGE: key = .pageDown
    case KEY_BACKSPACE: key = .backspace
    case KEY_DC: key = .delete
    case KEY_IC: key = .insert
    case KEY_BTAB: key = .backTab
    case KEY_ENTER: key = .enter
    default: key = nil
    }
    return key.map { .key($0) }
  }
}
