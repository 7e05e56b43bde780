import FiregridModel
import FiregridRepository
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// 督查 (section 6) by keystrokes on the small town, checked in the files the store wrote:
/// a deployment meeting, a sample drawn from a typed seed, a spot check that contradicts a
/// visit, the notices drafted and issued, and the next round escalating to 约谈.
@Suite(.serialized)
struct SupervisionScreenTests {
  /// 2026-12-20: rounds 1 (11-20…11-30) and 2 (12-01…12-15) are over, round 3 runs.
  static let today = CivilDate(year: 2026, month: 12, day: 20)
  static let clock = TownStore.Clock(
    today: { "2026-12-20" }, now: { "2026-12-20T10:00:00+08:00" })

  /// The small town with 0001 visited by 肖煜中 on 12-03 (round 2), all clear.
  static func town() throws -> TownData {
    var town = ScreenTesting.smallTown()
    let form = AppState.standardVisitForm
    var answers: [String: Answer] = [:]
    // Every tick box 是 / 无隐患 / 已做 (house facts, a choice, left unanswered).
    for section in form.sections where section.kind != .choice {
      for item in section.items { answers[item.id] = .yes }
    }
    let (record, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000001", date: CivilDate("2026-12-03")!, visitorID: "u001",
        personsMet: "邹建国", answers: answers),
      in: VisitRecord(householdID: "h000001"), form: form, today: today)
    town.visitRecords = ["h000001": record]
    return town
  }

  /// Runs `script` on the town in a fresh folder; returns the terminal and the folder.
  static func run(_ town: TownData, _ script: (VirtualTerminal) -> Void) throws -> (
    VirtualTerminal, URL
  ) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-supervision-\(UUID().uuidString)")
    let folder = DataFolder(url: url)
    try folder.create(town)
    let store = try TownStore.open(folder: folder, operatorName: "督查员", clock: clock)
    var state = AppState(
      town: town, operatorName: "督查员", today: today, size: Size(columns: 80, rows: 24),
      dataPath: url.path)
    AppRunner.present(store, in: &state)
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    script(terminal)
    AppRunner(state: state, terminal: terminal, folder: folder, store: store, clock: clock).run()
    return (terminal, url)
  }

  @Test func aVillagesMeetingIsEnteredAndTheOtherVillageStaysListedAsMissing() throws {
    let (terminal, url) = try Self.run(try Self.town()) {
      $0.type([.character("6")])
      $0.type([.enter])  // 龙潭村
      $0.type("李书记")
      $0.type([.tab])
      $0.type("11-18")
      $0.type([.tab])
      $0.type("村部会议室")
      $0.type([.tab])
      $0.type("李书记")
      $0.type([.tab])
      $0.type("向红梅、肖煜中 舒志强")
      $0.type([.tab, .tab])  // the liaison offered is the village's grid worker
      $0.type("向红梅")
      $0.type([.tab])
      $0.type("明确每名走访人包保户")
      $0.type([.control("s")])
      $0.type([.character("u")])  // only villages without a meeting by 11-19
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let saved = try DataFolder(url: url).load().supervision
    let deployment = try #require(saved.deployment(ofVillage: "v001"))
    #expect(deployment.linkLeader == "李书记")
    #expect(deployment.meeting?.date == CivilDate(year: 2026, month: 11, day: 18))
    #expect(deployment.meeting?.attendees == ["向红梅", "肖煜中", "舒志强"])
    #expect(deployment.meeting?.liaison == "向红梅")
    #expect(deployment.meeting?.notes == "明确每名走访人包保户")
    let screen = terminal.screenText
    #expect(screen.contains("截至11-19未召开部署会的村"))
    #expect(screen.contains("江口村"))
    #expect(!screen.contains("龙潭村"))
    // The change is in the audit log under the operator.
    let audit = try String(contentsOf: url.appendingPathComponent("audit.log"), encoding: .utf8)
    #expect(audit.contains("deployment/v001"))
    #expect(audit.contains("督查员"))
  }

  @Test func aMeetingWithoutItsDateIsRefusedWithTheReason() throws {
    let (terminal, url) = try Self.run(try Self.town()) {
      $0.type([.character("6"), .enter, .tab, .tab])
      $0.type("村部")
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains(SupervisionScreenText.meetingDateRequired))
    #expect(try DataFolder(url: url).load().supervision.deployments.isEmpty)
  }

  @Test func aSampleFromATypedSeedIsTheModelsDrawAndItsSpotCheckFlagsTheVisit() throws {
    let town = try Self.town()
    let (terminal, url) = try Self.run(town) {
      $0.type([.character("6"), .character("c"), .character("n")])
      $0.type([.left])  // round 3 is offered (the working round); round 2 is checked
      $0.type([.tab, .backspace])
      $0.type("16")  // every household of 龙潭村
      $0.type([.tab, .tab])  // no premises asked for
      $0.type("20261220")
      $0.type([.control("s")])
      $0.type([.enter])  // the sample's households
      $0.type([.character("f")])
      $0.type("0001")
      $0.type([.enter, .enter])  // the spot-check form of 0001
      $0.type("纪委王芳")
      $0.type([.tab])
      $0.type("nyyyy")  // 住户说本轮没人来过; notice, card, 三清三关, 119 fine
      $0.type("yyyyyy")  // no hazard the visit missed
      $0.type([.control("s")])
      $0.type([.enter])  // the spot check against the records
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let saved = try DataFolder(url: url).load().supervision
    let sample = try #require(saved.samples.first)
    #expect(sample.seed == 20_261_220)
    #expect(sample.round == 2)
    #expect(sample.drawnBy == "督查员")
    #expect(sample.premisesIDs.isEmpty && sample.premisesPerVillage == 0)
    #expect(
      sample.householdIDs
        == SpotCheckSampling.draw(round: 2, perVillage: 16, seed: 20_261_220, town: town))
    let check = try #require(saved.spotChecks.first)
    #expect(check.householdID == "h000001")
    #expect(check.inspector == "纪委王芳")
    #expect(check.answers[SpotCheck.visitConfirmedItem] == .no)
    #expect(check.recordedVisitIDs == ["h000001-v1"])
    let screen = terminal.screenText
    #expect(screen.contains("记录却有走访（h000001-v1）：记在 肖煜中 名下"))
    #expect(screen.contains("本轮各周微信电话联络"))
  }

  @Test func premisesAskedForAreDrawnBesideTheHouseholdsAndOpenTheirFile() throws {
    var town = try Self.town()
    town.premises = [
      Premises(
        id: "c00001", gridID: "g0001", name: "龙潭村村部", kind: .office, visitorID: "u001"),
      Premises(
        id: "c00002", gridID: "g0001", name: "向记百货", kind: .mixedUse, businessKind: .shop,
        peopleSleep: true, sleepers: 3, visitorID: "u001"),
      Premises(
        id: "c00003", gridID: "g0002", name: "舒家作坊", kind: .business,
        businessKind: .workshop, visitorID: "u001"),
    ]
    let (terminal, url) = try Self.run(town) {
      $0.type([.character("6"), .character("c"), .character("n")])
      $0.type([.left, .tab, .backspace])
      $0.type("2")
      $0.type([.tab])
      $0.type("2")  // two premises a village
      $0.type([.tab])
      $0.type("7")
      $0.type([.control("s")])
      $0.type([.enter])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let sample = try #require(try DataFolder(url: url).load().supervision.samples.first)
    #expect(sample.premisesPerVillage == 2)
    #expect(
      sample.premisesIDs
        == SpotCheckSampling.drawPremises(round: 2, perVillage: 2, seed: 7, town: town))
    #expect(sample.premisesIDs.count == 2)
    let rows = terminal.screenText.split(separator: "\n")
    for id in sample.premisesIDs {
      let name = try #require(town.premises(id: id)).name
      #expect(rows.contains { $0.contains("场所") && $0.contains(name) }, "\(name)")
    }
  }

  @Test func theHouseholdsHistoryListsItsSpotChecksAndTheirAuditLines() throws {
    var town = try Self.town()
    town.supervision.spotChecks = [
      SpotCheck(
        id: "h000001-c1", householdID: "h000001", round: 2, date: Self.today, inspector: "纪委王芳",
        answers: [SpotCheck.visitConfirmedItem: .no], formID: SpotCheck.formID,
        recordedVisitIDs: ["h000001-v1"])
    ]
    var state = AppState(
      town: town, operatorName: "督查员", today: Self.today, size: Size(columns: 80, rows: 24),
      dataPath: "/tmp/firegrid-supervision")
    _ = state.receive(
      .historyLoaded(
        householdID: "h000001",
        [
          HistoryEntry(
            sequence: 9, time: "2026-12-20T10:00:00+08:00", operatorName: "督查员",
            change: AuditChange(
              record: "spotcheck/h000001-c1", field: "*", before: nil, after: "{}"))
        ]))
    let lines = try #require(state.overlay(HistoryScreen.self)).lines
    let text = lines.map(\.text)
    #expect(text.contains("入户抽查（1 次）"))
    #expect(text.contains { $0.contains("2026-12-20  第2轮  督查 纪委王芳  住户称本轮无人上门") })
    #expect(text.contains { $0.contains("督查员  录入抽查 h000001-c1") })
  }

  @Test func theNoticesEscalateOnceTheFirstListIsIssued() throws {
    let (terminal, url) = try Self.run(try Self.town()) {
      $0.type([.character("6"), .character("t")])  // round 2, the last one over
      $0.type([.character("[")])  // round 1: nobody visited, 肖煜中 is behind
      $0.type([.character("i")])
      $0.type([.tab])
      $0.type("镇消安办〔2026〕5号")
      $0.type([.control("s")])
      $0.type([.character("]")])  // round 2: behind again, after a notice
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let saved = try DataFolder(url: url).load().supervision
    let notice = try #require(saved.notices.first)
    #expect(notice.kind == .criticism)
    #expect(notice.number == "镇消安办〔2026〕5号")
    #expect(notice.round == 1)
    #expect(notice.issuedOn == Self.today)
    #expect(notice.persons.contains { $0.visitorID == "u001" && $0.name == "肖煜中" })
    let rows = terminal.screenText.split(separator: "\n")
    #expect(rows.contains { $0.contains("约谈") && $0.contains("肖煜中") })
    #expect(rows.contains { $0.contains("已发通报批评") && $0.contains("镇消安办〔2026〕5号") })
  }

  @Test func aRoundStillRunningHasNoListsYet() throws {
    var state = AppState(
      town: try Self.town(), operatorName: "督查员", today: Self.today,
      size: Size(columns: 80, rows: 24), dataPath: "/tmp/firegrid-supervision")
    for key: Key in [.character("6"), .character("t"), .character("]")] {
      _ = state.update(.key(key))
    }
    let screen = AppView.render(state).0.textLines.joined(separator: "\n")
    #expect(screen.contains("第3轮（12-16至12-31）到 2026-12-31 才到期"))
    #expect(!screen.contains("约谈 "))
    // Nothing to write or record for it.
    #expect(state.update(.key(.character("i"))).isEmpty)
    #expect(!state.hasOverlay)
    #expect(state.messageIsError)
  }

  @Test func theQuotaCountsPastRoundsAndMonthsAndTheMatrixNamesWhoVisitedWhen() throws {
    var state = AppState(
      town: try Self.town(), operatorName: "督查员", today: Self.today,
      size: Size(columns: 80, rows: 24), dataPath: "/tmp/firegrid-supervision")
    func press(_ keys: [Key]) { for key in keys { _ = state.update(.key(key)) } }
    func row(_ name: String) -> String {
      AppView.render(state).0.textLines.first { $0.contains(name) } ?? ""
    }
    press([.character("6"), .character("r")])  // round 3: nobody visited yet
    #expect(AppView.render(state).0.textLines.joined().contains("第3轮"))
    #expect(
      row("肖煜中").split(separator: " ").prefix(7) == ["肖煜中", "镇干部", "16", "1", "0", "16", "0"])
    press([.character("[")])  // round 2: 0001 visited on 12-03
    #expect(
      row("肖煜中").split(separator: " ").prefix(7) == ["肖煜中", "镇干部", "16", "1", "1", "15", "1"])
    press([.character("m")])  // December: two visits a household, 0001 has one
    #expect(
      row("肖煜中").split(separator: " ").prefix(7) == ["肖煜中", "镇干部", "16", "2", "0", "16", "1"])
    press([.enter])
    let matrix = AppView.render(state).0.textLines
    #expect(matrix.contains { $0.contains("0001") && $0.contains("肖03") })
    #expect(matrix.joined().contains("12上"))
  }
}
