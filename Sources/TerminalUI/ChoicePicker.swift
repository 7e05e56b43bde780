/// A choice of one of a few options, shown as "< option >": owns the options and which one
/// is chosen. Left/Right (and h/l, and Space forwards) cycle; typing an option's first
/// character jumps to the next option that starts with it.
public struct ChoicePicker: Equatable, Sendable {
  public var options: [String]
  public var selected: Int
  /// Per option, another text typing finds it by (e.g. a name's pinyin initials "xyz" for
  /// 肖煜中); "" or missing when none.
  public var searchKeys: [String]
  /// What has been typed since the last other key: letters narrow the choice as they come.
  private var typed = ""

  public init(options: [String], selected: Int = 0, searchKeys: [String] = []) {
    self.options = options
    self.selected = options.isEmpty ? 0 : min(max(0, selected), options.count - 1)
    self.searchKeys = searchKeys
  }

  /// Whether option `index` starts with `prefix`, by its text or its search key.
  private func matches(_ index: Int, _ prefix: String) -> Bool {
    if options[index].lowercased().hasPrefix(prefix) { return true }
    return index < searchKeys.count && searchKeys[index].lowercased().hasPrefix(prefix)
  }

  /// The chosen option; "" when there are none.
  public var value: String {
    options.isEmpty ? "" : options[min(max(0, selected), options.count - 1)]
  }

  /// Chooses `option` if it is one of the options; returns whether it was.
  @discardableResult
  public mutating func select(_ option: String) -> Bool {
    guard let index = options.firstIndex(of: option) else { return false }
    selected = index
    return true
  }

  public mutating func handle(_ key: Key) -> KeyResult {
    guard !options.isEmpty else { return .ignored }
    let current = min(max(0, selected), options.count - 1)
    switch key {
    case .left:
      typed = ""
      selected = (current + options.count - 1) % options.count
    case .right, .character(" "):
      typed = ""
      selected = (current + 1) % options.count
    case .character(let c):
      // Typed letters or characters narrow the choice: "x", then "xy", finds 肖煜中 by its
      // text or its search key (pinyin initials). A letter that continues no match starts
      // again from it; the same single letter again steps to the next option that has it.
      let continued = typed + c.lowercased()
      if typed.count > 0, let index = (0..<options.count).first(where: { matches($0, continued) }) {
        selected = index
        typed = continued
        return .handled
      }
      let key = c.lowercased()
      for step in 1...options.count {
        let index = (current + step) % options.count
        if matches(index, key) {
          selected = index
          typed = key
          return .handled
        }
      }
      typed = ""
      return .ignored
    default:
      return .ignored
    }
    return .handled
  }

  /// The display width of "< option >" for the widest option.
  public var displayWidth: Int { (options.map(\.displayWidth).max() ?? 0) + 4 }

  /// Draws "< option >" into the first row of `area`, the option padded to the widest one so
  /// the arrows do not move. Focused: arrows in `Style.key` and the option in
  /// `Style.selected`; unfocused: plain option, muted arrows.
  public func render(into buffer: inout ScreenBuffer, area: Rect, focused: Bool) {
    guard !area.isEmpty else { return }
    let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
    buffer.fill(row, style: .plain)
    let width = options.map(\.displayWidth).max() ?? 0
    let arrows = focused ? Style.key : Style.muted
    var x = area.x
    x += buffer.write("< ", x: x, y: row.y, maxWidth: row.maxX - x, style: arrows)
    x += buffer.write(
      value.fitted(columns: width, ellipsis: false), x: x, y: row.y, maxWidth: row.maxX - x,
      style: focused ? .selected : .plain)
    buffer.write(" >", x: x, y: row.y, maxWidth: row.maxX - x, style: arrows)
  }
}
