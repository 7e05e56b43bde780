/// One cell of a bordered table row.
struct TableCell {
  var text: String
  var width: Double
  var font: Font
  var alignment: Alignment = .left
  /// Label cells are shaded so the eye finds the values.
  var shaded = false
  var color: Color = .black

  static func label(_ text: String, width: Double, font: Font) -> TableCell {
    TableCell(text: text, width: width, font: font, alignment: .center, shaded: true)
  }
  static func value(_ text: String, width: Double, font: Font) -> TableCell {
    TableCell(text: text, width: width, font: font)
  }
}

extension PDFCanvas {
  /// Draws a row of bordered cells side by side, as tall as its tallest wrapped text (and
  /// at least `minHeight`), each text centred vertically; returns the row's height.
  @discardableResult
  func row(
    _ cells: [TableCell], x: Double, y: Double, minHeight: Double, padding: Double,
    lineWidth: Double = 0.6
  ) -> Double {
    var height = minHeight
    for cell in cells where !cell.text.isEmpty {
      let textHeight = measure(
        cell.text, font: cell.font, width: cell.width - 2 * padding, alignment: cell.alignment
      ).height
      height = max(height, textHeight + padding * 1.2)
    }
    var left = x
    for cell in cells {
      box(
        x: left, y: y, width: cell.width, height: height, line: lineWidth,
        fill: cell.shaded ? .shade : nil)
      if !cell.text.isEmpty {
        let inner = cell.width - 2 * padding
        let textHeight = measure(
          cell.text, font: cell.font, width: inner, alignment: cell.alignment
        ).height
        text(
          cell.text, x: left + padding, y: y + (height - textHeight) / 2, font: cell.font,
          width: inner, alignment: cell.alignment, color: cell.color)
      }
      left += cell.width
    }
    return height
  }
}
