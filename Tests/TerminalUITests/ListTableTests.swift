import Testing

@testable import TerminalUI

private func hundredRows() -> [[String]] {
  (0..<100).map { ["\($0 + 1)", "户主\($0 + 1)", "龙潭村第\($0 % 9 + 1)网格"] }
}

private func makeTable() -> Table {
  Table(
    columns: [
      TableColumn("序号", width: 4, alignment: .right),
      TableColumn("户主", width: 8),
      TableColumn("地址", width: 10),
    ],
    rows: hundredRows())
}

/// Renders `table` into a 10-row area (a header and 9 rows) of a 30×12 buffer and returns
/// the buffer; the area starts at row 1.
private func render(_ table: inout Table, focused: Bool = true) -> ScreenBuffer {
  var buffer = ScreenBuffer(size: Size(columns: 30, rows: 12))
  table.render(into: &buffer, area: Rect(x: 0, y: 1, width: 30, height: 10), focused: focused)
  return buffer
}

struct ListStateTests {
  @Test func movesAndClamps() {
    var state = ListState()
    #expect(state.handle(.up, count: 5, pageSize: 3) == .handled)
    #expect(state.selected == 0)
    #expect(state.handle(.down, count: 5, pageSize: 3) == .handled)
    #expect(state.handle(.character("j"), count: 5, pageSize: 3) == .handled)
    #expect(state.selected == 2)
    #expect(state.handle(.character("k"), count: 5, pageSize: 3) == .handled)
    #expect(state.selected == 1)
    #expect(state.handle(.pageDown, count: 5, pageSize: 3) == .handled)
    #expect(state.selected == 4)
    #expect(state.handle(.character("g"), count: 5, pageSize: 3) == .handled)
    #expect(state.selected == 0)
    #expect(state.handle(.character("G"), count: 5, pageSize: 3) == .handled)
    #expect(state.selected == 4)
    #expect(state.handle(.end, count: 5, pageSize: 3) == .handled)
    #expect(state.selected == 4)
    #expect(state.handle(.character("x"), count: 5, pageSize: 3) == .ignored)
    #expect(state.handle(.enter, count: 5, pageSize: 3) == .ignored)
  }

  @Test func emptyListStaysAtZero() {
    var state = ListState(selected: 3)
    #expect(state.handle(.down, count: 0, pageSize: 10) == .handled)
    #expect(state.selected == 0)
    state.select(7, count: 0)
    #expect(state.selected == 0)
    #expect(state.position(count: 0) == "0/0")
  }

  @Test func scrollToSelectionKeepsSelectionInView() {
    var state = ListState()
    state.select(15, count: 100)
    state.scrollToSelection(height: 10)
    #expect(state.offset == 6)
    state.select(3, count: 100)
    state.scrollToSelection(height: 10)
    #expect(state.offset == 3)
    state.select(8, count: 100)
    state.scrollToSelection(height: 10)
    #expect(state.offset == 3)
    #expect(state.position(count: 100) == "9/100")
  }

  @Test func scrollToSelectionWithCountClampsAfterRowsWereRemoved() {
    var state = ListState()
    state.select(95, count: 100)
    state.scrollToSelection(height: 10, count: 100)
    #expect(state.offset == 86)
    state.scrollToSelection(height: 10, count: 20)
    #expect(state.selected == 19)
    #expect(state.offset == 10)
  }
}

struct TableTests {
  @Test func headerAndFirstPage() {
    var table = makeTable()
    let buffer = render(&table)
    let lines = buffer.textLines
    #expect(lines[0] == "")
    #expect(lines[1] == "序号 户主     地址")
    #expect(lines[2] == "   1 户主1    龙潭村第1网格")
    #expect(lines[10] == "   9 户主9    龙潭村第9网格")
    #expect(lines[11] == "")
    #expect(buffer[0, 1].style == .bold)
    #expect(table.state.offset == 0)
    #expect(table.selectedIndex == 0)
  }

  @Test func pageDownEndHomeKeepSelectionVisible() {
    var table = makeTable()
    let page = Table.pageSize(for: Rect(x: 0, y: 1, width: 30, height: 10))
    #expect(page == 9)

    #expect(table.handle(.pageDown, pageSize: page) == .handled)
    var lines = render(&table).textLines
    #expect(table.selectedIndex == 9)
    #expect(table.state.offset == 9)
    #expect(lines[2] == "  10 户主10   龙潭村第1网格")
    #expect(lines[10] == "  18 户主18   龙潭村第9网格")

    #expect(table.handle(.end, pageSize: page) == .handled)
    lines = render(&table).textLines
    #expect(table.selectedIndex == 99)
    #expect(table.state.offset == 91)
    #expect(lines[2] == "  92 户主92   龙潭村第2网格")
    #expect(lines[10] == " 100 户主100  龙潭村第1网格")

    #expect(table.handle(.pageUp, pageSize: page) == .handled)
    _ = render(&table)
    #expect(table.selectedIndex == 90)
    #expect(table.state.offset == 82)

    #expect(table.handle(.home, pageSize: page) == .handled)
    lines = render(&table).textLines
    #expect(table.selectedIndex == 0)
    #expect(table.state.offset == 0)
    #expect(lines[2] == "   1 户主1    龙潭村第1网格")
  }

  @Test func movingDownPastTheLastVisibleRowScrollsByOne() {
    var table = makeTable()
    for _ in 0..<9 { _ = table.handle(.down, pageSize: 9) }
    let buffer = render(&table)
    #expect(table.state.offset == 1)
    #expect(buffer.textLines[10] == "  10 户主10   龙潭村第1网格")
    #expect(buffer[0, 10].style == .selected)
    #expect(buffer[29, 10].style == .selected)
    #expect(buffer[0, 9].style == .plain)
  }

  @Test func selectedRowStyleDependsOnFocus() {
    var table = makeTable()
    table.rowStyles = [0: .warning, 1: .warning]
    var buffer = render(&table, focused: true)
    #expect(buffer[5, 2].style == .selected)
    #expect(buffer[5, 3].style == .warning)
    buffer = render(&table, focused: false)
    #expect(buffer[5, 2].style.underline)
    #expect(buffer[5, 2].style.bold)
    #expect(buffer[5, 2].style.foreground == .yellow)
    #expect(!buffer[5, 2].style.reverse)
  }

  @Test func cellsAreCutWithoutSplittingWideCharacters() {
    var table = Table(
      columns: [TableColumn("户主", width: 5), TableColumn("电话", width: 11)],
      rows: [["邹锡华单", "13800000000"], ["翟朴", "1"]])
    var buffer = ScreenBuffer(size: Size(columns: 12, rows: 3))
    table.render(into: &buffer, area: buffer.area, focused: false)
    // The last column stretches (here shrinks) to the 6 columns left.
    #expect(buffer.textLines == ["户主  电话", "邹..  1380..", "翟朴  1"])
  }

  @Test func emptyTableShowsEmptyText() {
    var table = Table(columns: [TableColumn("户主", width: 8)])
    table.emptyText = "没有记录"
    #expect(table.selectedIndex == nil)
    #expect(table.handle(.down, pageSize: 5) == .handled)
    var buffer = ScreenBuffer(size: Size(columns: 20, rows: 4))
    table.render(into: &buffer, area: buffer.area, focused: true)
    #expect(buffer.textLines == ["户主", "没有记录", "", ""])
    #expect(buffer[0, 1].style == .muted)
  }

  @Test func renderClampsASelectionPastTheEnd() {
    var table = makeTable()
    table.state.select(99, count: 100)
    table.rows = Array(table.rows.prefix(5))
    _ = render(&table)
    #expect(table.selectedIndex == 4)
    #expect(table.state.selected == 4)
    #expect(table.state.offset == 0)
  }
}
