import CSyncfs
import FiregridModel
import FiregridRepository
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Daily backups of the data folder into `DATA/backups/<YYYY-MM-DD>/`.
///
/// A backup is a byte-for-byte copy (never hard links) of every regular file and folder in the
/// data folder — `town.json`, `households/`, `audit.log`, `audit.head`, whatever is there —
/// except `backups/` itself, the lock files (`.lock`, `.lock-holder`) and `AtomicFile`'s
/// half-written temp files (`.*.tmp`). Symbolic links and special files are skipped.
///
/// - Taken once a day (`takeDailyIfNeeded`) by the process that holds the `FolderLock`, so the
///   copy is consistent (nobody else writes meanwhile): by the app right after opening
///   (`TownStore.takeDailyBackup`, off its UI loop, showing progress), else before the day's
///   first save.
/// - Copied into `backups/.tmp-<name>/` first and renamed into place when complete, so a
///   half-copied backup never looks complete; files are 0600, folders 0700, the file system is
///   synced (`syncfs`) before the rename, and `backups/` after it. A `.tmp-*` left by a crash is
///   removed by the next backup.
/// - Retention (`retained`): the newest 14 daily backups plus, beyond those, the newest backup of
///   each of the 8 most recent ISO weeks that have none among the 14; the rest are deleted
///   (renamed to `.tmp-delete-<date>` first, so a half-deleted backup never looks complete).
/// - A restore (`TownStore.restoreBackup`, which replays the journal on top of the copy)
///   first takes a safety backup named `<today>-before-restore` (then `-2`, `-3`… if
///   the day already has one). Safety backups are never deleted by retention: they are rare,
///   and each is the only copy of what a restore replaced.
///
/// Names sort newest first by date; on the same day a safety backup (taken at restore time)
/// counts as newer than the daily one, and a later safety backup as newer than an earlier one.
public enum Backups {
  public static let folderName = "backups"
  static let beforeRestoreSuffix = "-before-restore"
  static let dailyKept = 14
  static let weeklyKept = 8
  /// Top-level entries of the data folder that are never copied.
  /// `journal/` is not copied: its redo files are what a restore replays onto a backup, and
  /// a restore never replaces them.
  static let excludedTopLevel: Set<String> = [
    folderName, FolderLock.lockFileName, FolderLock.holderFileName, Journal.folderName,
  ]

  static func backupsFolder(_ folder: URL) -> URL {
    folder.appendingPathComponent(folderName, isDirectory: true)
  }

  // MARK: Taking

  /// Takes today's backup if none exists for `today` ("YYYY-MM-DD"); returns true if one was
  /// taken. Applies retention after taking one. Files are copied through `fileSystem`, and
  /// `progress` hears of each one copied (nothing when no backup is taken).
  @discardableResult
  public static func takeDailyIfNeeded(
    folder: URL, today: String, fileSystem: any FileSystem = RealFileSystem(),
    progress: (JobProgress) -> Void = { _ in }
  ) throws(StoreError) -> Bool {
    guard CivilDate(exactly: today) != nil else { throw StoreError.badDate(today) }
    let root = backupsFolder(folder)
    if fileType(root.appendingPathComponent(today)) == S_IFDIR { return false }
    try snapshot(folder: folder, name: today, fileSystem: fileSystem, progress: progress)
    try applyRetention(root: root, dailies: list(folder: folder), keeping: today)
    // Redo records older than the oldest daily backup can never be replayed onto one.
    if let oldest = list(folder: folder).filter({ CivilDate(exactly: $0) != nil }).min() {
      Journal.pruneRedo(folder: folder, before: oldest)
    }
    return true
  }

  /// Copies the data folder into `backups/<name>/` through `backups/.tmp-<name>/`. The files
  /// are counted first, so `progress` goes from 0 to the total, one step per file copied.
  @discardableResult
  static func snapshot(
    folder: URL, name: String, fileSystem: any FileSystem = RealFileSystem(),
    progress: (JobProgress) -> Void = { _ in }
  ) throws(StoreError) -> URL {
    let root = backupsFolder(folder)
    try AtomicFile.makeFolder(root)
    try removeLeftovers(in: root)
    let temp = root.appendingPathComponent(".tmp-\(name)", isDirectory: true)
    let final = root.appendingPathComponent(name, isDirectory: true)
    do {
      // Only the lock holder writes the folder, so the count holds; a file added meanwhile
      // (local.json, written by any opener) raises the total rather than passing it.
      let total = try files(under: folder, topLevel: true).count
      var done = 0
      progress(JobProgress(done: 0, total: total))
      try copyTree(from: folder, to: temp, topLevel: true, fileSystem: fileSystem) {
        done += 1
        progress(JobProgress(done: done, total: max(total, done)))
      }
      if done < total { progress(JobProgress(done: done, total: done)) }
      // One syncfs for the whole copy instead of an fsync per file: at town scale (10,000
      // household files) per-file fsyncs made the first save of the day take ~3.7 s.
      try syncFileSystem(of: temp)
    } catch {
      try? FileManager.default.removeItem(at: temp)
      throw error
    }
    guard rename(temp.path, final.path) == 0 else {
      let error = StoreError.from(errno: errno, path: final.path)
      try? FileManager.default.removeItem(at: temp)
      throw error
    }
    try AtomicFile.syncFolder(root)
    return final
  }

  /// Deletes the daily backups that retention does not keep (never `keeping`, never a safety
  /// backup).
  static func applyRetention(root: URL, dailies names: [String], keeping: String)
    throws(StoreError)
  {
    let dailies = names.filter { CivilDate(exactly: $0) != nil }
    let kept = retained(dailies).union([keeping])
    var deleted = false
    for date in dailies where !kept.contains(date) {
      let doomed = root.appendingPathComponent(".tmp-delete-\(date)", isDirectory: true)
      try? FileManager.default.removeItem(at: doomed)
      guard rename(root.appendingPathComponent(date).path, doomed.path) == 0 else {
        throw StoreError.from(errno: errno, path: root.appendingPathComponent(date).path)
      }
      deleted = true
      // If this fails the `.tmp-delete-` folder is removed by the next backup.
      try? FileManager.default.removeItem(at: doomed)
    }
    if deleted { try AtomicFile.syncFolder(root) }
  }

  /// Removes `.tmp-*` entries of `backups/` (half-made or half-deleted backups of a crash).
  static func removeLeftovers(in root: URL) throws(StoreError) {
    for name in try names(in: root) where name.hasPrefix(".tmp-") {
      let url = root.appendingPathComponent(name)
      do {
        try FileManager.default.removeItem(at: url)
      } catch {
        throw StoreError.from(errno: EACCES, path: url.path)
      }
    }
  }

  // MARK: Listing and retention

  /// Names of the backups present, newest first: daily ones ("2026-11-29") and safety copies
  /// taken before a restore ("2026-11-29-before-restore").
  public static func list(folder: URL) -> [String] {
    let root = backupsFolder(folder)
    let found = ((try? names(in: root)) ?? []).compactMap { name -> BackupName? in
      guard let parsed = BackupName(name),
        fileType(root.appendingPathComponent(name)) == S_IFDIR
      else { return nil }
      return parsed
    }
    return found.sorted(by: >).map(\.name)
  }

  /// Which names retention keeps among `dates` (pure): the 14 newest dates, plus the newest date
  /// of each of the 8 most recent ISO weeks (Monday to Sunday) that have no date among those 14.
  /// Names that are not a plain date (safety backups such as "2026-11-29-before-restore") are
  /// always kept; duplicates count once.
  public static func retained(_ dates: [String]) -> Set<String> {
    var kept: Set<String> = []
    var days: [(name: String, day: CivilDate)] = []
    for name in Set(dates) {
      if let day = CivilDate(exactly: name) {
        days.append((name, day))
      } else {
        kept.insert(name)
      }
    }
    days.sort { $0.day > $1.day }
    let newest = days.prefix(dailyKept)
    kept.formUnion(newest.map(\.name))
    var weeks = Set(newest.map(\.day.weekStart))
    var weekly = 0
    for (name, day) in days.dropFirst(dailyKept) where weekly < weeklyKept {
      // Newest first, so the first date seen in a week is that week's newest.
      guard weeks.insert(day.weekStart).inserted else { continue }
      kept.insert(name)
      weekly += 1
    }
    return kept
  }

  // MARK: Names

  static func freeSafetyName(today: String, root: URL) -> String {
    let base = today + beforeRestoreSuffix
    var name = base
    var index = 1
    while fileType(root.appendingPathComponent(name)) != nil {
      index += 1
      name = "\(base)-\(index)"
    }
    return name
  }

  static func freeName(_ base: String, in folder: URL) -> URL {
    var url = folder.appendingPathComponent(base)
    var index = 1
    while fileType(url) != nil {
      index += 1
      url = folder.appendingPathComponent("\(base)-\(index)")
    }
    return url
  }

  // MARK: Files

  /// A relative path's components; nil for an absolute path, "..", an empty path, or one inside
  /// `backups/` or naming a lock file.
  static func components(of relativePath: String) -> [String]? {
    guard !relativePath.hasPrefix("/") else { return nil }
    let parts = relativePath.split(separator: "/").map(String.init).filter { $0 != "." }
    guard let first = parts.first, !parts.contains(".."), !excludedTopLevel.contains(first)
    else { return nil }
    return parts
  }

  static func append(_ parts: [String], to url: URL) -> URL {
    parts.reduce(url) { $0.appendingPathComponent($1) }
  }

  /// Whether a name is skipped wherever it appears: an `AtomicFile` temp file.
  static func isTemporary(_ name: String) -> Bool {
    name.hasPrefix(".") && name.hasSuffix(".tmp")
  }

  /// The file type bits (`S_IFREG`, `S_IFDIR`…) of a path, not following links; nil if absent.
  static func fileType(_ url: URL) -> mode_t? {
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return nil }
    return info.st_mode & S_IFMT
  }

  /// The entries of a folder, sorted, without "." and "..".
  static func names(in folder: URL) throws(StoreError) -> [String] {
    guard let dir = opendir(folder.path) else {
      throw StoreError.from(errno: errno, path: folder.path)
    }
    defer { closedir(dir) }
    var result: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
        tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple)) {
          String(cString: $0)
        }
      }
      if name != "." && name != ".." { result.append(name) }
    }
    return result.sorted()
  }

  /// Whether an entry of `folder` is part of what a backup copies.
  private static func isCopied(_ name: String, topLevel: Bool) -> Bool {
    !isTemporary(name) && !(topLevel && excludedTopLevel.contains(name))
  }

  /// Relative paths of the regular files a backup of `folder` holds (or would hold).
  static func files(under folder: URL, topLevel: Bool) throws(StoreError) -> [[String]] {
    var result: [[String]] = []
    for name in try names(in: folder) where isCopied(name, topLevel: topLevel) {
      let url = folder.appendingPathComponent(name)
      switch fileType(url) {
      case S_IFREG: result.append([name])
      case S_IFDIR:
        result += try files(under: url, topLevel: false).map { [name] + $0 }
      default: continue
      }
    }
    return result
  }

  /// Flushes everything written to the file system that holds `url` (files and folders),
  /// so the copy is on disk before the rename that makes it a backup.
  static func syncFileSystem(of url: URL) throws(StoreError) {
    let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw StoreError.from(errno: errno, path: url.path) }
    defer { close(fd) }
    guard syncfs(fd) == 0 else { throw StoreError.from(errno: errno, path: url.path) }
  }

  /// Copies a folder's regular files and folders into a new folder `target` (0700), calling
  /// `copied` after each file. Nothing is fsynced here: `snapshot` syncs the whole file
  /// system once before its rename.
  static func copyTree(
    from source: URL, to target: URL, topLevel: Bool, fileSystem: any FileSystem,
    copied: () -> Void
  ) throws(StoreError) {
    guard mkdir(target.path, AtomicFile.folderMode) == 0 else {
      throw StoreError.from(errno: errno, path: target.path)
    }
    for name in try names(in: source) where isCopied(name, topLevel: topLevel) {
      let from = source.appendingPathComponent(name)
      let to = target.appendingPathComponent(name)
      switch fileType(from) {
      case S_IFREG:
        try fileSystem.copyFile(from: from, to: to)
        copied()
      case S_IFDIR:
        try copyTree(from: from, to: to, topLevel: false, fileSystem: fileSystem, copied: copied)
      default: continue
      }
    }
  }

  /// Copies bytes into a new file (0600, `O_EXCL`); the caller syncs. What
  /// `FileSystem.copyFile` does unless a test's file system says otherwise.
  static func copyFile(from source: URL, to target: URL) throws(StoreError) {
    let input = open(source.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard input >= 0 else { throw StoreError.from(errno: errno, path: source.path) }
    defer { close(input) }
    let output = open(
      target.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, AtomicFile.fileMode)
    guard output >= 0 else { throw StoreError.from(errno: errno, path: target.path) }
    var failure: StoreError?
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    copying: while true {
      let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        failure = StoreError.from(errno: errno, path: source.path)
        break
      }
      if count == 0 { break }
      failure = buffer.withUnsafeBytes {
        AtomicFile.writeAll(
          output, UnsafeRawBufferPointer(rebasing: $0[0..<count]), path: target.path)
      }
      if failure != nil { break copying }
    }
    if close(output) != 0, failure == nil {
      failure = StoreError.from(errno: errno, path: target.path)
    }
    if let failure { throw failure }
  }

  /// A whole file's bytes.
  static func readFile(_ url: URL) throws(StoreError) -> Data { try AtomicFile.readAll(url) }
}

/// A backup folder's name: "2026-11-29", "2026-11-29-before-restore", "…-before-restore-2".
struct BackupName: Comparable {
  let name: String
  let day: CivilDate
  /// 0 for a daily backup, 1, 2… for the day's safety backups in the order they were taken.
  let restoreIndex: Int

  init?(_ name: String) {
    guard name.count >= 10, let day = CivilDate(exactly: String(name.prefix(10))) else {
      return nil
    }
    let rest = String(name.dropFirst(10))
    let suffix = Backups.beforeRestoreSuffix
    if rest.isEmpty {
      restoreIndex = 0
    } else if rest == suffix {
      restoreIndex = 1
    } else if rest.hasPrefix(suffix + "-"), let index = Int(rest.dropFirst(suffix.count + 1)),
      index >= 2, rest == "\(suffix)-\(index)"
    {
      restoreIndex = index
    } else {
      return nil
    }
    self.name = name
    self.day = day
  }

  static func < (a: BackupName, b: BackupName) -> Bool {
    (a.day, a.restoreIndex) < (b.day, b.restoreIndex)
  }
}
