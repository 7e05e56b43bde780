/// One bar of a text chart: `value` out of `maxValue` (households visited of households to
/// visit, hazards closed of hazards found).
public struct TextBar: Equatable, Sendable {
  public var label: String
  public var value: Double
  public var maxValue: Double

  public init(label: String, value: Double, maxValue: Double) {
    self.label = label
    self.value = value
    self.maxValue = maxValue
  }

  /// value ÷ maxValue, 0…1 (0 when there is nothing to measure against).
  public var fraction: Double {
    guard maxValue > 0, value.isFinite, maxValue.isFinite else { return 0 }
    return min(1, max(0, value / maxValue))
  }
}

/// Bar charts for a terminal, in characters every Chinese terminal draws one column wide:
/// `#` for the part done, `.` for the rest, `|` where a target falls. Block characters (█ ▌)
/// are East Asian ambiguous width and draw two columns wide in many Chinese terminals, which
/// would break every line.
///
///     龙潭村   [##############......|...]  120/150  80%
public enum TextBars {
  /// One line per bar, none wider than `width` display columns (a Chinese character is two):
  /// the label (cut to a third of the width), the bar, then `value/max` and the percentage.
  /// `target` (0…1) marks a column with `|` where the bar has not reached it.
  public static func lines(_ bars: [TextBar], width: Int, target: Double? = nil) -> [String] {
    guard width > 0 else { return bars.map { _ in "" } }
    let figures = bars.map { figure($0) }
    let labelWidth = min(bars.map { displayWidth($0.label) }.max() ?? 0, width / 3)
    let figureWidth = figures.map { $0.count }.max() ?? 0
    // label, space, [bar], space, figures
    let barWidth = width - labelWidth - figureWidth - 4
    return zip(bars, figures).map { bar, figure in
      var line = pad(cut(bar.label, to: labelWidth), to: labelWidth)
      if barWidth >= 3 {
        line += " [" + drawBar(bar.fraction, width: barWidth, target: target) + "] "
        line += String(repeating: " ", count: figureWidth - figure.count) + figure
      } else {
        line += " " + figure
      }
      return cut(line, to: width)
    }
  }

  /// "120/150  80%"; whole numbers without decimals.
  static func figure(_ bar: TextBar) -> String {
    let percent = Int((bar.fraction * 100).rounded())
    let share = "\(percent)%"
    return "\(number(bar.value))/\(number(bar.maxValue)) "
      + String(repeating: " ", count: max(0, 4 - share.count)) + share
  }

  /// A value as printed beside a bar: whole numbers without decimals, others to one place.
  public static func number(_ value: Double) -> String {
    guard value.isFinite else { return "-" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return String((value * 10).rounded() / 10)
  }

  static func drawBar(_ fraction: Double, width: Int, target: Double?) -> String {
    let filled = Int((fraction * Double(width)).rounded())
    var cells = Array(repeating: Character("."), count: width)
    for index in 0..<min(filled, width) { cells[index] = "#" }
    if let target, target.isFinite, target > 0 {
      let column = min(width - 1, Int((min(1, target) * Double(width)).rounded()) - 1)
      if column >= filled, column >= 0 { cells[column] = "|" }
    }
    return String(cells)
  }

  // MARK: Display width (the model has no terminal module)

  /// Columns taken by `text` in a UTF-8 terminal: 2 for CJK and fullwidth characters.
  static func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
  }

  static func width(of scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x20 || (0x7F..<0xA0).contains(v) || (0x300..<0x370).contains(v) { return 0 }
    let wide =
      (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v)
      || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
      || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
      || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
    return wide ? 2 : 1
  }

  /// The longest prefix of `text` that fits in `columns`.
  static func cut(_ text: String, to columns: Int) -> String {
    var used = 0
    var out = ""
    for character in text {
      let w = character.unicodeScalars.reduce(0) { $0 + width(of: $1) }
      if used + w > columns { break }
      used += w
      out.append(character)
    }
    return out
  }

  static func pad(_ text: String, to columns: Int) -> String {
    text + String(repeating: " ", count: max(0, columns - displayWidth(text)))
  }
}
