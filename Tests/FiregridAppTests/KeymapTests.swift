import FiregridModel
import FiregridRepository
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// Key maps drive dispatch: walking every screen and overlay, a key that does something must
/// be in the help of that screen, and every key the help shows must do something. Pure: the
/// state is driven through `update` and drawn with `AppView`; no runner, no disk.
struct KeymapTests {
  /// Every key a clerk might press.
  static let probeKeys: [Key] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/?- ".map { .character($0) }
    + [
      .enter, .escape, .tab, .backTab, .backspace, .delete, .up, .down, .left, .right, .home,
      .end, .pageUp, .pageDown, .function(1), .control("s"),
    ]

  /// Keys that edit text where a component takes text: they need no line of help each.
  static func isTextKey(_ key: Key) -> Bool {
    switch key {
    case .character, .backspace, .delete, .left, .right, .home, .end: return true
    default: return false
    }
  }

  /// A town with visits (so lists have rows, a hazard is due, a history has visits).
  /// A day in the second round, with weekly contacts ended.
  static let today = CivilDate(year: 2026, month: 12, day: 10)

  static func mainState() throws -> AppState {
    var town = ScreenTesting.smallTown()
    let form = AppState.standardVisitForm
    var answers: [String: Answer] = [:]
    // Every tick box 是 / 无隐患 / 已做 (house facts, a choice, left unanswered).
    for section in form.sections where section.kind != .choice {
      for item in section.items { answers[item.id] = .yes }
    }
    answers["vulnerableMet"] = .yes
    answers["clutter"] = .no
    /// A visit that found clutter (杂物堆放), due for 复查 after `days`.
    func visitWithClutter(
      _ householdID: String, on date: String, by visitorID: String, met: String, _ what: String,
      days: Int
    ) throws -> VisitRecord {
      try VisitRules.record(
        VisitEntry(
          householdID: householdID, date: CivilDate(date)!, visitorID: visitorID,
          personsMet: met, answers: answers,
          findings: [.init(checkID: "clutter", description: what, deadlineDays: days)]),
        in: VisitRecord(householdID: householdID), form: form, today: ScreenTesting.today
      ).0
    }
    let record = try visitWithClutter(
      "h000002", on: "2026-11-25", by: "u001", met: "舒建国", "楼梯间堆放柴草", days: 3)
    let second = try visitWithClutter(
      "h000005", on: "2026-11-26", by: "u002", met: "单建国", "灶前堆放柴草", days: 2)
    town.visitRecords = ["h000002": record, "h000005": second]
    town.visitors.append(Visitor(id: "u002", name: "向东", role: .villageCadre))
    town.households[4].visitorID = "u002"
    town.archivedHouseholds = [
      Household(id: "h000098", gridID: "g0001", number: "0098", address: "龙潭村", persons: []),
      Household(id: "h000099", gridID: "g0001", number: "0099", address: "龙潭村", persons: []),
    ]
    // Weekly contacts with risks reported, so 风险信息 has rows; none for the last week, so
    // both grids are missing one (缺联络).
    let campaign = town.campaign(on: today)
    let week = campaign.contactWeeks(endedBy: today).dropLast().last!
    town.contactLogs = [
      "g0001": [
        ContactLog(
          gridID: "g0001", week: week, contacted: true, riskReport: "电线老化", recordedOn: week)
      ],
      "g0002": [
        ContactLog(
          gridID: "g0002", week: week, contacted: true, riskReport: "柴草堆放", recordedOn: week)
      ],
    ]
    // 督查: one village's meeting, two samples (one household checked), a notice issued.
    let households = town.households.prefix(6).map(\.id)
    town.supervision = SupervisionData(
      deployments: [
        VillageDeployment(
          villageID: "v001", linkLeader: "李书记",
          // Held after the deadline: both villages are listed as without a meeting in time.
          meeting: DeploymentMeeting(date: CivilDate(year: 2026, month: 11, day: 25)))
      ],
      samples: [
        SpotCheckSample(
          id: "s1", round: 1, perVillage: 6, seed: 7, drawnOn: today, drawnBy: "测试员",
          householdIDs: households),
        SpotCheckSample(
          id: "s2", round: 2, perVillage: 6, seed: 8, drawnOn: today, drawnBy: "测试员",
          householdIDs: households),
      ],
      spotChecks: [
        SpotCheck(
          id: "\(households[0])-c1", householdID: households[0], sampleID: "s2", round: 2,
          date: today, inspector: "王芳", answers: [SpotCheck.visitConfirmedItem: .no],
          formID: SpotCheck.formID)
      ],
      notices: [
        IssuedNotice(
          id: "n1", kind: .criticism, number: "镇消安办〔2026〕5号", issuedOn: today,
          campaign: campaign.name, round: 1,
          persons: [NoticedPerson(visitorID: "u001", name: "肖煜中", reason: "未走访")])
      ])
    // 场所: a shop inspected with a hazard due, a 多合一 workshop and an office never inspected.
    town.premises = PremisesScreenTests.town().premises
    let business = try #require(AppState.standardForms.current(for: .business))
    var inspection: [String: Answer] = [:]
    for section in business.sections { for item in section.items { inspection[item.id] = .yes } }
    inspection["extinguishers"] = .no
    town.premisesRecords["c00001"] = try VisitRules.record(
      VisitEntry(
        householdID: "c00001", date: CivilDate("2026-11-25")!, visitorID: "u001",
        personsMet: "向红", answers: inspection,
        findings: [.init(checkID: "extinguishers", description: "灭火器过期", deadlineDays: 3)]),
      in: VisitRecord(householdID: "c00001"), form: business, today: today
    ).0
    return AppState(
      town: town, operatorName: "测试员", today: today, size: Size(columns: 80, rows: 24),
      dataPath: "/tmp/firegrid-keymap")
  }

  /// Presses keys, ignoring the effects (nothing is performed).
  static func pressed(_ state: AppState, _ keys: [Key]) -> AppState {
    var state = state
    for key in keys { _ = state.update(.key(key)) }
    return state
  }

  /// The screens to walk: every level of every section and every overlay, each with its
  /// selection off the first row so a move key always moves.
  static func catalogue() throws -> [(String, AppState)] {
    let main = try mainState()
    let j = Key.character("j")
    var list: [(String, AppState)] = [
      ("roster villages", pressed(main, [j])),
      ("roster grids", pressed(main, [.enter, j])),
      ("roster households", pressed(main, [.enter, .enter, j])),
      ("roster household", pressed(main, [.enter, .enter, .enter])),
      ("roster visitors", pressed(main, [.character("V")])),
      ("roster visitor's households", pressed(main, [.character("V"), .enter, j])),
      ("roster vulnerable", pressed(main, [.character("Z")])),
      ("roster archived", pressed(main, [.character("A")])),
      ("roster filter", pressed(main, [.character("f")])),
      ("grid card", pressed(main, [.enter, .character("i")])),
      ("village's premises", pressed(main, [.character("P"), j])),
      ("grid's premises", pressed(main, [.enter, .character("P"), j])),
      ("households' premises", pressed(main, [.enter, .enter, .character("P"), j])),
      ("one premises", pressed(main, [.character("P"), .enter])),
      ("premises filter", pressed(main, [.character("P"), .character("f")])),
      ("premises form", pressed(main, [.character("P"), .character("a")])),
      ("premises move form", pressed(main, [.character("P"), .character("M")])),
      ("premises archive question", pressed(main, [.character("P"), .character("x")])),
      ("inspection form", pressed(main, [.character("P"), .character("n")])),
      ("premises import form", pressed(main, [.character("P"), .character("I")])),
      ("visits premises", pressed(main, [.character("2"), .character("s"), j])),
      ("visits grids", pressed(main, [.character("2"), j])),
      ("visits villages", pressed(main, [.character("2"), .character("v")])),
      ("visits village grids", pressed(main, [.character("2"), .character("v"), .enter, j])),
      ("visits batch", pressed(main, [.character("2"), .enter, j])),
      ("visits pending", pressed(main, [.character("2"), .character("u"), j])),
      ("visits progress", pressed(main, [.character("2"), .character("p")])),
      ("visits contacts", pressed(main, [.character("2"), .character("w")])),
      ("visits risks", pressed(main, [.character("2"), .character("R")])),
      ("hazards due", pressed(main, [.character("3")])),
      ("hazards open", pressed(main, [.character("3"), .character("a")])),
      ("statistics", pressed(main, [.character("4")])),
      ("printing", pressed(main, [.character("5")])),
      ("visit matrix", pressed(main, [.character("2"), .character("x"), j])),
      ("supervision deployments", pressed(main, [.character("6"), j])),
      ("supervision missing meetings", pressed(main, [.character("6"), .character("u"), j])),
      ("meeting form", pressed(main, [.character("6"), .enter])),
      ("supervision quota", pressed(main, [.character("6"), .character("r")])),
      ("supervision samples", pressed(main, [.character("6"), .character("c"), j])),
      ("sample form", pressed(main, [.character("6"), .character("c"), .character("n")])),
      ("sample households", pressed(main, [.character("6"), .character("c"), .enter, j])),
      ("spot-check form", pressed(main, [.character("6"), .character("c"), .enter, j, .enter])),
      ("spot-check view", pressed(main, [.character("6"), .character("c"), .enter, .enter])),
      ("supervision notices", pressed(main, [.character("6"), .character("t"), j])),
      ("deadline form", pressed(main, [.character("6"), .character("t"), .character("d")])),
      ("issue form", pressed(main, [.character("6"), .character("t"), .character("i")])),
      ("help", pressed(main, [.character("?")])),
      ("search", pressed(main, [.character("/"), .character("建")])),
      ("edit form", pressed(main, [.character("a")])),
      ("delete question", pressed(main, [.enter, .enter, .character("x")])),
      ("visit form", pressed(main, [.character("2"), .enter, .enter])),
      ("contact form", pressed(main, [.character("2"), .character("c")])),
      ("hazard form", pressed(main, [.character("3"), .character("r")])),
    ]
    var history = main
    _ = history.receive(.historyLoaded(householdID: "h000002", []))
    list.append(("history", history))
    var premisesHistory = main
    _ = premisesHistory.receive(.premisesHistoryLoaded(premisesID: "c00001", []))
    list.append(("premises history", premisesHistory))
    var damaged = main
    _ = damaged.receive(
      .filesChecked([
        DamagedRecord(
          reference: .household(id: "h000001"), label: "households/h000001.json",
          detail: "第 1 行", repairSource: "2026-11-28"),
        DamagedRecord(
          reference: .household(id: "h000003"), label: "households/h000003.json",
          detail: "第 2 行", repairSource: nil),
      ]))
    list.append(("damaged", pressed(damaged, [j])))
    var report = main
    _ = report.receive(
      .importChecked(
        .rejected(
          problems: ["第 2 行", "第 3 行", "第 4 行"], rowCount: 3, fileName: "名册.csv")))
    list.append(("import report", pressed(report, [j])))
    var printing = main
    printing.printerDetected(canRender: true)
    list.append(("print form", pressed(printing, [.character("5"), .enter])))
    var exporting = main
    exporting.exportDetected(canWrite: true)
    list.append(("export form", pressed(exporting, [.enter, .character("o")])))
    list.append(("report form", pressed(exporting, [.character("4"), .enter])))
    return list
  }

  /// The bindings shown for a state: the help bar's, and the help screen's when F1 opens it.
  static func shownBindings(_ state: AppState) -> [KeyBinding] {
    var bindings = state.barBindings
    if !state.hasOverlay, !state.currentScreenIsTyping {
      bindings += state.screenBindings + AppState.globalKeymap.bindings
    }
    return bindings
  }

  /// Whether a key did anything: an effect asked for, or a different frame.
  static func acts(_ key: Key, on state: AppState) -> Bool {
    var after = state
    let effects = after.update(.key(key))
    let before = AppView.render(state)
    let now = AppView.render(after)
    return !effects.isEmpty || before.0 != now.0 || before.cursor?.x != now.cursor?.x
      || before.cursor?.y != now.cursor?.y
  }

  @Test func everyHandledKeyIsInTheHelpAndEveryShownKeyIsHandled() throws {
    let catalogue = try Self.catalogue()
    #expect(catalogue.count > 25)
    for (name, state) in catalogue {
      let bindings = Self.shownBindings(state)
      let shown = Set(bindings.flatMap(\.keys))
      let takesText = state.overlayTakesText || state.currentScreenIsTyping
      for key in Self.probeKeys where !shown.contains(key) {
        if Self.acts(key, on: state), !(takesText && Self.isTextKey(key)) {
          Issue.record("\(name): \(key) does something but is not in the help")
        }
      }
      // A binding names several keys ("j/k", "1-5"): in a given place some may have nothing
      // to do (k on the first row, 2 in section 2), but one of them must.
      for binding in bindings where binding.keys != [.control("c")] {
        if !binding.keys.contains(where: { Self.acts($0, on: state) }) {
          Issue.record("\(name): the help shows \(binding.keyLabel) but it does nothing")
        }
      }
    }
  }
}

/// A key press returns the effects it asks for; nothing is performed, no disk is touched.
struct KeyEffectTests {
  @Test func qQuitsDAsksForACheckAndCtrlSOnAnEditAsksForTheSave() throws {
    var state = try KeymapTests.mainState()
    #expect(state.update(.key(.character("D"))) == [.checkFiles])
    #expect(state.update(.key(.character("q"))) == [.quit(status: 0)])
    state = KeymapTests.pressed(state, [.enter, .character("e")])  // 龙潭村 → edit 第1网格
    let effects = state.update(.key(.control("s")))
    guard case .applyEdit(let outcome)? = effects.first, effects.count == 1 else {
      Issue.record("expected one roster edit, got \(effects)")
      return
    }
    #expect(outcome.town.grids.first { $0.id == "g0001" }?.name == "第1网格")
  }

  @Test func aSecondChangeWaitsWhileTheFirstIsBeingWritten() throws {
    var state = KeymapTests.pressed(try KeymapTests.mainState(), [.character("a")])
    for character in "新村" { _ = state.update(.key(.character(character))) }
    let first = state.update(.key(.control("s")))
    #expect(first.count == 1)
    // Ctrl-S again before the first is written: held back, the form keeps its text.
    #expect(state.update(.key(.control("s"))).isEmpty)
    #expect(state.messageIsError)
    #expect(state.overlay(EditOverlay.self) != nil)
    // Written: the form closes and the next change may go.
    guard case .applyEdit(let outcome)? = first.first else { return }
    _ = state.receive(.editSaved(outcome))
    _ = state.finished(first[0])
    #expect(!state.hasOverlay)
    #expect(state.town.villages.contains { $0.name == "新村" })
  }

  @Test func afterMidnightTodayIsTheNewDayAndItsBackupIsAsked() throws {
    var state = try KeymapTests.mainState()
    let next = KeymapTests.today.adding(days: 1)
    #expect(state.dayChanged(to: next) == [.takeBackup(next)])
    #expect(state.today == next)
    // A form opened now takes the new day's date as today (no 未来日期 refusal).
    state = KeymapTests.pressed(state, [.character("2"), .enter, .enter])
    #expect(state.overlay(VisitOverlay.self)?.session.dateRange.latest == next)
  }

  @Test func theBackupsProgressIsShownWhileItRuns() throws {
    var state = try KeymapTests.mainState()
    _ = state.dayChanged(to: KeymapTests.today.adding(days: 1))
    _ = state.receive(.backupProgress(JobProgress(done: 3, total: 40)))
    #expect(AppView.render(state).0.textLines[22].contains("正在备份 3/40 个文件"))
    _ = state.finished(.takeBackup(KeymapTests.today.adding(days: 1)))
    #expect(!AppView.render(state).0.textLines[22].contains("正在备份"))
  }
}
