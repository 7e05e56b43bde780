import CNcursesw
import Foundation
import TerminalUI

/// The `Terminal` over ncursesw: the only code in Firegrid that knows ncurses exists.
///
/// It owns the screen from `init` to `shutdown()`: locale check, `newterm`, raw keyboard
/// (so Ctrl-S and Ctrl-C reach the app), wide-character input through `wget_wch`, resize as
/// an event, colours with a monochrome fallback, and restoring the terminal on every exit
/// path (SIGINT, SIGTERM and SIGHUP become a `.terminate` event; see shim.h).
public final class NcursesTerminal: Terminal {
  /// How long a wait for a key lasts before the loop gets an `.idle` turn: short enough that
  /// a progress line moves and a save's result shows at once, long enough to cost nothing.
  static let idleMilliseconds: Int32 = 100
  /// Why the terminal could not be opened. `message` is for the user, Chinese then English.
  public enum OpenError: Error, CustomStringConvertible {
    case notUTF8(codeset: String)
    case noTerminal(term: String)

    public var description: String {
      switch self {
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

  /// Opens the terminal. Throws `OpenError` (without touching the screen) when the locale is
  /// not UTF-8 or the terminal cannot be opened.
  public init() throws {
    setlocale(LC_ALL, "")
    let codeset = String(cString: fg_codeset())
    guard codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8" else {
      throw OpenError.notUTF8(codeset: codeset)
    }
    // Our handlers first: ncurses leaves SIGINT/SIGTERM alone when they are not SIG_DFL.
    fg_install_signal_handlers()
    fg_install_crash_handlers()
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
    wtimeout(window, Self.idleMilliseconds)
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
      var ch: wint_t = 0
      let result = wget_wch(window, &ch)
      // No key within the timeout (or a signal, looked at above on the next turn): the loop
      // gets a turn to take finished background work and notice a new day.
      if result == ERR { return .idle }
      if result == fg_key_code_yes() {
        if let event = functionKeyEvent(Int32(ch)) { return event }
        continue
      }
      if let key = characterKey(UInt32(ch)) { return .key(key) }
    }
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
