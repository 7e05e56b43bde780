/// 明白卡 (附件2): one A6 card for a household's wall, drawn with its top-left at the origin.
/// It says who the household can call (grid leader, visitor, village liaison, with their full
/// phone numbers), the 三清三关, the key points of the notice, 119 and how to escape.
struct ClarityCard {
  static let size = PageSize.a6

  var facts: HouseholdFacts
  var texts: DocumentTexts
  /// The 三清三关 labels, from the residential form's check section.
  var checklist: [String]
  var townName: String

  private static let frameInset = 9.0
  private static let inset = 17.0

  func draw(on canvas: PDFCanvas) {
    let card = texts.card
    let width = Self.size.width
    let height = Self.size.height
    let left = Self.inset
    let contentWidth = width - 2 * Self.inset

    // A red double frame, the look of the cards pasted by doors.
    canvas.box(
      x: Self.frameInset, y: Self.frameInset, width: width - 2 * Self.frameInset,
      height: height - 2 * Self.frameInset, line: 1.4, color: .red)
    canvas.box(
      x: Self.frameInset + 2.6, y: Self.frameInset + 2.6,
      width: width - 2 * (Self.frameInset + 2.6), height: height - 2 * (Self.frameInset + 2.6),
      line: 0.4, color: .red)

    var y = Self.inset + 1
    y += canvas.text(
      card.title, x: left, y: y, font: .sans(15, bold: true), width: contentWidth,
      alignment: .center, color: .red)
    y += canvas.text(
      townName + texts.campaign, x: left, y: y, font: .serif(6.6), width: contentWidth,
      alignment: .center)
    y += 4

    y += contacts(on: canvas, x: left, y: y, width: contentWidth)
    y += 5

    y += sectionTitle(card.checklistTitle, on: canvas, x: left, y: y)
    y += checklistTiles(on: canvas, x: left, y: y, width: contentWidth)
    y += 5

    y += sectionTitle(card.keyPointsTitle, on: canvas, x: left, y: y)
    let bulletFont = Font.serif(7)
    let firstLine = canvas.measure(card.keyPoints.first ?? "", font: bulletFont).height
    for point in card.keyPoints {
      canvas.box(
        x: left + 1.5, y: y + firstLine / 2 - 1.3, width: 2.6, height: 2.6, line: 0, fill: .red)
      y += canvas.text(point, x: left + 7, y: y, font: bulletFont, width: contentWidth - 7)
      y += 0.6
    }
    y += 4

    y += sectionTitle(card.escapeTitle, on: canvas, x: left, y: y)
    for label in [card.escapeRouteLabel, card.assemblyPointLabel] {
      let labelFont = Font.sans(7.5)
      let labelText = label + "："
      let labelWidth = canvas.measure(labelText, font: labelFont).width
      let lineHeight = canvas.text(labelText, x: left, y: y + 2, font: labelFont)
      canvas.line(
        from: (left + labelWidth + 1, y + 2 + lineHeight - 2.5),
        to: (left + contentWidth, y + 2 + lineHeight - 2.5), width: 0.5)
      y += lineHeight + 3
    }
    y += 1
    y += canvas.text(card.escapeAdvice, x: left, y: y, font: .serif(7), width: contentWidth)

    alarmBand(on: canvas, bottom: height - Self.inset - 11, x: left, width: contentWidth)
    canvas.text(
      PrintText.townGovernment(townName) + PrintText.issuedBy + "　　" + card.postingHint,
      x: left, y: height - Self.inset - 8.5, font: .sans(6), width: contentWidth,
      alignment: .center, color: .gray)
  }

  /// 户主, address, village and grid, then the three people to call with their phones.
  private func contacts(on canvas: PDFCanvas, x: Double, y: Double, width: Double) -> Double {
    let labelFont = Font.sans(7)
    let valueFont = Font.serif(7.8)
    let phoneFont = Font.sans(8, bold: true)
    let labelWidth = 46.0
    let phoneLabelWidth = 26.0
    let nameWidth = 78.0
    let phoneWidth = width - labelWidth - nameWidth - phoneLabelWidth
    let pad = 3.0
    let minHeight = 14.0
    func pair(_ a: String, _ b: String, _ c: String, _ d: String, valueFont d4: Font) -> [TableCell]
    {
      [
        .label(a, width: labelWidth, font: labelFont), .value(b, width: nameWidth, font: valueFont),
        .label(c, width: phoneLabelWidth, font: labelFont),
        .value(d, width: phoneWidth, font: d4),
      ]
    }
    var top = y
    top += canvas.row(
      pair(
        PrintText.head, facts.headName, PrintText.householdNumber, facts.number,
        valueFont: valueFont), x: x, y: top, minHeight: minHeight, padding: pad)
    top += canvas.row(
      [
        .label(PrintText.address, width: labelWidth, font: labelFont),
        .value(facts.address, width: width - labelWidth, font: valueFont),
      ], x: x, y: top, minHeight: minHeight, padding: pad)
    top += canvas.row(
      pair(
        PrintText.village, facts.villageName, PrintText.grid, facts.gridName,
        valueFont: valueFont), x: x, y: top, minHeight: minHeight, padding: pad)
    let people = [
      (PrintText.gridLeader, facts.gridLeaderName, facts.gridLeaderPhone),
      (PrintText.visitor, facts.visitorName, facts.visitorPhone),
      (PrintText.liaison, facts.liaisonName, facts.liaisonPhone),
    ]
    for (role, name, phone) in people {
      top += canvas.row(
        pair(
          role, name.isEmpty ? PrintText.notAssigned : name, PrintText.phone, phone,
          valueFont: phoneFont), x: x, y: top, minHeight: minHeight, padding: pad)
    }
    // A heavier outer border around the whole table.
    canvas.box(x: x, y: y, width: width, height: top - y, line: 1.0)
    return top - y
  }

  /// "■ 三清三关" with a red square, as on printed government cards.
  private func sectionTitle(_ title: String, on canvas: PDFCanvas, x: Double, y: Double)
    -> Double
  {
    let font = Font.sans(8.2, bold: true)
    let height = canvas.measure(title, font: font).height
    canvas.box(x: x, y: y + height / 2 - 2.6, width: 5.2, height: 5.2, line: 0, fill: .red)
    canvas.text(title, x: x + 8, y: y, font: font)
    return height + 1
  }

  /// The six items as tiles, three to a row.
  private func checklistTiles(on canvas: PDFCanvas, x: Double, y: Double, width: Double)
    -> Double
  {
    let perRow = 3
    let tileWidth = width / Double(perRow)
    let tileHeight = 15.0
    let font = Font.sans(8.5, bold: true)
    var top = y
    var index = 0
    while index < checklist.count {
      let rowItems = Array(checklist[index..<min(index + perRow, checklist.count)])
      canvas.row(
        rowItems.map {
          TableCell(text: $0, width: tileWidth, font: font, alignment: .center)
        }, x: x, y: top, minHeight: tileHeight, padding: 2)
      top += tileHeight
      index += perRow
    }
    return top - y
  }

  /// 火警电话 119 in a red band at the foot of the card.
  private func alarmBand(on canvas: PDFCanvas, bottom: Double, x: Double, width: Double) {
    let card = texts.card
    let height = 33.0
    let top = bottom - height
    canvas.box(x: x, y: top, width: width, height: height, line: 1.0, color: .red)
    let titleFont = Font.sans(7.5, bold: true)
    let numberFont = Font.sans(21, bold: true)
    let titleHeight = canvas.measure(card.alarmTitle, font: titleFont).height
    let numberSize = canvas.measure(card.alarmNumber, font: numberFont)
    let blockWidth = 84.0
    canvas.text(
      card.alarmTitle, x: x + 4, y: top + (height - titleHeight) / 2, font: titleFont,
      color: .red)
    let titleWidth = canvas.measure(card.alarmTitle, font: titleFont).width
    canvas.text(
      card.alarmNumber, x: x + 4 + titleWidth + 3, y: top + (height - numberSize.height) / 2,
      font: numberFont, color: .red)
    let adviceWidth = width - blockWidth - 6
    let adviceFont = Font.serif(6.8)
    let adviceHeight = canvas.measure(card.alarmAdvice, font: adviceFont, width: adviceWidth)
      .height
    canvas.line(
      from: (x + blockWidth, top + 5), to: (x + blockWidth, bottom - 5), width: 0.5, color: .red
    )
    canvas.text(
      card.alarmAdvice, x: x + blockWidth + 4, y: top + (height - adviceHeight) / 2,
      font: adviceFont, width: adviceWidth)
  }
}
