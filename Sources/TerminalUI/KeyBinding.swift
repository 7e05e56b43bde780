/// A key binding as data: the keys, how the help bar names them, and what they do.
/// Screens list their bindings; the help bar and the full help screen are generated from
/// these lists, never written by hand.
public struct KeyBinding: Equatable, Sendable {
  public let keys: [Key]
  /// How the keys are shown, e.g. "j/k" or "Enter".
  public let keyLabel: String
  /// What the keys do, short, e.g. "移动".
  public let help: String
  /// Whether the one-line help bar shows it (the full help always does).
  public let inBar: Bool

  public init(_ keys: [Key], _ keyLabel: String, _ help: String, inBar: Bool = true) {
    self.keys = keys
    self.keyLabel = keyLabel
    self.help = help
    self.inBar = inBar
  }

  public func matches(_ key: Key) -> Bool { keys.contains(key) }
}

extension Array where Element == KeyBinding {
  /// The first binding that matches `key`.
  public func binding(for key: Key) -> KeyBinding? { first { $0.matches(key) } }
}

/// A screen's keys: each binding with the action it stands for. Dispatch looks a key up here
/// and the help bar and help screen are drawn from the same entries, so what the help says and
/// what the keys do cannot drift apart.
public struct Keymap<Action> {
  public private(set) var entries: [(binding: KeyBinding, action: Action)]

  public init(_ entries: [(KeyBinding, Action)] = []) {
    self.entries = entries.map { (binding: $0.0, action: $0.1) }
  }

  public mutating func add(_ binding: KeyBinding, _ action: Action) {
    entries.append((binding, action))
  }

  /// The action of the first binding that holds `key`.
  public func action(for key: Key) -> Action? {
    entries.first { $0.binding.matches(key) }?.action
  }

  public var bindings: [KeyBinding] { entries.map(\.binding) }
}

extension Keymap: Sendable where Action: Sendable {}

/// The one-line help at the bottom of the screen, generated from key bindings.
public enum HelpBar {
  /// Draws "key help  key help ..." into one row of `area`; bindings that do not fit whole
  /// are left out rather than cut.
  public static func render(
    _ bindings: [KeyBinding], into buffer: inout ScreenBuffer, area: Rect
  ) {
    guard area.height > 0 else { return }
    buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: .bar)
    let keyStyle = Style(foreground: .yellow, background: .blue, bold: true)
    var x = area.x + 1
    for binding in bindings where binding.inBar {
      let needed = binding.keyLabel.displayWidth + 1 + binding.help.displayWidth
      if x + needed > area.maxX { break }
      x += buffer.write(binding.keyLabel, x: x, y: area.y, style: keyStyle)
      x += 1
      x += buffer.write(binding.help, x: x, y: area.y, style: .bar)
      x += 2
    }
  }
}
