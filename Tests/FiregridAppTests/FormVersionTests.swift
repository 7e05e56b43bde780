import FiregridModel
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// A visit is shown, corrected and printed with the form definition it was entered with, even
/// after a newer version of the paper form became current: the shipped residential form
/// version 2 (消防器材与逃生, 房屋情况, five more hazard checks) beside version 1.
struct FormVersionTests {
  static let shipped = AppState.standardForms
  static func version(_ n: Int) throws -> VisitForm {
    try #require(shipped.definition(id: FormRegistry.residentialID, version: n))
  }

  @Test func theShippedFormsAreVersionOneAndTwoAndNewVisitsUseTwo() throws {
    #expect(Self.shipped.current?.formVersion == 2)
    #expect(AppState.standardVisitForm.formID == "residential-2024@2")
    let v1 = try Self.version(1)
    let v2 = try Self.version(2)
    #expect(v2.sections.map(\.title) == ["三清三关", "隐患排查", "消防器材与逃生", "房屋情况", "宣传措施"])
    #expect(v2.sections.map(\.kind) == [.check, .hazard, .check, .choice, .action])
    // Version 2 keeps every item id of version 1 (a stored answer never changes meaning).
    let ids = Set(v2.sections.flatMap(\.items).map(\.id))
    #expect(v1.sections.flatMap(\.items).allSatisfy { ids.contains($0.id) })
  }

  /// Entered while version 1 was the current form, then opened by a program shipping version
  /// 2: the history reads it with version 1 (no answers for version 2's items, no house
  /// facts), `E` corrects it on version 1 and it stays a version-1 visit; `P` prints the
  /// household's file from it (the renderer picks the definition by the visit's `formID`:
  /// `FormFilesTests.aVersionOneVisitPrintsWithVersionOne`).
  @Test func aVersionOneVisitIsShownCorrectedAndPrintedWithVersionOne() throws {
    let v1 = try Self.version(1)
    let onlyV1 = try FormRegistry([v1])
    let keys: [Key] = [
      VisitEntryTests.sectionY, VisitEntryTests.sectionY, VisitEntryTests.sectionY,
      VisitEntryTests.y, .control("s"),
    ]
    let (_, _, url) = try VisitEntryTests.run(forms: onlyV1) {
      $0.type([.character("2"), .enter, .down, .down, .enter])  // 0003
      $0.type(keys)
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let town = try DataFolder(url: url).load()
    let entered = try #require(town.visitRecord(of: "h000003").visits.first)
    #expect(entered.formID == FormRegistry.residentialID)
    #expect(entered.answers.count == 15)

    var state = AppState(
      town: town, operatorName: "测试员", today: ScreenTesting.today,
      size: Size(columns: 80, rows: 24), dataPath: "/tmp/firegrid-forms", forms: Self.shipped)
    #expect(state.visitForm.formVersion == 2)
    _ = state.receive(.historyLoaded(householdID: "h000003", []))
    let history = try #require(state.overlay(HistoryScreen.self))
    func row(_ label: String) -> String? {
      history.lines.first { $0.text.hasPrefix("  " + label) }?.text
    }
    // Version 2's rows are there (it is current), empty for this visit; version 1's answered.
    let stove = try #require(row("灶台、火塘"))
    // Each visit is a column: a space, then its answer in 5 columns.
    #expect(stove.hasSuffix(" " + String(repeating: " ", count: 5)))
    #expect(try #require(row("通道清")).hasSuffix(" 是   "))
    #expect(try #require(row("熏制腊肉")).hasSuffix(" 无   "))
    #expect(!history.lines.contains { $0.text.contains("房屋结构 ") && $0.text.contains("全部合格") })

    _ = state.update(.key(.character("E")))
    let session = try #require(state.overlay(VisitOverlay.self)?.session)
    #expect(session.definition.formVersion == 1)
    #expect(session.form.fields.contains { $0.id == "curingMeat" })
    #expect(!session.form.fields.contains { $0.id == "structure" || $0.id == "stoveFirewood" })
    let effects = state.update(.key(.control("s")))
    guard case .saveVisitRecord(let saved, _)? = effects.first else {
      Issue.record(
        "expected the corrected visit to be saved, got \(effects): \(state.message ?? "")")
      return
    }
    #expect(saved.visits.map(\.formID) == [FormRegistry.residentialID])
    #expect(saved.visits.first?.answers == entered.answers)
  }

  /// House facts read in their options' words wherever answers are shown.
  @Test func choiceAnswersAreShownWithTheirOptionLabels() throws {
    let v2 = try Self.version(2)
    #expect(v2.answerLabel(.option2, item: "structure") == "砖木")
    #expect(v2.answerLabel(.option4, item: "floors") == "4层及以上")
    #expect(v2.answerLabel(.option9, item: "floors") == "9")
    #expect(v2.answerLabel(.yes, item: "wiring") == "无隐患")
    #expect(v2.answerLabel(.no, item: "passagesClear") == "否")
    #expect(v2.answerLabel(.yes, item: "gone") == "y")

    var answers = VisitEntryTests.allClear(v2)
    answers["structure"] = .option2
    answers["floors"] = .option3
    let (record, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000003", date: CivilDate("2026-11-25")!, visitorID: "u001",
        personsMet: "向建国", answers: answers),
      in: VisitRecord(householdID: "h000003"), form: v2, today: ScreenTesting.today)
    var town = ScreenTesting.smallTown()
    town.visitRecords = ["h000003": record]
    var state = AppState(
      town: town, operatorName: "测试员", today: ScreenTesting.today,
      size: Size(columns: 80, rows: 24), dataPath: "/tmp/firegrid-forms", forms: Self.shipped)
    _ = state.receive(.historyLoaded(householdID: "h000003", []))
    let lines = try #require(state.overlay(HistoryScreen.self)).lines.map(\.text)
    #expect(lines.contains { $0.hasPrefix("  房屋结构") && $0.contains("砖木") })
    #expect(lines.contains { $0.hasPrefix("  层数") && $0.contains("3层") })
    #expect(lines.contains { $0.contains("全部合格  房屋结构 砖木、层数 3层") })
  }
}
