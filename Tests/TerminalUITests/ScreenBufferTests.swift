import Testing

@testable import TerminalUI

/// Every continuation cell follows a wide character, and every wide character is followed
/// by its continuation: the buffer never holds half a character.
private func isWhole(_ buffer: ScreenBuffer) -> Bool {
  for y in 0..<buffer.size.rows {
    for x in 0..<buffer.size.columns {
      let cell = buffer[x, y]
      if cell.isContinuation {
        guard x > 0, DisplayWidth.of(buffer[x - 1, y].symbol) == 2 else { return false }
      } else if DisplayWidth.of(cell.symbol) == 2 {
        guard x + 1 < buffer.size.columns, buffer[x + 1, y].isContinuation else { return false }
      }
    }
  }
  return true
}

struct ScreenBufferTests {
  @Test func wideCharacterAtLastColumnIsLeftOut() {
    var buffer = ScreenBuffer(size: Size(columns: 5, rows: 1))
    #expect(buffer.write("ab中文", x: 0, y: 0) == 4)
    #expect(buffer.line(0) == "ab中 ")
    #expect(buffer[4, 0] == Cell.blank)
    #expect(buffer.write("龙", x: 4, y: 0) == 0)
    #expect(buffer[4, 0].symbol == " ")
    #expect(isWhole(buffer))
  }

  @Test func overwritingRightHalfBlanksLeftHalf() {
    var buffer = ScreenBuffer(size: Size(columns: 6, rows: 1))
    buffer.write("中文", x: 0, y: 0)
    buffer.write("x", x: 1, y: 0)
    #expect(buffer.line(0) == " x文  ")
    #expect(buffer[0, 0].symbol == " ")
    #expect(isWhole(buffer))
  }

  @Test func overwritingLeftHalfBlanksRightHalf() {
    var buffer = ScreenBuffer(size: Size(columns: 6, rows: 1))
    buffer.write("中文", x: 0, y: 0)
    buffer.write("y", x: 2, y: 0)
    #expect(buffer.line(0) == "中y   ")
    #expect(buffer[3, 0].symbol == " ")
    #expect(isWhole(buffer))
  }

  @Test func wideOverWideShiftedByOne() {
    var buffer = ScreenBuffer(size: Size(columns: 6, rows: 1))
    buffer.write("中文", x: 0, y: 0)
    buffer.write("字", x: 1, y: 0)
    #expect(buffer.line(0) == " 字   ")
    #expect(isWhole(buffer))
  }

  @Test func maxWidthCutsBeforeAWideCharacter() {
    var buffer = ScreenBuffer(size: Size(columns: 10, rows: 2))
    #expect(buffer.write("中文字", x: 1, y: 0, maxWidth: 5) == 4)
    #expect(buffer.textLines[0] == " 中文")
    #expect(buffer[5, 0] == Cell.blank)
    #expect(buffer.write("a中", x: 0, y: 1, maxWidth: 2) == 1)
    #expect(buffer.textLines[1] == "a")
    #expect(isWhole(buffer))
  }

  @Test func fillOverHalfOfWideCharacters() {
    var buffer = ScreenBuffer(size: Size(columns: 6, rows: 2))
    buffer.write("中文字", x: 0, y: 0)
    buffer.fill(Rect(x: 1, y: 0, width: 2, height: 1), style: .bar)
    #expect(buffer.line(0) == "    字")
    #expect(buffer[1, 0].style == .bar)
    #expect(buffer[0, 0].style == .plain)
    #expect(isWhole(buffer))

    buffer.write("网格", x: 1, y: 1)
    buffer.fill(Rect(x: 0, y: 1, width: 2, height: 1))
    #expect(buffer.line(1) == "   格 ")
    #expect(isWhole(buffer))
  }

  @Test func textLinesDropTrailingSpacesAndContinuations() {
    var buffer = ScreenBuffer(size: Size(columns: 8, rows: 3))
    buffer.write("户主 邹", x: 0, y: 0)
    buffer.write("ok", x: 3, y: 2)
    #expect(buffer.textLines == ["户主 邹", "", "   ok"])
    #expect(buffer.line(0) == "户主 邹 ")
  }

  @Test func writesOutsideTheBufferAreIgnored() {
    var buffer = ScreenBuffer(size: Size(columns: 4, rows: 1))
    #expect(buffer.write("ab", x: 0, y: 1) == 0)
    #expect(buffer.write("ab", x: 4, y: 0) == 0)
    #expect(buffer.write("abcdef", x: 2, y: 0) == 2)
    #expect(buffer.textLines == ["  ab"])
  }
}
