import FiregridModel
import Testing

@Suite struct TextBarsTests {
  static let bars = [
    TextBar(label: "龙潭村", value: 150, maxValue: 150),
    TextBar(label: "石门村", value: 30, maxValue: 120),
    TextBar(label: "杨柳社区居民委员会第三网格", value: 0, maxValue: 80),
    TextBar(label: "空村", value: 0, maxValue: 0),
  ]

  /// Columns a UTF-8 terminal takes for `text`: CJK two, ASCII one.
  static func columns(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
  }

  @Test func noLineIsWiderThanAsked() {
    for width in [0, 1, 5, 12, 20, 40, 79, 80, 200] {
      let lines = TextBars.lines(Self.bars, width: width, target: 1)
      #expect(lines.count == Self.bars.count)
      for line in lines {
        #expect(Self.columns(line) <= width, "\(width): \(line)")
      }
    }
  }

  @Test func barsUseOnlySingleWidthCharacters() {
    for line in TextBars.lines(Self.bars, width: 80, target: 0.9) {
      let bar = line.drop { $0 != "[" }.prefix { $0 != "]" }
      #expect(bar.allSatisfy { "[#.|".contains($0) }, "\(line)")
    }
  }

  @Test func theBarIsTheShareDoneAndTheTargetIsMarked() {
    let lines = TextBars.lines(Self.bars, width: 80, target: 1)
    #expect(lines[0].hasPrefix("龙潭村"))
    #expect(lines[0].hasSuffix("150/150 100%"))
    #expect(lines[1].hasSuffix("30/120  25%"))
    let full = lines[0].drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
    #expect(!full.isEmpty && full.allSatisfy { $0 == "#" })
    let quarter = lines[1].drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
    #expect(quarter.filter { $0 == "#" }.count == Int((Double(quarter.count) / 4).rounded()))
    #expect(quarter.last == "|", "the 100% target at the bar's end")
    // The long label is cut to a third of the width; the bars all start in one column.
    let starts = lines.map { Self.columns(String($0.prefix { $0 != "[" })) }
    #expect(Set(starts).count == 1)
    #expect(lines[3].hasSuffix("0/0   0%"))
  }
}
