import FiregridStore
import Foundation

/// A town's backups on a database: the day's exported folders (`backups` table, taken by the
/// first clerk's store of the day), where a damaged record's good copy is found, and a
/// `pg_dump` of the whole database for the server's own way back.
public enum PostgresBackups {
  /// One day's backup as the `backups` table has it.
  public struct Entry: Equatable, Sendable {
    public var day: String
    public var takenAt: String
    public var takenBy: String
    /// The exported folder, on the machine of the clerk who took it.
    public var location: String
    /// Whether that folder is readable from here.
    public var isHere: Bool
  }

  /// The town's backups, newest first.
  public static func list(townID: String, on connection: PGConnection) throws -> [Entry] {
    try connection.exec(
      """
      SELECT day, taken_at, taken_by, location FROM backups WHERE town_id = $1 ORDER BY day DESC
      """, [townID]
    ).rows.map { row in
      let location = row[3] ?? ""
      var isFolder: ObjCBool = false
      let isHere =
        FileManager.default.fileExists(atPath: location, isDirectory: &isFolder)
        && isFolder.boolValue
      return Entry(
        day: row[0] ?? "", takenAt: row[1] ?? "", takenBy: row[2] ?? "", location: location,
        isHere: isHere)
    }
  }

  /// A good copy of the record at `path` (a data folder's relative path): from the newest
  /// backup reachable from here whose copy has the bytes the program last wrote for it (the
  /// audit chain's last file line of that path). Nil when none has: the record was saved after
  /// every backup, or the backups are on another machine.
  public static func repairCopy(of path: String, townID: String, on connection: PGConnection)
    throws -> (description: String, data: Data)?
  {
    let last = try connection.exec(
      """
      SELECT after FROM audit WHERE town_id = $1 AND record = 'file' AND field = $2
      ORDER BY sequence DESC LIMIT 1
      """, [townID, path])
    guard let wanted = last.rows.first?.first ?? nil else { return nil }
    for entry in try list(townID: townID, on: connection) where entry.isHere {
      let url = URL(fileURLWithPath: entry.location, isDirectory: true)
        .appendingPathComponent(path)
      guard let data = try? Data(contentsOf: url), PortableTown.digest(data) == wanted else {
        continue
      }
      return (BackupText.fromBackup(entry.day), data)
    }
    return nil
  }

  /// `pg_dump --format=custom` of the whole database into `file` (0600, written aside and
  /// renamed into place, never over an existing file): every town, the audit, the roles'
  /// grants. `pg_restore` makes a database of it again. pg_dump cannot keep one town's rows
  /// only; one town's copy is `firegrid db export`.
  public static func dump(url: String, to file: URL) throws(PostgresError) {
    guard !FileManager.default.fileExists(atPath: file.path) else {
      throw PostgresError(BackupText.dumpExists(file.path))
    }
    guard let pgDump = tool("pg_dump") else { throw PostgresError(BackupText.noPgDump) }
    let partial = file.deletingLastPathComponent()
      .appendingPathComponent(".\(file.lastPathComponent).partial-\(getpid())")
    let process = Process()
    process.executableURL = pgDump
    process.arguments = ["--format=custom", "--file=\(partial.path)", "--dbname=\(url)"]
    let errors = Pipe()
    process.standardError = errors
    let previous = umask(0o077)
    defer { umask(previous) }
    do {
      try process.run()
    } catch {
      throw PostgresError(BackupText.dumpFailed("\(error)"))
    }
    let said = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      try? FileManager.default.removeItem(at: partial)
      throw PostgresError(
        BackupText.dumpFailed(
          String(decoding: said, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
    }
    do {
      let handle = try FileHandle(forUpdating: partial)
      try handle.synchronize()
      try handle.close()
    } catch {
      throw PostgresError(BackupText.dumpFailed("\(error)"))
    }
    // link(2) refuses an existing name, so a file that appeared meanwhile is never replaced.
    guard link(partial.path, file.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: partial)
      throw PostgresError(BackupText.dumpFailed(reason))
    }
    unlink(partial.path)
    try? AtomicFile.syncFolder(file.deletingLastPathComponent())
  }

  /// A PostgreSQL program: on the PATH (Debian's wrappers in /usr/bin), else the newest of
  /// /usr/lib/postgresql/*/bin.
  static func tool(_ name: String) -> URL? {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
      .split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
    let versions =
      ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
      .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
      .map { URL(fileURLWithPath: "/usr/lib/postgresql/\($0)/bin/\(name)") }
    return (paths + versions).first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }
}

/// The backups' messages (Chinese).
enum BackupText {
  static func fromBackup(_ day: String) -> String { "\(day) 的备份" }
  static func dumpExists(_ path: String) -> String { "\(path) 已存在：不会覆盖，请换一个文件名" }
  static let noPgDump =
    "找不到 pg_dump：请安装 PostgreSQL 客户端（apt-get install postgresql-client），或用 firegrid db export 导出为文件夹"
  static func dumpFailed(_ detail: String) -> String { "pg_dump 失败：\(detail)" }
}
