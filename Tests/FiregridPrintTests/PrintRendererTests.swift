import FiregridModel
import FiregridResources
import Foundation
import Testing

@testable import FiregridPrint

/// The PDFs as a clerk would check them: what `pdftotext` reads off each document for a demo
/// household, the fonts `pdffonts` lists, the page size and count `pdfinfo` reports.
@Suite struct PrintRendererTests {
  static let town: TownData = {
    let names = try! JSONDecoder().decode(
      DemoTownGenerator.Names.self, from: ResourceFiles.data(named: "demo-names.json"))
    return DemoTownGenerator(names: names, seed: 11).generate(
      households: 600, today: CivilDate(year: 2026, month: 11, day: 29))
  }()
  static let content = try! PrintContent.bundled()

  /// 龙潭村, the second village of the demo town, and its first grid.
  static var longtan: Village { town.villages.first { $0.name == "龙潭村" }! }
  static var firstGrid: Grid { town.grids(inVillage: longtan.id)[0] }
  static var firstHousehold: Household { town.households(inGrid: firstGrid.id)[0] }

  static func render(
    _ request: PrintRequest, town: TownData = town, content: PrintContent = content
  ) throws -> (URL, Int) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-print-test-\(UUID().uuidString).pdf")
    let pages = try PrintRenderer.render(request, town: town, content: content, to: url)
    return (url, pages)
  }

  @Test func aCardCarriesTheHouseholdAndWhomToCall() throws {
    let household = Self.firstHousehold
    let (url, pages) = try Self.render(.cards(.household(household.id), layout: .a6))
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(pages == 1)
    let info = try Poppler.info(url)
    #expect(info.pages == 1)
    #expect(info.pageSize == "297.638 x 419.528 pts")

    let text = try Poppler.text(url)
    let town = Self.town
    let grid = Self.firstGrid
    let leader = try #require(town.gridLeader(of: grid))
    let visitor = try #require(town.visitor(id: household.visitorID))
    var expected = [
      household.head!.name, household.address, household.number, Self.longtan.name, grid.name,
      leader.name, visitor.name, Self.longtan.liaison, "“敲门行动”明白卡", "三清三关",
      "消防安全要点", "疏散逃生", "我家逃生路线", "火警电话", "119",
    ]
    expected += Self.content.form.items(of: .check).map(\.label)
    // Phone numbers are printed in full: residents must be able to call them.
    expected += [leader.phone, visitor.phone, Self.longtan.liaisonPhone].filter { !$0.isEmpty }
    for piece in expected {
      #expect(Poppler.contains(text, piece), "card lacks \(piece)")
    }
  }

  @Test func cardsAndNoticesNeverPrintIDNumbersOrHealthFlags() throws {
    // The grid whose households have the most flagged (精神障碍, 残疾) members.
    let town = Self.town
    let flaggedGrid = try #require(
      town.grids.max { a, b in
        Self.healthFlagged(town.households(inGrid: a.id))
          < Self.healthFlagged(town.households(inGrid: b.id))
      })
    let households = town.households(inGrid: flaggedGrid.id)
    #expect(Self.healthFlagged(households) > 0, "the demo grid has no flagged member to hide")
    for request in [
      PrintRequest.cards(.grid(flaggedGrid.id), layout: .a6),
      .cards(.grid(flaggedGrid.id), layout: .fourUpA4), .notices(.grid(flaggedGrid.id)),
    ] {
      let (url, _) = try Self.render(request)
      defer { try? FileManager.default.removeItem(at: url) }
      let text = Poppler.squeezed(try Poppler.text(url))
      for person in households.flatMap(\.persons) where !person.idNumber.isEmpty {
        #expect(!text.contains(person.idNumber), "\(request) prints \(person.name)'s ID number")
      }
      for label in ["精神障碍", "残疾", "重点人群"] {
        #expect(!text.contains(label), "\(request) prints \(label)")
      }
    }
  }

  static func healthFlagged(_ households: [Household]) -> Int {
    households.flatMap(\.persons).filter { $0.groups.contains { $0.isHealthData } }.count
  }

  @Test func aVillageBatchIsOneCardPerHouseholdInRosterOrder() throws {
    let village = Self.longtan
    let households = PrintScope.village(village.id).households(in: Self.town)
    // Roster order: the village's grids in order, each grid's households in order.
    let expectedOrder = Self.town.grids(inVillage: village.id).flatMap {
      Self.town.households(inGrid: $0.id)
    }
    #expect(households.map(\.id) == expectedOrder.map(\.id))
    #expect(households.count > 100)

    let request = PrintRequest.cards(.village(village.id), layout: .a6)
    let (url, pages) = try Self.render(request)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(pages == households.count)
    #expect(try PrintRenderer.pageCount(request, town: Self.town) == households.count)
    let info = try Poppler.info(url)
    #expect(info.pages == households.count)
    #expect(info.pageSize == "297.638 x 419.528 pts")
    let pageTexts = try Poppler.text(url).components(separatedBy: "\u{0C}")
    for (index, household) in households.enumerated().prefix(40) {
      #expect(
        Poppler.contains(pageTexts[index], household.address),
        "page \(index + 1) is not \(household.number)")
    }
  }

  @Test func fourCardsToAnA4Sheet() throws {
    let grid = Self.firstGrid
    let households = Self.town.households(inGrid: grid.id)
    let request = PrintRequest.cards(.grid(grid.id), layout: .fourUpA4)
    let (url, pages) = try Self.render(request)
    defer { try? FileManager.default.removeItem(at: url) }
    let sheets = (households.count + 3) / 4
    #expect(pages == sheets)
    #expect(try PrintRenderer.pageCount(request, town: Self.town) == sheets)
    let info = try Poppler.info(url)
    #expect(info.pages == sheets)
    #expect(info.pageSize == "595.276 x 841.89 pts (A4)")
    let first = try Poppler.text(url).components(separatedBy: "\u{0C}")[0]
    for household in households.prefix(4) {
      #expect(Poppler.contains(first, household.address))
    }
  }

  @Test func aNoticeHasTheThirteenPointsAndASignatureLine() throws {
    let household = Self.firstHousehold
    let (url, pages) = try Self.render(.notices(.household(household.id)))
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(pages == 1)
    #expect(try Poppler.info(url).pageSize == "595.276 x 841.89 pts (A4)")
    let text = try Poppler.text(url)
    #expect(Self.content.texts.notice.points.count == 13)
    for (index, point) in Self.content.texts.notice.points.enumerated() {
      #expect(Poppler.contains(text, PrintText.point(index + 1) + point), "point \(index + 1)")
    }
    for piece in [
      "消防安全告知书", household.head!.name + " 户主", "户主签字", "走访人签字", "回执", "三江镇人民政府",
    ] {
      #expect(Poppler.contains(text, piece), "notice lacks \(piece)")
    }
  }

  @Test func aGridsNoticesAreOnePageEach() throws {
    let grid = Self.firstGrid
    let households = Self.town.households(inGrid: grid.id)
    let (url, pages) = try Self.render(.notices(.grid(grid.id)))
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(pages == households.count)
    let pageTexts = try Poppler.text(url).components(separatedBy: "\u{0C}")
    for (index, household) in households.enumerated() {
      #expect(Poppler.contains(pageTexts[index], household.head!.name + " 户主"))
    }
  }

  @Test func nextRoundFormsArePrefilledAndLeaveTheBoxesEmpty() throws {
    let grid = Self.firstGrid
    let households = Self.town.households(inGrid: grid.id)
    let round = "第3轮（12-16至12-31）"
    let (url, pages) = try Self.render(.forms(.grid(grid.id), round: round))
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(pages == households.count)
    let info = try Poppler.info(url)
    #expect(info.pageSize == "595.276 x 841.89 pts (A4)")
    let pageTexts = try Poppler.text(url).components(separatedBy: "\u{0C}")
    let form = Self.content.form
    for (index, household) in households.enumerated() {
      let page = pageTexts[index]
      for piece in [household.head!.name, household.address, household.number, round] {
        #expect(Poppler.contains(page, piece), "form \(index + 1) lacks \(piece)")
      }
      for item in form.sections.flatMap(\.items) {
        #expect(Poppler.contains(page, item.label), "form lacks \(item.label)")
      }
    }
  }

  @Test func blankFormsNameNoHousehold() throws {
    let (url, pages) = try Self.render(.blankForms(copies: 3))
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(pages == 3)
    let text = try Poppler.text(url)
    #expect(Poppler.contains(text, "居民住房消防安全排查表"))
    #expect(Poppler.contains(text, "附件6"))
    #expect(!Poppler.contains(text, Self.firstHousehold.head!.name))
    #expect(throws: PrintError.self) { try Self.render(.blankForms(copies: 0)) }
  }

  @Test func aFilledFormShowsTheVisitAndItsHazard() throws {
    var town = Self.town
    let household = Self.firstHousehold
    let visitor = try #require(town.visitor(id: household.visitorID))
    let date = CivilDate(year: 2026, month: 12, day: 3)
    var answers = Dictionary(
      uniqueKeysWithValues: Self.content.form.sections.flatMap(\.items).map { ($0.id, Answer.yes) })
    answers["ebikeCharging"] = .no
    let visit = Visit(
      id: "\(household.id)-v1", householdID: household.id, date: date, visitorID: visitor.id,
      personsMet: household.head!.name, answers: answers, notes: "户主表示三天内改到院内充电", signed: true,
      formID: Self.content.form.id)
    let hazard = Hazard(
      id: "\(household.id)-z1", householdID: household.id, checkID: "ebikeCharging",
      description: "电动车停放在楼道内充电",
      events: [
        HazardEvent(
          kind: .found, date: date, visitID: visit.id,
          deadline: CivilDate(year: 2026, month: 12, day: 6))
      ])
    town.visitRecords[household.id] = VisitRecord(
      householdID: household.id, visits: [visit], hazards: [hazard])

    let (url, pages) = try Self.render(.filledForms(visitIDs: [visit.id]), town: town)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(pages == 1)
    let text = try Poppler.text(url)
    for piece in [
      household.head!.name, visitor.name, "2026年12月3日", "电动车停放在楼道内充电", "2026-12-06",
      "户主表示三天内改到院内充电", "（已在纸质表上签字）", visit.id, "第2轮",
    ] {
      #expect(Poppler.contains(text, piece), "filled form lacks \(piece)")
    }
    #expect(throws: PrintError.notFound(PrintText.unknownVisit("h999999-v9"))) {
      try Self.render(.filledForms(visitIDs: ["h999999-v9"]), town: town)
    }
  }

  /// After a version 2 of the form became current (dropping 熏制腊肉, adding 燃气报警器), a
  /// visit entered with version 1 still prints version 1's items, one entered with version 2
  /// prints version 2's, and a new blank form is version 2. A visit of a form this program
  /// lacks is not printed on another form.
  @Test func aFilledFormPrintsWithTheFormItsVisitWasEnteredWith() throws {
    // Explicitly version 1 (the shipped current form is version 2), and a made-up version 2.
    let v1 = try #require(Self.content.forms.definition(id: FormRegistry.residentialID, version: 1))
    var v2 = v1
    v2.formVersion = 2
    let hazards = try #require(v2.sections.firstIndex { $0.kind == .hazard })
    v2.sections[hazards].items.removeAll { $0.id == "curingMeat" }
    v2.sections[hazards].items.append(.init(id: "gasAlarm", label: "燃气报警器", deadlineDays: 3))
    let content = try PrintContent(texts: Self.content.texts, forms: FormRegistry([v1, v2]))
    #expect(content.form == v2)

    var town = Self.town
    let household = Self.firstHousehold
    func visit(_ n: Int, _ form: VisitForm) -> Visit {
      Visit(
        id: "\(household.id)-v\(n)", householdID: household.id,
        date: CivilDate(year: 2026, month: 12, day: n), visitorID: household.visitorID,
        personsMet: household.head!.name,
        answers: Dictionary(
          uniqueKeysWithValues: form.sections.flatMap(\.items).map { ($0.id, Answer.yes) }),
        formID: form.formID)
    }
    var unknown = visit(3, v2)
    unknown.formID = "residential-2024@3"
    town.visitRecords[household.id] = VisitRecord(
      householdID: household.id, visits: [visit(1, v1), visit(2, v2), unknown])

    func text(_ request: PrintRequest) throws -> String {
      let (url, _) = try Self.render(request, town: town, content: content)
      defer { try? FileManager.default.removeItem(at: url) }
      return try Poppler.text(url)
    }
    let first = try text(.filledForms(visitIDs: ["\(household.id)-v1"]))
    #expect(Poppler.contains(first, "熏制腊肉"))
    #expect(!Poppler.contains(first, "燃气报警器"))
    let second = try text(.filledForms(visitIDs: ["\(household.id)-v2"]))
    #expect(Poppler.contains(second, "燃气报警器"))
    #expect(!Poppler.contains(second, "熏制腊肉"))
    let blank = try text(.blankForms(copies: 1))
    #expect(Poppler.contains(blank, "燃气报警器") && !Poppler.contains(blank, "熏制腊肉"))

    #expect(
      throws: PrintError.badContent(PrintText.unknownForm(unknown.id, "residential-2024@3"))
    ) {
      try Self.render(.filledForms(visitIDs: [unknown.id]), town: town, content: content)
    }
  }

  /// A return visit's printed form shows its 复查 of the earlier hazard (it was empty), and
  /// the pre-printed form of the next visit lists the hazard still open, to re-inspect.
  @Test func reviewsArePrintedAndOpenHazardsArePrePrintedForTheNextVisit() throws {
    var town = Self.town
    let household = Self.firstHousehold
    let visitor = try #require(town.visitor(id: household.visitorID))
    let answers = Dictionary(
      uniqueKeysWithValues: Self.content.form.sections.flatMap(\.items).map { ($0.id, Answer.yes) })
    func visit(_ n: Int, _ day: Int) -> Visit {
      Visit(
        id: "\(household.id)-v\(n)", householdID: household.id,
        date: CivilDate(year: 2026, month: 12, day: day), visitorID: visitor.id,
        personsMet: household.head!.name, answers: answers, signed: true,
        formID: Self.content.form.id)
    }
    let hazard = Hazard(
      id: "\(household.id)-z1", householdID: household.id, checkID: "wiring",
      description: "厨房电线老化",
      events: [
        HazardEvent(
          kind: .found, date: CivilDate(year: 2026, month: 12, day: 1),
          visitID: "\(household.id)-v1", deadline: CivilDate(year: 2026, month: 12, day: 8)),
        HazardEvent(
          kind: .extended, date: CivilDate(year: 2026, month: 12, day: 9),
          visitID: "\(household.id)-v2", deadline: CivilDate(year: 2026, month: 12, day: 13)),
      ])
    town.visitRecords[household.id] = VisitRecord(
      householdID: household.id, visits: [visit(1, 1), visit(2, 9)], hazards: [hazard])

    let (filled, _) = try Self.render(
      .filledForms(visitIDs: ["\(household.id)-v2"]), town: town)
    defer { try? FileManager.default.removeItem(at: filled) }
    let filledText = try Poppler.text(filled)
    #expect(Poppler.contains(filledText, "复查：厨房电线老化"))
    #expect(Poppler.contains(filledText, HazardEvent.Kind.extended.label))

    let (next, _) = try Self.render(.forms(.household(household.id), round: nil), town: town)
    defer { try? FileManager.default.removeItem(at: next) }
    let nextText = try Poppler.text(next)
    #expect(Poppler.contains(nextText, "待复查：厨房电线老化"))
    #expect(Poppler.contains(nextText, "2026-12-13"))
  }

  /// Cards that will print 未指定 are named before printing; complete cards say nothing.
  @Test func cardsWithoutAVisitorOrLiaisonAreNamedBeforePrinting() throws {
    var town = Self.town
    let grid = Self.firstGrid
    let households = town.households(inGrid: grid.id)
    #expect(
      PrintRenderer.gaps(.cards(.grid(grid.id), layout: .a6), town: town).allSatisfy {
        !$0.contains(PrintText.visitor)
      })
    for index in town.households.indices where town.households[index].id == households[0].id {
      town.households[index].visitorID = nil
    }
    let gaps = PrintRenderer.gaps(.cards(.grid(grid.id), layout: .a6), town: town)
    #expect(
      gaps.contains {
        $0.contains("1 张明白卡没有\(PrintText.visitor)") && $0.contains(households[0].number)
      })
    #expect(PrintRenderer.gaps(.notices(.grid(grid.id)), town: town).isEmpty)
  }

  /// Two households with one 户号 (data from before the rule): never picked silently.
  @Test func aHouseholdNumberTwiceInAVillageIsNeverPickedSilently() throws {
    var town = Self.town
    let first = Self.firstHousehold
    let other = try #require(
      town.households.firstIndex { $0.id != first.id && $0.gridID == first.gridID })
    town.households[other].number = first.number
    #expect(throws: PrintError.self) {
      try PrintScope.resolve("\(Self.longtan.name)/\(first.number)", as: .household, in: town)
    }
    #expect(
      try PrintScope.resolve(first.id, as: .household, in: town) == .household(first.id))
  }

  @Test func everyDocumentEmbedsItsFonts() throws {
    let grid = Self.firstGrid
    for request in [
      PrintRequest.cards(.grid(grid.id), layout: .a6), .cards(.grid(grid.id), layout: .fourUpA4),
      .notices(.grid(grid.id)), .forms(.grid(grid.id), round: nil), .blankForms(copies: 1),
    ] {
      let (url, _) = try Self.render(request)
      defer { try? FileManager.default.removeItem(at: url) }
      let fonts = try Poppler.fonts(url)
      #expect(!fonts.isEmpty, "\(request) lists no font")
      for font in fonts {
        #expect(font.embedded, "\(request): \(font.name) is not embedded")
        #expect(font.name.contains("CJK") || font.name.contains("Hei"), "\(font.name)")
      }
    }
  }

  @Test func nothingIsLeftBehindWhenTheFileCannotBeWritten() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-print-missing-\(UUID().uuidString)")
    let url = folder.appendingPathComponent("cards.pdf")
    #expect(throws: PrintError.self) {
      try PrintRenderer.render(
        .cards(.household(Self.firstHousehold.id), layout: .a6), town: Self.town,
        content: Self.content, to: url)
    }
    #expect(!FileManager.default.fileExists(atPath: folder.path))
  }

  /// Cairo says only "error while writing to output stream"; the clerk reads why, in Chinese.
  @Test func aFileThatCannotBeWrittenSaysWhyInChinese() throws {
    let request = PrintRequest.cards(.household(Self.firstHousehold.id), layout: .a6)
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-print-missing-\(UUID().uuidString)/cards.pdf")
    #expect(throws: PrintError.cannotWrite(path: missing.path, detail: PrintText.folderMissing)) {
      try PrintRenderer.render(request, town: Self.town, content: Self.content, to: missing)
    }

    // A full disk: `render` writes beside the asked name first, and here that file is
    // /dev/full, where every write fails with ENOSPC.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-print-full-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("cards.pdf")
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent(".cards.pdf.\(getpid()).tmp").path,
      withDestinationPath: "/dev/full")
    do {
      try PrintRenderer.render(request, town: Self.town, content: Self.content, to: url)
      Issue.record("a PDF was written to /dev/full")
    } catch {
      #expect(error == .cannotWrite(path: url.path, detail: PrintText.diskFull))
      #expect(error.message == "无法写入 PDF 文件 \(url.path)：磁盘已满，请清理磁盘后重试，或换一个保存位置。")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  @Test(.enabled(if: getuid() != 0, "root writes into a read-only folder all the same"))
  func aReadOnlyFolderSaysSo() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-print-readonly-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o500])
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("cards.pdf")
    #expect(throws: PrintError.cannotWrite(path: url.path, detail: PrintText.permissionDenied)) {
      try PrintRenderer.render(
        .cards(.household(Self.firstHousehold.id), layout: .a6), town: Self.town,
        content: Self.content, to: url)
    }
  }

  @Test func anEmptyGridHasNothingToPrint() throws {
    var town = Self.town
    town.grids.append(Grid(id: "g9999", villageID: Self.longtan.id, name: "第99网格"))
    #expect(throws: PrintError.nothingToPrint(PrintText.emptySelection("龙潭村第99网格"))) {
      try PrintRenderer.pageCount(.notices(.grid("g9999")), town: town)
    }
  }

  @Test func titlesAndFileNamesSayWhatAndForWhom() {
    let grid = Self.firstGrid
    #expect(
      PrintRenderer.suggestedFileName(.cards(.grid(grid.id), layout: .a6), town: Self.town)
        == "明白卡-龙潭村\(grid.name).pdf")
    #expect(PrintRenderer.title(.blankForms(copies: 2), town: Self.town) == "空白排查表")
  }
}
