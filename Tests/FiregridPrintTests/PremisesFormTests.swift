import FiregridModel
import FiregridResources
import Foundation
import Testing

@testable import FiregridPrint

/// Premises' forms (附件4 办公场所, 附件5 生产经营性 and 多合一场所) and the residential form's
/// version 2 with its 房屋情况 choices, as `pdftotext` reads them back: blank, pre-filled for
/// the next round, filled from a saved inspection.
@Suite struct PremisesFormTests {
  static let town = PrintRendererTests.town
  static let content = PrintRendererTests.content
  static let office = try! content.form(for: .office)
  static let business = try! content.form(for: .business)
  static let round = "第3轮（12-16至12-31）"

  static var longtan: Village { PrintRendererTests.longtan }
  /// The first 多合一 place of the demo town, and the first plain shop.
  static var mixedUse: Premises { town.premises.first { $0.kind == .mixedUse }! }
  static var shop: Premises {
    town.premises.first { $0.kind == .business && $0.businessKind == .shop }!
  }

  static func text(
    _ request: PrintRequest, town: TownData = town, content: PrintContent = content
  ) throws -> (text: String, pages: Int) {
    let (url, pages) = try PrintRendererTests.render(request, town: town, content: content)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(try Poppler.info(url).pages == pages)
    return (try Poppler.text(url), pages)
  }

  /// Every answer the form asks, good, for the items that apply to `premises`.
  static func allClear(_ form: VisitForm, for premises: Premises) -> [String: Answer] {
    var answers: [String: Answer] = [:]
    for item in form.sections.flatMap(\.items)
    where item.applies(to: premises.kind, business: premises.businessKind) {
      answers[item.id] = .yes
    }
    return answers
  }

  @Test func aBlankOfficeFormListsItsHeaderAndEveryItem() throws {
    let (text, pages) = try Self.text(.blankForms(subject: .office, copies: 2))
    #expect(pages == 2)
    for piece in ["附件4", "办公场所消防安全排查表", "检查人签字", "负责人签字", "检查日期"] {
      #expect(Poppler.contains(text, piece), "blank office form lacks \(piece)")
    }
    for line in Self.office.header {
      #expect(Poppler.contains(text, line.label), "lacks the header line \(line.label)")
    }
    for section in Self.office.sections {
      #expect(Poppler.contains(text, section.title))
      for item in section.items {
        #expect(Poppler.contains(text, item.label), "lacks \(item.label)")
      }
    }
    #expect(!Poppler.contains(text, "户主"))
    #expect(
      PrintRenderer.title(.blankForms(subject: .office, copies: 2), town: Self.town)
        == "空白排查表 办公场所")
  }

  /// A blank 附件5 prints every item, each asked of some premises only marked with whom.
  @Test func aBlankBusinessFormMarksTheMixedUseItems() throws {
    let (text, pages) = try Self.text(.blankForms(subject: .business, copies: 1))
    #expect(pages == 1)
    #expect(Poppler.contains(text, "生产经营性场所消防安全排查表"))
    #expect(Poppler.contains(text, "附件5"))
    for item in Self.business.sections.flatMap(\.items) {
      if item.appliesTo == ["mixedUse"] {
        #expect(Poppler.contains(text, item.label + "〔多合一〕"), "\(item.label) not marked")
      } else {
        #expect(Poppler.contains(text, item.label), "lacks \(item.label)")
      }
    }
    #expect(Poppler.contains(text, "液化气钢瓶、厨房未分隔或管线老化〔餐饮、农家乐、小旅馆、多合一〕"))
    #expect(Poppler.contains(text, "场所类别"))
  }

  /// The next round's form of a 多合一 shop: its header filled (the phone in full), its
  /// 多合一 items, and the hazard still open listed to re-inspect.
  @Test func aPrefilledMixedUseFormCarriesThePlaceAndItsOpenHazard() throws {
    var town = Self.town
    let premises = Self.mixedUse
    let visitor = try #require(town.visitor(id: premises.visitorID))
    let found = CivilDate(year: 2026, month: 12, day: 2)
    let visit = Visit(
      id: "\(premises.id)-v1", householdID: premises.id, date: found, visitorID: visitor.id,
      personsMet: premises.responsiblePerson, answers: Self.allClear(Self.business, for: premises),
      formID: Self.business.formID)
    let hazard = Hazard(
      id: "\(premises.id)-z1", householdID: premises.id, checkID: "fireSeparation",
      description: "楼上住人，与一楼店面未作防火分隔",
      events: [
        HazardEvent(
          kind: .found, date: found, visitID: visit.id,
          deadline: CivilDate(year: 2027, month: 1, day: 1))
      ])
    town.premisesRecords[premises.id] = VisitRecord(
      householdID: premises.id, visits: [visit], hazards: [hazard])

    let (text, pages) = try Self.text(
      .premisesForms(.premises(premises.id), round: Self.round), town: town)
    #expect(pages == 1)
    let kind = "多合一场所（\(premises.businessKind!.label)）"
    for piece in [
      premises.name, premises.responsiblePerson, premises.responsiblePhone, premises.address,
      kind, visitor.name, Self.round, "附件5", "待复查：楼上住人，与一楼店面未作防火分隔", "2027-01-01",
      "住宿人数", "\(premises.sleepers!)",
    ] {
      #expect(Poppler.contains(text, piece), "pre-filled form lacks \(piece)")
    }
    for item in Self.business.sections.flatMap(\.items) {
      #expect(Poppler.contains(text, item.label), "lacks \(item.label)")
    }
    // `.forms` of a premises is the same paper.
    let (same, _) = try Self.text(.forms(.premises(premises.id), round: Self.round), town: town)
    #expect(same == text)
  }

  /// A plain shop is not asked the 多合一 items, nor the kitchen's.
  @Test func aShopsFormLeavesOutWhatDoesNotApply() throws {
    let (text, _) = try Self.text(.premisesForms(.premises(Self.shop.id), round: nil))
    #expect(Poppler.contains(text, Self.shop.name))
    #expect(Poppler.contains(text, "生产经营性场所（商店）"))
    #expect(Poppler.contains(text, "电线未穿管、私拉乱接"))
    #expect(!Poppler.contains(text, "住宿与生产经营部分未防火分隔"))
    #expect(!Poppler.contains(text, "多合一场所"))
    #expect(!Poppler.contains(text, "液化气钢瓶"))
  }

  @Test func aFilledInspectionShowsItsAnswersAndHazard() throws {
    var town = Self.town
    let premises = try #require(
      town.premises.first { $0.kind == .office && $0.name.hasSuffix("村部") })
    let visitor = try #require(town.visitor(id: premises.visitorID))
    let date = CivilDate(year: 2026, month: 12, day: 3)
    var answers = Self.allClear(Self.office, for: premises)
    answers["extinguishers"] = .no
    answers["drillHeld"] = .no
    let visit = Visit(
      id: "\(premises.id)-v1", householdID: premises.id, date: date, visitorID: visitor.id,
      personsMet: premises.responsiblePerson, answers: answers, notes: "已要求一周内更换灭火器",
      signed: true, formID: Self.office.formID)
    let hazard = Hazard(
      id: "\(premises.id)-z1", householdID: premises.id, checkID: "extinguishers",
      description: "二楼走廊灭火器压力不足",
      events: [
        HazardEvent(
          kind: .found, date: date, visitID: visit.id,
          deadline: CivilDate(year: 2026, month: 12, day: 10))
      ])
    town.premisesRecords[premises.id] = VisitRecord(
      householdID: premises.id, visits: [visit], hazards: [hazard])

    let request = PrintRequest.filledForms(visitIDs: [visit.id])
    let (text, pages) = try Self.text(request, town: town)
    #expect(pages == 1)
    for piece in [
      "办公场所消防安全排查表", premises.name, premises.responsiblePhone, visitor.name,
      "2026年12月3日", "二楼走廊灭火器压力不足", "2026-12-10", "已要求一周内更换灭火器",
      "（已在纸质表上签字）", "据检查记录\(visit.id)打印", "第2轮",
    ] {
      #expect(Poppler.contains(text, piece), "filled inspection lacks \(piece)")
    }
    #expect(PrintRenderer.title(request, town: town) == "排查表存档 \(premises.name)")
    // The boxes ticked are the answers': the page differs from the same paper all clear.
    var clear = town
    clear.premisesRecords[premises.id]?.visits[0].answers = Self.allClear(
      Self.office, for: premises)
    #expect(try Self.pixels(request, town: town) != Self.pixels(request, town: clear))
  }

  /// The page as an image, for what pdftotext cannot read: which boxes are ticked.
  static func pixels(
    _ request: PrintRequest, town: TownData, content: PrintContent = content
  ) throws -> Data {
    let (url, _) = try PrintRendererTests.render(request, town: town, content: content)
    defer { try? FileManager.default.removeItem(at: url) }
    let image = url.deletingPathExtension()
    _ = try Poppler.run("pdftoppm", ["-r", "40", "-gray", "-singlefile", url.path, image.path])
    let file = image.appendingPathExtension("pgm")
    defer { try? FileManager.default.removeItem(at: file) }
    return try Data(contentsOf: file)
  }

  /// `form` as version 2 with a 房屋情况 choice section (房屋结构, 层数) before its last, as
  /// the residential form's version 2 has.
  /// The shipped residential form's two versions: 1 without 房屋情况, 2 with it.
  static func residential(_ version: Int) throws -> VisitForm {
    try #require(content.forms.definition(id: FormRegistry.residentialID, version: version))
  }

  /// Version 2 of the residential form adds 房屋情况 (a choice section): a visit entered with
  /// it prints its options with the chosen one ticked, a version 1 visit still prints version
  /// 1 without them, and a blank form is version 2.
  @Test func theResidentialFormsVersionTwoPrintsItsChoices() throws {
    let v1 = try Self.residential(1)
    let v2 = try Self.residential(2)
    let content = try PrintContent(
      texts: Self.content.texts,
      forms: FormRegistry([v1, v2, Self.office, Self.business]))
    var town = Self.town
    let household = PrintRendererTests.firstHousehold
    func visit(_ n: Int, _ form: VisitForm, structure: Answer?) -> Visit {
      var answers = Dictionary(
        uniqueKeysWithValues: form.sections.filter { $0.kind != .choice }.flatMap(\.items).filter {
          $0.onlyForVulnerable != true
        }.map {
          ($0.id, Answer.yes)
        })
      if form.formVersion == 2 {
        answers["structure"] = structure
        answers["floors"] = .option2
      }
      return Visit(
        id: "\(household.id)-v\(n)", householdID: household.id,
        date: CivilDate(year: 2026, month: 12, day: n), visitorID: household.visitorID,
        personsMet: household.head!.name, answers: answers, formID: form.formID)
    }
    town.visitRecords[household.id] = VisitRecord(
      householdID: household.id,
      visits: [visit(1, v1, structure: nil), visit(2, v2, structure: .option2)])

    let (old, _) = try Self.text(
      .filledForms(visitIDs: ["\(household.id)-v1"]), town: town, content: content)
    #expect(!Poppler.contains(old, "房屋情况") && !Poppler.contains(old, "砖混"))
    let request = PrintRequest.filledForms(visitIDs: ["\(household.id)-v2"])
    let (new, pages) = try Self.text(request, town: town, content: content)
    #expect(pages == 1)
    for piece in ["房屋情况", "房屋结构", "木", "砖木", "砖混", "4层及以上", household.head!.name] {
      #expect(Poppler.contains(new, piece), "v2 visit lacks \(piece)")
    }
    let (blank, _) = try Self.text(.blankForms(copies: 1), town: town, content: content)
    #expect(Poppler.contains(blank, "房屋结构"))

    // The option ticked is the visit's: 砖木 and 砖混 print differently, as does no answer.
    var other = town
    other.visitRecords[household.id]?.visits[1].answers["structure"] = .option3
    var none = town
    none.visitRecords[household.id]?.visits[1].answers["structure"] = nil
    let ticked = try Self.pixels(request, town: town, content: content)
    #expect(ticked != (try Self.pixels(request, town: other, content: content)))
    #expect(ticked != (try Self.pixels(request, town: none, content: content)))
    #expect(FormPage.tickedOption(v2.item(id: "structure")!.item, .option2) == 1)
    #expect(FormPage.tickedOption(v2.item(id: "structure")!.item, .yes) == nil)
  }

  /// A village's premises, each on its own form, in roster order; one kind only on asking.
  @Test func aVillagesPremisesFormsAreOnePageEachInRosterOrder() throws {
    let village = Self.longtan
    let premises = PrintScope.village(village.id).premises(in: Self.town)
    let offices = premises.filter { $0.kind == .office }
    #expect(premises.count >= 10 && !offices.isEmpty)
    let request = PrintRequest.premisesForms(.village(village.id), round: Self.round)
    #expect(try PrintRenderer.pageCount(request, town: Self.town) == premises.count)
    let (text, pages) = try Self.text(request)
    #expect(pages == premises.count)
    let pageTexts = text.components(separatedBy: "\u{0C}")
    for (index, place) in premises.enumerated() {
      #expect(Poppler.contains(pageTexts[index], place.name), "page \(index + 1)")
      let title = place.kind == .office ? "办公场所消防安全排查表" : "生产经营性场所消防安全排查表"
      #expect(Poppler.contains(pageTexts[index], title))
      #expect(Poppler.contains(pageTexts[index], "第 \(index + 1) 页，共 \(premises.count) 页"))
    }
    let officesOnly = PrintRequest.premisesForms(
      .village(village.id), subject: .office, round: nil)
    #expect(try PrintRenderer.pageCount(officesOnly, town: Self.town) == offices.count)
    #expect(
      PrintRenderer.title(officesOnly, town: Self.town) == "场所排查表 \(village.name) 办公场所")
    #expect(
      PrintRenderer.suggestedFileName(request, town: Self.town)
        == "场所排查表-\(village.name).pdf")
  }

  @Test func premisesAreNamedAsTheClerkWritesThem() throws {
    let town = Self.town
    let premises = Self.shop
    let grid = try #require(town.grid(id: premises.gridID))
    let village = try #require(town.village(id: grid.villageID))
    #expect(
      try PrintScope.resolve("\(village.name)/\(premises.name)", as: .premises, in: town)
        == .premises(premises.id))
    #expect(
      try PrintScope.resolve(
        "\(village.name)／\(grid.name)/\(premises.name)", as: .premises, in: town)
        == .premises(premises.id))
    #expect(try PrintScope.resolve(premises.id, as: .premises, in: town) == .premises(premises.id))
    #expect(PrintScope.premises(premises.id).label(in: town) == village.name + premises.name)
    let office = try #require(town.premises(inVillage: village.id).first)
    #expect(PrintScope.premises(office.id).label(in: town) == office.name)

    let names = town.premises(inVillage: village.id).map(\.name)
    do {
      _ = try PrintScope.resolve("\(village.name)/不存在的店", as: .premises, in: town)
      Issue.record("an unknown premises was resolved")
    } catch {
      #expect(error.message.hasPrefix("\(village.name)没有名为“不存在的店”的场所。\(village.name)的场所有："))
      #expect(error.message.contains(names[0]))
    }
    #expect(throws: PrintError.self) {
      try PrintScope.resolve("不存在村/\(premises.name)", as: .premises, in: town)
    }
  }

  @Test func whatIsNotForPremisesIsRefusedInChinese() throws {
    let town = Self.town
    let shop = Self.shop
    let label = PrintScope.premises(shop.id).label(in: town)
    #expect(throws: PrintError.badRequest(PrintText.notForPremises(label))) {
      try PrintRenderer.pageCount(.cards(.premises(shop.id), layout: .a6), town: town)
    }
    #expect(throws: PrintError.badRequest(PrintText.notForPremises(label))) {
      try PrintRenderer.pageCount(.householdHistory(.premises(shop.id)), town: town)
    }
    let household = PrintRendererTests.firstHousehold
    #expect(throws: PrintError.self) {
      try PrintRenderer.pageCount(.premisesForms(.household(household.id), round: nil), town: town)
    }
    #expect(
      throws: PrintError.badRequest(PrintText.wrongForm(label, "生产经营性场所（商店）", "办公场所"))
    ) {
      try PrintRenderer.pageCount(
        .premisesForms(.premises(shop.id), subject: .office, round: nil), town: town)
    }
    #expect(throws: PrintError.notFound(PrintText.unknownPremisesID("c99999"))) {
      try PrintRenderer.pageCount(.premisesForms(.premises("c99999"), round: nil), town: town)
    }
    var empty = town
    empty.grids.append(Grid(id: "g9999", villageID: Self.longtan.id, name: "第99网格"))
    #expect(throws: PrintError.nothingToPrint(PrintText.noPremises("龙潭村第99网格", nil))) {
      try PrintRenderer.pageCount(.premisesForms(.grid("g9999"), round: nil), town: empty)
    }
  }

  @Test func premisesFormsEmbedTheirFonts() throws {
    let (url, _) = try PrintRendererTests.render(
      .premisesForms(.premises(Self.mixedUse.id), round: nil))
    defer { try? FileManager.default.removeItem(at: url) }
    let fonts = try Poppler.fonts(url)
    #expect(!fonts.isEmpty)
    for font in fonts { #expect(font.embedded, "\(font.name) is not embedded") }
  }
}
