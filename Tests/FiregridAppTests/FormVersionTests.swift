import FiregridModel
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// A visit is shown and corrected with the form definition it was entered with, even after a
/// newer version of the paper form became current.
struct FormVersionTests {
  /// Version 2 of the residential form: 熏制腊肉 dropped, a gas alarm item added.
  static func registry() throws -> FormRegistry {
    let first = AppState.standardVisitForm
    var second = first
    second.formVersion = 2
    for index in second.sections.indices {
      second.sections[index].items.removeAll { $0.id == "curingMeat" }
    }
    second.sections[0].items.append(
      VisitForm.Item(id: "gasAlarm", label: "燃气报警器", deadlineDays: 7))
    return try FormRegistry([first, second])
  }

  @Test func aVersionOneVisitIsCorrectedOnVersionOne() throws {
    let forms = try Self.registry()
    let first = try #require(forms.definition(id: FormRegistry.residentialID, version: 1))
    #expect(first.sections.flatMap(\.items).contains { $0.id == "curingMeat" })
    var town = ScreenTesting.smallTown()
    var answers = VisitEntryTests.allClear(first)
    answers["vulnerableMet"] = .yes  // 0002 has an elderly person living alone
    var record = VisitRecord(householdID: "h000002")
    (record, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000002", date: CivilDate("2026-11-25")!, visitorID: "u001",
        personsMet: "舒建国", answers: answers),
      in: record, form: first, today: ScreenTesting.today)
    town.visitRecords = ["h000002": record]
    var state = AppState(
      town: town, operatorName: "测试员", today: ScreenTesting.today,
      size: Size(columns: 80, rows: 24), dataPath: "/tmp/firegrid-forms", forms: forms)
    #expect(state.visitForm.formVersion == 2)
    _ = state.receive(.historyLoaded(householdID: "h000002", []))
    // The history reads the old visit with its own form: its 熏制腊肉 answer is there.
    let history = try #require(state.overlay(HistoryScreen.self))
    #expect(history.lines.contains { $0.text.contains("熏制腊肉") })
    _ = state.update(.key(.character("E")))
    let session = try #require(state.overlay(VisitOverlay.self)?.session)
    #expect(session.definition.formVersion == 1)
    let effects = state.update(.key(.control("s")))
    guard case .saveVisitRecord(let saved, _)? = effects.first else {
      Issue.record(
        "expected the corrected visit to be saved, got \(effects): \(state.message ?? "")")
      return
    }
    #expect(saved.visits.map(\.formID) == [FormRegistry.residentialID])
    #expect(saved.visits.first?.answers["curingMeat"] != nil)
  }
}
