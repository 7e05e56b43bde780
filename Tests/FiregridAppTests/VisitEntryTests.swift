import FiregridModel
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// Paper forms (附件6) typed in by keys, checked in the files the store wrote.
@Suite(.serialized)
struct VisitEntryTests {
  static let clock = TownStore.Clock(
    today: { "2026-11-29" }, now: { "2026-11-29T10:00:00+08:00" })

  /// Runs `script` on the small town in a fresh folder (optionally with visit records already
  /// in it, and optionally other form definitions than the bundled ones); returns the runner,
  /// the terminal and the folder.
  static func run(
    records: [VisitRecord] = [], town adjust: (inout TownData) -> Void = { _ in },
    forms: FormRegistry? = nil, _ script: (VirtualTerminal) -> Void
  ) throws -> (AppRunner, VirtualTerminal, URL) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-visit-\(UUID().uuidString)")
    let folder = DataFolder(url: url)
    var town = ScreenTesting.smallTown()
    for record in records { town.visitRecords[record.householdID] = record }
    adjust(&town)
    try folder.create(town)
    let store = try TownStore.open(folder: folder, operatorName: "测试员", clock: clock)
    var state =
      forms.map {
        AppState(
          town: ScreenTesting.smallTown(), operatorName: "测试员", today: ScreenTesting.today,
          size: Size(columns: 80, rows: 24), dataPath: "/tmp/firegrid-test", forms: $0)
      } ?? ScreenTesting.mainState()
    AppRunner.present(store, in: &state)
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    script(terminal)
    let runner = AppRunner(
      state: state, terminal: terminal, folder: folder, store: store, clock: clock)
    runner.run()
    return (runner, terminal, url)
  }

  static func record(_ url: URL, _ householdID: String) throws -> VisitRecord {
    try DataFolder(url: url).load().visitRecord(of: householdID)
  }

  /// Every item a household with no vulnerable member is asked, answered 是 / 无隐患 / 已做,
  /// and a choice (房屋结构, 层数) with its first option.
  static func allClear(_ form: VisitForm) -> [String: Answer] {
    var answers: [String: Answer] = [:]
    for section in form.sections {
      for item in section.items where item.onlyForVulnerable != true {
        answers[item.id] =
          section.kind == .choice
          ? item.options?.first.flatMap { Answer(rawValue: $0.key) } : .yes
      }
    }
    return answers
  }

  static let y = Key.character("y")
  static let n = Key.character("n")
  static let dash = Key.character("-")
  /// `Y`: the rest of the section answered y.
  static let sectionY = Key.character("Y")
  /// An all-clear first visit on the residential form version 2: `Y` for 三清三关, 隐患排查 and
  /// 消防器材与逃生, a digit each for 房屋结构 (1 木) and 层数 (2 2层), `Y` for 宣传措施, `y` for
  /// the signature, Ctrl-S.
  static let allClearKeys: [Key] = [
    sectionY, sectionY, sectionY, .character("1"), .character("2"), sectionY, y, .control("s"),
  ]
  /// The same for a household whose last visit gave the house facts: they are offered, and
  /// their section is passed.
  static let allClearCarriedKeys: [Key] = [
    sectionY, sectionY, sectionY, sectionY, y, .control("s"),
  ]

  /// 敲门走访 → 龙潭村 第1网格 → 0001: the form of a household with a vulnerable member.
  static let openFirstForm: [Key] = [.character("2"), .enter, .enter]

  @Test func aFullPaperFormIsSavedAsTypedAndTheNextFormCarriesDateAndVisitor() throws {
    let (runner, _, url) = try Self.run {
      $0.type(Self.openFirstForm)
      // Header: back up to the date and type the paper's short date.
      $0.type([.up, .up, .up, .control("u")])
      $0.type("11-25")
      $0.type([.down, .down, .control("u")])
      $0.type("邹建国、舒桂英")
      $0.type([.down])
      // 三清三关: 通道清 是, 阳台清 是, 厨房清 否, 关电源 是, 关气源 不适用, 关门窗 是.
      $0.type([Self.y, Self.y, Self.n, Self.y, Self.dash, Self.y])
      // 电气线路 有隐患: description, keep the default 7 days.
      $0.type([Self.n])
      $0.type("厨房电线私拉乱接")
      $0.type([.enter, .enter])
      // 燃气 无, 杂物堆放 有 (3 days → 2), 取暖 无, 熏制腊肉 不适用, 电动车充电 无, 灶台柴草 无,
      // 余火 无, 火柴 不适用, 香烛 无, 卧床吸烟 无.
      $0.type([Self.y, Self.n])
      $0.type("楼梯间堆放柴草")
      $0.type([.enter, .control("u")])
      $0.type("2")
      $0.type([.enter, Self.y, Self.dash, Self.y, Self.y, Self.y, Self.dash, Self.y, Self.y])
      // 消防器材与逃生: 灭火器 是, 报警器 否, 第二出口 是, 逃生口 是, 仅自住 是.
      $0.type([Self.y, Self.n, Self.y, Self.y, Self.y])
      // 房屋情况: 砖混 (3), 2层 (2).
      $0.type([.character("3"), .character("2")])
      // 宣传措施: 告知书 是, 明白卡 是, 119 否, 重点人群当面走访 是; 户主签字 是; 备注.
      $0.type([Self.y, Self.y, Self.n, Self.y, Self.y])
      $0.type("配偶代签")
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let record = try Self.record(url, "h000001")
    let visit = try #require(record.visits.first)
    #expect(record.visits.count == 1)
    #expect(visit.date == CivilDate("2026-11-25"))
    #expect(visit.visitorID == "u001")
    #expect(visit.personsMet == "邹建国、舒桂英")
    #expect(
      visit.answers == [
        "passagesClear": .yes, "balconyClear": .yes, "kitchenClear": .no, "powerOff": .yes,
        "gasOff": .notApplicable, "doorsWindowsShut": .yes, "wiring": .no, "gas": .yes,
        "clutter": .no, "heating": .yes, "curingMeat": .notApplicable, "ebikeCharging": .yes,
        "stoveFirewood": .yes, "embersLeft": .yes, "matchesReach": .notApplicable,
        "incenseCandles": .yes, "smokingInBed": .yes, "extinguisherAtHome": .yes,
        "smokeAlarmAtHome": .no, "secondExit": .yes, "barsHaveOpening": .yes, "homeOnly": .yes,
        "structure": .option3, "floors": .option2, "noticeDelivered": .yes, "cardPosted": .yes,
        "escapeExplained": .no, "vulnerableMet": .yes,
      ])
    #expect(visit.signed)
    #expect(visit.notes == "配偶代签")
    #expect(visit.formID == "residential-2024@2")
    #expect(record.hazards.map(\.checkID) == ["wiring", "clutter"])
    #expect(record.hazards.map(\.description) == ["厨房电线私拉乱接", "楼梯间堆放柴草"])
    #expect(record.hazards.map(\.deadline.description) == ["2026-12-02", "2026-11-27"])
    #expect(record.hazards[1].state(on: ScreenTesting.today) == .overdue)

    // Ctrl-S opened the next household's form with the date and visitor carried forward.
    guard let next = runner.state.overlay(VisitOverlay.self)?.session else {
      Issue.record("the next form did not open")
      return
    }
    #expect(next.householdID == "h000002")
    #expect(next.form.value(VisitSession.dateField) == "2026-11-25")
    #expect(next.form.value(VisitSession.visitorField) == "肖煜中")
    #expect(next.form.focusedFieldID == "passagesClear")
    #expect(runner.state.carry == VisitCarry(date: CivilDate("2026-11-25"), visitorID: "u001"))
  }

  /// The README states these numbers: an all-clear first visit on the residential form
  /// version 2, date and visitor carried, is 8 keystrokes after the form opens (`Y` per
  /// section, two digits for the house facts, `y` for the signature, Ctrl-S), vulnerable member
  /// or not.
  @Test func anAllClearFirstVisitTakesEightKeys() throws {
    #expect(Self.allClearKeys.count == 8)
    let (_, _, url) = try Self.run {
      $0.type([.character("2"), .enter, .down, .down, .enter])  // 0003
      $0.type(Self.allClearKeys)
      $0.type([.escape, .up, .up, .enter])  // 0002: an elderly person living alone
      $0.type(Self.allClearKeys)
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let record = try Self.record(url, "h000003")
    let visit = try #require(record.visits.first)
    #expect(visit.isAllClear)
    #expect(visit.formID == "residential-2024@2")
    // 6 + 11 + 5 + 2 + 3: no vulnerable member, no 4th measure.
    #expect(visit.answers.count == 27)
    #expect(visit.answers["structure"] == .option1)
    #expect(visit.answers["floors"] == .option2)
    #expect(visit.signed)
    #expect(visit.date == ScreenTesting.today)
    #expect(record.hazards.isEmpty)
    let vulnerable = try #require(try Self.record(url, "h000002").visits.first)
    #expect(vulnerable.answers.count == 28)
    #expect(vulnerable.answers["vulnerableMet"] == .yes)
  }

  /// A household with an earlier version-2 visit: the house facts are offered as that visit
  /// gave them and their section is passed, so an all-clear visit is 6 keystrokes.
  @Test func anAllClearReturnVisitTakesSixKeys() throws {
    let form = AppState.standardVisitForm
    var answers = Self.allClear(form)
    answers["structure"] = .option2
    answers["floors"] = .option3
    let (earlier, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000003", date: CivilDate("2026-11-21")!, visitorID: "u001",
        personsMet: "向建国", answers: answers),
      in: VisitRecord(householdID: "h000003"), form: form, today: ScreenTesting.today)
    #expect(Self.allClearCarriedKeys.count == 6)
    let (_, _, url) = try Self.run(records: [earlier]) {
      $0.type([.character("2"), .enter, .down, .down, .enter])  // 0003
      $0.type(Self.allClearCarriedKeys)
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let visits = try Self.record(url, "h000003").visits
    #expect(visits.count == 2)
    let visit = try #require(visits.last)
    #expect(visit.date == ScreenTesting.today)
    #expect(visit.isAllClear && visit.signed)
    #expect(visit.answers.count == 27)
    #expect(visit.answers["structure"] == .option2)
    #expect(visit.answers["floors"] == .option3)
  }

  /// Two hazards that are the first items of 隐患排查 cost 3 keys each (`n`, Enter after the
  /// description, Enter to keep the days) besides their descriptions: 8 + 6 keys. A hazard
  /// further down costs one key more per item before it (a `y` each).
  @Test func hazardsCostThreeKeysEachPlusTheirDescriptions() throws {
    let wiring = "厨房电线老化"
    let gas = "钢瓶倒置"
    let sectionY = Self.sectionY
    let keys: [Key] = [sectionY, Self.n, .enter, .enter, Self.n, .enter, .enter]
    let rest: [Key] = [sectionY, sectionY, .character("1"), .character("2"), sectionY, Self.y]
    #expect(keys.count + rest.count + 1 == 8 + 2 * 3)
    let (_, _, url) = try Self.run {
      $0.type([.character("2"), .enter, .down, .down, .enter])  // 0003
      $0.type(Array(keys[0...1]))
      $0.type(wiring)
      $0.type(Array(keys[2...4]))
      $0.type(gas)
      $0.type(Array(keys[5...6]))
      $0.type(rest + [.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let record = try Self.record(url, "h000003")
    #expect(record.visits.count == 1)
    #expect(record.hazards.map(\.checkID) == ["wiring", "gas"])
    #expect(record.hazards.map(\.description) == [wiring, gas])
    #expect(record.visits.first?.answers.filter { $0.value == .no }.count == 2)

    // 杂物堆放, the third item: `y y` before it, then as above.
    let further: [Key] = [sectionY, Self.y, Self.y, Self.n, .enter, .enter] + rest
    #expect(further.count + 1 == 8 + 3 + 2)
    let (_, _, furtherURL) = try Self.run {
      $0.type([.character("2"), .enter, .down, .down, .enter])
      $0.type(Array(further[0...3]))
      $0.type("楼道堆柴")
      $0.type(Array(further[4...]) + [.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: furtherURL) }
    #expect(try Self.record(furtherURL, "h000003").hazards.map(\.checkID) == ["clutter"])
  }

  @Test func aMissingAnswerIsNamedAndNothingIsSaved() throws {
    let (runner, terminal, url) = try Self.run {
      $0.type(Self.openFirstForm)
      $0.type([Self.y, Self.y, .control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(try Self.record(url, "h000001").visits.isEmpty)
    guard let session = runner.state.overlay(VisitOverlay.self)?.session else {
      Issue.record("the form closed")
      return
    }
    #expect(session.form.focusedFieldID == "kitchenClear")
    #expect(terminal.screenText.contains(VisitText.answerRequired))
  }

  /// 备注 and a hazard's description keep long text whole (they were cut at 40 and 30
  /// characters without a word); a key past 200 is refused aloud.
  @Test func longNotesAndDescriptionsAreSavedWhole() throws {
    let description = String(repeating: "电线老化", count: 15)  // 60 characters
    let notes = String(repeating: "户主外出务工由配偶代签", count: 10)  // 110 characters
    let (_, _, url) = try Self.run {
      $0.type(Self.openFirstForm)
      $0.type([Self.sectionY, Self.n])
      $0.type(description)
      $0.type([.enter, .enter])
      $0.type([Self.sectionY, Self.sectionY, .character("1"), .character("2"), Self.sectionY])
      $0.type([Self.y])
      $0.type(notes)
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let record = try Self.record(url, "h000001")
    #expect(record.visits.first?.notes == notes)
    #expect(record.hazards.first?.description == description)
  }

  /// A short date is this campaign's (never last winter's): 12-05 typed on 2026-11-29 is
  /// 2026-12-05, later than today, and refused in Chinese; the form stays.
  @Test func aFutureDateIsRefusedInChinese() throws {
    let (runner, terminal, url) = try Self.run {
      $0.type(Self.openFirstForm)
      $0.type([.up, .up, .up, .control("u")])
      $0.type("12-05")
      $0.type([.down])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("日期不能晚于今天（2026-11-29）"))
    guard let session = runner.state.overlay(VisitOverlay.self)?.session else {
      Issue.record("the form closed")
      return
    }
    #expect(session.form.value("date") == "12-05")
  }

  /// One parser for every date field, inside the campaign: short dates never take another
  /// year, dates before the campaign or after today are refused with the range.
  @Test func datesBelongToTheCampaign() {
    let campaign = Campaign.winter(startingIn: 2026)
    let onDecember10 = TypedDate.Range.visit(in: campaign, today: CivilDate("2026-12-10")!)
    func parse(_ text: String) -> (date: CivilDate?, error: String?) {
      VisitDates.parse(text, in: onDecember10)
    }
    #expect(parse("12-03").date == CivilDate("2026-12-03"))
    #expect(parse("1203").date == CivilDate("2026-12-03"))
    #expect(parse("12.3").date == CivilDate("2026-12-03"))
    #expect(parse("12-25").error == "日期不能晚于今天（2026-12-10）")
    #expect(parse("2024-12-05").error?.contains("不能早于 2026-11-20") == true)
    #expect(parse("2026-11-19").error?.contains("不能早于 2026-11-20") == true)
    #expect(parse("13-40").error == "日期格式不对，应如 2026-12-03 或 12-03")
    // In January a short December date is still this winter's December.
    let inJanuary = TypedDate.Range.visit(in: campaign, today: CivilDate("2027-01-05")!)
    #expect(VisitDates.parse("12-20", in: inJanuary).date == CivilDate("2026-12-20"))
    #expect(VisitDates.parse("0103", in: inJanuary).date == CivilDate("2027-01-03"))
    // A new deadline takes the same short form (the extension form refused it before).
    let deadline = TypedDate.Range.deadline(from: CivilDate("2026-12-10")!, in: campaign)
    #expect(VisitDates.parse("12-20", in: deadline).date == CivilDate("2026-12-20"))
    #expect(VisitDates.parse("12-01", in: deadline).error == "日期不能早于 2026-12-10")
  }

  /// A hazard found on 11-20 with 3 days is overdue on 11-29; 隐患整改 lists it, `n` opens the
  /// household's form with a 复查 row, and `y` there closes it.
  @Test func reinspectionFromTheHazardListClosesTheHazard() throws {
    var answers = Self.allClear(AppState.standardVisitForm)
    answers["clutter"] = .no
    let (found, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000003", date: CivilDate("2026-11-20")!, visitorID: "u001",
        personsMet: "向建国", answers: answers,
        findings: [.init(checkID: "clutter", description: "楼道堆柴", deadlineDays: 3)]),
      in: VisitRecord(householdID: "h000003"), form: AppState.standardVisitForm,
      today: ScreenTesting.today)
    let (runner, terminal, url) = try Self.run(records: [found]) {
      $0.type([.character("3")])
      $0.type([.character("n")])
      $0.type([Self.sectionY, Self.sectionY])  // 三清三关 and the hazard checks
      $0.type([Self.y])  // 复查 杂物堆放: 已整改 (Y has no answer for a 复查: each is read)
      // 消防器材与逃生; the house facts are the last visit's; 宣传措施; signature.
      $0.type([Self.sectionY, Self.sectionY, Self.y, .control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let record = try Self.record(url, "h000003")
    #expect(record.visits.count == 2)
    #expect(record.hazards[0].events.map(\.kind) == [.found, .verified])
    #expect(record.hazards[0].events.last?.visitID == record.visits.last?.id)
    #expect(record.hazards[0].state(on: ScreenTesting.today) == .closed)
    _ = runner
    _ = terminal
  }

  @Test func undoTakesBackTheVisitJustSaved() throws {
    let (runner, _, url) = try Self.run {
      $0.type([.character("2"), .enter, .down, .down, .enter])
      $0.type(Self.allClearKeys + [.escape])
      $0.type([.character("U"), .character("y")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(try Self.record(url, "h000003").visits.isEmpty)
    #expect(runner.state.message == VisitText.undone("h000003-v1"))
    let audit = try AuditLog.entries(folder: url).map(\.change)
    #expect(audit.contains { $0.record == "visit/h000003-v1" && $0.after == nil })
  }

  /// A paper typed wrong and noticed later: the history's `X` takes back the latest visit.
  @Test func theHistoryTakesBackTheLatestVisitOfAHousehold() throws {
    let (runner, _, url) = try Self.run {
      $0.type([.character("2"), .enter, .down, .down, .enter])
      $0.type(Self.allClearKeys + [.escape])
      $0.type([.up, .character("h")])  // the selection moved to 0004; back to 0003
      $0.type([.character("X"), .character("y")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(try Self.record(url, "h000003").visits.isEmpty)
    #expect(runner.state.message == VisitText.undone("h000003-v1"))
  }

  /// `E` in the history opens the latest visit as it was typed — answers, findings, 复查 —
  /// and saves the corrected paper in its place.
  @Test func correctingTheLatestVisitFromTheHistory() throws {
    let form = AppState.standardVisitForm
    let answers = Self.allClear(form)
    var found = answers
    found["clutter"] = .no
    var record = VisitRecord(householdID: "h000003")
    (record, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000003", date: CivilDate("2026-11-20")!, visitorID: "u001",
        personsMet: "向建国", answers: found,
        findings: [.init(checkID: "clutter", description: "楼道堆柴", deadlineDays: 3)]),
      in: record, form: form, today: ScreenTesting.today)
    var typoed = answers
    typoed["kitchenClear"] = .no  // the clerk's slip: the paper says 是
    (record, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000003", date: CivilDate("2026-11-24")!, visitorID: "u001",
        personsMet: "向建国", answers: typoed,
        reviews: [.init(hazardID: "h000003-z1", outcome: .extended(days: 4))], notes: "已提醒"),
      in: record, form: form, today: ScreenTesting.today)
    let (runner, _, url) = try Self.run(records: [record]) {
      // E asks which visit (the newest is offered first): Enter takes it.
      $0.type([.character("2"), .enter, .down, .down, .character("h"), .character("E"), .enter])
      $0.type([.down, .down, Self.y])  // 通道清 → 厨房清: 是
      $0.type([.control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }

    // The older visit found the hazard the newer one re-inspected: E on it says which visit
    // to deal with first, and nothing changes.
    let (refused, terminal, refusedURL) = try Self.run(records: [record]) {
      $0.type([.character("2"), .enter, .down, .down, .character("h"), .character("E")])
      $0.type([.right, .enter])
    }
    defer { try? FileManager.default.removeItem(at: refusedURL) }
    #expect(terminal.screenText.contains("已在 2026-11-24 的走访（h000003-v2）中复查"))
    guard refused.state.overlay(HistoryScreen.self) != nil else {
      Issue.record("not back in the history")
      return
    }
    let saved = try Self.record(url, "h000003")
    #expect(saved.visits.count == 2)
    let corrected = try #require(saved.visits.last)
    #expect(corrected.id == "h000003-v2")
    #expect(corrected.answers["kitchenClear"] == .yes)
    #expect(corrected.answers.filter { $0.value != .yes && !$0.value.isOption }.isEmpty)
    #expect(corrected.notes == "已提醒")
    #expect(corrected.date == CivilDate("2026-11-24"))
    // The 复查 was carried into the form and saved again: extended by 4 days.
    #expect(saved.hazards[0].events.map(\.kind) == [.found, .extended])
    #expect(saved.hazards[0].deadline == CivilDate("2026-11-28"))
    #expect(!runner.state.hasOverlay)
    let audit = try AuditLog.entries(folder: url).map { "\($0.change.record) \($0.change.field)" }
    #expect(audit.contains("visit/h000003-v2 *"))
  }

  /// A full disk when the visit is saved: the message says so, the form stays with every
  /// answer, and Ctrl-S again saves once there is room.
  @Test func aFullDiskKeepsTheFormAndTheAnswers() throws {
    final class FillingDisk: FileSystem, @unchecked Sendable {
      var full = false
      func writeAtomically(_ data: Data, to url: URL) throws(StoreError) {
        if full { throw StoreError.diskFull(path: url.path) }
        try AtomicFile.write(data, to: url)
      }
      func makeFolder(_ url: URL) throws(StoreError) { try AtomicFile.makeFolder(url) }
      // A save's first write is its journal record: that is where a full disk stops it.
      func faultPoint(_ step: String) throws(StoreError) {
        if full { throw StoreError.diskFull(path: "journal") }
      }
    }
    let disk = FillingDisk()
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-visit-full-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    try DataFolder(url: url).create(ScreenTesting.smallTown())
    let folder = DataFolder(url: url, fileSystem: disk)
    let store = try TownStore.open(folder: folder, operatorName: "测试员", clock: Self.clock)
    var state = ScreenTesting.mainState()
    AppRunner.present(store, in: &state)
    disk.full = true
    let terminal = VirtualTerminal(size: Size(columns: 80, rows: 24))
    terminal.type([.character("2"), .enter, .down, .down, .enter])
    terminal.type(Self.allClearKeys)
    let runner = AppRunner(
      state: state, terminal: terminal, folder: folder, store: store, clock: Self.clock)
    runner.run()
    #expect(terminal.screenText.contains("磁盘已满"))
    guard let session = runner.state.overlay(VisitOverlay.self)?.session else {
      Issue.record("the form closed")
      return
    }
    #expect(session.householdID == "h000003")
    #expect(session.form.value("ebikeCharging") == "y")
    #expect(runner.state.hasUnsavedChanges)
    #expect(try DataFolder(url: url).load().visitRecords["h000003"] == nil)
    store.close()
  }

  @Test func weeklyContactIsLoggedForTheGrid() throws {
    let (runner, terminal, url) = try Self.run {
      $0.type([.character("2"), .character("c")])
      $0.type([Self.y])
      $0.type("独居老人用火盆")
      $0.type([.control("s"), .character("R")])
    }
    // The risk report is listed for the office to follow up.
    #expect(runner.state.visits.current.level == .risks)
    #expect(terminal.screenText.contains("龙潭村       第1网格    11-16 邹建国   独居老人用火盆"))
    defer { try? FileManager.default.removeItem(at: url) }
    let logs = try DataFolder(url: url).load().contactLogs["g0001"] ?? []
    #expect(logs.count == 1)
    #expect(logs.first?.week == CivilDate("2026-11-16"))
    #expect(logs.first?.contacted == true)
    #expect(logs.first?.riskReport == "独居老人用火盆")
  }

  /// `c` on a week that already holds an entry starts from it and says what it holds;
  /// changing it asks, showing before → after; `n` goes back to the form, `y` saves.
  @Test func aRecordedWeekIsShownAndChangingItIsConfirmed() throws {
    let recordWeek: [Key] = [.character("2"), .character("c"), Self.y]
    let (runner, terminal, url) = try Self.run {
      $0.type(recordWeek)
      $0.type("独居老人用火盆")
      $0.type([.control("s")])
      // The same week again: the form holds what was recorded.
      $0.type([.character("c")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("本周已记：已联络，风险信息:独居老人用火盆"))
    guard let session = runner.state.overlay(CampaignFormOverlay.self)?.session else {
      Issue.record("the contact form did not open")
      return
    }
    #expect(session.form.value("contacted") == "y")
    #expect(session.form.value("risk") == "独居老人用火盆")

    // Change it (not contacted, no risk): the question shows both.
    let (_, asked, askedURL) = try Self.run {
      $0.type(recordWeek)
      $0.type("独居老人用火盆")
      $0.type([.control("s"), .character("c"), Self.n, .control("u"), .control("s")])
    }
    defer { try? FileManager.default.removeItem(at: askedURL) }
    #expect(asked.screenText.contains("原记录：已联络，风险信息:独居老人用火盆"))
    #expect(asked.screenText.contains("改为：未联络，风险信息:无"))

    // n goes back to the form and saves nothing; Ctrl-S and y save the change.
    let (kept, _, keptURL) = try Self.run {
      $0.type(recordWeek)
      $0.type("独居老人用火盆")
      $0.type([.control("s"), .character("c"), Self.n, .control("u"), .control("s"), Self.n])
    }
    defer { try? FileManager.default.removeItem(at: keptURL) }
    guard kept.state.overlay(CampaignFormOverlay.self) != nil else {
      Issue.record("n did not go back to the form")
      return
    }
    #expect(try DataFolder(url: keptURL).load().contactLogs["g0001"]?.first?.contacted == true)
    let (_, _, changedURL) = try Self.run {
      $0.type(recordWeek)
      $0.type("独居老人用火盆")
      $0.type([
        .control("s"), .character("c"), Self.n, .control("u"), .control("s"), Self.n,
        .control("s"), Self.y,
      ])
    }
    defer { try? FileManager.default.removeItem(at: changedURL) }
    let logs = try DataFolder(url: changedURL).load().contactLogs["g0001"] ?? []
    #expect(logs.count == 1)
    #expect(logs.first?.contacted == false)
    #expect(logs.first?.riskReport == "")
  }

  /// Grid 2's households belong to a second visitor, 王建华.
  static func secondVisitor(_ town: inout TownData) {
    town.visitors.append(
      Visitor(id: "u002", name: "王建华", role: .villageCadre, phone: "13807450001"))
    for index in town.households.indices where town.households[index].gridID == "g0002" {
      town.households[index].visitorID = "u002"
    }
  }

  /// 1 of the trust issue: after a form of 肖煜中's grid, a household of 王建华's is offered
  /// 王建华, never the carried visitor.
  @Test func theFormOffersTheHouseholdsOwnVisitorNotTheCarriedOne() throws {
    let (runner, _, url) = try Self.run(town: Self.secondVisitor) {
      $0.type(Self.openFirstForm)
      $0.type(Self.allClearKeys)
      // The next form (grid 1) opened; leave it, go to grid 2, open its first household.
      $0.type([.escape, .escape, .down, .enter, .enter])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(try Self.record(url, "h000001").visits.first?.visitorID == "u001")
    guard let session = runner.state.overlay(VisitOverlay.self)?.session else {
      Issue.record("grid 2's form did not open")
      return
    }
    #expect(session.gridID == "g0002")
    #expect(session.form.value("visitor") == "王建华")
  }

  /// Choosing someone else than the household's visitor asks once (代访); `n` goes back to the
  /// visitor, `y` saves the visit as a stand-in, and the history says so.
  @Test func anotherVisitorIsAConfirmedStandIn() throws {
    let openGrid2: [Key] = [.character("2"), .down, .enter, .enter]
    let chooseXiao: [Key] = [.up, .up, .left, .down, .down]
    let answers = Self.allClearKeys
    let (asked, terminal, askedURL) = try Self.run(town: Self.secondVisitor) {
      $0.type(openGrid2 + chooseXiao + answers)
    }
    defer { try? FileManager.default.removeItem(at: askedURL) }
    #expect(terminal.screenText.contains("肖煜中 不负责此户，此户的走访人是 王建华"))
    guard asked.state.overlay(ConfirmOverlay.self) != nil else {
      Issue.record("no stand-in question")
      return
    }
    #expect(try Self.record(askedURL, "h000012").visits.isEmpty)

    let (back, _, backURL) = try Self.run(town: Self.secondVisitor) {
      $0.type(openGrid2 + chooseXiao + answers + [Self.n])
    }
    defer { try? FileManager.default.removeItem(at: backURL) }
    guard let session = back.state.overlay(VisitOverlay.self)?.session else {
      Issue.record("n did not go back to the form")
      return
    }
    #expect(session.form.focusedFieldID == "visitor")

    let (_, _, url) = try Self.run(town: Self.secondVisitor) {
      $0.type(openGrid2 + chooseXiao + answers + [Self.y])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let visit = try #require(try Self.record(url, "h000012").visits.first)
    #expect(visit.visitorID == "u001")
    #expect(visit.standInFor == "u002")
  }

  /// 3 of the trust issue: on a roster with no visitors yet the form asks who it was; the
  /// name and role become a visitor, saved and audited with the visit (never a visit by
  /// nobody).
  @Test func aVisitorNotOnTheRosterIsAskedForAndAdded() throws {
    let noVisitors: (inout TownData) -> Void = { town in
      town.visitors = []
      for index in town.households.indices { town.households[index].visitorID = nil }
    }
    let (refused, terminal, refusedURL) = try Self.run(town: noVisitors) {
      $0.type(Self.openFirstForm)
      $0.type(Self.allClearKeys)
    }
    defer { try? FileManager.default.removeItem(at: refusedURL) }
    #expect(terminal.screenText.contains("请填写走访人姓名"))
    guard let session = refused.state.overlay(VisitOverlay.self)?.session else {
      Issue.record("the form closed")
      return
    }
    #expect(session.form.focusedFieldID == "visitor.name")
    #expect(try Self.record(refusedURL, "h000001").visits.isEmpty)

    let (_, _, url) = try Self.run(town: noVisitors) {
      $0.type(Self.openFirstForm)
      $0.type([.up, .up, .up])
      $0.type("舒志强")
      $0.type([.down, .right, .down, .down])
      $0.type(Self.allClearKeys)
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let town = try DataFolder(url: url).load()
    let visitor = try #require(town.visitors.first)
    #expect(visitor.name == "舒志强")
    #expect(visitor.role == VisitorRole.allCases[1])
    #expect(town.visitRecord(of: "h000001").visits.first?.visitorID == visitor.id)
    let audit = try AuditLog.entries(folder: url)
    #expect(audit.contains { $0.change.record == "visitor/\(visitor.id)" })
  }

  /// 8 of the trust issue: a save refused for what is on the paper (here the same paper
  /// typed twice) puts the cursor on that field, so the next keys land there, not in 备注.
  @Test func aRefusedSaveFocusesTheFieldItNames() throws {
    let (runner, terminal, url) = try Self.run {
      $0.type(Self.openFirstForm)
      $0.type(Self.allClearKeys)
      // The same household's paper again, same day and visitor (its house facts offered).
      $0.type([.escape, .up, .enter])
      $0.type(Self.allClearCarriedKeys)
      $0.type("yyyy")
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("请勿重复录入"))
    guard let session = runner.state.overlay(VisitOverlay.self)?.session else {
      Issue.record("the form closed")
      return
    }
    #expect(session.householdID == "h000001")
    #expect(session.form.focusedFieldID == "date")
    #expect(session.form.value("notes") == "")
    #expect(try Self.record(url, "h000001").visits.count == 1)
  }

  /// Showing a household's personal data in full (`m`) writes an audit line naming who and
  /// whose; going back masks it again.
  @Test func revealingPersonalDataIsAudited() throws {
    let (runner, terminal, url) = try Self.run {
      $0.type([.enter, .enter, .enter, .character("m")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("431224195604120018"))
    let lines = try AuditLog.entries(folder: url, record: "household/h000001")
    let access = try #require(lines.last)
    #expect(access.change.field == "查看个人信息")
    #expect(access.operatorName == "测试员")
    #expect(runner.state.roster.revealSensitive)

    let (back, _, backURL) = try Self.run {
      $0.type([.enter, .enter, .enter, .character("m"), .escape, .enter])
    }
    defer { try? FileManager.default.removeItem(at: backURL) }
    #expect(!back.state.roster.revealSensitive)
  }

  /// While 窗口太小 is shown a form behind it takes no keys (they would be typed unseen).
  @Test func keysAreNotActedOnWhileTheWindowIsTooSmall() throws {
    let (runner, _, url) = try Self.run { $0.type(Self.openFirstForm) }
    defer { try? FileManager.default.removeItem(at: url) }
    var state = runner.state
    _ = state.update(.resize(Size(columns: 30, rows: 8)))
    _ = state.update(.key(Self.y))
    _ = state.update(.key(.character("q")))
    guard let small = state.overlay(VisitOverlay.self)?.session else {
      Issue.record("the form closed")
      return
    }
    #expect(small.form.value("passagesClear") == "")
    _ = state.update(.resize(Size(columns: 80, rows: 24)))
    _ = state.update(.key(Self.y))
    guard let session = state.overlay(VisitOverlay.self)?.session else {
      Issue.record("the form closed")
      return
    }
    #expect(session.form.value("passagesClear") == "y")
  }

  /// Any visit, not only the newest, can be corrected: an older one keeps its id and place.
  @Test func correctingAnOlderVisitKeepsItsIdAndPlace() throws {
    let form = AppState.standardVisitForm
    let answers = Self.allClear(form)
    var typoed = answers
    typoed["kitchenClear"] = .no
    var record = VisitRecord(householdID: "h000003")
    for (day, paper) in [("2026-11-20", typoed), ("2026-11-24", answers)] {
      (record, _) = try VisitRules.record(
        VisitEntry(
          householdID: "h000003", date: CivilDate(day)!, visitorID: "u001", personsMet: "向建国",
          answers: paper),
        in: record, form: form, today: ScreenTesting.today)
    }
    let (_, _, url) = try Self.run(records: [record]) {
      $0.type([.character("2"), .enter, .down, .down, .character("h"), .character("E")])
      $0.type([.right, .enter])  // the older visit
      $0.type([.down, .down, Self.y, .control("s")])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let saved = try Self.record(url, "h000003")
    #expect(saved.visits.map(\.id) == ["h000003-v1", "h000003-v2"])
    #expect(saved.visits[0].answers["kitchenClear"] == .yes)
    #expect(saved.visits[0].date == CivilDate("2026-11-20"))
  }

  /// An archived household's open hazard stays counted (as archived), and the household can
  /// be brought back from the list of archived ones (A), with its visits.
  @Test func anArchivedHouseholdStaysCountedAndCanBeRestored() throws {
    let form = AppState.standardVisitForm
    var answers = Self.allClear(form)
    answers["wiring"] = .no
    var record = VisitRecord(householdID: "h000003")
    (record, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000003", date: CivilDate("2026-11-25")!, visitorID: "u001",
        personsMet: "向建国", answers: answers,
        findings: [.init(checkID: "wiring", description: "电线老化", deadlineDays: 7)]),
      in: record, form: form, today: ScreenTesting.today)
    let archive: [Key] = [.enter, .enter, .down, .down, .character("x"), Self.y]
    let (archived, _, archivedURL) = try Self.run(records: [record]) { $0.type(archive) }
    defer { try? FileManager.default.removeItem(at: archivedURL) }
    let town = try DataFolder(url: archivedURL).load()
    #expect(!town.households.contains { $0.id == "h000003" })
    #expect(town.archivedHouseholds.map(\.id) == ["h000003"])
    let counts = Worklists.counts(
      campaign: town.campaign(on: ScreenTesting.today), today: ScreenTesting.today, town: town)
    #expect(counts.hazardsFound == 1)
    #expect(counts.hazardsArchivedOpen == 1)
    #expect(archived.state.message?.contains("尚未销号") == true)

    let (_, terminal, url) = try Self.run(records: [record]) {
      $0.type(archive + [.character("A"), .enter, Self.y])
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(terminal.screenText.contains("没有已归档的户"))
    let restored = try DataFolder(url: url).load()
    #expect(restored.households.contains { $0.id == "h000003" })
    #expect(restored.archivedHouseholds.isEmpty)
    #expect(restored.visitRecord(of: "h000003").hazards.count == 1)
    let errors = FolderCheck.run(DataFolder(url: url)).filter { $0.severity == .error }
    #expect(errors.isEmpty, "\(errors)")
  }

  /// Entering an earlier winter's paper is an explicit choice: Y switches to that winter (the
  /// top bar says 补录), and its short dates are that winter's.
  @Test func anEarlierWintersPaperIsEnteredAfterChoosingThatWinter() throws {
    let form = AppState.standardVisitForm
    let answers = Self.allClear(form)
    var lastWinter = VisitRecord(householdID: "h000003")
    (lastWinter, _) = try VisitRules.record(
      VisitEntry(
        householdID: "h000003", date: CivilDate("2025-12-10")!, visitorID: "u001",
        personsMet: "向建国", answers: answers),
      in: lastWinter, form: form, today: ScreenTesting.today)
    let (runner, terminal, url) = try Self.run(records: [lastWinter]) {
      $0.type([.character("2"), .character("Y"), .enter, .down, .down, .down, .enter])
      $0.type([.up, .up, .up, .control("u")])
      $0.type("12-20")
      $0.type([.down, .down, .down])
      $0.type(Self.allClearKeys)
    }
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(runner.state.pastWinter?.name == "2025-26冬春火灾防控")
    #expect(terminal.screenText.contains("补录 2025-26冬春火灾防控"))
    let saved = try Self.record(url, "h000004")
    #expect(saved.visits.map(\.date) == [CivilDate("2025-12-20")!])

    // The history is the winter's: last winter's visit is counted apart, not mixed in.
    let (_, history, historyURL) = try Self.run(records: [lastWinter]) {
      $0.type([.character("2"), .enter, .down, .down, .character("h")])
    }
    defer { try? FileManager.default.removeItem(at: historyURL) }
    #expect(history.screenText.contains("其他冬季还有 1 次走访"))
    #expect(history.screenText.contains("走访记录（0 次） 2026-27冬春火灾防控"))

    // Y again comes back to this winter; with no earlier records Y says there are none.
    var state = runner.state
    _ = state.update(.key(.escape))
    _ = state.update(.key(.character("Y")))
    #expect(state.pastWinter == nil)
    let (_, empty, emptyURL) = try Self.run { $0.type([.character("2"), .character("Y")]) }
    defer { try? FileManager.default.removeItem(at: emptyURL) }
    #expect(empty.screenText.contains("没有往年冬季的记录"))
  }
}
