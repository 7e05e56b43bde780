import FiregridModel
import FiregridRepository
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// The campaign's screens on the small town with a known visit record, compared with the
/// expected screens in `Screens/`.
@Suite(.serialized)
struct CampaignScreenTests {
  let folder = DataFolder(url: URL(fileURLWithPath: "/tmp/firegrid-test-never-written"))

  /// 0001 visited 11-22 (all clear), 0002 visited 11-25 with a clutter hazard, 3 days.
  static func state() throws -> AppState {
    var town = ScreenTesting.smallTown()
    let form = AppState.standardVisitForm
    var answers: [String: Answer] = [:]
    // Every tick box 是 / 无隐患 / 已做 (house facts, a choice, left unanswered).
    for section in form.sections where section.kind != .choice {
      for item in section.items { answers[item.id] = .yes }
    }
    answers["vulnerableMet"] = nil
    var first = VisitRecord(householdID: "h000001")
    var withVulnerable = answers
    withVulnerable["vulnerableMet"] = .yes
    (first, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000001", date: CivilDate("2026-11-22")!, visitorID: "u001",
        personsMet: "邹建国", answers: withVulnerable),
      in: first, form: form, today: ScreenTesting.today)
    var second = VisitRecord(householdID: "h000002")
    answers["clutter"] = .no
    withVulnerable = answers
    withVulnerable["vulnerableMet"] = .yes
    (second, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000002", date: CivilDate("2026-11-25")!, visitorID: "u001",
        personsMet: "舒建国", answers: withVulnerable,
        findings: [.init(checkID: "clutter", description: "楼梯间堆放柴草", deadlineDays: 3)]),
      in: second, form: form, today: ScreenTesting.today)
    town.visitRecords = ["h000001": first, "h000002": second]
    return AppState(
      town: town, operatorName: "测试员", today: ScreenTesting.today,
      size: Size(columns: 80, rows: 24), dataPath: "/tmp/firegrid-test")
  }

  @Test func gridsWithTheirRoundStatus() throws {
    let (_, terminal, _) = ScreenTesting.run(try Self.state(), folder: folder) {
      $0.type([.character("2")])
    }
    ScreenTesting.expectScreen(terminal, "visits-grids")
  }

  @Test func batchScreenOfOneGrid() throws {
    let (_, terminal, _) = ScreenTesting.run(try Self.state(), folder: folder) {
      $0.type([.character("2"), .enter])
    }
    ScreenTesting.expectScreen(terminal, "visits-batch")
  }

  @Test func theVisitFormFollowsThePaper() throws {
    let (_, terminal, _) = ScreenTesting.run(try Self.state(), folder: folder) {
      $0.type([.character("2"), .enter, .down, .down, .enter])
    }
    ScreenTesting.expectScreen(terminal, "visit-form")
  }

  @Test func theFormSaysWhenTheHouseholdWasVisitedThisRound() throws {
    let (_, terminal, _) = ScreenTesting.run(try Self.state(), folder: folder) {
      $0.type([.character("2"), .enter, .enter])  // 0001, visited 11-22
    }
    #expect(terminal.screenText.contains("户主 邹建国（本轮 11-22 已访）"))
  }

  @Test func pendingHouseholdsVulnerableFirst() throws {
    let (runner, terminal, _) = ScreenTesting.run(try Self.state(), folder: folder) {
      $0.type([.character("2"), .character("u")])
    }
    ScreenTesting.expectScreen(terminal, "visits-pending")
    // 14 households not visited in round 1; none of them vulnerable (0001 and 0002 were).
    #expect(runner.state.visits.current.rowIDs.count == 14)
  }

  @Test func villagesSummaryThenOneVillagesGrids() throws {
    let (_, terminal, _) = ScreenTesting.run(try Self.state(), folder: folder) {
      $0.type([.character("2"), .character("v")])
    }
    ScreenTesting.expectScreen(terminal, "visits-villages")
    let (runner, _, _) = ScreenTesting.run(try Self.state(), folder: folder) {
      $0.type([.character("2"), .character("v"), .enter])
    }
    #expect(runner.state.visits.current.level == .villageGrids(villageID: "v001"))
    #expect(runner.state.visits.current.rowIDs == ["g0001", "g0002"])
  }

  /// From the roster (after a search, say) `h` opens a household's history too.
  @Test func historyFromTheRoster() throws {
    let (runner, terminal, _) = ScreenTesting.run(try Self.state(), folder: folder) {
      $0.type([.enter, .enter, .down, .character("h")])  // 龙潭村 → 第1网格 → 0002
    }
    guard let history = runner.state.overlay(HistoryScreen.self) else {
      Issue.record("no history: \(String(describing: runner.state.overlay))")
      return
    }
    #expect(history.householdID == "h000002")
    #expect(terminal.screenText.contains("户档案  龙潭村 第1网格 0002号"))
  }

  @Test func hazardsDueAndOverdue() throws {
    let (_, terminal, _) = ScreenTesting.run(try Self.state(), folder: folder) {
      $0.type([.character("3")])
    }
    ScreenTesting.expectScreen(terminal, "hazards-due")
  }

  @Test func householdHistoryMasksUntilAsked() throws {
    let state = try Self.state()
    var history = HistoryScreen(
      householdID: "h000002",
      auditEntries: [
        HistoryEntry(
          sequence: 1, time: "2026-11-25T09:30:00+08:00", operatorName: "王文书",
          change: AuditChange(record: "visit/h000002-v1", field: "*", before: nil, after: "{}")),
        HistoryEntry(
          sequence: 2, time: "2026-11-26T09:30:00+08:00", operatorName: "王文书",
          change: AuditChange(
            record: "household/h000002", field: "persons[p0000003].phone", before: "13907450001",
            after: "13907450009")),
      ], context: state.workContext)
    let text = history.lines.map(\.text).joined(separator: "\n")
    #expect(text.contains("户档案  龙潭村 第1网格 0002号  户主 舒建国"))
    #expect(text.contains("杂物堆放       有"))
    #expect(text.contains("杂物堆放：楼梯间堆放柴草  发现 11-25  限 11-28  逾期"))
    #expect(text.contains("2026-11-25 09:30  王文书  录入走访 h000002-v1"))
    #expect(text.contains("修改 persons[p0000003].phone（内容已隐藏）"))
    #expect(!text.contains("13907450009"))
    #expect(!text.contains(ScreenTesting.idNumber("19560412", "011")))
    history.toggleReveal(context: state.workContext)
    let revealed = history.lines.map(\.text).joined(separator: "\n")
    #expect(revealed.contains("13907450001 → 13907450009"))
    #expect(revealed.contains(ScreenTesting.idNumber("19560412", "011")))
  }
}

/// The global keys still work in the campaign sections: sections by Tab and digits, quit.
struct CampaignSectionKeysTests {
  let folder = DataFolder(url: URL(fileURLWithPath: "/tmp/firegrid-test-never-written"))

  @Test func tabDigitsAndQuitFromTheCampaignSections() {
    let (tabbed, _, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("2"), .tab, .tab])
    }
    #expect(tabbed.state.section.rawValue == 3)
    let (back, _, _) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("3"), .backTab, .character("5")])
    }
    #expect(back.state.section.rawValue == 4)
    // `q` leaves at once (nothing typed is unsaved): the "4" after it is never read.
    let (quit, _, status) = ScreenTesting.run(ScreenTesting.mainState(), folder: folder) {
      $0.type([.character("3"), .character("q"), .character("4")])
    }
    #expect(status == 0)
    #expect(quit.state.section.rawValue == 2)
  }
}
