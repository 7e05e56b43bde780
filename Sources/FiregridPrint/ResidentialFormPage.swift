import FiregridModel

/// 居民住房消防安全排查表 (附件6) on one A4 page, drawn from the form definition: blank, with
/// the household pre-printed for the next round, or as filled in on a saved visit.
struct ResidentialFormPage {
  static let size = PageSize.a4

  var form: VisitForm
  var townName: String
  var campaign: String
  /// nil for a blank form.
  var facts: HouseholdFacts?
  /// The saved visit, for a filled form.
  var filled: FilledForm?
  /// For a pre-printed form: the household's open hazards by check, to re-inspect.
  var dueForReview: [String: [FilledForm.FoundHazard]] = [:]
  var round: String?
  /// "第 n 页，共 N 页" and what the batch is, at the foot; nil for a single page.
  var footer: String?

  private static let side = 18 * pointsPerMM
  private static let top = 14 * pointsPerMM
  private static let pad = 4.0

  private var width: Double { Self.size.width - 2 * Self.side }
  private var labelFont: Font { .sans(9) }
  private var valueFont: Font { .serif(10) }
  private var headerFont: Font { .sans(9, bold: true) }

  func draw(on canvas: PDFCanvas) {
    let left = Self.side
    var y = Self.top
    canvas.text(form.attachment, x: left, y: y, font: .sans(10))
    y += 12
    y += canvas.text(
      form.title, x: left, y: y, font: .sans(18, bold: true), width: width, alignment: .center)
    y += canvas.text(
      townName + campaign, x: left, y: y, font: .serif(9), width: width, alignment: .center,
      color: .gray)
    y += 8

    y += householdTable(on: canvas, x: left, y: y)
    var number = 1
    for section in form.sections {
      y += 8
      y += canvas.text(
        PrintText.point(number) + section.title, x: left, y: y, font: .sans(10.5, bold: true))
      y += 3
      switch section.kind {
      case .check, .choice: y += checkTable(section, on: canvas, x: left, y: y)
      case .hazard: y += hazardTable(section, on: canvas, x: left, y: y)
      case .action: y += actionBox(section, on: canvas, x: left, y: y)
      }
      number += 1
    }
    y += 8
    y += canvas.text(
      PrintText.point(number) + PrintText.notes, x: left, y: y, font: .sans(10.5, bold: true))
    y += 3
    y += notesBox(on: canvas, x: left, y: y)
    y += 12
    signatures(on: canvas, x: left, y: y)

    if let footer {
      canvas.text(
        footer, x: left, y: Self.size.height - 10 * pointsPerMM, font: .sans(7), width: width,
        alignment: .center, color: .gray)
    }
  }

  private func dateText(_ date: CivilDate?) -> String {
    guard let date else { return PrintText.dateBlank }
    return PrintText.civilDate(year: date.year, month: date.month, day: date.day)
  }

  private func householdTable(on canvas: PDFCanvas, x: Double, y: Double) -> Double {
    let labelWidth = 68.0
    let valueWidth = width / 2 - labelWidth
    let minHeight = 21.0
    func cells(_ a: String, _ b: String, _ c: String, _ d: String) -> [TableCell] {
      [
        .label(a, width: labelWidth, font: labelFont),
        .value(b, width: valueWidth, font: valueFont),
        .label(c, width: labelWidth, font: labelFont),
        .value(d, width: valueWidth, font: valueFont),
      ]
    }
    let visitor = filled?.visitorName ?? facts?.visitorName ?? ""
    let rows: [[TableCell]] = [
      cells(
        PrintText.village, facts?.villageName ?? "", PrintText.grid, facts?.gridName ?? ""),
      cells(PrintText.head, facts?.headName ?? "", PrintText.householdNumber, facts?.number ?? ""),
      [
        .label(PrintText.address, width: labelWidth, font: labelFont),
        .value(facts?.address ?? "", width: width - labelWidth, font: valueFont),
      ],
      cells(
        PrintText.contactPhone, facts?.headPhone ?? "", PrintText.personsMet,
        filled?.personsMet ?? ""),
      cells(
        PrintText.visitor, visitor, PrintText.visitDate,
        filled.map { dateText($0.date) } ?? PrintText.dateBlank),
    ]
    var top = y
    for row in rows {
      top += canvas.row(row, x: x, y: top, minHeight: minHeight, padding: Self.pad)
    }
    if let round = filled?.round ?? round {
      top += canvas.row(
        [
          .label(PrintText.round, width: labelWidth, font: labelFont),
          .value(round, width: width - labelWidth, font: valueFont),
        ], x: x, y: top, minHeight: minHeight, padding: Self.pad)
    }
    canvas.box(x: x, y: y, width: width, height: top - y, line: 1.0)
    return top - y
  }

  /// Which of the answer columns is ticked for an item on a filled form.
  private func tick(_ id: String, _ columns: [Answer]) -> Int? {
    guard let answer = filled?.answers[id] else { return nil }
    return columns.firstIndex(of: answer)
  }

  private func tickCell(
    on canvas: PDFCanvas, x: Double, y: Double, width: Double, height: Double, ticked: Bool
  ) {
    canvas.box(x: x, y: y, width: width, height: height)
    let size = 9.0
    canvas.checkbox(
      x: x + (width - size) / 2, y: y + (height - size) / 2, size: size, ticked: ticked)
  }

  /// 三清三关: two items to a row, each with 是 / 否 / 不适用.
  private func checkTable(_ section: VisitForm.Section, on canvas: PDFCanvas, x: Double, y: Double)
    -> Double
  {
    let columns: [Answer] = [.yes, .no, .notApplicable]
    let answerWidth = 40.0
    let itemWidth = width / 2 - Double(columns.count) * answerWidth
    let rowHeight = 20.0
    var header: [TableCell] = []
    for _ in 0..<2 {
      header.append(.label(section.title, width: itemWidth, font: headerFont))
      for column in columns {
        header.append(.label(answerLabel(column, .check), width: answerWidth, font: headerFont))
      }
    }
    var top = y
    top += canvas.row(header, x: x, y: top, minHeight: rowHeight, padding: 2)
    var index = 0
    while index < section.items.count {
      var left = x
      for item in section.items[index..<min(index + 2, section.items.count)] {
        canvas.row(
          [TableCell(text: item.label, width: itemWidth, font: valueFont, alignment: .center)],
          x: left, y: top, minHeight: rowHeight, padding: Self.pad)
        left += itemWidth
        let ticked = tick(item.id, columns)
        for (column, _) in columns.enumerated() {
          tickCell(
            on: canvas, x: left, y: top, width: answerWidth, height: rowHeight,
            ticked: ticked == column)
          left += answerWidth
        }
      }
      top += rowHeight
      index += 2
    }
    canvas.box(x: x, y: y, width: width, height: top - y, line: 1.0)
    return top - y
  }

  /// 隐患排查: each check with 无隐患 / 有隐患, what was found, the deadline and the re-check.
  private func hazardTable(
    _ section: VisitForm.Section, on canvas: PDFCanvas, x: Double, y: Double
  ) -> Double {
    let itemWidth = 104.0
    let answerWidth = 38.0
    let deadlineWidth = 66.0
    let recheckWidth = 70.0
    let descriptionWidth = width - itemWidth - 2 * answerWidth - deadlineWidth - recheckWidth
    let rowHeight = 28.0
    var top = y
    top += canvas.row(
      [
        .label(PrintText.hazardCheck, width: itemWidth, font: headerFont),
        .label(answerLabel(.yes, .hazard), width: answerWidth, font: headerFont),
        .label(answerLabel(.no, .hazard), width: answerWidth, font: headerFont),
        .label(PrintText.hazardDescription, width: descriptionWidth, font: headerFont),
        .label(PrintText.deadline, width: deadlineWidth, font: headerFont),
        .label(PrintText.recheck, width: recheckWidth, font: headerFont),
      ], x: x, y: top, minHeight: 20, padding: 2)
    let hintFont = Font.sans(6.5)
    let smallValue = Font.serif(8.5)
    for item in section.items {
      let found = filled.map { $0.hazards[item.id] ?? [] } ?? dueForReview[item.id] ?? []
      let description = found.map(\.description).joined(separator: "；")
      let descriptionHeight =
        description.isEmpty
        ? 0
        : canvas.measure(description, font: smallValue, width: descriptionWidth - 2 * Self.pad)
          .height
      let labelHeight = canvas.measure(item.label, font: valueFont).height
      let hintHeight =
        item.hint.map { canvas.measure($0, font: hintFont, width: itemWidth - 2 * Self.pad).height }
        ?? 0
      let height = max(rowHeight, descriptionHeight, labelHeight + hintHeight) + 2 * Self.pad
      var left = x
      canvas.box(x: left, y: top, width: itemWidth, height: height)
      var textTop = top + (height - labelHeight - hintHeight) / 2
      textTop += canvas.text(
        item.label, x: left + Self.pad, y: textTop, font: valueFont, width: itemWidth - 2 * Self.pad
      )
      if let hint = item.hint {
        canvas.text(
          hint, x: left + Self.pad, y: textTop, font: hintFont, width: itemWidth - 2 * Self.pad,
          color: .gray)
      }
      left += itemWidth
      let ticked = tick(item.id, [.yes, .no])
      for column in 0..<2 {
        tickCell(
          on: canvas, x: left, y: top, width: answerWidth, height: height, ticked: ticked == column)
        left += answerWidth
      }
      let deadline = found.map(\.deadline.description).joined(separator: "\n")
      canvas.row(
        [
          TableCell(text: description, width: descriptionWidth, font: smallValue),
          TableCell(text: deadline, width: deadlineWidth, font: smallValue, alignment: .center),
          TableCell(
            text: found.map(\.status).filter { !$0.isEmpty }.joined(separator: "\n"),
            width: recheckWidth, font: smallValue, alignment: .center),
        ], x: left, y: top, minHeight: height, padding: Self.pad)
      top += height
    }
    canvas.box(x: x, y: y, width: width, height: top - y, line: 1.0)
    return top - y
  }

  /// 宣传措施: tick boxes, two to a line.
  private func actionBox(_ section: VisitForm.Section, on canvas: PDFCanvas, x: Double, y: Double)
    -> Double
  {
    let font = valueFont
    let lineHeight = canvas.measure("是", font: font).height
    let perLine = 2
    let lines = (section.items.count + perLine - 1) / perLine
    let height = Double(lines) * (lineHeight + 6) + 8
    canvas.box(x: x, y: y, width: width, height: height, line: 1.0)
    for (index, item) in section.items.enumerated() {
      let column = Double(index % perLine)
      let line = Double(index / perLine)
      canvas.choices(
        [item.label], ticked: filled?.answers[item.id] == .yes ? 0 : nil,
        x: x + 10 + column * width / Double(perLine), y: y + 7 + line * (lineHeight + 6),
        font: font, gap: 0)
    }
    return height
  }

  private func notesBox(on canvas: PDFCanvas, x: Double, y: Double) -> Double {
    let notes = filled?.notes ?? ""
    let font = Font.serif(9.5)
    let textHeight = notes.isEmpty ? 0 : canvas.measure(notes, font: font, width: width - 12).height
    let height = max(64, textHeight + 12)
    canvas.box(x: x, y: y, width: width, height: height, line: 1.0)
    if !notes.isEmpty { canvas.text(notes, x: x + 6, y: y + 6, font: font, width: width - 12) }
    return height
  }

  private func signatures(on canvas: PDFCanvas, x: Double, y: Double) {
    let font = Font.serif(10.5)
    let blank = "＿＿＿＿＿＿＿＿"
    let visitor = filled.map { $0.visitorName.isEmpty ? blank : $0.visitorName } ?? blank
    let head =
      filled.map { $0.signed ? PrintText.signedOnPaper : PrintText.notSigned } ?? blank
    let date = filled.map { dateText($0.date) } ?? PrintText.dateBlank
    let visitorLabel = filled == nil ? PrintText.visitorSignature : PrintText.visitor
    canvas.text(
      visitorLabel + "：" + visitor + "　　" + PrintText.headSignature + "：" + head
        + "　　" + PrintText.date + "：" + date, x: x, y: y, font: font, width: width)
  }

  private func answerLabel(_ answer: Answer, _ kind: VisitForm.SectionKind) -> String {
    answer.label(for: kind)
  }
}
