import Testing

@testable import TerminalUI

private func type(_ text: String, into field: inout TextField) {
  for character in text { _ = field.handle(.character(character)) }
}

struct TextFieldTests {
  @Test func initPutsCursorAtEnd() {
    let field = TextField(text: "邹锡华")
    #expect(field.cursor == 3)
    #expect(TextField().cursor == 0)
  }

  @Test func insertInTheMiddleBackspaceAndDelete() {
    var field = TextField(text: "邹华")
    #expect(field.handle(.left) == .handled)
    #expect(field.cursor == 1)
    type("锡", into: &field)
    #expect(field.text == "邹锡华")
    #expect(field.cursor == 2)
    #expect(field.handle(.backspace) == .handled)
    #expect(field.text == "邹华")
    #expect(field.cursor == 1)
    #expect(field.handle(.delete) == .handled)
    #expect(field.text == "邹")
    #expect(field.cursor == 1)
    #expect(field.handle(.delete) == .handled)  // at the end: nothing to delete
    #expect(field.text == "邹")
    type("锡华", into: &field)
    #expect(field.text == "邹锡华")
  }

  @Test func movementKeys() {
    var field = TextField(text: "三江镇龙潭村")
    #expect(field.handle(.home) == .handled)
    #expect(field.cursor == 0)
    #expect(field.handle(.left) == .handled)
    #expect(field.cursor == 0)
    #expect(field.handle(.right) == .handled)
    #expect(field.cursor == 1)
    #expect(field.handle(.end) == .handled)
    #expect(field.cursor == 6)
    #expect(field.handle(.right) == .handled)
    #expect(field.cursor == 6)
    #expect(field.handle(.control("a")) == .handled)
    #expect(field.cursor == 0)
    #expect(field.handle(.control("e")) == .handled)
    #expect(field.cursor == 6)
  }

  @Test func killToStartAndToEnd() {
    var field = TextField(text: "三江镇龙潭村")
    field.cursor = 3
    #expect(field.handle(.control("k")) == .handled)
    #expect(field.text == "三江镇")
    #expect(field.cursor == 3)
    field.cursor = 1
    #expect(field.handle(.control("u")) == .handled)
    #expect(field.text == "江镇")
    #expect(field.cursor == 0)
  }

  @Test func otherKeysAreIgnored() {
    var field = TextField(text: "邹")
    for key: Key in [.enter, .escape, .tab, .up, .down, .pageDown, .control("s"), .function(1)] {
      #expect(field.handle(key) == .ignored, "\(key)")
    }
    #expect(field.handle(.character("\u{7}")) == .ignored)
    #expect(field.text == "邹")
  }

  /// Typing past the limit is refused and says so; a longer text given whole is kept, never
  /// cut, and marked over the limit for the form to report.
  @Test func maxLengthRefusesExtraInputAndNeverCutsText() {
    var field = TextField(maxLength: 3)
    type("邹锡华", into: &field)
    #expect(!field.refusedAtLimit)
    #expect(field.handle(.character("x")) == .handled)
    #expect(field.refusedAtLimit)
    #expect(field.text == "邹锡华")
    _ = field.handle(.backspace)
    #expect(!field.refusedAtLimit)
    let long = TextField(text: "123456", maxLength: 4)
    #expect(long.text == "123456")
    #expect(long.isOverLimit)
  }

  @Test func combiningMarkJoinsThePreviousCharacter() {
    var field = TextField(text: "ab")
    field.cursor = 1
    type("\u{0301}", into: &field)
    #expect(field.text == "a\u{0301}b")
    #expect(field.cursor == 1)
  }

  @Test func cursorXCountsDisplayWidth() {
    var buffer = ScreenBuffer(size: Size(columns: 20, rows: 3))
    var field = TextField(text: "邹锡a华")
    let area = Rect(x: 3, y: 1, width: 12, height: 1)
    var cursor = field.render(into: &buffer, area: area, style: .plain, focused: true)
    #expect(cursor?.x == 3 + 7)
    #expect(cursor?.y == 1)
    #expect(buffer.textLines[1] == "   邹锡a华")
    field.cursor = 2
    cursor = field.render(into: &buffer, area: area, style: .plain, focused: true)
    #expect(cursor?.x == 3 + 4)
    #expect(field.render(into: &buffer, area: area, style: .plain, focused: false) == nil)
  }

  @Test func scrollsHorizontallyToKeepCursorVisible() {
    var buffer = ScreenBuffer(size: Size(columns: 10, rows: 1))
    var field = TextField(text: "三江镇龙潭村第一网格")
    let area = Rect(x: 1, y: 0, width: 7, height: 1)

    // Cursor at the end: the last characters show, with a column left for the cursor.
    var cursor = field.render(into: &buffer, area: area, style: .plain, focused: true)
    #expect(buffer.textLines[0] == " 一网格")
    #expect(cursor?.x == 1 + 6)

    // At the start: the first characters show; the fourth would cross the edge and is
    // left out, not split.
    _ = field.handle(.home)
    cursor = field.render(into: &buffer, area: area, style: .plain, focused: true)
    #expect(buffer.textLines[0] == " 三江镇")
    #expect(buffer[7, 0].symbol == " ")
    #expect(cursor?.x == 1)

    // In the middle, on 村: the character under the cursor is shown whole.
    field.cursor = 5
    cursor = field.render(into: &buffer, area: area, style: .plain, focused: true)
    #expect(buffer.textLines[0] == " 龙潭村")
    #expect(cursor?.x == 1 + 4)

    // Nothing is drawn outside the area.
    #expect(buffer[0, 0].symbol == " ")
    #expect(buffer[8, 0].symbol == " ")
  }

  @Test func renderFillsTheRowWithTheStyle() {
    var buffer = ScreenBuffer(size: Size(columns: 10, rows: 1))
    buffer.write("xxxxxxxxxx", x: 0, y: 0)
    let field = TextField(text: "邹")
    _ = field.render(
      into: &buffer, area: Rect(x: 2, y: 0, width: 5, height: 1), style: Style(underline: true),
      focused: false)
    #expect(buffer.textLines[0] == "xx邹   xxx")
    #expect(buffer[6, 0].style == Style(underline: true))
    #expect(buffer[7, 0].style == .plain)
  }
}
