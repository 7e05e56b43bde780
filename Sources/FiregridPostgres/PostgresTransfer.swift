import FiregridModel
import FiregridRepository
import FiregridStore
import Foundation

/// What an import brought into the database.
public struct ImportReport: Equatable, Sendable {
  public var townID: String
  public var townName: String
  public var records = 0
  public var households = 0
  public var archivedHouseholds = 0
  public var visits = 0
  public var hazards = 0
  public var premises = 0
  public var inspections = 0
  public var auditLines = 0

  /// The report the command prints (Chinese).
  public var summary: String {
    """
    已导入镇「\(townName)」（编号 \(townID)）：记录 \(records) 条，\
    户 \(households)（另归档 \(archivedHouseholds)），走访 \(visits) 次，隐患 \(hazards) 处，\
    场所 \(premises) 处，检查 \(inspections) 次，审计日志 \(auditLines) 行
    """
  }
}

/// Moving a town between the data folder and the database, whole: an import is one
/// transaction (all or nothing), an export a new folder renamed into place (all or nothing).
/// Records keep their bytes and the audit chain its lines both ways, so history survives.
public enum PostgresTransfer {
  /// Inserts a new town: its row, its records (version 1), `audit` as its first lines
  /// verbatim, then one change (`changes` and a file line per record, kind `kind`) chained on.
  /// Call inside a transaction. Refused when the town id is taken.
  static func insertTown(
    townID: String, name: String, files: [(path: String, content: Data)], audit: [AuditEntry],
    changes: [AuditChange], kind: String, operatorName: String, time: String,
    on connection: PGConnection
  ) throws {
    let inserted = try connection.exec(
      """
      INSERT INTO towns (id, name, last_sequence, last_hash) VALUES ($1, $2, 0, $3)
      ON CONFLICT DO NOTHING
      """, [townID, name, AuditLog.genesisHash])
    guard inserted.affected == 1 else { throw PostgresError(TransferText.townExists(townID)) }
    var fileLines: [(path: String, before: String?, after: String?)] = []
    let perRow = 8
    for start in stride(from: 0, to: files.count, by: 500) {
      let chunk = files[start..<min(files.count, start + 500)]
      var values: [String] = []
      var parameters: [String?] = []
      for (index, file) in chunk.enumerated() {
        let key = PostgresTownStore.key(of: file.path)
        let digest = PortableTown.digest(file.content)
        fileLines.append((file.path, nil, digest))
        let base = index * perRow
        values.append(
          "($\(base + 1), $\(base + 2), $\(base + 3), 1, $\(base + 4), $\(base + 5), "
            + "$\(base + 6), $\(base + 7), $\(base + 8))")
        parameters += [
          townID, key.kind, key.id, String(decoding: file.content, as: UTF8.self), digest,
          operatorName, time, PortableTown.statisticsFacts(path: file.path, content: file.content),
        ]
      }
      try connection.exec(
        """
        INSERT INTO records (town_id, kind, record_id, version, body, digest, updated_by,
          updated_at, facts)
        VALUES \(values.joined(separator: ", "))
        """, parameters)
    }
    var entries = audit
    var previous = audit.last?.hash ?? AuditLog.genesisHash
    var sequence = audit.last?.sequence ?? 0
    for change in PortableTown.journalLines(changes, files: fileLines, kind: kind) {
      sequence += 1
      var entry = AuditEntry(
        sequence: sequence, time: time, operatorName: operatorName, change: change,
        previousHash: previous, hash: "")
      entry.hash = entry.computedHash
      previous = entry.hash
      entries.append(entry)
    }
    try PostgresTownStore.insertAudit(entries, townID: townID, on: connection)
    try connection.exec(
      "UPDATE towns SET last_sequence = $2, last_hash = $3 WHERE id = $1",
      [townID, String(sequence), previous])
  }

  /// Imports the data folder as the town `townID`, all or nothing, holding the folder's lock
  /// meanwhile. The folder must pass `check` without errors (warnings are allowed): what is
  /// imported is what the folder holds, byte for byte, with its audit log, and one more change
  /// saying it was imported.
  public static func importFolder(
    _ folder: DataFolder, as townID: String, into location: PostgresLocation,
    operatorName: String
  ) throws -> ImportReport {
    guard folder.state == .town else { throw StoreError.noTown(path: folder.url.path) }
    // Held while it is read, as any writer holds it: nobody saves into it meanwhile, and a
    // change the program stopped in the middle of is finished first (the open redoes it).
    let holder = try TownStore.open(
      folder: folder, operatorName: operatorName, clock: location.clock)
    defer { holder.close() }
    guard holder.folderAccess == .readWrite else {
      throw PostgresError(TransferText.folderHeld(holder.access))
    }
    let problems = FolderCheck.run(folder).filter { $0.severity == .error }
    guard problems.isEmpty else {
      throw PostgresError(
        TransferText.folderHasErrors(
          problems.count, problems.prefix(5).map(\.description).joined(separator: "\n")))
    }
    let (files, audit) = try PortableTown.read(folder)
    let report = PortableTown.decode(Dictionary(files.map { ($0.path, $0.content) }) { a, _ in a })
    let town = report.town
    let connection = try location.connect(operatorName: operatorName)
    defer { connection.close() }
    let time = location.clock.now()
    try connection.transaction {
      try insertTown(
        townID: townID, name: town.town.name, files: files, audit: audit,
        changes: [
          AuditChange(
            record: TransferText.importRecord, field: "folder", before: nil,
            after: folder.url.path)
        ], kind: "import", operatorName: operatorName, time: time, on: connection)
    }
    var result = ImportReport(townID: townID, townName: town.town.name)
    result.records = files.count
    result.households = town.households.count
    result.archivedHouseholds = town.archivedHouseholds.count
    result.visits = town.visitRecords.values.reduce(0) { $0 + $1.visits.count }
    result.hazards = town.visitRecords.values.reduce(0) { $0 + $1.hazards.count }
    result.premises = town.premises.count
    result.inspections = town.premisesRecords.values.reduce(0) { $0 + $1.visits.count }
    result.auditLines =
      Int(
        try connection.exec("SELECT count(*) FROM audit WHERE town_id = $1", [townID]).scalar ?? "")
      ?? 0
    return result
  }

  /// Writes the town `townID` as a new data folder (refused where the folder holds anything):
  /// every record's bytes, the audit chain, and one more change naming the export.
  /// Returns how many records were written.
  @discardableResult
  public static func export(
    townID: String, on connection: PGConnection, to folder: DataFolder, operatorName: String,
    time: String, progress: (JobProgress) -> Void = { _ in }
  ) throws -> Int {
    // One snapshot: the records and the audit lines as of the same moment.
    let (records, audit) = try connection.transaction {
      try connection.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
      let records = try connection.exec(
        "SELECT kind, record_id, body FROM records WHERE town_id = $1 ORDER BY kind, record_id",
        [townID])
      let audit = try connection.exec(
        """
        SELECT sequence, time, operator, record, field, before, after, previous_hash, hash
        FROM audit WHERE town_id = $1 ORDER BY sequence
        """, [townID])
      return (records, audit)
    }
    let total = records.rows.count + 1
    progress(JobProgress(done: 0, total: total))
    let files = records.rows.map { row in
      (
        path: PostgresTownStore.path(kind: row[0] ?? "", id: row[1] ?? ""),
        content: Data((row[2] ?? "").utf8)
      )
    }
    let entries = audit.rows.map { row in
      AuditEntry(
        sequence: Int(row[0] ?? "") ?? 0, time: row[1] ?? "", operatorName: row[2] ?? "",
        change: AuditChange(
          record: row[3] ?? "", field: row[4] ?? "", before: row[5], after: row[6]),
        previousHash: row[7] ?? "", hash: row[8] ?? "")
    }
    try PortableTown.write(
      to: folder, files: files, audit: entries,
      changes: [
        AuditChange(
          record: TransferText.exportRecord, field: townID, before: nil, after: folder.url.path)
      ], operatorName: operatorName, time: time)
    progress(JobProgress(done: total, total: total))
    return files.count
  }
}

extension PostgresTransfer {
  /// What `verify` found wrong: the record (as its file's path, or "audit") and why.
  public struct Problem: Equatable, Sendable, CustomStringConvertible {
    public var record: String
    public var message: String
    public var description: String { "错误 \(record)：\(message)" }
  }

  /// The town's audit chain and records checked in the database, as `check` checks a folder:
  /// each line hashes to itself and links to the one before, without gaps, ending where the
  /// town row says; each record's bytes are its digest, and what the chain's last file line
  /// for it recorded; each record that line says exists is there.
  public static func verify(townID: String, on connection: PGConnection) throws -> [Problem] {
    var problems: [Problem] = []
    let (records, audit, head) = try connection.transaction {
      try connection.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
      let records = try connection.exec(
        """
        SELECT kind, record_id, digest, encode(sha256(convert_to(body, 'UTF8')), 'hex')
        FROM records WHERE town_id = $1 ORDER BY kind, record_id
        """, [townID])
      let audit = try connection.exec(
        """
        SELECT sequence, time, operator, record, field, before, after, previous_hash, hash
        FROM audit WHERE town_id = $1 ORDER BY sequence
        """, [townID])
      let head = try connection.exec(
        "SELECT last_sequence, last_hash FROM towns WHERE id = $1", [townID])
      return (records, audit, head)
    }
    var previous = AuditLog.genesisHash
    var expected = 1
    var latest: [String: String?] = [:]
    for row in audit.rows {
      let entry = AuditEntry(
        sequence: Int(row[0] ?? "") ?? 0, time: row[1] ?? "", operatorName: row[2] ?? "",
        change: AuditChange(
          record: row[3] ?? "", field: row[4] ?? "", before: row[5], after: row[6]),
        previousHash: row[7] ?? "", hash: row[8] ?? "")
      if entry.sequence != expected {
        problems.append(
          Problem(record: "audit", message: TransferText.gap(expected, entry.sequence)))
      }
      if entry.hash != entry.computedHash {
        problems.append(
          Problem(record: "audit", message: TransferText.hashMismatch(entry.sequence)))
      }
      if entry.previousHash != previous {
        problems.append(Problem(record: "audit", message: TransferText.brokenChain(entry.sequence)))
      }
      if entry.change.record == "file" { latest[entry.change.field] = .some(entry.change.after) }
      previous = entry.hash
      expected = entry.sequence + 1
    }
    if let row = head.rows.first, row[0] != String(expected - 1) || row[1] != previous {
      problems.append(Problem(record: "audit", message: TransferText.headMismatch))
    }
    var present: Set<String> = []
    for row in records.rows {
      let path = PostgresTownStore.path(kind: row[0] ?? "", id: row[1] ?? "")
      present.insert(path)
      if row[2] != row[3] || latest[path] != .some(row[3]) {
        problems.append(Problem(record: path, message: TransferText.changedOutside))
      }
    }
    for (path, digest) in latest.sorted(by: { $0.key < $1.key })
    where digest != nil && !present.contains(path) {
      problems.append(Problem(record: path, message: TransferText.missing))
    }
    return problems
  }
}

enum TransferText {
  static func gap(_ expected: Int, _ found: Int) -> String {
    "审计日志缺行：应为第\(expected)行，实为第\(found)行"
  }
  static func hashMismatch(_ sequence: Int) -> String { "审计日志第\(sequence)行被修改（哈希不符）" }
  static func brokenChain(_ sequence: Int) -> String { "审计日志第\(sequence)行与上一行接不上（链断开）" }
  static let headMismatch = "镇的审计链末端与日志最后一行不符（末尾被删或被改）"
  static let changedOutside = "记录内容与审计日志最后所记不符：在程序之外被改动"
  static let missing = "记录缺失：审计日志记录它存在，但数据库中没有（被删除？）"
  static let importRecord = "db/import"
  static let exportRecord = "db/export"
  static func townExists(_ id: String) -> String {
    "数据库中已有镇「\(id)」，没有导入任何内容（换一个编号：--town）"
  }
  static func folderHeld(_ access: RepositoryAccess) -> String {
    if case .heldByAnother(let who) = access, let who {
      return "数据文件夹正被「\(who)」使用，没有导入任何内容：请先关闭那边的程序"
    }
    return "数据文件夹不能以读写方式打开（正被使用，或没有写权限），没有导入任何内容"
  }
  static func folderHasErrors(_ count: Int, _ first: String) -> String {
    "数据文件夹核查有 \(count) 处错误，没有导入任何内容（先运行 firegrid check 并修复）：\n\(first)"
  }
}
