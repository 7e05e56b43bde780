import Foundation

/// 消防安全告知书 (附件1): one A4 page for a household, addressed to its head, with the 13
/// points, the town's name and date line, and a receipt strip below a cut line that the
/// visitor brings back signed.
struct NoticePage {
  static let size = PageSize.a4

  var facts: HouseholdFacts
  var texts: DocumentTexts
  var townName: String

  private static let side = 25 * pointsPerMM
  private static let top = 20 * pointsPerMM
  private static let bottom = 14 * pointsPerMM

  func draw(on canvas: PDFCanvas) {
    let notice = texts.notice
    let left = Self.side
    let width = Self.size.width - 2 * Self.side
    var y = Self.top

    y += canvas.text(
      notice.title, x: left, y: y, font: .sans(22, bold: true), width: width,
      alignment: .center, color: .red)
    y += canvas.text(
      townName + texts.campaign, x: left, y: y, font: .serif(10), width: width,
      alignment: .center, color: .gray)
    y += 4
    canvas.line(from: (left, y), to: (left + width, y), width: 1.2, color: .red)
    y += 10

    let addresseeFont = Font.serif(12.5, bold: true)
    let addresseeHeight = canvas.text(
      PrintText.addressee(facts.headName), x: left, y: y, font: addresseeFont)
    let whereFont = Font.sans(8.5)
    let whereText =
      facts.villageName + facts.gridName + "　" + PrintText.householdNumber + " "
      + facts.number
    let whereHeight = canvas.measure(whereText, font: whereFont).height
    canvas.text(
      whereText, x: left, y: y + (addresseeHeight - whereHeight) / 2, font: whereFont,
      width: width, alignment: .right, color: .gray)
    y += addresseeHeight + 3

    let bodyFont = Font.serif(11.2)
    let spacing = 2.6
    y += canvas.text(
      "　　" + notice.intro, x: left, y: y, font: bodyFont, width: width, lineSpacing: spacing)
    y += 5
    // The widest ordinal (十三、) sets the column, so every point's text starts in one line.
    let numberWidth =
      (1...max(1, notice.points.count)).map {
        canvas.measure(PrintText.point($0), font: bodyFont).width
      }.max()! + 1
    for (index, point) in notice.points.enumerated() {
      canvas.text(
        PrintText.point(index + 1), x: left, y: y, font: bodyFont, width: numberWidth,
        alignment: .right)
      y += canvas.text(
        point, x: left + numberWidth, y: y, font: bodyFont, width: width - numberWidth,
        lineSpacing: spacing)
      y += 3.2
    }
    y += 2
    y += canvas.text("　　" + notice.closing, x: left, y: y, font: bodyFont, width: width)
    y += 10

    let signFont = Font.serif(11.5)
    y += canvas.text(
      PrintText.townGovernment(townName), x: left, y: y, font: signFont, width: width - 24,
      alignment: .right)
    canvas.text(
      PrintText.dateBlank, x: left, y: y + 2, font: signFont, width: width - 12,
      alignment: .right)

    receipt(on: canvas, left: left, width: width)
  }

  /// The strip below the cut line, kept by the village as proof the notice was delivered.
  private func receipt(on canvas: PDFCanvas, left: Double, width: Double) {
    let notice = texts.notice
    let stripHeight = 84.0
    let top = Self.size.height - Self.bottom - stripHeight
    canvas.line(
      from: (left - 30, top), to: (left + width + 30, top), width: 0.6, color: .gray,
      dash: [4, 3])
    var y = top + 8
    y += canvas.text(
      notice.receiptTitle, x: left, y: y, font: .sans(13, bold: true), width: width,
      alignment: .center)
    y += 4
    let font = Font.serif(10.5)
    let who = "（" + facts.label + "　" + facts.headName + "）"
    y += canvas.text(
      "　　" + notice.receiptText.replacingFirst("本户", with: "本户" + who), x: left, y: y,
      font: font, width: width)
    y += 12
    let signLine =
      PrintText.headSignature + "：＿＿＿＿＿＿＿＿　　" + PrintText.visitorSignature
      + "：＿＿＿＿＿＿＿＿　　" + PrintText.date + "：" + PrintText.dateBlank
    canvas.text(signLine, x: left, y: y, font: font, width: width)
  }
}

extension String {
  /// The string with its first occurrence of `target` replaced; unchanged when absent.
  func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = range(of: target) else { return self }
    return replacingCharacters(in: range, with: replacement)
  }
}
