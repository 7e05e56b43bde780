/// A checklist: owns its items, the possible answers, the answer given to each item, and the
/// selection. Each answer has a key; pressing it answers the current item and moves to the
/// next, so a paper form is entered with one key per line (e.g. 三清三关: y 是, n 否,
/// - 不适用, with the labels passed in by the caller).
public struct Checklist: Equatable, Sendable {
  /// One possible answer and the key that gives it.
  public struct Answer: Equatable, Sendable {
    public var key: Character
    public var label: String
    public init(key: Character, label: String) {
      self.key = key
      self.label = label
    }
  }

  /// The item labels.
  public var items: [String]
  public var answers: [Answer]
  /// Per item, the index into `answers` of its answer; nil when unanswered.
  public var values: [Int?]
  public var state: ListState

  public init(items: [String], answers: [Answer]) {
    self.items = items
    self.answers = answers
    self.values = Array(repeating: nil, count: items.count)
    self.state = ListState()
  }

  /// Whether every item has an answer.
  public var isComplete: Bool {
    items.indices.allSatisfy { value(at: $0) != nil }
  }

  /// The answer index of item `index`, nil when unanswered (or out of range).
  public func value(at index: Int) -> Int? {
    guard index >= 0, index < values.count, let value = values[index],
      value >= 0, value < answers.count
    else { return nil }
    return value
  }

  /// The label of the answer to item `index`, nil when unanswered.
  public func answerLabel(at index: Int) -> String? {
    value(at: index).map { answers[$0].label }
  }

  /// Sets the answer of item `index` (nil clears it).
  public mutating func setValue(_ value: Int?, at index: Int) {
    guard index >= 0, index < items.count else { return }
    if values.count < items.count {
      values += Array(repeating: nil, count: items.count - values.count)
    }
    values[index] = value
  }

  /// The answer whose key is `c`: an exact match first, then one that differs only in case
  /// (so Caps Lock does not get in the way).
  private func answerIndex(for c: Character) -> Int? {
    if let exact = answers.firstIndex(where: { $0.key == c }) { return exact }
    return answers.firstIndex { $0.key.lowercased() == c.lowercased() }
  }

  /// Up/Down (and k/j when they are not answer keys) move, Home/End go to the first/last
  /// item; an answer key answers the current item and moves to the next; Space cycles the
  /// current item through the answers; Backspace/Delete clear its answer. Every other key
  /// is `.ignored`.
  public mutating func handle(_ key: Key) -> KeyResult {
    let count = items.count
    state.select(state.selected, count: count)
    switch key {
    case .character(" "):
      guard count > 0, !answers.isEmpty else { return .handled }
      let next = value(at: state.selected).map { ($0 + 1) % answers.count } ?? 0
      setValue(next, at: state.selected)
      return .handled
    case .character(let c):
      if let answer = answerIndex(for: c) {
        guard count > 0 else { return .handled }
        setValue(answer, at: state.selected)
        state.select(state.selected + 1, count: count)
        return .handled
      }
      if c == "j" || c == "k" { return state.handle(key, count: count, pageSize: 1) }
      return .ignored
    case .up, .down, .home, .end:
      return state.handle(key, count: count, pageSize: 1)
    case .backspace, .delete:
      if count > 0 { setValue(nil, at: state.selected) }
      return .handled
    default:
      return .ignored
    }
  }

  /// Draws one row per item, "[answer] label", with every answer padded to the widest
  /// answer label ("[  ]" when unanswered and the answers are two columns wide), and scrolls
  /// (updating `state.offset`) so the selection is visible.
  public mutating func render(into buffer: inout ScreenBuffer, area: Rect, focused: Bool) {
    guard !area.isEmpty else { return }
    buffer.fill(area, style: .plain)
    state.scrollToSelection(height: area.height, count: items.count)
    let answerWidth = answers.map(\.label.displayWidth).max() ?? 0
    for line in 0..<area.height {
      let index = state.offset + line
      guard index < items.count else { break }
      let selected = index == state.selected
      let style = ListRowStyle.style(base: .plain, selected: selected, focused: focused)
      let row = Rect(x: area.x, y: area.y + line, width: area.width, height: 1)
      buffer.fill(row, style: style)
      let answer = answerLabel(at: index) ?? ""
      var x = area.x
      x += buffer.write("[", x: x, y: row.y, maxWidth: row.maxX - x, style: style)
      let answerStyle = answer.isEmpty || (selected && focused) ? style : Style.key
      x += buffer.write(
        answer.fitted(columns: answerWidth, ellipsis: false), x: x, y: row.y,
        maxWidth: row.maxX - x, style: answerStyle)
      x += buffer.write("] ", x: x, y: row.y, maxWidth: row.maxX - x, style: style)
      buffer.write(items[index], x: x, y: row.y, maxWidth: row.maxX - x, style: style)
    }
  }
}
