import FiregridModel
import FiregridPostgres
import FiregridRepository
import FiregridRepositoryContract
import FiregridStore
import Foundation
import Testing

/// What the PostgreSQL store does beyond the contract: the schema's migrations, the audit
/// chain in the database, two clerks on the same record, the way to and from a data folder.
@Suite(.enabled(if: PostgresServer.isAvailable, PostgresServer.skipMessage))
struct PostgresStoreTests {
  static let sample = RepositoryContract.sampleTown

  @Test func migratingAgainAppliesNothing() throws {
    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    try Schema.migrate(connection)
    #expect(try Schema.migrate(connection) == [])
    #expect(try Schema.currentVersion(connection) == Schema.latestVersion)
    let recorded = try connection.exec("SELECT version FROM schema_migrations ORDER BY version")
    #expect(recorded.rows.map { $0[0] } == Schema.migrations.map { String($0.version) })
  }

  /// A migration missing below the newest (merged from another branch after a development
  /// database had the newer one) is applied: up to date is every migration, not the newest.
  @Test func aMigrationMissingBelowTheNewestIsApplied() throws {
    let (url, drop) = try CountyReportTests.freshDatabase()
    defer { drop() }
    let connection = try PGConnection(url: url)
    defer { connection.close() }
    try Schema.migrate(connection)
    try connection.exec("DELETE FROM schema_migrations WHERE version = 3")
    try connection.exec("ALTER TABLE records DROP COLUMN facts")
    #expect(try Schema.migrate(connection) == [3])
    #expect(try Schema.migrate(connection) == [])
  }

  @Test func aServerThatCannotBeReachedIsSaidInChinese() {
    #expect {
      _ = try PGConnection(url: "postgresql:///nowhere?host=/nonexistent-firegrid-socket")
    } throws: { error in
      (error as? PostgresError)?.message.hasPrefix("无法连接数据库") == true
    }
  }

  @Test func theServersErrorsCarryItsMessageAndState() throws {
    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    try connection.exec("CREATE TEMP TABLE t (id text PRIMARY KEY)")
    try connection.exec("INSERT INTO t VALUES ($1)", ["a"])
    #expect {
      try connection.exec("INSERT INTO t VALUES ($1)", ["a"])
    } throws: { error in
      guard let error = error as? PostgresError else { return false }
      return error.isUniqueViolation && error.message.hasPrefix("数据库操作失败：与已有记录重复：")
    }
    // A transaction that throws leaves nothing.
    #expect(throws: PostgresError.self) {
      try connection.transaction {
        try connection.exec("INSERT INTO t VALUES ($1)", ["b"])
        try connection.exec("INSERT INTO t VALUES ($1)", ["a"])
      }
    }
    #expect(try connection.exec("SELECT count(*) FROM t").scalar == "1")
    // Parameters are bound, never spliced: quotes and NULL go through as they are.
    let echoed = try connection.exec("SELECT $1::text, $2::text", ["O'Brien; --", nil])
    #expect(echoed.rows == [["O'Brien; --", nil]])
  }

  /// Every line of the town's chain hashes to itself and links to the one before, and the
  /// last file line of each record names its stored bytes: the data folder's rules, in SQL.
  @Test func theAuditChainInTheDatabaseHoldsAndNamesEachRecordsBytes() throws {
    let location = PostgresServer.location()
    let store = try location.create(Self.sample, operatorName: "甲")
    var household = try #require(store.town.household(id: "h000001"))
    household.address = "东山村1组1号（改）"
    try store.apply(try RosterEdit.saveHousehold(household, in: store.town))
    try store.recordAccess(to: "household/h000001")
    store.close()

    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    let rows = try connection.exec(
      """
      SELECT sequence, time, operator, record, field, before, after, previous_hash, hash
      FROM audit WHERE town_id = $1 ORDER BY sequence
      """, [location.townID]
    ).rows
    var previous = AuditLog.genesisHash
    var digests: [String: String?] = [:]
    for (index, row) in rows.enumerated() {
      let entry = AuditEntry(
        sequence: Int(row[0] ?? "") ?? 0, time: row[1] ?? "", operatorName: row[2] ?? "",
        change: AuditChange(
          record: row[3] ?? "", field: row[4] ?? "", before: row[5], after: row[6]),
        previousHash: row[7] ?? "", hash: row[8] ?? "")
      #expect(entry.sequence == index + 1)
      #expect(entry.previousHash == previous)
      #expect(entry.hash == entry.computedHash)
      previous = entry.hash
      if entry.change.record == "file" { digests[entry.change.field] = entry.change.after }
    }
    let head = try connection.exec(
      "SELECT last_sequence, last_hash FROM towns WHERE id = $1", [location.townID]
    ).rows
    #expect(head == [[String(rows.count), previous]])
    let records = try connection.exec(
      "SELECT kind, record_id, body FROM records WHERE town_id = $1", [location.townID]
    ).rows
    #expect(records.count == 3)
    for record in records {
      let path =
        record[0] == "town" ? "town.json" : "\(record[0] ?? "")/\(record[1] ?? "").json"
      #expect(digests[path] == .some(PortableTown.digest(Data((record[2] ?? "").utf8))), "\(path)")
    }
  }

  /// Shared mode: two clerks open the same town and change the same household; the second
  /// save is refused, naming the first clerk and when, and writes nothing; the second clerk's
  /// town still holds what they typed until they read again.
  @Test func theSecondClerkEditingTheSameHouseholdIsRefusedWithWhoAndWhen() throws {
    let townID = PostgresServer.uniqueTownID()
    let first = try PostgresServer.location(exclusive: false, townID: townID)
      .createStore(Self.sample, operatorName: "甲")
    defer { first.close() }
    let second = try PostgresServer.location(exclusive: false, townID: townID)
      .openStore(operatorName: "乙")
    defer { second.close() }
    #expect(second.access == .readWrite)

    var mine = try #require(first.town.household(id: "h000001"))
    mine.address = "甲改的地址"
    try first.apply(try RosterEdit.saveHousehold(mine, in: first.town))

    var theirs = try #require(second.town.household(id: "h000001"))
    theirs.address = "乙改的地址"
    let edit = try RosterEdit.saveHousehold(theirs, in: second.town)
    #expect {
      try second.apply(edit)
    } throws: { error in
      guard let conflict = error as? RecordConflict else { return false }
      return conflict.path == "households/h000001.json" && conflict.changedBy == "甲"
        && conflict.changedAt == "\(PostgresServer.day.description)T09:00:00+08:00"
        && conflict.foundVersion == 2
        && conflict.message == "households/h000001.json 已被「甲」于 2026-12-10 09:00 改过，未保存：请重新打开，核对后再改"
    }
    // Nothing of the refused change: not in memory, not in the history.
    #expect(second.town.household(id: "h000001")?.address == "东山村1组1号")
    #expect(try second.history(ofHousehold: "h000001").allSatisfy { $0.operatorName == "甲" })
    // Another household is saved by the second clerk meanwhile: no conflict there.
    var other = try #require(second.town.household(id: "h000002"))
    other.address = "乙改的另一户"
    try second.apply(try RosterEdit.saveHousehold(other, in: second.town))

    // Read again, the second clerk sees the first's change and may correct it.
    try second.load()
    #expect(second.town.household(id: "h000001")?.address == "甲改的地址")
    theirs = try #require(second.town.household(id: "h000001"))
    theirs.address = "乙改的地址"
    try second.apply(try RosterEdit.saveHousehold(theirs, in: second.town))
    #expect(second.version(of: "households/h000001.json") == 3)
  }

  /// Another clerk's change reaches this one's town by a notification (LISTEN/NOTIFY), waited
  /// for as a signal; this store's own changes are not read again.
  @Test func anotherClerksChangeIsNotifiedAndReadAgain() throws {
    let townID = PostgresServer.uniqueTownID()
    let first = try PostgresServer.location(exclusive: false, townID: townID)
      .createStore(Self.sample, operatorName: "甲")
    defer { first.close() }
    let second = try PostgresServer.location(exclusive: false, townID: townID)
      .openStore(operatorName: "乙")
    defer { second.close() }
    #expect(try !second.refreshIfChanged())
    var household = try #require(first.town.household(id: "h000002"))
    household.address = "甲刚改的"
    try first.apply(try RosterEdit.saveHousehold(household, in: first.town))
    #expect(try !first.refreshIfChanged())
    #expect(try second.refreshIfChanged(waiting: 30))
    #expect(second.town.household(id: "h000002")?.address == "甲刚改的")
    #expect(second.lastSequence == first.lastSequence)
    #expect(try !second.refreshIfChanged())
  }

  /// Visits of one household saved by two clerks at once: one wins, the other is refused, and
  /// no visit is lost silently.
  @Test func twoVisitsToTheSameHouseholdAtOnceLoseNothingSilently() throws {
    let townID = PostgresServer.uniqueTownID()
    let first = try PostgresServer.location(exclusive: false, townID: townID)
      .createStore(Self.sample, operatorName: "甲")
    defer { first.close() }
    let second = try PostgresServer.location(exclusive: false, townID: townID)
      .openStore(operatorName: "乙")
    defer { second.close() }
    // Two papers: of two days.
    func visit(_ number: Int) -> Visit {
      Visit(
        id: "h000001-v\(number)", householdID: "h000001",
        date: PostgresServer.day.adding(days: number - 2),
        visitorID: "u001", personsMet: "户主", answers: [:], notes: "第\(number)次",
        formID: "residential")
    }
    try first.saveVisitRecord(
      VisitRecord(householdID: "h000001", visits: [visit(1)]), addingVisitor: nil)
    #expect {
      try second.saveVisitRecord(
        VisitRecord(householdID: "h000001", visits: [visit(2)]), addingVisitor: nil)
    } throws: { error in
      // What the first clerk did is said, and what to do next.
      guard let conflict = error as? RecordConflict else { return false }
      return conflict.samePaper == nil
        && conflict.message
          == "visits/h000001.json 已被「甲」于 2026-12-10 09:00 改过（新增 h000001-v1（2026-12-09）），未保存：屏幕更新后再按 Ctrl-S，即在最新记录上保存"
    }
    try second.load()
    try second.saveVisitRecord(
      VisitRecord(householdID: "h000001", visits: [visit(1), visit(2)]), addingVisitor: nil)
    try first.load()
    #expect(first.town.visitRecords["h000001"]?.visits.map(\.id) == ["h000001-v1", "h000001-v2"])
  }

  /// The same paper (household, day, visitor) typed by two clerks: the second save is refused
  /// once, naming the visit the first one entered; read again, the form's own rule refuses it
  /// too, and nothing is entered twice.
  @Test func theSamePaperTypedByTwoClerksIsRefusedOnce() throws {
    let townID = PostgresServer.uniqueTownID()
    let first = try PostgresServer.location(exclusive: false, townID: townID)
      .createStore(Self.sample, operatorName: "甲")
    defer { first.close() }
    let second = try PostgresServer.location(exclusive: false, townID: townID)
      .openStore(operatorName: "乙")
    defer { second.close() }
    let form = VisitForm(
      id: "residential", title: "居民住房消防安全排查表", attachment: "附件6",
      sections: [
        .init(
          id: "s", title: "三清三关", kind: .check, items: [.init(id: "passagesClear", label: "通道清")])
      ])
    let entry = VisitEntry(
      householdID: "h000001", date: PostgresServer.day, visitorID: "u001", personsMet: "户主",
      answers: ["passagesClear": .yes])
    for store in [first, second] {
      #expect(store.town.visitRecords["h000001"] == nil)
    }
    let (mine, _) = try VisitRules.record(
      entry, in: first.town.visitRecord(of: "h000001"), form: form, today: PostgresServer.day)
    let (theirs, _) = try VisitRules.record(
      entry, in: second.town.visitRecord(of: "h000001"), form: form, today: PostgresServer.day)
    try first.saveVisitRecord(mine, addingVisitor: nil)
    #expect {
      try second.saveVisitRecord(theirs, addingVisitor: nil)
    } throws: { error in
      guard let conflict = error as? RecordConflict else { return false }
      return conflict.samePaper?.visitID == "h000001-v1"
        && conflict.message
          == "同一张表（2026-12-10，赵走访）已由「甲」于 2026-12-10 09:00 录入为 h000001-v1，本次没有重复保存：按 Esc 放弃本表"
    }
    try second.load()
    #expect(throws: VisitRules.Refusal.self) {
      _ = try VisitRules.record(
        entry, in: second.town.visitRecord(of: "h000001"), form: form, today: PostgresServer.day)
    }
    #expect(try papers(of: townID) == [["h000001", "2026-12-10", "u001", "h000001-v1"]])
  }

  /// Eight clerks save the same paper at the same moment, each on the record as they read
  /// it: exactly one is entered, every other is refused as that paper.
  @Test func theSamePaperSavedByEightClerksAtOnceIsEnteredOnce() throws {
    let townID = PostgresServer.uniqueTownID()
    try PostgresServer.location(exclusive: false, townID: townID)
      .createStore(Self.sample, operatorName: "甲").close()
    let stores = try (1...8).map { index in
      try PostgresServer.location(exclusive: false, townID: townID)
        .openStore(operatorName: "文书\(index)")
    }
    defer { for store in stores { store.close() } }
    let record = VisitRecord(
      householdID: "h000002",
      visits: [
        Visit(
          id: "h000002-v1", householdID: "h000002", date: PostgresServer.day, visitorID: "u001",
          personsMet: "户主", answers: [:], formID: "residential")
      ])
    let outcomes = Outcomes()
    // Each on its own thread (a store is one worker's), released together.
    let start = DispatchSemaphore(value: 0)
    let group = DispatchGroup()
    for store in stores {
      let box = StoreBox(store)
      DispatchQueue.global().async(group: group) {
        start.wait()
        do {
          try box.store.saveVisitRecord(record, addingVisitor: nil)
          outcomes.add("saved")
        } catch let conflict as RecordConflict {
          outcomes.add(conflict.samePaper?.visitID ?? "conflict")
        } catch {
          outcomes.add("\(error)")
        }
      }
    }
    for _ in stores { start.signal() }
    group.wait()
    #expect(outcomes.sorted == ["h000002-v1"] * 7 + ["saved"])
    #expect(try papers(of: townID).count == 1)
  }

  /// A record holding the same paper twice is refused by the server itself (papers_once),
  /// whoever writes it: through the store, whose rule was bypassed, or by hand in SQL.
  @Test func theServerRefusesARecordHoldingAPaperTwice() throws {
    let townID = PostgresServer.uniqueTownID()
    let store = try PostgresServer.location(exclusive: false, townID: townID)
      .createStore(Self.sample, operatorName: "甲")
    defer { store.close() }
    func visit(_ number: Int) -> Visit {
      Visit(
        id: "h000001-v\(number)", householdID: "h000001", date: PostgresServer.day,
        visitorID: "u001", personsMet: "户主", answers: [:], formID: "residential")
    }
    #expect {
      try store.saveVisitRecord(
        VisitRecord(householdID: "h000001", visits: [visit(1), visit(2)]), addingVisitor: nil)
    } throws: { error in
      (error as? PostgresError)?.message
        == "同一张表录入了两次（同一天、同一走访人），未保存：visits/h000001.json"
    }
    #expect(store.town.visitRecords["h000001"] == nil)
    try store.saveVisitRecord(
      VisitRecord(householdID: "h000001", visits: [visit(1)]), addingVisitor: nil)
    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    // By hand: the visit's row copied once more into the record.
    #expect {
      try connection.exec(
        """
        UPDATE records SET body = jsonb_set(body::jsonb, '{visits}',
          (body::jsonb -> 'visits') || jsonb_build_array(body::jsonb -> 'visits' -> 0))::text
        WHERE town_id = $1 AND kind = 'visits' AND record_id = 'h000001'
        """, [townID])
    } throws: { error in
      (error as? PostgresError)?.isUniqueViolation == true
    }
    // Taking a visit back frees its paper; archiving keeps no live paper.
    try store.saveVisitRecord(VisitRecord(householdID: "h000001", visits: []), addingVisitor: nil)
    #expect(try papers(of: townID).isEmpty)
  }

  /// The town's papers as the server derived them: (household, day, visitor, visit).
  private func papers(of townID: String) throws -> [[String?]] {
    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    return try connection.exec(
      """
      SELECT record_id, paper_date, visitor, visit_id FROM papers
      WHERE town_id = $1 ORDER BY record_id, paper_date
      """, [townID]
    ).rows
  }

  /// A town made in the database, exported: the embedded app opens the folder with the same
  /// town, `check` finds it clean, and its audit log still holds the database's history.
  @Test func anExportedTownOpensAsADataFolderAndChecksClean() throws {
    let location = PostgresServer.location()
    let store = try location.create(Self.sample, operatorName: "甲")
    try store.saveVisitRecord(
      VisitRecord(
        householdID: "h000002",
        visits: [
          Visit(
            id: "h000002-v1", householdID: "h000002", date: PostgresServer.day,
            visitorID: "u001", personsMet: "户主", answers: [:], notes: "导出",
            formID: "residential")
        ]), addingVisitor: nil)
    try store.apply(try RosterEdit.archiveHousehold(id: "h000002", in: store.town))
    let town = store.town
    store.close()

    let folderURL = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folderURL) }
    let connection = try location.connect()
    defer { connection.close() }
    let folder = DataFolder(url: folderURL)
    let count = try PostgresTransfer.export(
      townID: location.townID, on: connection, to: folder, operatorName: "甲",
      time: "\(PostgresServer.day.description)T10:00:00+08:00")
    #expect(count == 4)
    // The sample's grid is small: a warning about its size, and nothing else.
    let problems = FolderCheck.run(folder)
    #expect(
      problems.allSatisfy { $0.severity == .warning && $0.file == "town.json" }, "\(problems)")
    let opened = try TownStore.open(folder: folder, operatorName: "乙", clock: PostgresServer.clock)
    defer { opened.close() }
    #expect(opened.town == town)
    let history = try opened.history(ofHousehold: "h000002")
    #expect(history.contains { $0.change.record == "visit/h000002-v1" && $0.operatorName == "甲" })
    // A folder that holds anything is never written into.
    #expect(throws: StoreError.self) {
      try PostgresTransfer.export(
        townID: location.townID, on: connection, to: folder, operatorName: "甲", time: "")
    }
  }

  /// A data folder imported: the same town in the database, its history kept; the same id
  /// again is refused and writes nothing.
  @Test func aDataFolderIsImportedWholeOnce() throws {
    let folderURL = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folderURL) }
    let folder = DataFolder(url: folderURL)
    let made = try TownStore.create(
      folder: folder, town: Self.sample, operatorName: "甲", clock: PostgresServer.clock)
    var household = try #require(made.town.household(id: "h000001"))
    household.address = "文件夹里改的"
    try made.apply(try RosterEdit.saveHousehold(household, in: made.town))
    let town = made.town
    made.close()

    let location = PostgresServer.location()
    let report = try PostgresTransfer.importFolder(
      folder, as: location.townID, into: location, operatorName: "导入员")
    #expect(report.households == 2)
    #expect(report.records == 3)
    #expect(report.summary.contains("户 2"))
    let store = try location.openStore(operatorName: "乙")
    #expect(store.town == town)
    let history = try store.history(ofHousehold: "h000001")
    #expect(history.contains { $0.change.after == "文件夹里改的" && $0.operatorName == "甲" })
    store.close()

    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    let lines = try connection.exec(
      "SELECT count(*) FROM audit WHERE town_id = $1", [location.townID]
    ).scalar
    #expect(throws: PostgresError.self) {
      try PostgresTransfer.importFolder(
        folder, as: location.townID, into: location, operatorName: "导入员")
    }
    #expect(
      try connection.exec("SELECT count(*) FROM audit WHERE town_id = $1", [location.townID])
        .scalar == lines)
  }

  /// A folder another Firegrid has open is not imported: it could change while read.
  @Test func aFolderInUseIsNotImported() throws {
    let folderURL = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folderURL) }
    let folder = DataFolder(url: folderURL)
    let open = try TownStore.create(
      folder: folder, town: Self.sample, operatorName: "甲", clock: PostgresServer.clock)
    defer { open.close() }
    let location = PostgresServer.location()
    #expect {
      try PostgresTransfer.importFolder(
        folder, as: location.townID, into: location, operatorName: "导入员")
    } throws: { error in
      (error as? PostgresError)?.message.contains("正被「甲") == true
    }
    #expect(location.isEmpty)
  }

  /// A folder `check` finds errors in is not imported at all.
  @Test func aFolderWithErrorsIsNotImported() throws {
    let folderURL = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folderURL) }
    let folder = DataFolder(url: folderURL)
    try TownStore.create(
      folder: folder, town: Self.sample, operatorName: "甲", clock: PostgresServer.clock
    ).close()
    // Changed by hand: the journal no longer accounts for it.
    let path = folderURL.appendingPathComponent("households/h000001.json")
    var text = try String(contentsOf: path, encoding: .utf8)
    text = text.replacingOccurrences(of: "东山村1组1号", with: "手改")
    try Data(text.utf8).write(to: path)

    let location = PostgresServer.location()
    #expect {
      try PostgresTransfer.importFolder(
        folder, as: location.townID, into: location, operatorName: "导入员")
    } throws: { error in
      (error as? PostgresError)?.message.contains("没有导入任何内容") == true
    }
    #expect(location.isEmpty)
  }

  /// Exclusive mode: the second opener reads only, told who holds the town (in Chinese, which
  /// the server's application_name could not carry); closing the first lets the next write.
  @Test func aSecondOpenerIsToldWhoHoldsTheTown() throws {
    let location = PostgresServer.location()
    let first = try location.createStore(Self.sample, operatorName: "张会计")
    let second = try location.openStore(operatorName: "李文书")
    #expect(second.access == .heldByAnother("张会计 自2026-12-10 09:00"))
    second.close()
    first.close()
    let third = try location.openStore(operatorName: "李文书")
    defer { third.close() }
    #expect(third.access == .readWrite)
  }

  /// `verify` holds a clean town, and finds an audit line changed by hand in the database and
  /// a record removed by hand.
  @Test func verifyFindsTheChainOrARecordChangedByHand() throws {
    let location = PostgresServer.location()
    try location.createStore(Self.sample, operatorName: "甲").close()
    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    #expect(try PostgresTransfer.verify(townID: location.townID, on: connection) == [])
    try connection.exec(
      "UPDATE audit SET operator = '乙' WHERE town_id = $1 AND sequence = 2", [location.townID])
    try connection.exec(
      "DELETE FROM records WHERE town_id = $1 AND record_id = 'h000001'", [location.townID])
    let problems = try PostgresTransfer.verify(townID: location.townID, on: connection)
    #expect(problems.map(\.record) == ["audit", "households/h000001.json"], "\(problems)")
    #expect(problems.first?.message == "审计日志第2行被修改（哈希不符）")
  }

  /// A record changed by hand in the database is found by `checkRecords`.
  @Test func aRecordChangedByHandInTheDatabaseIsFound() throws {
    let location = PostgresServer.location()
    let store = try location.create(Self.sample, operatorName: "甲")
    defer { store.close() }
    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    try connection.exec(
      """
      UPDATE records SET body = replace(body, '东山村1组2号', '手改')
      WHERE town_id = $1 AND kind = 'households' AND record_id = 'h000002'
      """, [location.townID])
    #expect(store.damaged == [])
    store.checkRecords()
    #expect(store.damaged.map(\.label) == ["households/h000002.json"])
    #expect(store.damaged.first?.reference == .household(id: "h000002"))
  }

  /// A record changed by hand is repaired from inside the app: from the day's backup, whose
  /// copy has the bytes the chain last recorded; the damaged bytes are set aside, the repair
  /// is a line of the chain. A record saved after the backup has no good copy: said, nothing
  /// written.
  @Test func aRecordChangedByHandIsRepairedFromTheDaysBackup() throws {
    let backups = PostgresServer.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: backups) }
    let location = PostgresServer.location(backupsFolder: backups)
    let store = try location.create(Self.sample, operatorName: "甲")
    defer { store.close() }
    #expect(try store.takeDailyBackup(on: PostgresServer.day) { _ in })
    // 0001 saved after the backup: its backup copy is not what the chain last recorded.
    var household = try #require(store.town.household(id: "h000001"))
    household.address = "备份之后改的"
    try store.apply(try RosterEdit.saveHousehold(household, in: store.town))
    let connection = try PGConnection(url: PostgresServer.databaseURL)
    defer { connection.close() }
    try connection.exec(
      """
      UPDATE records SET body = body || ' 手改'
      WHERE town_id = $1 AND kind = 'households' AND record_id IN ('h000001', 'h000002')
      """, [location.townID])
    store.checkRecords()
    #expect(store.damaged.map(\.label) == ["households/h000001.json", "households/h000002.json"])
    #expect(store.damaged.map(\.repairSource) == [nil, "2026-12-10 的备份"])

    #expect(try store.restore(.household(id: "h000002")) == "2026-12-10 的备份")
    #expect(store.town.household(id: "h000002")?.address == "东山村1组2号")
    #expect(store.damaged.map(\.label) == ["households/h000001.json"])
    let setAside = try connection.exec(
      "SELECT record_id, set_aside_by, body LIKE '%手改%' FROM set_aside WHERE town_id = $1",
      [location.townID]
    ).rows
    #expect(setAside == [["h000002", "甲", "t"]])
    let line = try connection.exec(
      """
      SELECT operator, field, before, after FROM audit
      WHERE town_id = $1 AND record = 'households/h000002.json'
      """, [location.townID]
    ).rows
    #expect(line == [["甲", "*", "损坏", "2026-12-10 的备份"]])
    // The chain holds, and only the record still damaged is named.
    #expect(
      try PostgresTransfer.verify(townID: location.townID, on: connection).map(\.record) == [
        "households/h000001.json"
      ])

    #expect {
      try store.restore(.household(id: "h000001"))
    } throws: { error in
      (error as? PostgresError)?.message.contains("没有可用的备份副本") == true
    }
    #expect(
      try connection.exec(
        "SELECT body LIKE '%手改%' FROM records WHERE town_id = $1 AND record_id = 'h000001'",
        [location.townID]
      ).scalar == "t")
  }
}

/// What each clerk's save came to, from their threads.
private final class Outcomes: @unchecked Sendable {
  private let lock = NSLock()
  private var all: [String] = []
  func add(_ outcome: String) {
    lock.lock()
    defer { lock.unlock() }
    all.append(outcome)
  }
  var sorted: [String] {
    lock.lock()
    defer { lock.unlock() }
    return all.sorted()
  }
}

/// A store handed to the one thread that uses it.
private struct StoreBox: @unchecked Sendable {
  let store: PostgresTownStore
  init(_ store: PostgresTownStore) { self.store = store }
}

extension Array {
  fileprivate static func * (element: Self, count: Int) -> Self {
    (0..<count).flatMap { _ in element }
  }
}
