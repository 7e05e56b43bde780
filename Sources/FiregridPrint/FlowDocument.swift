import FiregridModel

/// A table as paper shows it: columns with widths in display columns (a Chinese character is
/// two), rows of cells, an optional bold total row.
struct FlowTable {
  var columns: [ReportTable.Column]
  var rows: [[ReportTable.Cell]]
  var total: [ReportTable.Cell]?
  /// Printed small over the header repeated on a following page, e.g. 走访情况（续）.
  var name: String
}

/// What flows onto pages, top to bottom.
enum FlowBlock {
  /// Starts a new page of this size (an empty current page just takes the size).
  case newPage(PageSize)
  case text(
    String, font: Font, alignment: Alignment = .left, before: Double = 0, color: Color = .black)
  case table(FlowTable)
  case chart(ReportChart)
}

/// Blocks laid out on A4 pages like paper: a block that does not fit goes to the next page, a
/// table's header row is repeated on every page it runs onto, a long cell wraps (never cut),
/// and every page ends with 第 n 页 共 m 页. Laid out first and drawn second, so the page
/// count is known on page 1.
struct FlowDocument {
  var blocks: [FlowBlock]
  /// Printed at the foot of every page, left of the page number (the document's name).
  var footerLabel: String

  static let margin = 15 * pointsPerMM
  static let bodyFont = Font.serif(9)
  static let numberFont = Font.sans(9)
  static let headerFont = Font.sans(9, bold: true)
  static let totalFont = Font.sans(9, bold: true)
  static let continuationFont = Font.sans(8)
  static let footFont = Font.sans(8)
  static let padding = (horizontal: 3.0, vertical: 3.0)
  /// Points per display column at 9 points: a Chinese character (two columns) is 1 em.
  static let pointsPerColumn = 4.5

  // MARK: Layout

  struct Page {
    var size: PageSize
    var items: [Item] = []
  }

  enum Item {
    case text(String, font: Font, alignment: Alignment, color: Color, y: Double)
    case continuation(table: Int, y: Double)
    case header(table: Int, y: Double)
    case row(table: Int, index: Int, y: Double)
    case total(table: Int, y: Double)
    case chart(ReportChart, y: Double)
  }

  /// A table measured for its page width.
  struct TableLayout {
    var table: FlowTable
    var widths: [Double]
    var headerHeight: Double
    var headerTexts: [Double]
    /// One line's height in each font, for the rows with no wrapped cell.
    var lineHeights: [Font: Double]
    var rowHeights: [Double]
    /// For rows with a wrapped cell: each cell's text height, to centre it.
    var wrapped: [Int: [Double]]
    var totalHeight: Double
    var totalTexts: [Double]
  }

  struct Layout {
    var pages: [Page]
    var tables: [TableLayout]
  }

  /// Where everything goes; `canvas` only measures.
  func layout(on canvas: PDFCanvas) -> Layout {
    var pages: [Page] = []
    var tables: [TableLayout] = []
    var y = 0.0
    var size = PageSize.a4
    let m = Self.margin
    func usable() -> Double { size.width - 2 * m }
    func bottom() -> Double { size.height - m - 4 }
    func startPage(_ newSize: PageSize) {
      size = newSize
      pages.append(Page(size: newSize))
      y = m
    }
    func pageEmpty() -> Bool { pages.last?.items.isEmpty ?? true }
    func ensureRoom(_ height: Double) {
      if pages.isEmpty {
        startPage(size)
      } else if y + height > bottom(), !pageEmpty() {
        startPage(size)
      }
    }
    func place(_ item: Item) { pages[pages.count - 1].items.append(item) }

    for block in blocks {
      switch block {
      case .newPage(let newSize):
        if pages.isEmpty || !pageEmpty() {
          startPage(newSize)
        } else {
          pages[pages.count - 1].size = newSize
          size = newSize
        }
      case .text(let text, let font, let alignment, let before, let color):
        let height = canvas.measure(text, font: font, width: usable()).height
        ensureRoom(before + height)
        if !pageEmpty() { y += before }
        place(.text(text, font: font, alignment: alignment, color: color, y: y))
        y += height
      case .chart(let chart):
        let height = ChartGeometry.height(of: chart)
        ensureRoom(height + 8)
        place(.chart(chart, y: y))
        y += height + 8
      case .table(let table):
        let index = tables.count
        let measured = Self.measure(table, width: usable(), on: canvas)
        tables.append(measured)
        let first = measured.rowHeights.first ?? measured.totalHeight
        ensureRoom(measured.headerHeight + first)
        place(.header(table: index, y: y))
        y += measured.headerHeight
        func room(_ height: Double) {
          guard y + height > bottom() else { return }
          startPage(size)
          let label = canvas.measure(table.name, font: Self.continuationFont).height
          place(.continuation(table: index, y: y))
          y += label + 2
          place(.header(table: index, y: y))
          y += measured.headerHeight
        }
        for (row, height) in measured.rowHeights.enumerated() {
          room(height)
          place(.row(table: index, index: row, y: y))
          y += height
        }
        if table.total != nil {
          room(measured.totalHeight)
          place(.total(table: index, y: y))
          y += measured.totalHeight
        }
      }
    }
    if pages.isEmpty { pages.append(Page(size: size)) }
    return Layout(pages: pages, tables: tables)
  }

  /// The page count `draw` will write.
  func pageCount(on canvas: PDFCanvas) -> Int { layout(on: canvas).pages.count }

  // MARK: Column widths

  /// The width a table would like: its columns' display widths at 9 points.
  static func naturalWidth(_ columns: [ReportTable.Column]) -> Double {
    columns.reduce(0) { $0 + natural($1) }
  }

  private static func natural(_ column: ReportTable.Column) -> Double {
    Double(max(1, column.width)) * pointsPerColumn + 2 * padding.horizontal
  }

  /// The columns' widths filling `width`: each in proportion to its display width, but a
  /// number or code column never narrower than its longest value, so digits are not broken
  /// across lines while the text columns can give up room.
  static func widths(_ table: FlowTable, filling width: Double) -> [Double] {
    let columns = table.columns
    guard !columns.isEmpty else { return [] }
    let naturals = columns.map(natural)
    var minimums = Array(repeating: 2 * 9 + 2 * padding.horizontal, count: columns.count)
    for (index, column) in columns.enumerated() where column.kind != .text {
      var longest = 0
      for row in table.rows where index < row.count {
        longest = max(longest, row[index].text.utf8.count)
      }
      if let total = table.total, index < total.count {
        longest = max(longest, total[index].text.utf8.count)
      }
      minimums[index] = max(
        minimums[index], Double(longest) * 9 * 0.62 + 2 * padding.horizontal + 1)
    }
    var fixed = Array(repeating: false, count: columns.count)
    var widths = naturals
    for _ in 0..<columns.count {
      let fixedWidth = zip(widths, fixed).filter(\.1).reduce(0) { $0 + $1.0 }
      let freeNatural = zip(naturals, fixed).filter { !$0.1 }.reduce(0) { $0 + $1.0 }
      guard freeNatural > 0 else { break }
      let scale = max(0, width - fixedWidth) / freeNatural
      var changed = false
      for index in columns.indices where !fixed[index] {
        widths[index] = naturals[index] * scale
        if widths[index] < minimums[index] {
          widths[index] = minimums[index]
          fixed[index] = true
          changed = true
        }
      }
      if !changed { break }
    }
    // Still too wide (every column at its minimum): shrink all alike.
    let sum = widths.reduce(0, +)
    if sum > width { widths = widths.map { $0 * width / sum } }
    return widths
  }

  // MARK: Measuring

  private static func font(for kind: ReportTable.Column.Kind) -> Font {
    kind == .text ? bodyFont : numberFont
  }

  private static func alignment(for kind: ReportTable.Column.Kind) -> Alignment {
    switch kind {
    case .text, .code: return .left
    case .count, .share: return .right
    }
  }

  /// A quick upper bound of a one-line text's width: anything from U+1100 on (CJK) 1 em,
  /// others 0.62 em.
  private static func estimate(_ text: String, size: Double) -> Double {
    var width = 0.0
    for scalar in text.unicodeScalars {
      width += scalar.value >= 0x1100 ? size : size * 0.62
      if scalar == "\n" { return .infinity }
    }
    return width
  }

  /// Heights of each cell's text: one line unless it is estimated too wide for its cell, when
  /// Pango measures it wrapped.
  private static func textHeights(
    _ cells: [ReportTable.Cell], widths: [Double], fonts: [Font], lineHeights: [Font: Double],
    on canvas: PDFCanvas
  ) -> (heights: [Double], wrapped: Bool) {
    var heights: [Double] = []
    var wrapped = false
    for (index, width) in widths.enumerated() {
      let text = index < cells.count ? cells[index].text : ""
      let font = fonts[index]
      let inner = width - 2 * padding.horizontal
      if text.isEmpty || estimate(text, size: font.size) <= inner {
        heights.append(lineHeights[font] ?? font.size * 1.45)
      } else {
        heights.append(canvas.measure(text, font: font, width: inner).height)
        wrapped = true
      }
    }
    return (heights, wrapped)
  }

  static func measure(_ table: FlowTable, width: Double, on canvas: PDFCanvas) -> TableLayout {
    let widths = widths(table, filling: width)
    var lineHeights: [Font: Double] = [:]
    for font in [bodyFont, numberFont, headerFont, totalFont] {
      lineHeights[font] = canvas.measure("国0", font: font).height
    }
    let fonts = table.columns.map { font(for: $0.kind) }
    let vertical = 2 * padding.vertical
    let headerTexts = zip(table.columns, widths).map { column, width in
      canvas.measure(column.label, font: headerFont, width: width - 2 * padding.horizontal).height
    }
    let headerHeight = headerTexts.max() ?? 0
    var rowHeights: [Double] = []
    rowHeights.reserveCapacity(table.rows.count)
    var wrapped: [Int: [Double]] = [:]
    for (index, row) in table.rows.enumerated() {
      let (heights, isWrapped) = textHeights(
        row, widths: widths, fonts: fonts, lineHeights: lineHeights, on: canvas)
      rowHeights.append((heights.max() ?? 0) + vertical)
      if isWrapped { wrapped[index] = heights }
    }
    let total = textHeights(
      table.total ?? [], widths: widths, fonts: widths.map { _ in totalFont },
      lineHeights: lineHeights, on: canvas)
    return TableLayout(
      table: table, widths: widths, headerHeight: headerHeight + vertical,
      headerTexts: headerTexts, lineHeights: lineHeights, rowHeights: rowHeights,
      wrapped: wrapped, totalHeight: (total.heights.max() ?? 0) + vertical,
      totalTexts: total.heights)
  }

  // MARK: Drawing

  /// Lays out and draws every page; returns the pages drawn.
  @discardableResult
  func draw(on canvas: PDFCanvas) -> Int {
    let layout = layout(on: canvas)
    let count = layout.pages.count
    for (number, page) in layout.pages.enumerated() {
      canvas.setPageSize(page.size)
      draw(page, tables: layout.tables, on: canvas)
      drawFoot(number: number + 1, of: count, size: page.size, on: canvas)
      canvas.endPage()
    }
    return count
  }

  private func draw(_ page: Page, tables: [TableLayout], on canvas: PDFCanvas) {
    let m = Self.margin
    let width = page.size.width - 2 * m
    for item in page.items {
      switch item {
      case .text(let text, let font, let alignment, let color, let y):
        canvas.text(text, x: m, y: y, font: font, width: width, alignment: alignment, color: color)
      case .chart(let chart, let y):
        canvas.draw(chart, x: m, y: y, width: width)
      case .continuation(let table, let y):
        canvas.text(
          PrintText.continued(tables[table].table.name), x: m, y: y, font: Self.continuationFont,
          color: .gray)
      case .header(let table, let y):
        let layout = tables[table]
        drawCells(
          layout.table.columns.map { ReportTable.Cell.text($0.label) }, layout: layout, y: y,
          height: layout.headerHeight, fonts: layout.widths.map { _ in Self.headerFont },
          alignments: layout.widths.map { _ in .center }, textHeights: layout.headerTexts,
          shaded: true,
          on: canvas)
      case .row(let table, let index, let y):
        let layout = tables[table]
        drawCells(
          layout.table.rows[index], layout: layout, y: y, height: layout.rowHeights[index],
          fonts: layout.table.columns.map { Self.font(for: $0.kind) },
          alignments: layout.table.columns.map { Self.alignment(for: $0.kind) },
          textHeights: layout.wrapped[index], shaded: false, on: canvas)
      case .total(let table, let y):
        let layout = tables[table]
        drawCells(
          layout.table.total ?? [], layout: layout, y: y, height: layout.totalHeight,
          fonts: layout.widths.map { _ in Self.totalFont },
          alignments: layout.table.columns.map { Self.alignment(for: $0.kind) },
          textHeights: layout.totalTexts, shaded: true, on: canvas)
      }
    }
  }

  private func drawCells(
    _ cells: [ReportTable.Cell], layout: TableLayout, y: Double, height: Double, fonts: [Font],
    alignments: [Alignment], textHeights: [Double]?, shaded: Bool, on canvas: PDFCanvas
  ) {
    var x = Self.margin
    let padding = Self.padding
    for (index, width) in layout.widths.enumerated() {
      canvas.box(x: x, y: y, width: width, height: height, line: 0.5, fill: shaded ? .shade : nil)
      let text = index < cells.count ? cells[index].text : ""
      if !text.isEmpty {
        let textHeight =
          textHeights?[index] ?? layout.lineHeights[fonts[index]]
          ?? canvas.measure(text, font: fonts[index], width: width - 2 * padding.horizontal).height
        canvas.text(
          text, x: x + padding.horizontal, y: y + (height - textHeight) / 2, font: fonts[index],
          width: width - 2 * padding.horizontal, alignment: alignments[index])
      }
      x += width
    }
  }

  private func drawFoot(number: Int, of count: Int, size: PageSize, on canvas: PDFCanvas) {
    let m = Self.margin
    let y = size.height - m + 8
    let page = PrintText.reportPage(number, count)
    let pageWidth = canvas.measure(page, font: Self.footFont).width
    var label = footerLabel
    // One line: the label gives way to the page number.
    while !label.isEmpty,
      canvas.measure(label, font: Self.footFont).width > size.width - 2 * m - pageWidth - 20
    {
      label.removeLast()
    }
    canvas.text(label, x: m, y: y, font: Self.footFont, color: .gray)
    canvas.text(
      page, x: m, y: y, font: Self.footFont, width: size.width - 2 * m, alignment: .right)
  }
}
