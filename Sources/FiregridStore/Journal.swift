import Crypto
import FiregridRepository
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One file a change leaves behind: its new bytes, or nil when the change removes it.
/// `path` is relative to the data folder ("households/h000001.json").
public struct FileImage: Equatable, Sendable {
  public var path: String
  public var content: Data?
  /// SHA-256 of the file's bytes before the change (nil: it did not exist), filled in when the
  /// change is committed: a redo overwrites a file only while it still holds these bytes.
  var before: String?

  public init(path: String, content: Data?) {
    self.path = path
    self.content = content
  }
}

/// The write-ahead journal: every change to the data folder — a household, a visit, a contact
/// week, the town's records, an archive, a new town, a restore — is one *group* of lines in
/// audit.log, made durable before any data file is touched, and its files' new bytes (the
/// after-image) are in `journal/<day>.redo`, made durable before that.
///
/// A group is the change's audit lines (who changed which field, before → after), one line per
/// file it writes (`record` "file", `field` the path, `after` the SHA-256 of the new bytes, or
/// null when the file is removed), and last a commit line (`record` "commit", `field` the kind
/// of change, `after` the number of lines in the group). The group is one write(2) and one
/// fdatasync: a change is committed exactly when its commit line is on disk.
///
/// Order of a save (`TownStore.commit`): redo record (append + fdatasync) → audit group
/// (append + fdatasync: the commit) → data files (temp, fsync, rename, fsync folder) →
/// audit.head. A crash before the commit leaves the files as they were and an orphan redo
/// record that nothing replays (its sequence and hash are not in the log); a crash after it is
/// redone on the next open from the redo record (`redoLast`), so a change is whole or absent.
///
/// Why the after-images are not in audit.log itself, as in SQLite's WAL: a visit file is
/// rewritten whole on every visit, and a season's ~200,000 visit saves of files that grow to a
/// few KB would add ~0.4 GB to a log the history screen searches. The redo files hold a day's
/// saves each (~3 MB for 1,000 saves), are kept as long as the daily backups they replay onto,
/// and let a restore bring a backup forward to any committed change (`Backups.restore`).
///
/// `firegrid check` reconciles the folder with the journal: each data file's SHA-256 must be
/// the one its latest file line names, and each file the journal names must exist.
public enum Journal {
  public static let folderName = "journal"
  static let fileRecord = "file"
  static let commitRecord = "commit"
  static let redoSuffix = ".redo"

  /// The folders whose files are data (and so journalled and reconciled by `check`).
  static let dataFolders = [
    DataFolder.householdsFolderName, DataFolder.visitsFolderName, DataFolder.contactsFolderName,
    DataFolder.archivedHouseholdsPath, DataFolder.archivedVisitsPath,
    DataFolder.premisesFolderName, DataFolder.inspectionsFolderName,
    DataFolder.archivedPremisesPath, DataFolder.archivedInspectionsPath,
  ]

  /// Lower-case hex SHA-256 of a file's bytes, as file lines record it.
  public static func digest(_ data: Data) -> String {
    AuditCanonical.hex(SHA256.hash(data: data))
  }

  /// The audit lines of one change: its own lines, one per file, and the commit line.
  static func group(_ changes: [AuditChange], files: [FileImage], kind: String) -> [AuditChange] {
    group(
      changes, digests: files.map { ($0.path, $0.before, $0.content.map(digest)) }, kind: kind)
  }

  /// The same from the files' digests (before, after; nil = absent): a baseline names every
  /// file of a folder without holding their bytes at once.
  static func group(
    _ changes: [AuditChange], digests: [(path: String, before: String?, after: String?)],
    kind: String
  ) -> [AuditChange] {
    var lines = changes
    lines.reserveCapacity(changes.count + digests.count + 1)
    for file in digests {
      lines.append(
        AuditChange(record: fileRecord, field: file.path, before: file.before, after: file.after))
    }
    lines.append(
      AuditChange(record: commitRecord, field: kind, before: nil, after: String(lines.count + 1)))
    return lines
  }

  /// The data files at the folder's top level.
  static let topLevelFiles = [DataFolder.townFileName, DataFolder.supervisionFileName]

  /// Relative paths of every data file in the folder (town.json, supervision.json and the
  /// data folders' `*.json`, temp and damaged copies left out), sorted.
  static func dataFiles(in folder: URL) -> [String] {
    var paths: [String] = []
    for name in topLevelFiles
    where Backups.fileType(folder.appendingPathComponent(name)) == S_IFREG {
      paths.append(name)
    }
    for name in dataFolders {
      let names =
        (try? FileManager.default.contentsOfDirectory(
          atPath: folder.appendingPathComponent(name).path)) ?? []
      for file in names where file.hasSuffix(".json") && !file.hasPrefix(".") {
        paths.append("\(name)/\(file)")
      }
    }
    return paths.sorted()
  }

  // MARK: Redo records

  /// One line of a redo file: the files of the change whose commit line is `sequence`/`hash`.
  struct RedoRecord: Codable, Equatable {
    var sequence: Int
    var hash: String
    var time: String
    var files: [RedoImage]

    var images: [FileImage] {
      files.map {
        var image = FileImage(
          path: $0.path, content: $0.content.flatMap { Data(base64Encoded: $0) })
        image.before = $0.before
        return image
      }
    }
  }

  struct RedoImage: Codable, Equatable {
    var path: String
    /// Base64 of the bytes; nil = the file is removed.
    var content: String?
    /// SHA-256 of the bytes the change replaced; nil = the file did not exist.
    var before: String?
  }

  static func redoFolder(_ folder: URL) -> URL {
    folder.appendingPathComponent(folderName, isDirectory: true)
  }

  /// Appends a redo record to `journal/<day>.redo` with one write and fdatasync. A failed
  /// write is cut off again; a record that stays without its commit is never replayed.
  static func appendRedo(
    _ files: [FileImage], commit: AuditEntry, day: String, folder: URL
  ) throws(StoreError) {
    let record = RedoRecord(
      sequence: commit.sequence, hash: commit.hash, time: commit.time,
      files: files.map {
        RedoImage(path: $0.path, content: $0.content?.base64EncodedString(), before: $0.before)
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let redo = redoFolder(folder)
    let path = redo.appendingPathComponent(day + redoSuffix).path
    var bytes: Data
    do { bytes = try encoder.encode(record) } catch {
      throw StoreError.io(path: path, code: EINVAL)
    }
    bytes.append(0x0A)
    try AtomicFile.makeFolder(redo)
    var fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
    var created = false
    if fd < 0 && errno == ENOENT {
      fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, AtomicFile.fileMode)
      created = true
    }
    guard fd >= 0 else { throw StoreError.from(errno: errno, path: path) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw StoreError.from(errno: errno, path: path) }
    var failure: StoreError?
    bytes.withUnsafeBytes { raw in failure = AtomicFile.writeAll(fd, raw, path: path) }
    if failure == nil {
      var result: Int32
      repeat { result = fdatasync(fd) } while result != 0 && errno == EINTR
      if result != 0 { failure = StoreError.from(errno: errno, path: path) }
    }
    if let failure {
      _ = ftruncate(fd, status.st_size)
      throw failure
    }
    if created { try AtomicFile.syncFolder(redo) }
  }

  /// The redo files' days, oldest first.
  static func redoDays(folder: URL) -> [String] {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: redoFolder(folder).path)) ?? []
    return names.filter { $0.hasSuffix(redoSuffix) && !$0.hasPrefix(".") }
      .map { String($0.dropLast(redoSuffix.count)) }.sorted()
  }

  /// Every whole, readable record of one day's redo file, in order.
  static func redoRecords(folder: URL, day: String) -> [RedoRecord] {
    let path = redoFolder(folder).appendingPathComponent(day + redoSuffix).path
    guard let bytes = try? AuditLog.readFile(path) else { return [] }
    let decoder = JSONDecoder()
    return AuditLines(bytes).lines.compactMap { redoRecord(bytes[$0], decoder: decoder) }
  }

  /// One redo line, read as strictly as every other file (a repeated key: unreadable).
  private static func redoRecord(_ line: ArraySlice<UInt8>, decoder: JSONDecoder) -> RedoRecord? {
    guard StrictJSON.duplicateKey(in: line) == nil else { return nil }
    return try? decoder.decode(RedoRecord.self, from: Data(line))
  }

  /// The newest redo record (the last change that wrote files), if any.
  static func lastRedo(folder: URL) -> RedoRecord? {
    let decoder = JSONDecoder()
    for day in redoDays(folder: folder).reversed() {
      let path = redoFolder(folder).appendingPathComponent(day + redoSuffix).path
      guard let bytes = try? AuditLog.readFile(path) else { continue }
      // Only the last whole lines are decoded: a day's file holds every save of the day.
      for line in AuditLines(bytes).lines.reversed() {
        if let record = redoRecord(bytes[line], decoder: decoder) { return record }
      }
    }
    return nil
  }

  /// Removes redo files of days before `day` (the oldest backup kept: nothing older can be
  /// replayed onto a backup).
  static func pruneRedo(folder: URL, before day: String) {
    for old in redoDays(folder: folder) where old < day {
      unlink(redoFolder(folder).appendingPathComponent(old + redoSuffix).path)
    }
  }

  // MARK: Applying

  /// Writes (atomically) or removes each file; files already as wanted are left alone, so
  /// applying twice is the same as once.
  static func apply(_ files: [FileImage], to folder: DataFolder) throws(StoreError) {
    for file in files {
      guard let parts = Backups.components(of: file.path) else {
        throw StoreError.outsideFolder(path: file.path)
      }
      let url = Backups.append(parts, to: folder.url)
      if let content = file.content {
        if Backups.fileType(url) == S_IFREG, (try? AtomicFile.readAll(url)) == content { continue }
        try folder.fileSystem.makeFolder(url.deletingLastPathComponent())
        try folder.fileSystem.writeAtomically(content, to: url)
      } else if Backups.fileType(url) != nil {
        try folder.fileSystem.remove(url)
      }
    }
  }

  /// Reads each file's current bytes and sets `before` to their digest (nil when absent).
  static func withBefore(_ files: [FileImage], in folder: URL) throws(StoreError) -> [FileImage] {
    var result = files
    for index in result.indices {
      let url = folder.appendingPathComponent(result[index].path)
      if Backups.fileType(url) == S_IFREG {
        result[index].before = digest(try AtomicFile.readAll(url))
      }
    }
    return result
  }

  /// What a redo of a committed change has to do with each of its files: nothing where the
  /// file already holds the new bytes; write where it still holds the bytes from before the
  /// change; and where it holds something else (damaged or changed by hand since), nothing —
  /// never overwrite a file that is not what the journal expected: it is reported, and the
  /// damaged-files screen repairs it from the journal.
  static func redoPlan(_ files: [FileImage], in folder: URL) -> [FileImage] {
    files.filter { file in
      let url = folder.appendingPathComponent(file.path)
      let current: String? =
        Backups.fileType(url) == S_IFREG ? (try? AtomicFile.readAll(url)).map(digest) : nil
      let wanted = file.content.map(digest)
      return current != wanted && current == file.before
    }
  }

  // MARK: Reading the journal back

  /// The latest digest the journal records for each file (nil = removed), from every file
  /// line of the log through sequence `last`, and whether the log has any commit line (a
  /// journal at all). Read in `AuditScan`'s one pass (`check` shares it with `verify`).
  static func latestDigests(folder: URL, through last: Int = .max) throws(StoreError) -> (
    digests: [String: String?], journalled: Bool
  ) {
    let scan = try AuditScan.run(folder: folder, AuditScan.Request(digestsThrough: last))
    return (scan.digests, scan.journalled)
  }

  static let fileNeedle = Array("\"record\":\"\(fileRecord)\"".utf8)

  /// A file line read straight from its canonical bytes
  /// (`{"change":{"after":"<hex>"|null,"before":"<hex>"|null,"field":"<path>","record":"file"},
  /// …,"sequence":N,…}`); nil for anything else, which JSONDecoder then reads. A season's log
  /// has ~200,000 file lines, and decoding each made `D` and `check` seconds slower.
  static func fileLine(_ bytes: ArraySlice<UInt8>) -> (path: String, after: String?, sequence: Int)?
  {
    var index = bytes.startIndex
    func take(_ literal: String) -> Bool {
      let expected = Array(literal.utf8)
      guard bytes.distance(from: index, to: bytes.endIndex) >= expected.count,
        bytes[index..<index + expected.count].elementsEqual(expected)
      else { return false }
      index += expected.count
      return true
    }
    /// A quoted string without escapes, or null (nil inside .some).
    func quotedOrNull() -> String?? {
      if take("null") { return .some(nil) }
      guard take("\"") else { return nil }
      let start = index
      while index < bytes.endIndex, bytes[index] != 0x22 {
        if bytes[index] == 0x5C { return nil }
        index += 1
      }
      guard index < bytes.endIndex else { return nil }
      let text = String(decoding: bytes[start..<index], as: UTF8.self)
      index += 1
      return .some(text)
    }
    guard take(#"{"change":{"after":"#), let after = quotedOrNull(), take(#","before":"#),
      quotedOrNull() != nil, take(#","field":"#), let field = quotedOrNull(), let path = field,
      take(#","record":"file"}"#)
    else { return nil }
    let needle = Array(#","sequence":"#.utf8)
    guard let found = bytes[index...].firstRange(of: needle) else { return nil }
    var sequence = 0
    var digit = found.upperBound
    while digit < bytes.endIndex, (0x30...0x39).contains(bytes[digit]) {
      sequence = sequence * 10 + Int(bytes[digit] - 0x30)
      digit += 1
    }
    guard digit > found.upperBound else { return nil }
    return (path, after, sequence)
  }

  /// The last commit line written at or before `time` (ISO 8601 local time, or a prefix of
  /// one such as "2026-12-04T10:30"), nil when none.
  public static func lastCommit(atOrBefore time: String, folder: URL) throws(StoreError) -> Int? {
    let path = folder.appendingPathComponent(AuditLog.fileName).path
    guard let data = try AuditLog.readFile(path) else { return nil }
    let decoder = JSONDecoder()
    var found: Int?
    for line in AuditLines(data).lines where data[line].contains(AuditLog.commitNeedle) {
      guard let entry = AuditCanonical.decode(data[line], with: decoder),
        entry.change.record == commitRecord, entry.time.prefix(time.count) <= time
      else { continue }
      found = entry.sequence
    }
    return found
  }

  /// Hash of each committed change by its commit line's sequence (for replaying redo records).
  static func commits(folder: URL) throws(StoreError) -> [Int: String] {
    try AuditScan.run(folder: folder, AuditScan.Request(commits: nil)).commits
  }
}

/// Writes changes through the journal for one process that holds the folder's lock.
final class JournalWriter {
  let folder: DataFolder
  let audit: AuditLog
  let operatorName: String
  let clock: TownStore.Clock
  /// The files of a committed change not yet all written (a full disk after the commit).
  private var pendingFiles: [FileImage] = []
  private var notice: String?

  init(folder: DataFolder, audit: AuditLog, operatorName: String, clock: TownStore.Clock) {
    self.folder = folder
    self.audit = audit
    self.operatorName = operatorName
    self.clock = clock
  }

  /// Records one change, then writes its files: the redo record and the audit lines are
  /// durable before any data file is touched. A failure before the commit line is on disk
  /// leaves nothing changed and is thrown; after it, the change stands (the caller updates its
  /// copy), a file that could not be written is kept pending and written before the next
  /// change or on the next open, and the notice says so.
  func commit(_ changes: [AuditChange], files: [FileImage], kind: String, time: String)
    throws(StoreError)
  {
    if !pendingFiles.isEmpty {
      try Journal.apply(pendingFiles, to: folder)
      pendingFiles = []
      notice = nil
    }
    let fileSystem = folder.fileSystem
    let files = try Journal.withBefore(files, in: folder.url)
    let entries = audit.prepare(
      Journal.group(changes, files: files, kind: kind), operatorName: operatorName, time: time)
    try fileSystem.faultPoint("redo")
    if !files.isEmpty {
      try Journal.appendRedo(files, commit: entries.last!, day: clock.today(), folder: folder.url)
    }
    try fileSystem.faultPoint("audit")
    try audit.write(entries)
    // Committed. What fails from here on is redone, never undone.
    pendingFiles = files
    do throws(StoreError) {
      try fileSystem.faultPoint("files")
      try Journal.apply(files, to: folder)
      pendingFiles = []
      try fileSystem.faultPoint("head")
      try audit.writeHead()
    } catch {
      notice = StoreText.savedFilesPending(error.message)
    }
  }

  func takeNotice() -> String? {
    defer { notice = nil }
    return notice
  }
}
