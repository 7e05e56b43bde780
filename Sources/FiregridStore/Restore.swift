import FiregridModel
import FiregridRepository
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a restore did: the backup it started from, the saves it replayed from the journal on
/// top of it, and any file that does not come out as the journal last recorded it.
public struct RestoreOutcome: Equatable, Sendable {
  public var backup: String
  /// The journal's last line when the backup was taken (0 when the backup has no audit.head).
  public var backupSequence: Int
  /// Saves replayed from the redo files.
  public var replayed: Int
  /// The last journal line the folder now reflects.
  public var throughSequence: Int
  /// Data files the restore wrote or removed.
  public var filesChanged: Int
  /// The safety copy of the folder as it was before (`backups/<today>-before-restore`).
  public var safetyBackup: String
  /// Files whose restored bytes differ from what the journal records at that point (a redo
  /// record missing, e.g. changes made by a program from before the journal); empty when the
  /// restore is exact.
  public var unmatched: [String]
}

extension TownStore {
  /// Restores a backup and replays the journal after it, so no committed save is lost: to the
  /// last change, or only through the journal line `through` (a point in time, e.g. just
  /// before a wrong import). The current state is kept first as a safety backup; the restore
  /// itself is one change in the journal (audited, redone after a crash) and never replaces
  /// the audit log: the chain only grows.
  ///
  /// Needs the folder to itself (the lock); refuses an unknown backup before changing anything.
  public static func restoreBackup(
    folder: DataFolder, date: String, through: Int? = nil, operatorName: String,
    clock: Clock = .system
  ) throws(StoreError) -> RestoreOutcome {
    let root = Backups.backupsFolder(folder.url)
    let source = root.appendingPathComponent(date, isDirectory: true)
    guard BackupName(date) != nil, Backups.fileType(source) == S_IFDIR else {
      throw StoreError.noBackup(date: date)
    }
    let lock: FolderLock
    switch try FolderLock.acquire(folder: folder.url, operatorName: operatorName, now: clock.now())
    {
    case .acquired(let acquired): lock = acquired
    case .heldBy(let holder): throw StoreError.readOnly(holder: holder)
    }
    defer { lock.release() }
    let audit = try AuditLog(folder: folder.url)
    defer { audit.close() }
    try redoLastChange(folder: folder, audit: audit)
    removeTempFiles(folder: folder.url)

    let backupSequence =
      (try? AuditLog.readHead(source.appendingPathComponent(AuditLog.headFileName)))??
      .sequence ?? 0
    let last = min(through ?? audit.lastSequence, audit.lastSequence)
    guard last >= backupSequence else { throw StoreError.restoreBeforeBackup(date, backupSequence) }

    // The backup's data files, then every committed save after it, in order.
    var target: [String: Data] = [:]
    for path in Journal.dataFiles(in: source) {
      target[path] = try AtomicFile.readAll(source.appendingPathComponent(path))
    }
    let commits = try Journal.commits(folder: folder.url)
    var replayed = 0
    for day in Journal.redoDays(folder: folder.url) {
      for record in Journal.redoRecords(folder: folder.url, day: day)
      where record.sequence > backupSequence && record.sequence <= last
        && commits[record.sequence] == record.hash
      {
        for image in record.images { target[image.path] = image.content }
        replayed += 1
      }
    }

    // Compare with what the journal records at that point: a gap in the redo files shows.
    var unmatched: [String] = []
    let (digests, journalled) = try Journal.latestDigests(folder: folder.url, through: last)
    if journalled {
      for (path, digest) in digests where target[path].map(Journal.digest) != digest {
        unmatched.append(path)
      }
    }

    var files: [FileImage] = []
    for path in Set(Journal.dataFiles(in: folder.url)).union(target.keys).sorted() {
      let wanted = target[path]
      let current = try? AtomicFile.readAll(folder.url.appendingPathComponent(path))
      if wanted != current { files.append(FileImage(path: path, content: wanted)) }
    }
    let safety = Backups.freeSafetyName(today: clock.today(), root: root)
    try Backups.snapshot(folder: folder.url, name: safety, fileSystem: folder.fileSystem)
    let writer = JournalWriter(
      folder: folder, audit: audit, operatorName: operatorName, clock: clock)
    try writer.commit(
      [
        AuditChange(
          record: "backup/\(date)", field: "restore", before: nil,
          after: StoreText.restoreAudit(last, replayed: replayed, files: files.count))
      ], files: files, kind: "restore", time: clock.now())
    if let notice = writer.takeNotice() { throw StoreError.unfinished(notice) }
    return RestoreOutcome(
      backup: date, backupSequence: backupSequence, replayed: replayed, throughSequence: last,
      filesChanged: files.count, safetyBackup: safety, unmatched: unmatched.sorted())
  }
}
