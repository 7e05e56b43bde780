/// A key the user pressed, independent of the terminal library.
public enum Key: Hashable, Sendable, CustomStringConvertible {
  /// A printable character (including CJK text from an input method).
  case character(Character)
  /// Ctrl with a letter: `.control("s")` is Ctrl-S.
  case control(Character)
  case enter, escape, tab, backTab, backspace, delete, insert
  case up, down, left, right, home, end, pageUp, pageDown
  case function(Int)

  /// How the help bar names this key.
  public var description: String {
    switch self {
    case .character(" "): return "Space"
    case .character(let c): return String(c)
    case .control(let c): return "Ctrl-\(c.uppercased())"
    case .enter: return "Enter"
    case .escape: return "Esc"
    case .tab: return "Tab"
    case .backTab: return "Shift-Tab"
    case .backspace: return "Backspace"
    case .delete: return "Del"
    case .insert: return "Ins"
    case .up: return "Up"
    case .down: return "Down"
    case .left: return "Left"
    case .right: return "Right"
    case .home: return "Home"
    case .end: return "End"
    case .pageUp: return "PgUp"
    case .pageDown: return "PgDn"
    case .function(let n): return "F\(n)"
    }
  }
}

/// What a terminal delivers to the application.
public enum Event: Equatable, Sendable {
  case key(Key)
  /// The window changed size (ncurses' KEY_RESIZE).
  case resize(Size)
  /// A signal asked the program to stop (SIGINT, SIGTERM, SIGHUP): save nothing half-done,
  /// restore the terminal, exit.
  case terminate(signal: Int32)
  /// Nothing was typed for a moment: the loop looks at the clock and at finished work.
  case idle
}
