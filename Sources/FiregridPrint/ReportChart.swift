import FiregridModel

/// Horizontal bars, one per row (a village, a grid): `value` of `maxValue`, drawn as the
/// share done, with a dashed line at `target` (e.g. 1.0, the seed's 100% of households).
public struct BarChart: Equatable, Sendable {
  /// A bar is the model's `TextBar` (the terminal draws the same bars in `#` and `.`).
  public typealias Bar = TextBar

  public var title: String
  public var bars: [Bar]
  /// A share 0…1 drawn as a dashed line across the bars.
  public var target: Double?

  public init(title: String, bars: [Bar], target: Double? = nil) {
    self.title = title
    self.bars = bars
    self.target = target
  }
}

/// Horizontal bars made of parts (e.g. per village: hazards rectified, open, overdue), on one
/// scale, with a legend; the total is written after each bar.
public struct StackedBarChart: Equatable, Sendable {
  public struct Row: Equatable, Sendable {
    public var label: String
    /// One value per series, in the order of `series`.
    public var values: [Double]
    public init(label: String, values: [Double]) {
      self.label = label
      self.values = values
    }
    var total: Double { values.filter { $0.isFinite && $0 > 0 }.reduce(0, +) }
  }

  public var title: String
  /// The parts' names, e.g. 已整改、整改中、逾期.
  public var series: [String]
  public var rows: [Row]

  public init(title: String, series: [String], rows: [Row]) {
    self.title = title
    self.series = series
    self.rows = rows
  }
}

/// A value over the campaign's rounds (第1轮, 第2轮, …), as columns or a line, with an
/// optional dashed target.
public struct RoundChart: Equatable, Sendable {
  public enum Style: Sendable { case columns, line }
  public struct Point: Equatable, Sendable {
    public var label: String
    public var value: Double
    public init(label: String, value: Double) {
      self.label = label
      self.value = value
    }
  }

  public var title: String
  public var points: [Point]
  /// The top of the scale; the largest value when nil.
  public var maxValue: Double?
  /// On the value's scale (e.g. 1.0 with `percent`).
  public var target: Double?
  /// Values are shares 0…1, written as percentages.
  public var percent: Bool
  public var style: Style

  public init(
    title: String, points: [Point], maxValue: Double? = nil, target: Double? = nil,
    percent: Bool = false, style: Style = .columns
  ) {
    self.title = title
    self.points = points
    self.maxValue = maxValue
    self.target = target
    self.percent = percent
    self.style = style
  }
}

/// A picture printed before a report's tables.
public enum ReportChart: Equatable, Sendable {
  case bars(BarChart)
  case stacked(StackedBarChart)
  case rounds(RoundChart)
}

// MARK: Drawing

/// The inks of the charts: different in lightness too, so they stay apart on a mono printer.
enum ChartInk {
  static let palette = [
    Color(red: 0.18, green: 0.34, blue: 0.58), Color(red: 0.95, green: 0.62, blue: 0.16),
    Color(red: 0.78, green: 0.06, blue: 0.06), Color(red: 0.45, green: 0.70, blue: 0.40),
    Color(red: 0.55, green: 0.55, blue: 0.55),
  ]
  static let bar = palette[0]
  static let empty = Color(red: 0.90, green: 0.90, blue: 0.90)
  static let target = Color.red
}

/// Where a chart's parts go in a frame: computed apart from drawing so the tests can look at
/// the pixels where a bar must be.
struct ChartGeometry {
  static let titleFont = Font.sans(11, bold: true)
  static let labelFont = Font.sans(8.5)
  static let valueFont = Font.sans(8)
  static let titleHeight = 22.0
  static let legendHeight = 16.0
  static let barRow = 16.0
  static let roundPlotHeight = 170.0

  /// The height a chart takes at `width`.
  static func height(of chart: ReportChart) -> Double {
    switch chart {
    case .bars(let chart):
      return titleHeight + Double(max(1, chart.bars.count)) * barRow + 14
    case .stacked(let chart):
      return titleHeight + legendHeight + Double(max(1, chart.rows.count)) * barRow + 8
    case .rounds: return titleHeight + roundPlotHeight + 40
    }
  }

  /// Horizontal bars: the label column's width and the bar area's left and width.
  static func barArea(x: Double, width: Double, labelWidth: Double) -> (left: Double, width: Double)
  {
    let label = min(max(labelWidth + 8, 40), width * 0.3)
    let figures = 90.0
    return (x + label, max(20, width - label - figures))
  }

  /// The rectangle of bar `index` of a bar chart drawn at (x, y) (its full length, done or not).
  static func barFrame(
    index: Int, x: Double, y: Double, width: Double, labelWidth: Double, legend: Bool = false
  ) -> (x: Double, y: Double, width: Double, height: Double) {
    let area = barArea(x: x, width: width, labelWidth: labelWidth)
    let top = y + titleHeight + (legend ? legendHeight : 0) + Double(index) * barRow
    return (area.left, top + 3, area.width, barRow - 6)
  }
}

extension PDFCanvas {
  /// Draws `chart` with its top-left at (x, y), `width` wide.
  func draw(_ chart: ReportChart, x: Double, y: Double, width: Double) {
    switch chart {
    case .bars(let chart): draw(chart, x: x, y: y, width: width)
    case .stacked(let chart): draw(chart, x: x, y: y, width: width)
    case .rounds(let chart): draw(chart, x: x, y: y, width: width)
    }
  }

  func labelWidth(_ labels: [String]) -> Double {
    labels.map { measure($0, font: ChartGeometry.labelFont).width }.max() ?? 0
  }

  private func chartTitle(_ title: String, x: Double, y: Double, width: Double) {
    text(title, x: x, y: y + 2, font: ChartGeometry.titleFont, width: width, alignment: .center)
  }

  private func draw(_ chart: BarChart, x: Double, y: Double, width: Double) {
    chartTitle(chart.title, x: x, y: y, width: width)
    let labelWidth = labelWidth(chart.bars.map(\.label))
    let area = ChartGeometry.barArea(x: x, width: width, labelWidth: labelWidth)
    let lineHeight = measure("国", font: ChartGeometry.labelFont).height
    for (index, bar) in chart.bars.enumerated() {
      let frame = ChartGeometry.barFrame(
        index: index, x: x, y: y, width: width, labelWidth: labelWidth)
      let middle = frame.y + frame.height / 2
      text(
        bar.label, x: x, y: middle - lineHeight / 2, font: ChartGeometry.labelFont,
        width: area.left - x - 6, alignment: .right)
      box(
        x: frame.x, y: frame.y, width: frame.width, height: frame.height, line: 0,
        fill: ChartInk.empty)
      if bar.fraction > 0 {
        box(
          x: frame.x, y: frame.y, width: frame.width * bar.fraction, height: frame.height, line: 0,
          fill: ChartInk.bar)
      }
      let figure =
        "\(TextBars.number(bar.value))/\(TextBars.number(bar.maxValue))  "
        + "\(Int((bar.fraction * 100).rounded()))%"
      text(
        figure, x: frame.x + frame.width + 6, y: middle - lineHeight / 2,
        font: ChartGeometry.valueFont)
    }
    if let target = chart.target, target.isFinite, target >= 0 {
      let top = y + ChartGeometry.titleHeight
      let bottom = top + Double(max(1, chart.bars.count)) * ChartGeometry.barRow
      let lineX = area.left + area.width * min(1, target)
      line(
        from: (lineX, top - 2), to: (lineX, bottom + 2), width: 1, color: ChartInk.target,
        dash: [4, 3])
      text(
        PrintText.target(Int((target * 100).rounded())), x: lineX - 40, y: bottom + 2,
        font: ChartGeometry.valueFont, width: 80, alignment: .center, color: ChartInk.target)
    }
  }

  private func draw(_ chart: StackedBarChart, x: Double, y: Double, width: Double) {
    chartTitle(chart.title, x: x, y: y, width: width)
    // The legend: a swatch and a name per series, centred under the title.
    let swatch = 8.0
    let names = chart.series.map { measure($0, font: ChartGeometry.labelFont).width }
    let legendWidth = names.reduce(0) { $0 + swatch + 4 + $1 + 14 } - 14
    var cursor = x + max(0, (width - legendWidth) / 2)
    let legendY = y + ChartGeometry.titleHeight
    for (index, name) in chart.series.enumerated() {
      box(
        x: cursor, y: legendY + 3, width: swatch, height: swatch, line: 0,
        fill: ChartInk.palette[index % ChartInk.palette.count])
      cursor += swatch + 4
      text(name, x: cursor, y: legendY, font: ChartGeometry.labelFont)
      cursor += names[index] + 14
    }
    let labelWidth = labelWidth(chart.rows.map(\.label))
    let area = ChartGeometry.barArea(x: x, width: width, labelWidth: labelWidth)
    let scale = chart.rows.map(\.total).max() ?? 0
    let lineHeight = measure("国", font: ChartGeometry.labelFont).height
    for (index, row) in chart.rows.enumerated() {
      let frame = ChartGeometry.barFrame(
        index: index, x: x, y: y, width: width, labelWidth: labelWidth, legend: true)
      let middle = frame.y + frame.height / 2
      text(
        row.label, x: x, y: middle - lineHeight / 2, font: ChartGeometry.labelFont,
        width: area.left - x - 6, alignment: .right)
      var left = frame.x
      for (part, value) in row.values.enumerated() where value.isFinite && value > 0 && scale > 0 {
        let length = frame.width * value / scale
        box(
          x: left, y: frame.y, width: length, height: frame.height, line: 0,
          fill: ChartInk.palette[part % ChartInk.palette.count])
        left += length
      }
      let parts = row.values.map { TextBars.number($0) }.joined(separator: "/")
      text(
        "\(TextBars.number(row.total))（\(parts)）", x: left + 6, y: middle - lineHeight / 2,
        font: ChartGeometry.valueFont)
    }
  }

  private func draw(_ chart: RoundChart, x: Double, y: Double, width: Double) {
    chartTitle(chart.title, x: x, y: y, width: width)
    let values = chart.points.map { $0.value.isFinite ? max(0, $0.value) : 0 }
    let scale = max(chart.maxValue ?? 0, values.max() ?? 0, chart.target ?? 0)
    let plotTop = y + ChartGeometry.titleHeight + 12
    let plotHeight = ChartGeometry.roundPlotHeight - 12
    let plotBottom = plotTop + plotHeight
    let left = x + 30
    let plotWidth = width - 40
    func format(_ value: Double) -> String {
      chart.percent ? "\(Int((value * 100).rounded()))%" : TextBars.number(value)
    }
    // The axis and its top value.
    line(from: (left, plotTop), to: (left, plotBottom), width: 0.6, color: .gray)
    line(from: (left, plotBottom), to: (left + plotWidth, plotBottom), width: 0.6, color: .gray)
    if scale > 0 {
      text(
        format(scale), x: x, y: plotTop - 5, font: ChartGeometry.valueFont, width: 27,
        alignment: .right, color: .gray)
      line(from: (left - 3, plotTop), to: (left, plotTop), width: 0.6, color: .gray)
    }
    let count = max(1, chart.points.count)
    let slot = plotWidth / Double(count)
    var previous: (x: Double, y: Double)?
    for (index, point) in chart.points.enumerated() {
      let value = values[index]
      let height = scale > 0 ? plotHeight * value / scale : 0
      let centre = left + slot * (Double(index) + 0.5)
      let top = plotBottom - height
      switch chart.style {
      case .columns:
        let barWidth = min(40, slot * 0.6)
        box(
          x: centre - barWidth / 2, y: top, width: barWidth, height: height, line: 0,
          fill: ChartInk.bar)
      case .line:
        if let previous { line(from: previous, to: (centre, top), width: 1.6, color: ChartInk.bar) }
        box(x: centre - 2.5, y: top - 2.5, width: 5, height: 5, line: 0, fill: ChartInk.bar)
        previous = (centre, top)
      }
      text(
        format(point.value), x: centre - slot / 2, y: top - 12, font: ChartGeometry.valueFont,
        width: slot, alignment: .center)
      text(
        point.label, x: centre - slot / 2 + 1, y: plotBottom + 3, font: ChartGeometry.labelFont,
        width: slot - 2, alignment: .center)
    }
    if let target = chart.target, target.isFinite, scale > 0 {
      let lineY = plotBottom - plotHeight * min(target, scale) / scale
      line(
        from: (left, lineY), to: (left + plotWidth, lineY), width: 1, color: ChartInk.target,
        dash: [4, 3])
      text(
        PrintText.targetValue(format(target)), x: left + plotWidth - 80, y: lineY - 11,
        font: ChartGeometry.valueFont, width: 80, alignment: .right, color: ChartInk.target)
    }
  }
}
