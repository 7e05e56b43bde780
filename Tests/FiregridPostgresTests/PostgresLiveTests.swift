import FiregridModel
import FiregridPostgres
import FiregridRepository
import FiregridStore
import Foundation
import TerminalUI
import Testing

@testable import FiregridApp

/// Other clerks' changes reach this clerk's screen (LISTEN/NOTIFY on a listener's own
/// connection and thread, then `Effect.refreshTown` in the app's loop). Every wait is for a
/// signal (the listener's count), with a generous guard that only turns a hang into a failure.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.skipMessage))
struct PostgresLiveTests {
  /// How long a notification may take before the test fails (never waited out when it works).
  static let guardSeconds = 60.0

  /// Two clerks on one town in shared mode: the first made it, the second opened it.
  static func twoClerks() throws -> (PostgresTownStore, PostgresTownStore) {
    let townID = PostgresServer.uniqueTownID()
    let first = try PostgresServer.location(exclusive: false, townID: townID)
      .createStore(PostgresStoreTests.sample, operatorName: "甲")
    let second = try PostgresServer.location(exclusive: false, townID: townID)
      .openStore(operatorName: "乙")
    return (first, second)
  }

  static func saveAddress(_ address: String, of id: String, by store: PostgresTownStore) throws {
    var household = try #require(store.town.household(id: id))
    household.address = address
    try store.apply(try RosterEdit.saveHousehold(household, in: store.town))
  }

  /// A change of the other clerk's is told (once per commit), a store's own is not; `refresh`
  /// reads what the other clerk saved, and nothing when nothing is new.
  @Test func theListenerTellsOtherClerksCommitsNotOurOwn() throws {
    let (first, second) = try Self.twoClerks()
    defer {
      first.close()
      second.close()
    }
    let told = Counter()
    #expect(try first.watchOutsideChanges { told.add() })
    #expect(try second.watchOutsideChanges {})
    #expect(try !second.refresh())

    try Self.saveAddress("乙改的地址", of: "h000002", by: second)
    #expect(first.waitForOutsideChanges(beyond: 0, seconds: Self.guardSeconds))
    #expect(told.value == 1)
    #expect(try first.refresh())
    #expect(first.town.household(id: "h000002")?.address == "乙改的地址")
    #expect(try !first.refresh())

    // Our own save: the second clerk hears it, we do not (the next thing we hear is theirs).
    try Self.saveAddress("甲改的地址", of: "h000001", by: first)
    #expect(second.waitForOutsideChanges(beyond: 0, seconds: Self.guardSeconds))
    #expect(try second.refresh())
    #expect(second.town.household(id: "h000001")?.address == "甲改的地址")
    try Self.saveAddress("乙又改", of: "h000002", by: second)
    #expect(first.waitForOutsideChanges(beyond: 1, seconds: Self.guardSeconds))
    #expect(first.outsideChangesHeard == 2)
    #expect(told.value == 2)
    #expect(try first.refresh())
    #expect(first.town.household(id: "h000001")?.address == "甲改的地址")
    #expect(first.town.household(id: "h000002")?.address == "乙又改")
  }

  /// Another clerk's changes of every kind are read record by record (only what the chain
  /// names since), and leave the town, its versions and its chain's end as a whole read would.
  @Test func anotherClerksChangesAreReadRecordByRecordAsAWholeReadWould() throws {
    let (first, second) = try Self.twoClerks()
    defer {
      first.close()
      second.close()
    }
    let day = PostgresServer.day
    try Self.saveAddress("甲改的地址", of: "h000001", by: first)
    var added = try #require(first.town.household(id: "h000001"))
    added.id = ""
    added.number = "0099"
    added.address = "新来的一户"
    added.persons = added.persons.map { person in
      var person = person
      person.idNumber = ""
      return person
    }
    try first.apply(try RosterEdit.saveHousehold(added, in: first.town))
    try first.saveVisitRecord(
      VisitRecord(
        householdID: "h000001",
        visits: [
          Visit(
            id: "h000001-v1", householdID: "h000001", date: day, visitorID: "u001",
            personsMet: "户主", answers: [:], formID: "residential")
        ]), addingVisitor: Visitor(id: "u009", name: "孙新人", role: .volunteer))
    try first.apply(try RosterEdit.archiveHousehold(id: "h000002", in: first.town))
    try first.saveContactLog(
      ContactLog(gridID: "g0001", week: day.adding(days: -3), contacted: true, recordedOn: day))
    try first.recordAccess(to: "household/h000001")

    #expect(try second.refresh())
    let whole = try PostgresServer.location(exclusive: false, townID: first.townID)
      .openStore(operatorName: "丙")
    defer { whole.close() }
    #expect(second.town == whole.town)
    #expect(second.lastSequence == whole.lastSequence)
    #expect(try !second.refresh())
    // One record changed: one read.
    try Self.saveAddress("甲又改", of: "h000003", by: first)
    #expect(try second.refresh())
    #expect(second.recordsLastRead == 1)
    #expect(whole.recordsLastRead == 6)
    #expect(second.town.household(id: "h000003")?.address == "甲又改")
    // The versions read with them: the second clerk's next save of those records goes through.
    try Self.saveAddress("乙接着改", of: "h000001", by: second)
    try second.saveContactLog(
      ContactLog(gridID: "g0001", week: day.adding(days: -3), contacted: false, recordedOn: day))
  }

  /// The runner of the first clerk, on the roster's household list of 第1网格.
  static func runner(for store: PostgresTownStore, terminal: VirtualTerminal) -> AppRunner {
    let state = AppState(
      town: store.town, operatorName: store.operatorName, today: PostgresServer.day,
      size: terminal.size, dataPath: "db")
    let runner = AppRunner(
      state: state, terminal: terminal,
      location: PostgresServer.location(exclusive: false, townID: store.townID),
      importer: RosterSpreadsheetImporter(), settling: .everything)
    runner.present(store)
    return runner
  }

  /// The other clerk saves a household's address while this clerk looks at the roster: the
  /// list shows it on the loop's next turn, where the clerk was, with a word of why.
  @Test func theRosterShowsAnotherClerksSaveWhereTheClerkWas() throws {
    let (first, second) = try Self.twoClerks()
    defer { second.close() }
    let terminal = VirtualTerminal(size: Size(columns: 100, rows: 24))
    terminal.type([.enter, .enter, .down])  // 东山村 → 第1网格 → 0002
    var before = ""
    var after = ""
    var waited = false
    terminal.perform {
      before = terminal.screenText
      try? Self.saveAddress("东山村1组2号之三", of: "h000002", by: second)
      waited = first.waitForOutsideChanges(beyond: 0, seconds: Self.guardSeconds)
    }
    terminal.enqueue([.idle])
    terminal.perform { after = terminal.screenText }
    let runner = Self.runner(for: first, terminal: terminal)
    runner.run()
    #expect(waited)
    #expect(!before.contains("东山村1组2号之三"))
    #expect(after.contains("东山村1组2号之三"), "\(after)")
    #expect(after.contains("另一位文书刚保存了修改，屏幕已更新"), "\(after)")
    #expect(runner.state.town.household(id: "h000002")?.address == "东山村1组2号之三")
    // The place is kept: 0002 still selected in the same list.
    #expect(runner.state.roster.selectedID == "h000002")
  }

  /// A form open on the household the other clerk changes keeps what was typed; its save is
  /// refused with who and when (the version), the form still open; closed, the screen reads
  /// the other clerk's change.
  @Test func anOpenFormKeepsItsTextAndItsSaveIsRefusedWithWhoAndWhen() throws {
    let (first, second) = try Self.twoClerks()
    defer { second.close() }
    let terminal = VirtualTerminal(size: Size(columns: 100, rows: 24))
    terminal.type([.enter, .enter, .character("e"), .tab, .control("u")])  // 0001's address
    terminal.type("甲在表单里打的")
    var waited = false
    var whileOpen = ""
    var refused = ""
    terminal.perform {
      try? Self.saveAddress("乙先存的地址", of: "h000001", by: second)
      waited = first.waitForOutsideChanges(beyond: 0, seconds: Self.guardSeconds)
    }
    terminal.enqueue([.idle])
    terminal.perform { whileOpen = terminal.screenText }
    terminal.type([.control("s")])
    terminal.perform { refused = terminal.screenText }
    terminal.type([.escape])
    terminal.type("y")  // if asked whether to drop what was typed
    terminal.enqueue([.idle])
    let runner = Self.runner(for: first, terminal: terminal)
    runner.run()
    #expect(waited)
    #expect(whileOpen.contains("甲在表单里打的"), "\(whileOpen)")
    #expect(whileOpen.contains("关闭当前表单或窗口后更新屏幕"), "\(whileOpen)")
    #expect(refused.contains("甲在表单里打的"), "\(refused)")
    #expect(refused.contains("已被「乙」于 2026-12-10 09:00 改过"), "\(refused)")
    #expect(runner.state.town.household(id: "h000001")?.address == "乙先存的地址")
    #expect(!runner.state.hasOverlay)
    #expect(terminal.screenText.contains("乙先存的地址"), "\(terminal.screenText)")
  }
}

/// A count told from another thread.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func add() {
    lock.lock()
    count += 1
    lock.unlock()
  }
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }
}

/// The visit form reads another clerk's change while it is open (its save is built from the
/// household's record as it is at Ctrl-S): the same paper is then refused by the form's own
/// rule, another paper is saved on top of theirs.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.skipMessage))
struct PostgresVisitFormLiveTests {
  /// The other clerk's visit to 0001 on the day, by `visitorID`.
  static func theirVisit(by visitorID: String?, store: PostgresTownStore) throws {
    try store.saveVisitRecord(
      VisitRecord(
        householdID: "h000001",
        visits: [
          Visit(
            id: "h000001-v1", householdID: "h000001", date: PostgresServer.day,
            visitorID: visitorID, personsMet: "户主", answers: [:], notes: "乙录的",
            formID: "residential-2024")
        ]), addingVisitor: nil)
  }

  /// 敲门走访 → 第1网格 → 0001's form, half filled in while the other clerk saves; then the
  /// rest and Ctrl-S. Returns the screen while open, after Ctrl-S, and the runner.
  static func fillWhileTheyVisit(visitorID: String?) throws -> (
    whileOpen: String, afterSave: String, runner: AppRunner, second: PostgresTownStore
  ) {
    let (first, second) = try PostgresLiveTests.twoClerks()
    let terminal = VirtualTerminal(size: Size(columns: 100, rows: 30))
    terminal.type([.character("2"), .enter, .enter, .character("Y")])
    var waited = false
    var whileOpen = ""
    var afterSave = ""
    terminal.perform {
      try? Self.theirVisit(by: visitorID, store: second)
      waited = first.waitForOutsideChanges(beyond: 0, seconds: PostgresLiveTests.guardSeconds)
    }
    terminal.enqueue([.idle])
    terminal.perform { whileOpen = terminal.screenText }
    terminal.type([
      .character("Y"), .character("Y"), .character("1"), .character("2"), .character("Y"),
      .character("y"), .control("s"),
    ])
    terminal.enqueue([.idle])
    terminal.perform { afterSave = terminal.screenText }
    terminal.type([.escape, .character("y")])
    terminal.enqueue([.idle])
    let runner = PostgresLiveTests.runner(for: first, terminal: terminal)
    runner.run()
    #expect(waited)
    return (whileOpen, afterSave, runner, second)
  }

  @Test func theSamePaperSavedMeanwhileByAnotherClerkIsRefusedOnTheForm() throws {
    let (whileOpen, afterSave, runner, second) = try Self.fillWhileTheyVisit(visitorID: "u001")
    defer { second.close() }
    #expect(whileOpen.contains("户主"), "the form is not open: \(whileOpen)")
    #expect(whileOpen.contains("另一位文书刚保存了修改，屏幕已更新"), "\(whileOpen)")
    #expect(afterSave.contains("已有同一走访人的记录（h000001-v1），请勿重复录入"), "\(afterSave)")
    #expect(runner.state.town.visitRecords["h000001"]?.visits.map(\.notes) == ["乙录的"])
  }

  @Test func anotherPaperSavedMeanwhileIsKeptAndTheFormSavesOnTopOfIt() throws {
    let (_, afterSave, runner, second) = try Self.fillWhileTheyVisit(visitorID: nil)
    defer { second.close() }
    #expect(afterSave.contains("已保存"), "\(afterSave)")
    let visits = runner.state.town.visitRecords["h000001"]?.visits ?? []
    #expect(visits.map(\.id) == ["h000001-v1", "h000001-v2"])
    #expect(visits.first?.notes == "乙录的")
    try second.load()
    #expect(second.town.visitRecords["h000001"]?.visits.map(\.id) == ["h000001-v1", "h000001-v2"])
  }
}
