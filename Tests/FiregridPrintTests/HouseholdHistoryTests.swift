import FiregridModel
import Foundation
import Testing

@testable import FiregridPrint

/// 户档案 on paper: a household's members masked, its visits read each with its own form, its
/// hazards with their events.
@Suite struct HouseholdHistoryTests {
  /// Version 2 of the form drops 熏制腊肉 and adds 燃气报警器; the household was visited once
  /// with each version.
  static func setUp() throws -> (TownData, PrintContent, Household) {
    // Explicitly version 1 (the shipped current form is version 2), and a made-up version 2.
    let v1 = try #require(
      PrintRendererTests.content.forms.definition(id: FormRegistry.residentialID, version: 1))
    var v2 = v1
    v2.formVersion = 2
    let hazards = try #require(v2.sections.firstIndex { $0.kind == .hazard })
    v2.sections[hazards].items.removeAll { $0.id == "curingMeat" }
    v2.sections[hazards].items.append(.init(id: "gasAlarm", label: "燃气报警器", deadlineDays: 3))
    let content = try PrintContent(
      texts: PrintRendererTests.content.texts, forms: FormRegistry([v1, v2]))
    var town = PrintRendererTests.town
    let household = PrintRendererTests.firstHousehold
    func visit(_ n: Int, _ form: VisitForm, signed: Bool) -> Visit {
      var answers = Dictionary(
        uniqueKeysWithValues: form.sections.flatMap(\.items).map { ($0.id, Answer.yes) })
      if n == 1 { answers["wiring"] = .no }
      return Visit(
        id: "\(household.id)-v\(n)", householdID: household.id,
        date: CivilDate(year: 2026, month: 12, day: n * 7), visitorID: household.visitorID,
        personsMet: household.head!.name, answers: answers, signed: signed, formID: form.formID)
    }
    let hazard = Hazard(
      id: "\(household.id)-z1", householdID: household.id, checkID: "wiring",
      description: "厨房电线老化",
      events: [
        HazardEvent(
          kind: .found, date: CivilDate(year: 2026, month: 12, day: 7),
          visitID: "\(household.id)-v1", deadline: CivilDate(year: 2026, month: 12, day: 10)),
        HazardEvent(
          kind: .verified, date: CivilDate(year: 2026, month: 12, day: 14),
          visitID: "\(household.id)-v2"),
      ])
    town.visitRecords[household.id] = VisitRecord(
      householdID: household.id, visits: [visit(1, v1, signed: true), visit(2, v2, signed: false)],
      hazards: [hazard])
    return (town, content, household)
  }

  @Test func aHouseholdsFileShowsEachVisitWithItsOwnForm() throws {
    let (town, content, household) = try Self.setUp()
    let request = PrintRequest.householdHistory(.household(household.id))
    let (url, pages) = try PrintRendererTests.render(request, town: town, content: content)
    defer { try? FileManager.default.removeItem(at: url) }
    if let keep = ProcessInfo.processInfo.environment["FIREGRID_KEEP_PDF"] {
      try? FileManager.default.copyItem(at: url, to: URL(fileURLWithPath: keep))
    }
    #expect((1...2).contains(pages))
    #expect(try PrintRenderer.pageCount(request, town: town, content: content) == pages)
    #expect(PrintRenderer.title(request, town: town).hasPrefix("户档案"))
    let text = try Poppler.rawText(url)
    let visitor = try #require(town.visitor(id: household.visitorID))
    for piece in [
      "户档案", household.address, household.head!.name, visitor.name, "熏制腊肉", "燃气报警器",
      "12-07", "12-14", "第1版", "第2版", "\(household.id)-v1", "\(household.id)-v2", "已签", "未签",
      "厨房电线老化", "2026-12-10", HazardEvent.Kind.verified.label, "已销号 2026-12-14",
      "第 1 页 共 \(pages) 页",
    ] {
      #expect(Poppler.contains(text, piece), "the file lacks \(piece)")
    }
    // Members masked: never a whole ID number or phone.
    for person in household.persons {
      #expect(Poppler.contains(text, person.name))
      if !person.idNumber.isEmpty {
        #expect(!Poppler.squeezed(text).contains(person.idNumber))
        #expect(Poppler.contains(text, IDNumber.masked(person.idNumber)))
      }
      if person.phone.count >= 11 {
        #expect(!Poppler.squeezed(text).contains(person.phone))
      }
    }
    for label in ["精神障碍", "残疾"] { #expect(!Poppler.contains(text, label)) }

    // The grid: 熏制腊肉 answered on the first visit only, 燃气报警器 on the second only,
    // 电线 有 (a hazard) on the first and 无 on the second.
    let lookup = RosterLookup(town: town, households: [household])
    let history = HouseholdHistory(
      household: household, facts: lookup.facts(for: household), town: town, forms: content.forms)
    let grid = history.answerGrid(town.visitRecord(of: household.id).visits, name: "")
    func row(_ label: String) throws -> [String] {
      try #require(grid.rows.first { $0.first?.text == label }).map(\.text)
    }
    #expect(try row("熏制腊肉").dropFirst() == ["无", ""])
    #expect(try row("燃气报警器").dropFirst() == ["", "无"])
    let wiring = try #require(content.form.item(id: "wiring")).item.label
    #expect(try row(wiring).dropFirst() == ["有", "无"])
  }

  @Test func aVisitOfAMissingFormIsNamedNotPrintedOnAnotherForm() throws {
    var (town, content, household) = try Self.setUp()
    town.visitRecords[household.id]!.visits[1].formID = "residential-2024@9"
    let (url, _) = try PrintRendererTests.render(
      .householdHistory(.household(household.id)), town: town, content: content)
    defer { try? FileManager.default.removeItem(at: url) }
    let text = try Poppler.rawText(url)
    #expect(Poppler.contains(text, PrintText.formMissing("residential-2024@9")))
    #expect(!Poppler.contains(text, "燃气报警器"), "only version 2 has it, and no visit used it")
  }
}
