import FiregridModel

/// 居民住房消防安全排查表 (附件6) on one A4 page, drawn from the form definition: blank, with
/// the household pre-printed for the next round, or as filled in on a saved visit.
/// A paper inspection form on one A4 page, drawn from its definition whatever it is: 居民住房
/// 消防安全排查表 (附件6) for a household, 办公场所 (附件4) or 生产经营性场所 (附件5, with its
/// 多合一 items) for premises. Blank, pre-filled for the next round, or as filled in on a saved
/// visit. A form whose content would run past the foot of the page is drawn shrunk to fit: one
/// form is always one sheet (and `PrintRenderer.pageCount` need not lay anything out).
struct FormPage {
  /// Whom the form is about: what fills its header.
  enum Subject: Equatable {
    /// A blank form: the header's lines, empty.
    case none
    case household(HouseholdFacts)
    /// Only the items that apply to it are printed (and any its saved visit answered).
    case premises(PremisesFacts)
  }

  static let size = PageSize.a4

  var form: VisitForm
  var townName: String
  var campaign: String
  var subject: Subject = .none
  /// The saved visit, for a filled form.
  var filled: FilledForm?
  /// For a pre-printed form: the open hazards by check, to re-inspect.
  var dueForReview: [String: [FilledForm.FoundHazard]] = [:]
  var round: String?
  /// "第 n 页，共 N 页" and what the batch is, at the foot; nil for a single page.
  var footer: String?

  private static let side = 18 * pointsPerMM
  private static let top = 14 * pointsPerMM
  /// Where content must end: the footer is below.
  private static let bottom = size.height - 14 * pointsPerMM
  private static let pad = 4.0

  private var width: Double { Self.size.width - 2 * Self.side }
  private var labelFont: Font { .sans(9) }
  private var valueFont: Font { .serif(10) }
  private var headerFont: Font { .sans(9, bold: true) }
  /// Whether this is a premises' form (its header from the definition's lines).
  private var isPremisesForm: Bool { form.subject != .household }

  private var householdFacts: HouseholdFacts? {
    if case .household(let facts) = subject { return facts }
    return nil
  }

  private var premisesFacts: PremisesFacts? {
    if case .premises(let facts) = subject { return facts }
    return nil
  }

  func draw(on canvas: PDFCanvas) {
    let left = Self.side
    canvas.fitted(top: Self.top, bottom: Self.bottom, pageWidth: Self.size.width) {
      var y = Self.top
      canvas.text(form.attachment, x: left, y: y, font: .sans(10))
      y += 12
      y += canvas.text(
        form.title, x: left, y: y, font: .sans(18, bold: true), width: width, alignment: .center)
      y += canvas.text(
        townName + campaign, x: left, y: y, font: .serif(9), width: width, alignment: .center,
        color: .gray)
      y += 8

      y +=
        isPremisesForm
        ? premisesTable(on: canvas, x: left, y: y) : householdTable(on: canvas, x: left, y: y)
      var number = 1
      for section in form.sections {
        let items = shownItems(section)
        guard !items.isEmpty else { continue }
        y += 8
        y += canvas.text(
          PrintText.point(number) + section.title, x: left, y: y, font: .sans(10.5, bold: true))
        y += 3
        switch section.kind {
        case .check: y += checkTable(section.title, items, on: canvas, x: left, y: y)
        case .choice: y += choiceTable(section.title, items, on: canvas, x: left, y: y)
        case .hazard: y += hazardTable(items, on: canvas, x: left, y: y)
        case .action: y += actionBox(items, on: canvas, x: left, y: y)
        }
        number += 1
      }
      y += 8
      y += canvas.text(
        PrintText.point(number) + PrintText.notes, x: left, y: y, font: .sans(10.5, bold: true))
      y += 3
      y += notesBox(on: canvas, x: left, y: y)
      y += 12
      y += signatures(on: canvas, x: left, y: y)
      return y
    }

    if let footer {
      canvas.text(
        footer, x: left, y: Self.size.height - 10 * pointsPerMM, font: .sans(7), width: width,
        alignment: .center, color: .gray)
    }
  }

  /// The items of `section` this paper asks: for premises, those that apply to its kind (and
  /// any its saved visit answered); every item on a blank or a household's form.
  private func shownItems(_ section: VisitForm.Section) -> [VisitForm.Item] {
    guard let facts = premisesFacts else { return section.items }
    return section.items.filter {
      $0.applies(to: facts.kind, business: facts.businessKind) || filled?.answers[$0.id] != nil
    }
  }

  /// The item's wording, with 〔多合一〕 (or the kinds it is asked of) on premises forms.
  private func label(_ item: VisitForm.Item) -> String {
    guard isPremisesForm, let kinds = item.appliesTo, !kinds.isEmpty else { return item.label }
    let names = kinds.map { kind in
      kind == PremisesKind.mixedUse.rawValue
        ? PrintText.mixedUseMark : BusinessKind(rawValue: kind)?.label ?? kind
    }
    return item.label + PrintText.onlyFor(names)
  }

  private func dateText(_ date: CivilDate?) -> String {
    guard let date else { return PrintText.dateBlank }
    return PrintText.civilDate(year: date.year, month: date.month, day: date.day)
  }

  private func householdTable(on canvas: PDFCanvas, x: Double, y: Double) -> Double {
    let facts = householdFacts
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

  /// A premises' header: the definition's lines (场所名称, 类别, 地址, 负责人, 联系电话, 层数 …)
  /// filled from the premises, two to a row and the address on its own; then where it is,
  /// who inspects it and when.
  private func premisesTable(on canvas: PDFCanvas, x: Double, y: Double) -> Double {
    let facts = premisesFacts
    var lines: [(label: String, value: String, wide: Bool)] = form.header.map {
      ($0.label, facts?.value(of: $0.id) ?? "", $0.id == "address")
    }
    let place = facts.map { $0.villageName + $0.gridName } ?? ""
    lines.append((PrintText.premisesGrid, place, false))
    lines.append((PrintText.inspector, filled?.visitorName ?? facts?.visitorName ?? "", false))
    lines.append(
      (PrintText.inspectionDate, filled.map { dateText($0.date) } ?? PrintText.dateBlank, false))
    lines.append((PrintText.present, filled?.personsMet ?? "", false))
    if let round = filled?.round ?? round { lines.append((PrintText.round, round, true)) }

    let labelWidth = 78.0
    let minHeight = 21.0
    var rows: [[(label: String, value: String)]] = []
    var pending: (label: String, value: String)?
    for line in lines {
      if line.wide {
        if let half = pending { rows.append([half]) }
        pending = nil
        rows.append([(line.label, line.value)])
      } else if let half = pending {
        rows.append([half, (line.label, line.value)])
        pending = nil
      } else {
        pending = (line.label, line.value)
      }
    }
    if let half = pending { rows.append([half]) }

    var top = y
    for row in rows {
      let valueWidth = width / Double(row.count) - labelWidth
      let cells = row.flatMap { line -> [TableCell] in
        [
          .label(line.label, width: labelWidth, font: labelFont),
          .value(line.value, width: valueWidth, font: valueFont),
        ]
      }
      top += canvas.row(cells, x: x, y: top, minHeight: minHeight, padding: Self.pad)
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

  /// 三清三关, 消防管理: each item with 是 / 否 / 不适用; two to a row when every label fits
  /// half the width, else one.
  private func checkTable(
    _ title: String, _ items: [VisitForm.Item], on canvas: PDFCanvas, x: Double, y: Double
  ) -> Double {
    let columns: [Answer] = [.yes, .no, .notApplicable]
    let answerWidth = 36.0
    let labels = items.map(label)
    let halfWidth = width / 2 - Double(columns.count) * answerWidth
    let perRow =
      labels.allSatisfy { canvas.measure($0, font: valueFont).width <= halfWidth - 2 * Self.pad }
      ? 2 : 1
    let itemWidth = width / Double(perRow) - Double(columns.count) * answerWidth
    var header: [TableCell] = []
    for _ in 0..<perRow {
      header.append(.label(title, width: itemWidth, font: headerFont))
      for column in columns {
        header.append(.label(answerLabel(column, .check), width: answerWidth, font: headerFont))
      }
    }
    var top = y
    top += canvas.row(header, x: x, y: top, minHeight: 20, padding: 2)
    var index = 0
    while index < items.count {
      let range = index..<min(index + perRow, items.count)
      let rowHeight = labels[range].reduce(20.0) { height, text in
        max(
          height,
          canvas.measure(text, font: valueFont, width: itemWidth - 2 * Self.pad).height + 2
            * Self.pad)
      }
      var left = x
      for (item, text) in zip(items[range], labels[range]) {
        canvas.row(
          [TableCell(text: text, width: itemWidth, font: valueFont, alignment: .center)],
          x: left, y: top, minHeight: rowHeight, padding: Self.pad)
        left += itemWidth
        let ticked = tick(item.id, columns)
        for column in columns.indices {
          tickCell(
            on: canvas, x: left, y: top, width: answerWidth, height: rowHeight,
            ticked: ticked == column)
          left += answerWidth
        }
      }
      top += rowHeight
      index += perRow
    }
    canvas.box(x: x, y: y, width: width, height: top - y, line: 1.0)
    return top - y
  }

  /// 房屋情况: each item with its options as tick boxes (□木 □砖木 □砖混), the chosen one
  /// ticked on a filled form; two items to a row when they fit.
  private func choiceTable(
    _ title: String, _ items: [VisitForm.Item], on canvas: PDFCanvas, x: Double, y: Double
  ) -> Double {
    let labelWidth = 78.0
    let gap = 10.0
    let font = valueFont
    let box = font.size * 0.95 + font.size * 0.35
    func optionsWidth(_ item: VisitForm.Item) -> Double {
      (item.options ?? []).reduce(0) { $0 + box + canvas.measure($1.label, font: font).width + gap }
    }
    let halfWidth = width / 2 - labelWidth
    let perRow = items.allSatisfy { optionsWidth($0) <= halfWidth - 2 * Self.pad } ? 2 : 1
    let valueWidth = width / Double(perRow) - labelWidth
    let rowHeight = 22.0
    let lineHeight = canvas.measure("是", font: font).height
    var top = y
    var index = 0
    while index < items.count {
      var left = x
      for item in items[index..<min(index + perRow, items.count)] {
        canvas.row(
          [
            .label(label(item), width: labelWidth, font: labelFont),
            .value("", width: valueWidth, font: font),
          ], x: left, y: top, minHeight: rowHeight, padding: Self.pad)
        canvas.choices(
          (item.options ?? []).map(\.label),
          ticked: Self.tickedOption(item, filled?.answers[item.id]),
          x: left + labelWidth + 2 * Self.pad, y: top + (rowHeight - lineHeight) / 2, font: font,
          gap: gap)
        left += labelWidth + valueWidth
      }
      top += rowHeight
      index += perRow
    }
    canvas.box(x: x, y: y, width: width, height: top - y, line: 1.0)
    return top - y
  }

  /// Which of a choice item's options `answer` ticks (its digit key), nil for none.
  static func tickedOption(_ item: VisitForm.Item, _ answer: Answer?) -> Int? {
    guard let answer, answer.isOption else { return nil }
    return item.options?.firstIndex { $0.key == answer.rawValue }
  }

  /// 隐患排查: each check with 无隐患 / 有隐患, what was found, the deadline and the re-check.
  private func hazardTable(
    _ items: [VisitForm.Item], on canvas: PDFCanvas, x: Double, y: Double
  ) -> Double {
    // Premises' checks are worded at length (每层未配2具4kg ABC干粉灭火器或已失效); a long
    // list gets lower rows, so the form stays one sheet at a size still easy to write on.
    let long = items.contains { canvas.measure($0.label, font: valueFont).width > 96 }
    let itemWidth = isPremisesForm ? 150.0 : long ? 132.0 : 104.0
    let answerWidth = 38.0
    let deadlineWidth = 66.0
    let recheckWidth = 70.0
    let descriptionWidth = width - itemWidth - 2 * answerWidth - deadlineWidth - recheckWidth
    let rowHeight = isPremisesForm || form.items(of: .hazard).count > 8 ? 20.0 : 28.0
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
    let textWidth = itemWidth - 2 * Self.pad
    for item in items {
      let found = filled.map { $0.hazards[item.id] ?? [] } ?? dueForReview[item.id] ?? []
      let description = found.map(\.description).joined(separator: "；")
      let descriptionHeight =
        description.isEmpty
        ? 0
        : canvas.measure(description, font: smallValue, width: descriptionWidth - 2 * Self.pad)
          .height
      let text = label(item)
      let labelHeight = canvas.measure(text, font: valueFont, width: textWidth).height
      let hintHeight =
        item.hint.map { canvas.measure($0, font: hintFont, width: textWidth).height } ?? 0
      let height = max(rowHeight, descriptionHeight, labelHeight + hintHeight) + 2 * Self.pad
      var left = x
      canvas.box(x: left, y: top, width: itemWidth, height: height)
      var textTop = top + (height - labelHeight - hintHeight) / 2
      textTop += canvas.text(
        text, x: left + Self.pad, y: textTop, font: valueFont, width: textWidth)
      if let hint = item.hint {
        canvas.text(
          hint, x: left + Self.pad, y: textTop, font: hintFont, width: textWidth, color: .gray)
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
  private func actionBox(_ items: [VisitForm.Item], on canvas: PDFCanvas, x: Double, y: Double)
    -> Double
  {
    let font = valueFont
    let lineHeight = canvas.measure("是", font: font).height
    let perLine = 2
    let lines = (items.count + perLine - 1) / perLine
    let height = Double(lines) * (lineHeight + 6) + 8
    canvas.box(x: x, y: y, width: width, height: height, line: 1.0)
    for (index, item) in items.enumerated() {
      let column = Double(index % perLine)
      let line = Double(index / perLine)
      canvas.choices(
        [label(item)], ticked: filled?.answers[item.id] == .yes ? 0 : nil,
        x: x + 10 + column * width / Double(perLine), y: y + 7 + line * (lineHeight + 6),
        font: font, gap: 0)
    }
    return height
  }

  private func notesBox(on canvas: PDFCanvas, x: Double, y: Double) -> Double {
    let notes = filled?.notes ?? ""
    let font = Font.serif(9.5)
    let textHeight = notes.isEmpty ? 0 : canvas.measure(notes, font: font, width: width - 12).height
    let height = max(isPremisesForm ? 52 : 64, textHeight + 12)
    canvas.box(x: x, y: y, width: width, height: height, line: 1.0)
    if !notes.isEmpty { canvas.text(notes, x: x + 6, y: y + 6, font: font, width: width - 12) }
    return height
  }

  /// 走访人 and 户主 sign a household's form, 检查人 and 负责人 a premises'; returns the height.
  private func signatures(on canvas: PDFCanvas, x: Double, y: Double) -> Double {
    let font = Font.serif(10.5)
    let blank = "＿＿＿＿＿＿＿＿"
    let visitor = filled.map { $0.visitorName.isEmpty ? blank : $0.visitorName } ?? blank
    let signer =
      filled.map { $0.signed ? PrintText.signedOnPaper : PrintText.notSigned } ?? blank
    let date = filled.map { dateText($0.date) } ?? PrintText.dateBlank
    let visitorLabel: String
    let signerLabel: String
    if isPremisesForm {
      visitorLabel = filled == nil ? PrintText.inspectorSignature : PrintText.inspector
      signerLabel = PrintText.responsibleSignature
    } else {
      visitorLabel = filled == nil ? PrintText.visitorSignature : PrintText.visitor
      signerLabel = PrintText.headSignature
    }
    return canvas.text(
      visitorLabel + "：" + visitor + "　　" + signerLabel + "：" + signer + "　　" + PrintText.date
        + "：" + date, x: x, y: y, font: font, width: width)
  }

  private func answerLabel(_ answer: Answer, _ kind: VisitForm.SectionKind) -> String {
    answer.label(for: kind)
  }
}
