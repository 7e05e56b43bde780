import FiregridModel
import Foundation

/// Turns a `PrintRequest` into a PDF file: Pango lays out the Chinese text, Cairo draws it on
/// a PDF surface and embeds the subset of the fonts used, so the file prints the same on any
/// office PC. Pure apart from the one file it writes; safe to call from any thread, one
/// document per call.
public enum PrintRenderer {
  /// Writes the document to `url` (to a temporary file beside it first, then renamed, so a
  /// failed run never leaves half a PDF under the asked name) and returns its page count.
  @discardableResult
  public static func render(
    _ request: PrintRequest, town: TownData, content: PrintContent, to url: URL
  ) throws(PrintError) -> Int {
    let pages = try plan(request, town: town, content: content)
    return try writePDF(to: url, size: pages.size, title: title(request, town: town)) {
      pages.draw($0)
    }
  }

  /// Draws a PDF into a temporary file beside `url` and renames it into place; returns the
  /// pages drawn. Nothing is left under either name when drawing or writing fails.
  static func writePDF(
    to url: URL, size: PageSize, title: String, draw: (PDFCanvas) -> Void
  ) throws(PrintError) -> Int {
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).\(getpid()).tmp")
    do throws(PrintError) {
      let canvas = try PDFCanvas(path: temporary.path, size: size, title: title)
      draw(canvas)
      try canvas.finish()
      let count = canvas.pageCount
      if rename(temporary.path, url.path) != 0 {
        throw PrintError.cannotWrite(path: url.path, detail: PrintText.writeFailure(errno: errno))
      }
      return count
    } catch {
      unlink(temporary.path)
      if case .cannotWrite(_, let detail) = error {
        throw .cannotWrite(path: url.path, detail: detail)
      }
      throw error
    }
  }

  /// The pages `render` would write, without drawing: for the app to show before printing.
  public static func pageCount(_ request: PrintRequest, town: TownData) throws(PrintError) -> Int {
    switch request {
    case .cards(let scope, let layout):
      let count = try households(scope, town: town).count
      return layout == .a6 ? count : (count + 3) / 4
    case .forms(.premises(let id), let round):
      return try pageCount(.premisesForms(.premises(id), round: round), town: town)
    case .notices(let scope), .forms(let scope, _):
      return try households(scope, town: town).count
    case .premisesForms(let scope, let subject, _):
      return try premises(scope, subject: subject, town: town).count
    case .blankForms(_, let copies):
      try checkCopies(copies)
      return copies
    case .filledForms(let visitIDs):
      return try filledForms(visitIDs, town: town).count
    case .householdHistory(let scope):
      // Laid out (not drawn) on a canvas writing nowhere: a history's length depends on it.
      let histories = try histories(scope, town: town, forms: PrintContent.bundled().forms)
      let canvas = try PDFCanvas(path: "/dev/null", size: .a4, title: "")
      return histories.reduce(0) { $0 + $1.document.pageCount(on: canvas) }
    }
  }

  /// `pageCount` with the form definitions of `content` (the app's, in tests).
  public static func pageCount(
    _ request: PrintRequest, town: TownData, content: PrintContent
  ) throws(PrintError) -> Int {
    guard case .householdHistory(let scope) = request else {
      return try pageCount(request, town: town)
    }
    let histories = try histories(scope, town: town, forms: content.forms)
    let canvas = try PDFCanvas(path: "/dev/null", size: .a4, title: "")
    return histories.reduce(0) { $0 + $1.document.pageCount(on: canvas) }
  }

  private static func histories(_ scope: PrintScope, town: TownData, forms: FormRegistry)
    throws(PrintError) -> [HouseholdHistory]
  {
    let households = try households(scope, town: town)
    let lookup = RosterLookup(town: town, households: households)
    return households.map {
      HouseholdHistory(household: $0, facts: lookup.facts(for: $0), town: town, forms: forms)
    }
  }

  /// What the cards of `request` will print as 未指定 (no grid leader, visitor or liaison
  /// named), one line per role with the households' numbers: said before printing, so a
  /// card that tells a household "（未指定）" whom to call is never a surprise. Empty for
  /// other documents and when every card is complete.
  public static func gaps(_ request: PrintRequest, town: TownData) -> [String] {
    guard case .cards(let scope, _) = request,
      let households = try? households(scope, town: town)
    else { return [] }
    let lookup = RosterLookup(town: town, households: households)
    var missing: [String: [String]] = [:]
    for household in households {
      let facts = lookup.facts(for: household)
      for (role, name) in [
        (PrintText.gridLeader, facts.gridLeaderName), (PrintText.visitor, facts.visitorName),
        (PrintText.liaison, facts.liaisonName),
      ] where name.isEmpty {
        missing[role, default: []].append(facts.villageName + facts.number)
      }
    }
    return [PrintText.gridLeader, PrintText.visitor, PrintText.liaison].compactMap { role in
      missing[role].map { PrintText.cardsWithoutRole(role, $0) }
    }
  }

  /// The PDF's title, e.g. 明白卡 龙潭村第1网格.
  public static func title(_ request: PrintRequest, town: TownData) -> String {
    switch request {
    case .cards(let scope, _): return PrintText.cardsName + " " + scope.label(in: town)
    case .notices(let scope): return PrintText.noticesName + " " + scope.label(in: town)
    case .forms(.premises(let id), let round):
      return title(.premisesForms(.premises(id), round: round), town: town)
    case .forms(let scope, _): return PrintText.formsName + " " + scope.label(in: town)
    case .premisesForms(let scope, let subject, _):
      let kind = subject.map { " " + PrintText.formSubject($0) } ?? ""
      return PrintText.premisesFormsName + " " + scope.label(in: town) + kind
    case .blankForms(let subject, _): return PrintText.blankFormsName(subject)
    case .filledForms(let visitIDs):
      let who = visitIDs.first.flatMap { FilledForm(visitID: $0, town: town) }.map {
        ($0.isPremises ? PrintScope.premises($0.subjectID) : .household($0.subjectID))
          .label(in: town)
      }
      return PrintText.filledFormName + " " + (who ?? "")
    case .householdHistory(let scope): return PrintText.historyName + " " + scope.label(in: town)
    }
  }

  /// A file name for the document, e.g. 明白卡-龙潭村第1网格.pdf.
  public static func suggestedFileName(_ request: PrintRequest, town: TownData) -> String {
    let name = title(request, town: town).trimmingCharacters(in: .whitespaces)
      .replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "/", with: "-")
    return name + ".pdf"
  }

  // MARK: Planning

  /// What to draw: the page size and a closure that draws every page (also `PrintFloor`'s
  /// source of the text).
  struct Plan {
    var size: PageSize
    var draw: (PDFCanvas) -> Void
  }

  private static func households(_ scope: PrintScope, town: TownData) throws(PrintError)
    -> [Household]
  {
    if case .premises = scope {
      throw .badRequest(PrintText.notForPremises(scope.label(in: town)))
    }
    let households = scope.households(in: town)
    guard !households.isEmpty else {
      if case .household(let id) = scope { throw .notFound(PrintText.unknownID(id)) }
      throw .nothingToPrint(PrintText.emptySelection(scope.label(in: town)))
    }
    return households
  }

  /// The premises of `scope` inspected on `subject`'s form (all when nil), in roster order.
  private static func premises(_ scope: PrintScope, subject: FormSubject?, town: TownData)
    throws(PrintError) -> [Premises]
  {
    let label = scope.label(in: town)
    switch scope {
    case .household: throw .badRequest(PrintText.premisesFormsForHousehold(label))
    case .premises(let id) where town.premises(id: id) == nil:
      throw .notFound(PrintText.unknownPremisesID(id))
    default: break
    }
    if subject == .household { throw .badRequest(PrintText.householdFormForPremises) }
    let all = scope.premises(in: town)
    let chosen = subject.map { subject in all.filter { $0.formSubject == subject } } ?? all
    guard !chosen.isEmpty else {
      if case .premises = scope, let subject, let premises = all.first {
        throw .badRequest(
          PrintText.wrongForm(
            label, PremisesFacts(premises: premises, town: town).kindLabel,
            PrintText.formSubject(subject)))
      }
      throw .nothingToPrint(PrintText.noPremises(label, subject.map(PrintText.formSubject)))
    }
    return chosen
  }

  private static func filledForms(_ visitIDs: [String], town: TownData) throws(PrintError)
    -> [FilledForm]
  {
    guard !visitIDs.isEmpty else { throw .nothingToPrint(PrintText.unknownVisit("")) }
    var forms: [FilledForm] = []
    for id in visitIDs {
      guard let form = FilledForm(visitID: id, town: town) else {
        throw .notFound(PrintText.unknownVisit(id))
      }
      forms.append(form)
    }
    return forms
  }

  private static func checkCopies(_ copies: Int) throws(PrintError) {
    guard (1...1000).contains(copies) else { throw .badRequest(PrintText.badCopies(copies)) }
  }

  static func plan(_ request: PrintRequest, town: TownData, content: PrintContent)
    throws(PrintError) -> Plan
  {
    let townName = town.town.name
    let texts = content.texts
    switch request {
    case .cards(let scope, let layout):
      let households = try households(scope, town: town)
      let lookup = RosterLookup(town: town, households: households)
      // 三清三关: the form's first check section (version 2 has more check sections, for
      // equipment and escape, which are not the card's).
      let checklist =
        content.form.sections.first { $0.kind == .check }?.items.map(\.label) ?? []
      let cards = households.map {
        ClarityCard(
          facts: lookup.facts(for: $0), texts: texts, checklist: checklist, townName: townName)
      }
      switch layout {
      case .a6:
        return Plan(size: .a6) { canvas in
          for card in cards {
            card.draw(on: canvas)
            canvas.endPage()
          }
        }
      case .fourUpA4:
        return Plan(size: .a4) { canvas in drawFourUp(cards, on: canvas) }
      }

    case .notices(let scope):
      let households = try households(scope, town: town)
      let lookup = RosterLookup(town: town, households: households)
      return Plan(size: NoticePage.size) { canvas in
        for household in households {
          NoticePage(facts: lookup.facts(for: household), texts: texts, townName: townName)
            .draw(on: canvas)
          canvas.endPage()
        }
      }

    case .forms(.premises(let id), let round):
      return try plan(.premisesForms(.premises(id), round: round), town: town, content: content)

    case .forms(let scope, let round):
      let households = try households(scope, town: town)
      let lookup = RosterLookup(town: town, households: households)
      let label = scope.label(in: town)
      return Plan(size: FormPage.size) { canvas in
        for (index, household) in households.enumerated() {
          FormPage(
            form: content.form, townName: townName, campaign: texts.campaign,
            subject: .household(lookup.facts(for: household)),
            dueForReview: FilledForm.dueForReview(town.visitRecords[household.id]), round: round,
            footer: households.count > 1
              ? PrintText.batchFooter(label, page: index + 1, of: households.count) : nil
          ).draw(on: canvas)
          canvas.endPage()
        }
      }

    case .premisesForms(let scope, let subject, let round):
      let list = try premises(scope, subject: subject, town: town)
      var pages: [FormPage] = []
      let label = scope.label(in: town)
      for (index, premises) in list.enumerated() {
        pages.append(
          FormPage(
            form: try content.form(for: premises.formSubject), townName: townName,
            campaign: texts.campaign,
            subject: .premises(PremisesFacts(premises: premises, town: town)),
            dueForReview: FilledForm.dueForReview(town.premisesRecords[premises.id]),
            round: round,
            footer: list.count > 1
              ? PrintText.batchFooter(label, page: index + 1, of: list.count) : nil))
      }
      return Plan(size: FormPage.size) { canvas in
        for page in pages {
          page.draw(on: canvas)
          canvas.endPage()
        }
      }

    case .blankForms(let subject, let copies):
      try checkCopies(copies)
      let form = try content.form(for: subject)
      return Plan(size: FormPage.size) { canvas in
        for _ in 0..<copies {
          FormPage(form: form, townName: townName, campaign: texts.campaign).draw(on: canvas)
          canvas.endPage()
        }
      }

    case .filledForms(let visitIDs):
      let forms = try filledForms(visitIDs, town: town)
      let households = forms.filter { !$0.isPremises }.compactMap {
        town.household(id: $0.subjectID)
      }
      let lookup = RosterLookup(town: town, households: households)
      var pages: [FormPage] = []
      for form in forms {
        let subject: FormPage.Subject
        if form.isPremises {
          guard let premises = town.premises(id: form.subjectID) else {
            throw .notFound(PrintText.unknownPremisesID(form.subjectID))
          }
          subject = .premises(PremisesFacts(premises: premises, town: town))
        } else {
          guard let household = households.first(where: { $0.id == form.subjectID }) else {
            throw .notFound(PrintText.unknownID(form.subjectID))
          }
          subject = .household(lookup.facts(for: household))
        }
        // The form the visit was entered with: another version's items would print its
        // answers in the wrong boxes or not at all.
        guard let definition = content.forms.definition(formID: form.formID) else {
          throw .badContent(PrintText.unknownForm(form.visitID, form.formID))
        }
        pages.append(
          FormPage(
            form: definition, townName: townName, campaign: texts.campaign, subject: subject,
            filled: form,
            footer: form.isPremises
              ? PrintText.inspectedFrom(form.visitID) : PrintText.filledFrom(form.visitID)))
      }
      return Plan(size: FormPage.size) { canvas in
        for page in pages {
          page.draw(on: canvas)
          canvas.endPage()
        }
      }

    case .householdHistory(let scope):
      let histories = try histories(scope, town: town, forms: content.forms)
      return Plan(size: .a4) { canvas in
        for history in histories { history.document.draw(on: canvas) }
      }
    }
  }

  /// Four A6 cards to an A4 sheet (A4 is exactly two A6 wide and a little over two high),
  /// with cut marks on the lines between them.
  private static func drawFourUp(_ cards: [ClarityCard], on canvas: PDFCanvas) {
    let sheet = PageSize.a4
    let cellWidth = sheet.width / 2
    let cellHeight = sheet.height / 2
    var index = 0
    while index < cards.count {
      for slot in 0..<4 where index + slot < cards.count {
        let x = Double(slot % 2) * cellWidth + (cellWidth - ClarityCard.size.width) / 2
        let y = Double(slot / 2) * cellHeight + (cellHeight - ClarityCard.size.height) / 2
        canvas.translated(x: x, y: y) { cards[index + slot].draw(on: canvas) }
      }
      drawCutMarks(on: canvas, sheet: sheet)
      canvas.endPage()
      index += 4
    }
  }

  private static func drawCutMarks(on canvas: PDFCanvas, sheet: PageSize) {
    let midX = sheet.width / 2
    let midY = sheet.height / 2
    let mark = 24.0
    // Faint dashed guides along both cuts, solid marks where they meet the paper's edges
    // and a cross in the middle: enough to line up a paper cutter.
    canvas.line(from: (midX, 0), to: (midX, sheet.height), width: 0.3, color: .gray, dash: [3, 3])
    canvas.line(from: (0, midY), to: (sheet.width, midY), width: 0.3, color: .gray, dash: [3, 3])
    for (start, end) in [
      ((midX, 0.0), (midX, mark)), ((midX, sheet.height - mark), (midX, sheet.height)),
      ((0.0, midY), (mark, midY)), ((sheet.width - mark, midY), (sheet.width, midY)),
      ((midX - 8, midY), (midX + 8, midY)), ((midX, midY - 8), (midX, midY + 8)),
    ] {
      canvas.line(from: start, to: end, width: 0.8)
    }
  }
}
