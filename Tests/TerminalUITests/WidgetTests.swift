import Testing

@testable import TerminalUI

struct ChoicePickerTests {
  @Test func cyclesBothWays() {
    var picker = ChoicePicker(options: ["男", "女"])
    #expect(picker.value == "男")
    #expect(picker.handle(.right) == .handled)
    #expect(picker.value == "女")
    #expect(picker.handle(.right) == .handled)
    #expect(picker.value == "男")
    #expect(picker.handle(.left) == .handled)
    #expect(picker.value == "女")
    #expect(picker.handle(.enter) == .ignored)
  }

  /// Typed pinyin initials narrow the choice as they come (a name among 20 visitors in two
  /// or three keys instead of up to 20 × Right); characters still work.
  @Test func typedInitialsFindTheOption() {
    var picker = ChoicePicker(
      options: ["肖煜中", "向红梅", "向华", "黄伟", "（名册外人员）"],
      searchKeys: ["xyz", "xhm", "xh", "hw", ""])
    #expect(picker.handle(.character("x")) == .handled)
    #expect(picker.value == "向红梅")  // the next one with x after the current
    #expect(picker.handle(.character("h")) == .handled)
    #expect(picker.value == "向红梅")
    #expect(picker.handle(.character("m")) == .handled)
    #expect(picker.value == "向红梅")
    _ = picker.handle(.left)
    #expect(picker.handle(.character("h")) == .handled)
    #expect(picker.value == "黄伟")
    #expect(picker.handle(.character("肖")) == .handled)
    #expect(picker.value == "肖煜中")
    #expect(picker.handle(.character("q")) == .ignored)
    #expect(picker.value == "肖煜中")
  }

  @Test func typedFirstCharacterJumps() {
    var picker = ChoicePicker(options: ["孤寡老人", "独居老人", "留守儿童", "留守妇女"])
    #expect(picker.handle(.character("留")) == .handled)
    #expect(picker.selected == 2)
    #expect(picker.handle(.character("留")) == .handled)
    #expect(picker.selected == 3)
    #expect(picker.handle(.character("留")) == .handled)
    #expect(picker.selected == 2)
    #expect(picker.handle(.character("独")) == .handled)
    #expect(picker.value == "独居老人")
    #expect(picker.handle(.character("x")) == .ignored)
    #expect(picker.value == "独居老人")
    var empty = ChoicePicker(options: [])
    #expect(empty.value == "")
    #expect(empty.handle(.right) == .ignored)
  }

  @Test func rendersWithArrows() {
    let picker = ChoicePicker(options: ["是", "不适用"])
    var buffer = ScreenBuffer(size: Size(columns: 12, rows: 1))
    picker.render(into: &buffer, area: buffer.area, focused: true)
    #expect(buffer.textLines == ["< 是     >"])
    #expect(buffer[2, 0].style == .selected)
    #expect(buffer[0, 0].style == .key)
    #expect(picker.displayWidth == 10)
  }
}

struct ConfirmDialogTests {
  private let dialog = ConfirmDialog(
    title: "删除走访记录", message: "确定删除这条记录吗？\n删除后不能恢复。", confirmLabel: "y 确定",
    cancelLabel: "n 取消")

  @Test func outcomes() {
    for key: Key in [.character("y"), .character("Y"), .enter] {
      #expect(dialog.handle(key) == .confirmed)
    }
    for key: Key in [.character("n"), .character("N"), .escape] {
      #expect(dialog.handle(key) == .cancelled)
    }
    for key: Key in [.character("x"), .tab, .control("c"), .down] {
      #expect(dialog.handle(key) == .pending)
    }
  }

  @Test func drawnCentredInAFilledBox() {
    var buffer = ScreenBuffer(size: Size(columns: 40, rows: 12))
    buffer.write(String(repeating: "背景", count: 20), x: 0, y: 6)
    dialog.render(into: &buffer, area: buffer.area)
    let box = dialog.frame(in: buffer.area)
    // 20 columns of message plus a margin of 2 each side; 6 lines plus a blank row above
    // and below.
    #expect(box == Rect(x: 8, y: 2, width: 24, height: 8))
    let lines = buffer.textLines
    #expect(lines[2] == "")
    #expect(lines[3] == "              删除走访记录")
    #expect(lines[4] == "")
    #expect(lines[5] == "          确定删除这条记录吗？")
    #expect(lines[6] == "背景背景  删除后不能恢复。      背景背景")
    #expect(lines[7] == "")
    #expect(lines[8] == "            y 确定    n 取消")
    #expect(lines[9] == "")
    #expect(buffer[8, 2].style == .bar)
    #expect(buffer[31, 9].style == .bar)
    #expect(buffer[7, 6].style == .plain)
    #expect(buffer[8, 6].style == .bar)
    #expect(buffer[12, 8].style.bold)
    #expect(buffer[14, 3].style.bold)
    // No box-drawing characters anywhere.
    let drawn = lines.joined()
    #expect(!drawn.unicodeScalars.contains { (0x2500...0x257F).contains($0.value) })
  }

  @Test func longMessagesWrapInANarrowArea() {
    let long = ConfirmDialog(
      title: "提示", message: String(repeating: "网格", count: 20), confirmLabel: "y",
      cancelLabel: "n")
    var buffer = ScreenBuffer(size: Size(columns: 20, rows: 14))
    long.render(into: &buffer, area: buffer.area)
    let box = long.frame(in: buffer.area)
    #expect(box == Rect(x: 1, y: 1, width: 18, height: 12))
    #expect(buffer.textLines[4].trimmedWhitespace == "网格网格网格网")
    #expect(buffer.textLines[9].trimmedWhitespace == "格网格网格")
  }
}

struct HelpBarTests {
  @Test func omitsBindingsThatDoNotFit() {
    let bindings = [
      KeyBinding([.character("q")], "q", "退出"),
      KeyBinding([.character("?")], "?", "帮助", inBar: false),
      KeyBinding([.character("j"), .character("k")], "j/k", "移动"),
      KeyBinding([.enter], "Enter", "打开"),
    ]
    var buffer = ScreenBuffer(size: Size(columns: 20, rows: 1))
    HelpBar.render(bindings, into: &buffer, area: buffer.area)
    #expect(buffer.textLines == [" q 退出  j/k 移动"])
    #expect(buffer[19, 0].style == .bar)
    #expect(buffer[1, 0].style.bold)

    var wide = ScreenBuffer(size: Size(columns: 40, rows: 1))
    HelpBar.render(bindings, into: &wide, area: wide.area)
    #expect(wide.textLines == [" q 退出  j/k 移动  Enter 打开"])
    #expect(bindings.binding(for: .character("k"))?.help == "移动")
  }
}
