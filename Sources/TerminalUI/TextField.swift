/// A single-line text field with CJK editing.
///
/// Owns the text, the cursor and the length limit. The cursor counts `Character`s (one
/// Chinese character is one step, whatever its width); drawing counts display columns, so a
/// Chinese character takes two cells and is never split at the edge of the field.
public struct TextField: Equatable, Sendable {
  public var text: String
  /// Position of the cursor in `Character`s, 0...text.count.
  public var cursor: Int
  /// The most `Character`s typing adds up to; a key past it is refused and
  /// `refusedAtLimit` says so (the form shows it). Text given whole (a saved value) is never
  /// cut: a longer one stays as it is, for the form to report, so nothing is lost unseen.
  public var maxLength: Int?
  /// The last key was a character refused because the field is full.
  public private(set) var refusedAtLimit = false

  /// A field holding `text` (never cut), with the cursor at its end.
  public init(text: String = "", maxLength: Int? = nil) {
    self.text = text
    self.cursor = text.count
    self.maxLength = maxLength
  }

  /// Replaces the text (never cut) and puts the cursor at its end.
  public mutating func setText(_ newText: String) {
    text = newText
    cursor = text.count
    refusedAtLimit = false
  }

  /// Whether the text is longer than `maxLength`.
  public var isOverLimit: Bool { maxLength.map { text.count > $0 } ?? false }

  private var clampedCursor: Int { min(max(0, cursor), text.count) }

  private func index(at offset: Int) -> String.Index {
    text.index(text.startIndex, offsetBy: offset)
  }

  /// Edits the field:
  /// - a printable character (including CJK from an input method) is inserted at the cursor
  ///   (refused, but still `.handled`, once `maxLength` is reached: `refusedAtLimit`);
  /// - Backspace deletes before the cursor, Delete at it;
  /// - Left/Right/Home/End, Ctrl-A (start) and Ctrl-E (end) move;
  /// - Ctrl-U deletes to the start, Ctrl-K to the end.
  /// Every other key is `.ignored`.
  public mutating func handle(_ key: Key) -> KeyResult {
    cursor = clampedCursor
    refusedAtLimit = false
    switch key {
    case .character(let c):
      guard c.isTypable else { return .ignored }
      if let maxLength, text.count >= maxLength {
        refusedAtLimit = true
        return .handled
      }
      let before = text.count
      text.insert(c, at: index(at: cursor))
      // A combining mark merges with the character before it: move by what was added.
      cursor += text.count - before
    case .backspace:
      if cursor > 0 {
        text.remove(at: index(at: cursor - 1))
        cursor -= 1
      }
    case .delete:
      if cursor < text.count { text.remove(at: index(at: cursor)) }
    case .left:
      cursor = max(0, cursor - 1)
    case .right:
      cursor = min(text.count, cursor + 1)
    case .home, .control("a"):
      cursor = 0
    case .end, .control("e"):
      cursor = text.count
    case .control("u"):
      text.removeSubrange(text.startIndex..<index(at: cursor))
      cursor = 0
    case .control("k"):
      text.removeSubrange(index(at: cursor)..<text.endIndex)
    default:
      return .ignored
    }
    return .handled
  }

  /// The index of the first visible `Character` when the field is `width` columns wide:
  /// 0 when the text up to the cursor fits, else the smallest start that keeps the cursor
  /// (and the character under it) inside the field.
  public func scrollStart(width: Int) -> Int {
    let characters = Array(text)
    let position = clampedCursor
    let under = position < characters.count ? max(1, DisplayWidth.of(characters[position])) : 1
    var used = under
    var start = position
    while start > 0 {
      let w = DisplayWidth.of(characters[start - 1])
      if used + w > width { break }
      used += w
      start -= 1
    }
    return start
  }

  /// Draws the field into the first row of `area`, filled with `style`, scrolled so the
  /// cursor stays visible (a wide character that does not fit at the right edge is left
  /// out, never split). Returns the screen position for the terminal cursor when `focused`,
  /// else nil.
  public func render(
    into buffer: inout ScreenBuffer, area: Rect, style: Style, focused: Bool
  ) -> (x: Int, y: Int)? {
    guard !area.isEmpty else { return nil }
    let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
    buffer.fill(row, style: style)
    let start = scrollStart(width: area.width)
    let visible = text.dropFirst(start)
    buffer.write(String(visible), x: area.x, y: area.y, maxWidth: area.width, style: style)
    guard focused else { return nil }
    let before = visible.prefix(clampedCursor - start).displayWidth
    return (x: area.x + min(before, area.width - 1), y: area.y)
  }
}
