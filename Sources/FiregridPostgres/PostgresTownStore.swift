import FiregridModel
import FiregridRepository
import FiregridStore
import Foundation

/// A save refused because another clerk changed (or removed) the same record since this one
/// read it: who, when, and the version found. Nothing of the change was written.
public struct RecordConflict: RepositoryError, Equatable {
  /// The record, named as the data folder's file ("households/h000001.json").
  public var path: String
  /// Who changed it and when (nil when it is gone).
  public var changedBy: String?
  public var changedAt: String?
  /// The version found (nil: the record is no longer there).
  public var foundVersion: Int?
  /// What they changed, said for a clerk ("新增走访 h000001-v3（2026-12-04）"), when it can be.
  public var theirChange: String?
  /// The paper this save would have entered, already entered by them as this visit (its id):
  /// the same paper typed twice, refused once.
  public var samePaper: (visitID: String, date: CivilDate, visitor: String)?

  public var message: String {
    guard let changedBy, let changedAt else { return PostgresText.conflictGone(path) }
    if let samePaper {
      return PostgresText.samePaper(
        samePaper.date, samePaper.visitor, samePaper.visitID, changedBy, changedAt)
    }
    if let theirChange {
      return PostgresText.conflictRebased(path, changedBy, changedAt, theirChange)
    }
    return PostgresText.conflict(path, changedBy, changedAt)
  }

  public static func == (a: RecordConflict, b: RecordConflict) -> Bool {
    a.path == b.path && a.changedBy == b.changedBy && a.changedAt == b.changedAt
      && a.foundVersion == b.foundVersion && a.theirChange == b.theirChange
      && a.samePaper?.visitID == b.samePaper?.visitID && a.samePaper?.date == b.samePaper?.date
      && a.samePaper?.visitor == b.samePaper?.visitor
  }
}

/// The town in a PostgreSQL database: `TownRepository` over the tables of `Schema`, with the
/// same semantics as the data folder's `TownStore` — each change all or nothing (one
/// transaction: its records, and its audit lines chained on from the town's last), one audit
/// line per field changed (`AuditDiff`), nothing written when nothing changed.
///
/// Each record carries a version: a save updates it only at the version this store read, so
/// a change someone else made in between is never overwritten — the save is refused with who
/// and when (`RecordConflict`), and the caller keeps what was typed. In `exclusive` mode (the
/// data folder's rule, which the repository contract checks) one session holds the town by a
/// session advisory lock and later openers read only; in shared mode any number of clerks
/// write, kept apart by the versions alone.
public final class PostgresTownStore: TownRepository {
  public let townID: String
  public let operatorName: String
  public private(set) var town: TownData
  public private(set) var access: RepositoryAccess
  public private(set) var damaged: [DamagedRecord] = []

  private var connection: PGConnection?
  private let clock: TownStore.Clock
  /// The visits the save being made adds (a conflict names one of them another clerk has
  /// entered already: the same paper).
  private var pendingPapers: [Visit] = []

  static func papersAdded(from old: VisitRecord?, to new: VisitRecord) -> [Visit] {
    let before = Set((old?.visits ?? []).map(\.id))
    return new.visits.filter { !before.contains($0.id) }
  }

  /// Each record's version and digest as this store read or wrote it, by its path.
  private var versions: [String: RecordVersion] = [:]
  /// Where the day's backup (an exported folder) goes; nil: no backups from here.
  private let backupsFolder: URL?
  private var backupDay: String?
  private var notice: String?
  /// The server, for the listener's own connection (nil: this store cannot watch).
  let url: String?
  /// Other sessions' commits to this town, heard on a thread of their own (`watchOutsideChanges`).
  var listener: PostgresChangeListener?

  struct RecordVersion: Equatable {
    var version: Int
    var digest: String
  }

  /// Opens the town `townID` on `connection` (the store owns it from now on, and closes it).
  init(
    connection: PGConnection, townID: String, operatorName: String, clock: TownStore.Clock,
    exclusive: Bool, backupsFolder: URL?, url: String? = nil
  ) throws {
    self.url = url
    self.connection = connection
    self.townID = townID
    // A clerk or inspector logged in as themselves is named by the server, whatever was typed
    // (the audit's trigger refuses any other name for a clerk); the owner names themselves.
    let session = try PostgresUsers.session(on: connection)
    self.operatorName = session.role == nil ? operatorName : session.user
    self.clock = clock
    self.backupsFolder = backupsFolder
    town = TownData(town: Town(name: ""), villages: [], grids: [], households: [], visitors: [])
    access = .readWrite
    if session.role == .inspector {
      // Read only, refused by the server's grants too: no lock taken, no holder written.
      access = .readOnlyAccount(UsersText.inspector(session.user))
    } else if exclusive {
      let held = try connection.exec(
        "SELECT pg_try_advisory_lock(\(Self.lockClass), hashtext($1))", [townID])
      if held.scalar == "t" {
        try connection.exec(
          """
          INSERT INTO town_holders (town_id, pid, operator, since)
          VALUES ($1, pg_backend_pid(), $2, $3)
          ON CONFLICT (town_id) DO UPDATE
            SET pid = excluded.pid, operator = excluded.operator, since = excluded.since
          """, [townID, operatorName, clock.now()])
      } else {
        access = .heldByAnother(try Self.holder(of: townID, on: connection))
      }
    }
    try connection.exec("LISTEN \(Self.channel)")
    try load()
  }

  deinit { close() }

  /// The channel every commit notifies, with "<town id> <last sequence>": other clerks'
  /// screens learn of a change within moments (`refreshIfChanged`).
  public static let channel = "firegrid_changes"

  /// The town's last audit sequence as this store last read or wrote it.
  public private(set) var lastSequence = 0

  /// Reads the town again when another session committed a change to it since this store
  /// last read (a notification on `channel`), waiting up to `seconds` for one; returns whether
  /// it did. What this store committed itself is not a change to read.
  @discardableResult
  public func refreshIfChanged(waiting seconds: Double = 0) throws -> Bool {
    let connection = try open()
    let received =
      seconds > 0
      ? try connection.waitForNotifications(seconds: seconds) : try connection.notifications()
    let newer = received.contains { notification in
      let parts = notification.payload.split(separator: " ")
      return notification.channel == Self.channel && parts.count == 2
        && String(parts[0]) == townID && (Int(parts[1]) ?? 0) > lastSequence
    }
    guard newer else { return false }
    try load()
    return true
  }

  /// The advisory lock class of a town (its id hashed is the other key).
  static let lockClass = 7_301_002

  /// Who holds `townID`'s lock: the operator the holding session recorded, with since when.
  static func holder(of townID: String, on connection: PGConnection) throws -> String? {
    let rows = try connection.exec(
      """
      SELECT h.operator, h.since FROM pg_locks l JOIN town_holders h ON h.pid = l.pid
      WHERE h.town_id = $1 AND l.locktype = 'advisory' AND l.granted
        AND l.classid = \(lockClass)::oid AND l.objid = hashtext($1)::oid AND l.objsubid = 2
      """, [townID])
    guard let row = rows.rows.first, let name = row[0] else { return nil }
    return PostgresText.holder(name, since: row[1] ?? "")
  }

  /// Reads the whole town again (what other clerks saved since included). The records and the
  /// chain's end come from one snapshot: a change committed between the two reads would
  /// otherwise be counted as read and never be.
  public func load() throws {
    let connection = try open()
    let (rows, head) = try connection.snapshot {
      (
        try connection.exec(
          "SELECT kind, record_id, version, digest, body FROM records WHERE town_id = $1",
          [townID]),
        try connection.exec("SELECT last_sequence FROM towns WHERE id = $1", [townID])
      )
    }
    var files: [String: Data] = [:]
    var versions: [String: RecordVersion] = [:]
    files.reserveCapacity(rows.rows.count)
    for row in rows.rows {
      let path = Self.path(kind: row[0] ?? "", id: row[1] ?? "")
      files[path] = Data((row[4] ?? "").utf8)
      versions[path] = RecordVersion(version: Int(row[2] ?? "") ?? 0, digest: row[3] ?? "")
    }
    let report = PortableTown.decode(files)
    recordsLastRead = rows.rows.count
    lastSequence = Int(head.scalar ?? "") ?? 0
    town = report.town
    self.versions = versions
    undecodable = report.damaged
    damaged = report.damaged.map(damagedRecord)
  }

  /// Reads only the records the chain's file lines name since this store last read or wrote
  /// (another clerk's saves), in one snapshot with the chain's end, and applies them to the
  /// town in memory (`PortableTown.patch`); the whole town when they are many (a quarter of
  /// its records and more: one read is then cheaper). Returns whether anything was newer.
  public func loadChanges() throws -> Bool {
    let connection = try open()
    enum Found {
      case nothing
      case many
      case changes(last: Int, paths: [String], rows: [[String?]])
    }
    let since = lastSequence
    let limit = max(256, versions.count / 4)
    let found: Found = try connection.snapshot {
      let head = try connection.exec("SELECT last_sequence FROM towns WHERE id = $1", [townID])
      guard let last = Int(head.scalar ?? ""), last > since else { return .nothing }
      let paths = try connection.exec(
        """
        SELECT DISTINCT field FROM audit
        WHERE town_id = $1 AND sequence > $2 AND record = 'file' LIMIT $3
        """, [townID, String(since), String(limit + 1)]
      ).rows.compactMap { $0[0] }
      guard paths.count <= limit else { return .many }
      let keys = paths.map(Self.key(of:))
      let rows = try connection.exec(
        """
        SELECT kind, record_id, version, digest, body FROM records
        WHERE town_id = $1
          AND (kind, record_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
        """,
        [
          townID, PGConnection.arrayLiteral(keys.map(\.kind)),
          PGConnection.arrayLiteral(keys.map(\.id)),
        ]
      ).rows
      return .changes(last: last, paths: paths, rows: rows)
    }
    switch found {
    case .nothing:
      return false
    case .many:
      try load()
      return true
    case .changes(let last, let paths, let rows):
      var changed: [String: Data?] = Dictionary(uniqueKeysWithValues: paths.map { ($0, nil) })
      var pending = versions
      for path in paths { pending[path] = nil }
      for row in rows {
        let path = Self.path(kind: row[0] ?? "", id: row[1] ?? "")
        changed[path] = Data((row[4] ?? "").utf8)
        pending[path] = RecordVersion(version: Int(row[2] ?? "") ?? 0, digest: row[3] ?? "")
      }
      recordsLastRead = rows.count
      let patched = PortableTown.patch(town, damaged: undecodable, with: changed)
      town = patched.town
      versions = pending
      lastSequence = last
      undecodable = patched.damaged
      // Found changed by hand (`checkRecords`) and not written since: still listed.
      let byHand = damaged.filter { record in
        changed[record.label] == nil && !undecodable.contains { $0.relativePath == record.label }
      }
      damaged = (undecodable.map(damagedRecord) + byHand).sorted { $0.label < $1.label }
      return true
    }
  }

  /// How many records the last `load` or `loadChanges` read from the server.
  public private(set) var recordsLastRead = 0

  /// The records that did not decode, as the last read found them.
  private var undecodable: [DamagedFile] = []

  private func damagedRecord(_ file: DamagedFile) -> DamagedRecord {
    var detail = file.error.message
    if case .unreadable(_, let whereItBroke) = file.error { detail = whereItBroke }
    return DamagedRecord(
      reference: DataFolder.reference(ofPath: file.relativePath), label: file.relativePath,
      detail: detail, repairSource: repairCopy(of: file.relativePath)?.description)
  }

  /// The good copy a damaged record is repaired from (`PostgresBackups.repairCopy`).
  private func repairCopy(of path: String) -> (description: String, data: Data)? {
    guard let connection else { return nil }
    return try? PostgresBackups.repairCopy(of: path, townID: townID, on: connection)
  }

  /// The version this store holds of the record at `path` (nil: none there).
  public func version(of path: String) -> Int? { versions[path]?.version }

  public func close() {
    // Released here, answered by the server, before the connection goes: the server ends a
    // closed session (and frees its locks) a moment after the client has gone, and the next
    // opener must not find the town still held.
    listener?.stop()
    listener = nil
    _ = try? connection?.exec("SELECT pg_advisory_unlock_all()")
    connection?.close()
    connection = nil
  }

  // MARK: Records and paths

  /// (kind, record id) of a data folder path: "households/h1.json" → ("households", "h1");
  /// the two files at the top are their own kind.
  static func key(of path: String) -> (kind: String, id: String) {
    if path == DataFolder.townFileName { return ("town", "town") }
    if path == DataFolder.supervisionFileName { return ("supervision", "supervision") }
    let folder = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    return (folder, name.hasSuffix(".json") ? String(name.dropLast(5)) : name)
  }

  static func path(kind: String, id: String) -> String {
    switch kind {
    case "town": return DataFolder.townFileName
    case "supervision": return DataFolder.supervisionFileName
    default: return "\(kind)/\(id).json"
    }
  }

  func open() throws(PostgresError) -> PGConnection {
    guard let connection else { throw PostgresError(PostgresText.closed) }
    return connection
  }

  private func requireWritable() throws {
    _ = try open()
    switch access {
    case .readWrite: break
    case .heldByAnother(let holder): throw PostgresError(PostgresText.heldBy(holder))
    case .readOnlyStorage: throw PostgresError(PostgresText.readOnly)
    case .readOnlyAccount(let reason): throw PostgresError(reason)
    }
    if damaged.contains(where: { $0.label == DataFolder.townFileName }) {
      throw PostgresError(PostgresText.damaged(DataFolder.townFileName))
    }
  }

  private func refuseDamaged(_ path: String) throws {
    if damaged.contains(where: { $0.label == path }) {
      throw PostgresError(PostgresText.damaged(path))
    }
  }

  /// The stored bytes of the record at `path` (nil: none).
  private func body(of path: String) throws -> Data? {
    let key = Self.key(of: path)
    let rows = try open().exec(
      "SELECT body FROM records WHERE town_id = $1 AND kind = $2 AND record_id = $3",
      [townID, key.kind, key.id])
    return rows.scalar.map { Data($0.utf8) }
  }

  // MARK: The one way anything is written

  /// Writes one change in one transaction: each record at the version this store read (or
  /// new, or removed), then `changes` and a file line per record (the journal's grouping),
  /// chained on from the town's last audit line under a row lock on the town. Either all of
  /// it is committed or none, and a record changed by someone else since refuses the whole.
  func commit(
    _ changes: [AuditChange], files: [FileImage], kind: String, time: String,
    prelude: ((PGConnection) throws -> Void)? = nil
  ) throws {
    let connection = try open()
    var pending = versions
    var written = 0
    var expectedSequence = -1
    try connection.transaction {
      try prelude?(connection)
      let head = try connection.exec(
        "SELECT last_sequence, last_hash FROM towns WHERE id = $1 FOR UPDATE", [townID])
      guard let row = head.rows.first, let sequence = Int(row[0] ?? ""), let hash = row[1] else {
        throw PostgresError(PostgresText.noTown(townID))
      }
      expectedSequence = sequence
      var fileLines: [(path: String, before: String?, after: String?)] = []
      for file in files {
        let key = Self.key(of: file.path)
        let expected = pending[file.path]
        if let content = file.content {
          let digest = PortableTown.digest(content)
          let body = String(decoding: content, as: UTF8.self)
          // The county table's line for a households or visits record (nil for the others).
          let facts = PortableTown.statisticsFacts(path: file.path, content: content)
          let written: PGRows
          if let expected {
            written = try connection.exec(
              """
              UPDATE records SET version = version + 1, body = $4, digest = $5, updated_by = $6,
                updated_at = $7, facts = $9
              WHERE town_id = $1 AND kind = $2 AND record_id = $3 AND version = $8
              """,
              [
                townID, key.kind, key.id, body, digest, operatorName, time,
                String(expected.version), facts,
              ])
          } else {
            written = try connection.exec(
              """
              INSERT INTO records
                (town_id, kind, record_id, version, body, digest, updated_by, updated_at, facts)
              VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
              """, [townID, key.kind, key.id, body, digest, operatorName, time, facts])
          }
          guard written.affected == 1 else { throw try conflict(file.path, on: connection) }
          pending[file.path] = RecordVersion(
            version: (expected?.version ?? 0) + 1, digest: digest)
          fileLines.append((file.path, expected?.digest, digest))
        } else if let expected {
          let removed = try connection.exec(
            """
            DELETE FROM records
            WHERE town_id = $1 AND kind = $2 AND record_id = $3 AND version = $4
            """, [townID, key.kind, key.id, String(expected.version)])
          guard removed.affected == 1 else { throw try conflict(file.path, on: connection) }
          pending[file.path] = nil
          fileLines.append((file.path, expected.digest, nil))
        }
      }
      let lines = PortableTown.journalLines(changes, files: fileLines, kind: kind)
      var entries: [AuditEntry] = []
      entries.reserveCapacity(lines.count)
      var previous = hash
      for (offset, change) in lines.enumerated() {
        var entry = AuditEntry(
          sequence: sequence + offset + 1, time: time, operatorName: operatorName,
          change: change, previousHash: previous, hash: "")
        entry.hash = entry.computedHash
        previous = entry.hash
        entries.append(entry)
      }
      try Self.insertAudit(entries, townID: townID, on: connection)
      if let last = entries.last {
        try connection.exec(
          "UPDATE towns SET last_sequence = $2, last_hash = $3 WHERE id = $1",
          [townID, String(last.sequence), last.hash])
        // Delivered when the transaction commits, never when it rolls back.
        try connection.exec(
          "SELECT pg_notify($1, $2)", [Self.channel, "\(townID) \(last.sequence)"])
        written = last.sequence
      }
    }
    versions = pending
    // Only when this store had read everything before: otherwise others' changes in between
    // still have to be read.
    if written > 0, lastSequence == expectedSequence { lastSequence = written }
  }

  /// Audit entries as rows, many to a statement.
  static func insertAudit(_ entries: [AuditEntry], townID: String, on connection: PGConnection)
    throws
  {
    let perRow = 10
    for start in stride(from: 0, to: entries.count, by: 500) {
      let chunk = entries[start..<min(entries.count, start + 500)]
      var values: [String] = []
      var parameters: [String?] = []
      parameters.reserveCapacity(chunk.count * perRow)
      for (index, entry) in chunk.enumerated() {
        let base = index * perRow
        // Typed: a column of NULLs alone (no `before` in the whole chunk) has no type to infer.
        values.append(
          "("
            + (1...perRow).map { "$\(base + $0)::\($0 == 2 ? "bigint" : "text")" }
            .joined(separator: ", ") + ")")
        parameters += [
          townID, String(entry.sequence), entry.time, entry.operatorName, entry.change.record,
          entry.change.field, entry.change.before, entry.change.after, entry.previousHash,
          entry.hash,
        ]
      }
      try connection.exec(
        """
        INSERT INTO audit (town_id, sequence, time, operator, record, field, before, after,
          previous_hash, hash)
        VALUES \(values.joined(separator: ", "))
        """, parameters)
    }
  }

  /// Why the record at `path` was not where this store left it: who changed it, and when.
  /// What they changed in a visit or inspection record is said (its visits added or taken
  /// back), and a paper this save adds that they had entered already is named.
  private func conflict(_ path: String, on connection: PGConnection) throws -> RecordConflict {
    let key = Self.key(of: path)
    let rows = try connection.exec(
      """
      SELECT version, updated_by, updated_at, body FROM records
      WHERE town_id = $1 AND kind = $2 AND record_id = $3
      """, [townID, key.kind, key.id])
    guard let row = rows.rows.first else {
      return RecordConflict(path: path, changedBy: nil, changedAt: nil, foundVersion: nil)
    }
    var conflict = RecordConflict(
      path: path, changedBy: row[1], changedAt: row[2], foundVersion: row[0].flatMap { Int($0) })
    guard key.kind == "visits" || key.kind == "inspections", let body = row[3] else {
      return conflict
    }
    let theirs = PortableTown.decode([path: Data(body.utf8)]).town
    let mine: VisitRecord?
    let theirRecord: VisitRecord?
    if key.kind == "visits" {
      (mine, theirRecord) = (town.visitRecords[key.id], theirs.visitRecords[key.id])
    } else {
      (mine, theirRecord) = (town.premisesRecords[key.id], theirs.premisesRecords[key.id])
    }
    guard let theirRecord else { return conflict }
    let mineIDs = Set((mine?.visits ?? []).map(\.id))
    let theirIDs = Set(theirRecord.visits.map(\.id))
    let added = theirRecord.visits.filter { !mineIDs.contains($0.id) }
    let removed = (mine?.visits ?? []).filter { !theirIDs.contains($0.id) }
    var said = added.map { PostgresText.visitAdded($0.id, $0.date) }
    said += removed.map { PostgresText.visitTakenBack($0.id, $0.date) }
    if said.isEmpty { said = [PostgresText.visitsEdited] }
    conflict.theirChange = said.joined(separator: "，")
    if let paper = pendingPapers.first(where: { new in
      added.contains { $0.date == new.date && $0.visitorID == new.visitorID }
    }), let twin = added.first(where: { $0.date == paper.date && $0.visitorID == paper.visitorID })
    {
      let visitor =
        town.visitor(id: twin.visitorID)?.name ?? twin.visitorID ?? PostgresText.noVisitor
      conflict.samePaper = (twin.id, twin.date, visitor)
    }
    return conflict
  }

  /// The shape of one record's save: refused while it is damaged, nothing written when
  /// nothing changed, then one change, and the town in memory updated once it is committed.
  private func save(
    _ kind: String, path: String?, changes: [AuditChange],
    images: (_ now: String) throws -> [FileImage], then update: () -> Void
  ) throws {
    try requireWritable()
    if let path { try refuseDamaged(path) }
    guard !changes.isEmpty else { return }
    let now = clock.now()
    let files = try images(now)
    do {
      try commit(changes, files: files, kind: kind, time: now)
    } catch let error as PostgresError where error.isUniqueViolation {
      // The server's papers_once: a record holding the same paper twice (the forms refuse
      // one; a hand-made record or a bypassed rule would not).
      guard error.message.contains("papers_once") else { throw error }
      throw PostgresError(
        PostgresText.paperTwice(
          files.map(\.path).filter { $0.hasPrefix("visits/") || $0.hasPrefix("inspections/") }
            .joined(separator: "、")), sqlState: error.sqlState)
    }
    update()
  }

  // MARK: TownRepository

  @discardableResult
  public func ensureCampaign(on day: CivilDate) throws -> Campaign {
    let campaign = town.campaign(on: day)
    guard !town.campaigns.contains(where: { $0.name == campaign.name }) else { return campaign }
    guard access == .readWrite else { return campaign }
    var data = town
    data.campaigns.append(campaign)
    try saveTownRecords(data)
    return campaign
  }

  private func saveTownRecords(_ data: TownData) throws {
    try save(
      "town", path: nil, changes: PortableTown.townRecordChanges(from: town, to: data)
    ) { now in
      [try PortableTown.townImage(data, savedBy: operatorName, savedAt: now)]
    } then: {
      town.takeTownRecords(of: data)
    }
  }

  public func apply(_ outcome: RosterEdit.Outcome) throws {
    try requireWritable()
    let now = clock.now()
    var changes: [AuditChange] = []
    var files: [FileImage] = []
    var written: [String: Data] = [:]
    for household in outcome.changedHouseholds {
      let path = DataFolder.householdPath(household.id)
      try refuseDamaged(path)
      let old = town.households.first { $0.id == household.id }
      let householdChanges = AuditDiff.changes(from: old, to: household)
      guard !householdChanges.isEmpty else { continue }
      changes += householdChanges
      let image = try PortableTown.householdImage(household, savedBy: operatorName, savedAt: now)
      files.append(image)
      written[path] = image.content
    }
    if outcome.townRecordsChanged {
      let townChanges = PortableTown.townRecordChanges(from: town, to: outcome.town)
      if !townChanges.isEmpty {
        changes += townChanges
        files.append(try PortableTown.townImage(outcome.town, savedBy: operatorName, savedAt: now))
      }
    }
    for id in outcome.restoredHouseholdIDs {
      files.append(FileImage(path: PortableTown.archivedHouseholdPath(id), content: nil))
      let archivedVisits = PortableTown.archivedVisitRecordPath(id)
      if versions[archivedVisits] != nil, let bytes = try body(of: archivedVisits) {
        files.append(FileImage(path: DataFolder.visitRecordPath(id), content: bytes))
        files.append(FileImage(path: archivedVisits, content: nil))
      }
    }
    var archived: [String] = []
    for id in outcome.archivedHouseholdIDs {
      guard let old = town.households.first(where: { $0.id == id }) else { continue }
      changes += AuditDiff.changes(from: old, to: nil)
      files += try archiveFiles(
        [
          (DataFolder.householdPath(id), PortableTown.archivedHouseholdPath(id)),
          (DataFolder.visitRecordPath(id), PortableTown.archivedVisitRecordPath(id)),
        ], written: written)
      archived.append(id)
    }
    guard !changes.isEmpty else { return }
    try commit(changes, files: files, kind: "roster", time: now)
    town.takeRosterEdit(outcome, archived: archived)
  }

  /// The writes that move records to the archive: the same bytes there, the originals
  /// removed. `written` holds bytes the same change writes first.
  private func archiveFiles(
    _ moves: [(from: String, to: String)], written: [String: Data] = [:]
  ) throws -> [FileImage] {
    var files: [FileImage] = []
    for (from, to) in moves {
      let bytes: Data
      if let pending = written[from] {
        bytes = pending
      } else if versions[from] != nil, let stored = try body(of: from) {
        bytes = stored
      } else {
        continue
      }
      files.append(FileImage(path: to, content: bytes))
      files.append(FileImage(path: from, content: nil))
    }
    return files
  }

  public func saveVisitRecord(_ record: VisitRecord, addingVisitor visitor: Visitor?) throws {
    pendingPapers = Self.papersAdded(from: town.visitRecords[record.householdID], to: record)
    defer { pendingPapers = [] }
    let visitChanges = AuditDiff.changes(from: town.visitRecords[record.householdID], to: record)
    var data = town
    if let visitor { data.visitors.append(visitor) }
    let changes =
      visitor == nil || visitChanges.isEmpty
      ? visitChanges : PortableTown.townRecordChanges(from: town, to: data) + visitChanges
    try save("visits", path: DataFolder.visitRecordPath(record.householdID), changes: changes) {
      now in
      var files = [
        try PortableTown.visitRecordImage(record, savedBy: operatorName, savedAt: now)
      ]
      if visitor != nil {
        files.insert(try PortableTown.townImage(data, savedBy: operatorName, savedAt: now), at: 0)
      }
      return files
    } then: {
      town.visitors = data.visitors
      town.visitRecords[record.householdID] = record
    }
  }

  public func saveContactLog(_ log: ContactLog) throws {
    let logs = town.contactLogs[log.gridID] ?? []
    let updated = recording(log, in: logs)
    try save(
      "contacts", path: DataFolder.contactPath(log.gridID),
      changes: AuditDiff.changes(from: logs.first { $0.week == log.week }, to: log)
    ) { now in
      [
        try PortableTown.contactImage(
          updated, gridID: log.gridID, savedBy: operatorName, savedAt: now)
      ]
    } then: {
      town.contactLogs[log.gridID] = updated
    }
  }

  public func saveSupervision(_ supervision: SupervisionData) throws {
    try save(
      "supervision", path: DataFolder.supervisionFileName,
      changes: AuditDiff.changes(from: town.supervision, to: supervision)
    ) { now in
      [try PortableTown.supervisionImage(supervision, savedBy: operatorName, savedAt: now)]
    } then: {
      town.supervision = supervision
    }
  }

  public func savePremises(_ premises: [Premises]) throws {
    try requireWritable()
    for item in premises { try refuseDamaged(DataFolder.premisesPath(item.id)) }
    let index = Dictionary(
      town.premises.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    var latest: [String: Premises] = [:]
    var order: [String] = []
    for item in premises where latest.updateValue(item, forKey: item.id) == nil {
      order.append(item.id)
    }
    var changes: [AuditChange] = []
    var changed: [Premises] = []
    for id in order {
      guard let item = latest[id] else { continue }
      let itemChanges = AuditDiff.changes(from: index[id].map { town.premises[$0] }, to: item)
      guard !itemChanges.isEmpty else { continue }
      changes += itemChanges
      changed.append(item)
    }
    guard !changes.isEmpty else { return }
    let now = clock.now()
    let files = try changed.map {
      try PortableTown.premisesImage($0, savedBy: operatorName, savedAt: now)
    }
    try commit(changes, files: files, kind: "premises", time: now)
    for item in changed {
      if let position = index[item.id] {
        town.premises[position] = item
      } else {
        town.premises.append(item)
      }
    }
  }

  public func archivePremises(id: String) throws {
    try requireWritable()
    for path in [DataFolder.premisesPath(id), DataFolder.inspectionRecordPath(id)] {
      try refuseDamaged(path)
    }
    guard let index = town.premises.firstIndex(where: { $0.id == id }) else { return }
    let files = try archiveFiles([
      (DataFolder.premisesPath(id), PortableTown.archivedPremisesPath(id)),
      (DataFolder.inspectionRecordPath(id), PortableTown.archivedInspectionRecordPath(id)),
    ])
    let old = town.premises[index]
    try commit(
      AuditDiff.changes(from: old, to: nil), files: files, kind: "archive-premises",
      time: clock.now())
    town.premises.remove(at: index)
    town.archivedPremises.append(old)
    town.archivedPremises.sort { $0.id < $1.id }
    if let record = town.premisesRecords.removeValue(forKey: id) {
      town.archivedPremisesRecords[id] = record
    }
  }

  public func saveInspectionRecord(_ record: VisitRecord) throws {
    let id = record.householdID
    pendingPapers = Self.papersAdded(from: town.premisesRecords[id], to: record)
    defer { pendingPapers = [] }
    guard town.premises(id: id) != nil else {
      throw PostgresError(PostgresText.unknownPremises(id))
    }
    try save(
      "inspections", path: DataFolder.inspectionRecordPath(id),
      changes: AuditDiff.changes(
        from: town.premisesRecords[id], to: record, visitRecord: AuditDiff.inspectionRecord)
    ) { now in
      [try PortableTown.inspectionRecordImage(record, savedBy: operatorName, savedAt: now)]
    } then: {
      town.premisesRecords[id] = record
    }
  }

  public func recordAccess(to record: String) throws {
    try requireWritable()
    try commit(
      [PortableTown.accessChange(to: record)], files: [], kind: "access", time: clock.now())
  }

  public func history(ofHousehold householdID: String) throws -> [HistoryEntry] {
    try history(
      records: ["household/\(householdID)"],
      prefixes: ["visit/\(householdID)-", "hazard/\(householdID)-", "spotcheck/\(householdID)-c"])
  }

  public func history(ofPremises premisesID: String) throws -> [HistoryEntry] {
    try history(
      records: ["premises/\(premisesID)"],
      prefixes: ["\(AuditDiff.inspectionRecord)/\(premisesID)-", "hazard/\(premisesID)-"])
  }

  /// Audit lines whose record is one of `records` or starts with one of `prefixes`, in order
  /// (the index on (town_id, record) serves both).
  private func history(records: [String], prefixes: [String]) throws -> [HistoryEntry] {
    var conditions: [String] = []
    var parameters: [String?] = [townID]
    for record in records {
      parameters.append(record)
      conditions.append("record = $\(parameters.count)")
    }
    for prefix in prefixes {
      parameters.append(Self.likeEscaped(prefix) + "%")
      conditions.append("record LIKE $\(parameters.count)")
    }
    let rows = try open().exec(
      """
      SELECT sequence, time, operator, record, field, before, after FROM audit
      WHERE town_id = $1 AND (\(conditions.joined(separator: " OR "))) ORDER BY sequence
      """, parameters)
    return rows.rows.map { row in
      HistoryEntry(
        sequence: Int(row[0] ?? "") ?? 0, time: row[1] ?? "", operatorName: row[2] ?? "",
        change: AuditChange(
          record: row[3] ?? "", field: row[4] ?? "", before: row[5], after: row[6]))
    }
  }

  /// `text` matched literally by LIKE (its default escape is the backslash).
  static func likeEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
      .replacingOccurrences(of: "_", with: "\\_")
  }

  /// Records whose bytes are not what was written (their digest): changed outside the
  /// program, by hand in the database. Computed by the server.
  public func checkRecords() {
    guard
      let rows = try? connection?.exec(
        """
        SELECT kind, record_id FROM records WHERE town_id = $1
          AND digest <> encode(sha256(convert_to(body, 'UTF8')), 'hex')
        ORDER BY kind, record_id
        """, [townID])
    else { return }
    for row in rows.rows {
      let path = Self.path(kind: row[0] ?? "", id: row[1] ?? "")
      guard !damaged.contains(where: { $0.label == path }) else { continue }
      damaged.append(
        DamagedRecord(
          reference: DataFolder.reference(ofPath: path), label: path,
          detail: PostgresText.changedOutside, repairSource: repairCopy(of: path)?.description))
    }
  }

  public func restore(_ reference: RecordReference) throws -> String {
    let path = DataFolder.path(of: reference)
    guard damaged.contains(where: { $0.label == path }) else {
      throw PostgresError(PostgresText.notDamaged(path))
    }
    try requireWritable()
    guard let copy = repairCopy(of: path) else {
      throw PostgresError(PostgresText.cannotRepair(path))
    }
    // The record is written back at the version it has (a conflict if someone repaired it
    // meanwhile), as one change whose line says where the copy came from; the damaged bytes
    // are kept in `set_aside` in the same transaction.
    let key = Self.key(of: path)
    let time = clock.now()
    try commit(
      [AuditChange(record: path, field: "*", before: "损坏", after: copy.description)],
      files: [FileImage(path: path, content: copy.data)], kind: "repair", time: time
    ) { connection in
      try connection.exec(
        """
        INSERT INTO set_aside (town_id, kind, record_id, set_aside_at, set_aside_by, body)
        SELECT town_id, kind, record_id, $4, $5, body FROM records
        WHERE town_id = $1 AND kind = $2 AND record_id = $3
        """, [self.townID, key.kind, key.id, time, self.operatorName])
    }
    let stillDamaged = damaged.filter { $0.label != path }
    try load()
    // Records found changed by hand (`checkRecords`) stay listed until repaired too.
    for record in stillDamaged where !damaged.contains(where: { $0.label == record.label }) {
      damaged.append(record)
    }
    return copy.description
  }

  /// The day's backup: the town exported as a data folder into the backups folder
  /// (`<folder>/<town>/<day>`), once a day per town, whoever takes it (the `backups` table).
  @discardableResult
  public func takeDailyBackup(on day: CivilDate, progress: (JobProgress) -> Void) throws -> Bool {
    guard access == .readWrite, let backupsFolder, let connection else { return false }
    guard backupDay != day.description else { return false }
    let taken = try connection.exec(
      "SELECT 1 FROM backups WHERE town_id = $1 AND day = $2", [townID, day.description])
    backupDay = day.description
    guard taken.rows.isEmpty else { return false }
    let target = backupsFolder.appendingPathComponent(townID, isDirectory: true)
      .appendingPathComponent(day.description, isDirectory: true)
    do {
      try PostgresTransfer.export(
        townID: townID, on: connection, to: DataFolder(url: target), operatorName: operatorName,
        time: clock.now(), progress: progress)
    } catch StoreError.folderNotEmpty {
      // Another clerk's store took the day's backup at the same moment (shared mode).
      return false
    }
    try connection.exec(
      """
      INSERT INTO backups (town_id, day, taken_at, taken_by, location)
      VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
      """, [townID, day.description, clock.now(), operatorName, target.path])
    return true
  }

  public func takeNotice() -> String? {
    defer { notice = nil }
    return notice
  }
}

/// The store's messages (Chinese).
enum PostgresText {
  static let closed = "这个镇已关闭，不能再保存"
  static let readOnly = "只读打开，不能保存"
  static func heldBy(_ holder: String?) -> String {
    "\(holder.map { "「\($0)」" } ?? "另一位操作员")正在编辑这个镇，本窗口只读，不能保存"
  }
  static func holder(_ name: String, since: String) -> String {
    // As the data folder's lock says it: "甲 自2026-12-10 09:00".
    "\(name) 自\(minutes(since))"
  }
  /// "2026-12-10T09:00:00+08:00" → "2026-12-10 09:00"; anything else as it is.
  static func minutes(_ time: String) -> String {
    let characters = Array(time)
    guard characters.count >= 16, characters[10] == "T" else { return time }
    return "\(String(characters[0..<10])) \(String(characters[11..<16]))"
  }
  static func damaged(_ path: String) -> String { "记录 \(path) 已损坏，修复前不能保存" }
  static func noTown(_ id: String) -> String { "数据库中没有镇「\(id)」" }
  static func unknownPremises(_ id: String) -> String { "场所 \(id) 不在名册上（可能已归档）" }
  // The app says 保存失败 before and that what was typed is kept after.
  static func conflict(_ path: String, _ by: String, _ at: String) -> String {
    "\(path) 已被「\(by)」于 \(minutes(at)) 改过，未保存：请重新打开，核对后再改"
  }
  static func conflictRebased(_ path: String, _ by: String, _ at: String, _ what: String)
    -> String
  {
    "\(path) 已被「\(by)」于 \(minutes(at)) 改过（\(what)），未保存：屏幕更新后再按 Ctrl-S，即在最新记录上保存"
  }
  static func samePaper(
    _ date: CivilDate, _ visitor: String, _ visitID: String, _ by: String, _ at: String
  ) -> String {
    "同一张表（\(date)，\(visitor)）已由「\(by)」于 \(minutes(at)) 录入为 \(visitID)，本次没有重复保存：按 Esc 放弃本表"
  }
  static func visitAdded(_ id: String, _ date: CivilDate) -> String { "新增 \(id)（\(date)）" }
  static func visitTakenBack(_ id: String, _ date: CivilDate) -> String {
    "撤销 \(id)（\(date)）"
  }
  static let visitsEdited = "修改了已有的记录"
  static let noVisitor = "未写走访人"
  static func paperTwice(_ detail: String) -> String {
    "同一张表录入了两次（同一天、同一走访人），未保存：\(detail)"
  }
  static func conflictGone(_ path: String) -> String {
    "\(path) 已被别人删除或归档，本次修改没有保存"
  }
  static func cannotListen(_ detail: String) -> String { "无法监听其他文书的修改：\(detail)" }
  static let changedOutside = "数据库中的内容与程序写入的不符（在程序之外被改动）"
  static func notDamaged(_ path: String) -> String { "记录 \(path) 没有损坏，无需恢复" }
  static func cannotRepair(_ path: String) -> String {
    "数据库中的记录 \(path) 没有可用的备份副本（它在最近一次备份之后又保存过，或备份不在本机）：请联系管理员用 pg_dump 的备份或 firegrid db export 的文件夹恢复"
  }
}
