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
/// A backup holds every regular file and folder in the data folder — `town.json`,
/// `households/`, `audit.log`, `audit.head`, whatever is there — except `backups/` itself, the
/// lock files (`.lock`, `.lock-holder`), `journal/` and `AtomicFile`'s half-written temp files
/// (`.*.tmp`). Symbolic links and special files are skipped.
///
/// - Hard links between backups, never to the live folder: a data file (`linkedTopLevel`:
///   `town.json`, `supervision.json`, `local.json` and everything under `households/`,
///   `visits/`, `contacts/`, `premises/`, `inspections/`, `archive/`) that is still the very
///   file the newest earlier backup copied — same inode, size, modification and change time,
///   as that backup's index (`indexFileName`) recorded — becomes a hard link (`link(2)`) to
///   that backup's file, which holds the same bytes; every other file is copied byte for
///   byte. The store only ever replaces a data file whole by rename (`AtomicFile.write`: a new
///   inode; a file is never written again once renamed into place), so a day's saves make new
///   files that the next backup copies, and the ~20,000 files nobody touched cost a link each
///   instead of a copy: a fraction of a second instead of seconds. The folder's first backup
///   (or the first after backups without an index) copies everything.
/// - Why not link to the live files: a link shares the inode, so whatever wrote a live file
///   IN PLACE (an editor — vim writes over a file that has other links —, `cp` over it, a
///   tool) would change the backups too, and the damaged file could no longer be repaired
///   from them. Linked only among themselves, backups keep their own copy of every byte: an
///   edit in place changes the live file's modification and change times, so the next backup
///   copies it afresh. (Editing a file inside `backups/` by hand changes every backup that
///   shares it: the program never writes into a backup once it is named.)
/// - Never linked, always copied: `audit.log` (appended in place), `audit.head` (the backup's
///   checkpoint, reconciled by `check`), and anything else at the top level (a torn tail moved
///   aside, a file put there by hand), whose writers may write in place.
/// - Where the file system refuses a link (`FileSystem.linkFile` says so, per file): a file
///   system without hard links (`EPERM`, e.g. exFAT or FAT on a USB stick), too many links
///   (`EMLINK`), the earlier backup's file gone, or anything else, that file is copied from
///   the live folder as before; a failure the copy shares (the disk full) is the copy's.
/// - Taken once a day (`takeDailyIfNeeded`) by the process that holds the `FolderLock`, so the
///   copy is consistent (nobody else writes meanwhile): by the app right after opening
///   (`TownStore.takeDailyBackup`, off its UI loop, showing progress), else before the day's
///   first save.
/// - Made in `backups/.tmp-<name>/` first and renamed into place when complete, so a
///   half-made backup never looks complete; files are 0600 (a copy is made so, a link shares an
///   earlier backup's copy), folders 0700, the file system is synced (`syncfs`: the copies'
///   bytes, the links' folder entries, the index) before the rename, and `backups/` after it.
///   A `.tmp-*` left by a crash is removed by the next backup.
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
    indexFileName,
  ]
  /// Top-level entries of the data folder whose files a backup may link to an earlier backup's
  /// copy (see the type's comment): the store only ever replaces them whole by rename.
  static let linkedTopLevel: Set<String> = [
    DataFolder.townFileName, DataFolder.supervisionFileName, DataFolder.localFileName,
    DataFolder.householdsFolderName, DataFolder.visitsFolderName, DataFolder.contactsFolderName,
    DataFolder.premisesFolderName, DataFolder.inspectionsFolderName, archiveFolderName,
  ]
  /// `archive/`, the parent of `DataFolder.archivedHouseholdsPath` and the others.
  static let archiveFolderName = "archive"
  /// In each backup: which live file each copy of a data file was taken from — one line
  /// `<inode> <size> <mtime s.ns> <ctime s.ns> <path>` per file after `indexHeader` — so the
  /// next backup links the files that are still those ones. Not a data file: a restore never
  /// reads it, and a backup without it (or with lines it cannot read) only means copies.
  static let indexFileName = ".backup-index"
  static let indexHeader = "firegrid-backup-index 1"
  /// A file changed less than this many seconds (1 to 2) before a backup starts is left out of
  /// its index, so the next backup copies it: an edit in place within the same tick of the
  /// file system's clock (a kernel tick, a few ms, on ext4; a second on some) would keep the file's times. A save's
  /// files are copied by the next backup anyway; this only adds the few files saved just
  /// before a backup.
  static let settleSeconds = 2

  static func backupsFolder(_ folder: URL) -> URL {
    folder.appendingPathComponent(folderName, isDirectory: true)
  }

  // MARK: Taking

  /// Takes today's backup if none exists for `today` ("YYYY-MM-DD"); returns true if one was
  /// taken. Applies retention after taking one. Files are linked or copied through
  /// `fileSystem`, and `progress` hears of each one (nothing when no backup is taken).
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

  /// Links and copies the data folder into `backups/<name>/` through `backups/.tmp-<name>/`,
  /// linking the files unchanged since the newest earlier backup with an index to its copies.
  /// The files are counted first, so `progress` goes from 0 to the total, one step per file.
  @discardableResult
  static func snapshot(
    folder: URL, name: String, fileSystem: any FileSystem = RealFileSystem(),
    settle: Int = settleSeconds, progress: (JobProgress) -> Void = { _ in }
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
      var now = timespec()
      clock_gettime(CLOCK_REALTIME, &now)
      var making = Making(
        fileSystem: fileSystem, earlier: newestIndexed(folder: folder),
        unsettledFrom: Int(now.tv_sec) - settle + 1)
      try copyTree(
        from: folder.path, to: temp.path, relative: "", topLevel: true, making: &making
      ) {
        done += 1
        progress(JobProgress(done: done, total: max(total, done)))
      }
      if done < total { progress(JobProgress(done: done, total: done)) }
      try writeNewFile(
        Data(([indexHeader] + making.index).joined(separator: "\n").utf8) + [0x0A],
        to: temp.appendingPathComponent(indexFileName))
      // One syncfs for the whole backup instead of an fsync per file and folder: at town
      // scale (10,000 household files) per-file fsyncs made the first save of the day ~3.7 s.
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
    try names(atPath: folder.path)
  }

  /// The entries of the folder at `path`, sorted, without "." and "..".
  static func names(atPath path: String) throws(StoreError) -> [String] {
    guard let dir = opendir(path) else { throw StoreError.from(errno: errno, path: path) }
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
    try collectFiles(under: folder.path, relative: [], topLevel: topLevel, into: &result)
    return result
  }

  private static func collectFiles(
    under path: String, relative: [String], topLevel: Bool, into result: inout [[String]]
  ) throws(StoreError) {
    for name in try names(atPath: path) where isCopied(name, topLevel: topLevel) {
      var info = stat()
      guard lstat(path + "/" + name, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFREG: result.append(relative + [name])
      case S_IFDIR:
        try collectFiles(
          under: path + "/" + name, relative: relative + [name], topLevel: false, into: &result)
      default: continue
      }
    }
  }

  /// Flushes everything written to the file system that holds `url` (files and folders),
  /// so the copy is on disk before the rename that makes it a backup.
  ///
  /// The syncfs(2) runs in a child process (coreutils' `sync --file-system`) that this thread
  /// waits for. syncfs flushes every dirty page of the file system, other programs' too, in a
  /// wait nothing can interrupt, and a process cannot end while one of its threads is in such
  /// a wait: in-process, a clerk who quit during the opening's backup (or a SIGTERM, an SSH
  /// session closed) left the process, and its folder lock, alive until the disk had written
  /// everything — 0.98 s measured here with 2 GB of another program's writes pending, the
  /// minutes of issue 16 on a busy machine. Now the program ends at once; the abandoned child
  /// finishes the flush alone, and the next backup removes the copy that was never named.
  /// The child costs about a millisecond. Where no `sync` can be started, syncfs runs here.
  static func syncFileSystem(of url: URL) throws(StoreError) {
    if let status = syncInChildProcess(url.path) {
      guard status == 0 else { throw StoreError.io(path: url.path, code: EIO) }
      return
    }
    let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw StoreError.from(errno: errno, path: url.path) }
    defer { close(fd) }
    guard syncfs(fd) == 0 else { throw StoreError.from(errno: errno, path: url.path) }
  }

  /// Runs `sync --file-system path` and waits for it: its exit status (0: flushed), or nil
  /// when it could not be started or waited for (the caller then syncs in-process). The
  /// child gets /dev/null for its standard files (never the clerk's terminal) and a clean
  /// signal mask (this thread's, a Dispatch worker's, blocks nearly every signal); the folder
  /// lock is close-on-exec, so it is never held by the child.
  private static func syncInChildProcess(_ path: String) -> Int32? {
    let tools: [String] = ["/usr/bin/sync", "/bin/sync"]
    guard let tool = tools.first(where: { access($0, X_OK) == 0 }) else { return nil }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in 0...2 {
      posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let words: [String] = [tool, "--file-system", path]
    var arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
    arguments.append(nil)
    defer { for argument in arguments { free(argument) } }
    var pid = pid_t()
    guard posix_spawn(&pid, tool, &actions, &attributes, &arguments, environ) == 0 else {
      return nil
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return nil }
    }
    // Exited normally: its exit code; killed by a signal: not flushed as far as we know.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
  }

  /// One backup being made (`snapshot`): the earlier backup whose copies it links, and the
  /// index it writes for the next one.
  struct Making {
    let fileSystem: any FileSystem
    /// The newest earlier backup with an index (its path), and that index (path → identity).
    let earlier: (folder: String, identities: [String: String])?
    /// Files whose change time is this second or later are left out of the index
    /// (`settleSeconds`).
    let unsettledFrom: Int
    /// Lines of this backup's index.
    var index: [String] = []

    /// Links `target` to the earlier backup's copy of `path` when the live file is still the
    /// one that copy was taken from (`identity`); false when it is not, or the link is refused.
    func linkEarlierCopy(path: String, identity: String, size: off_t, to target: String)
      throws(StoreError) -> Bool
    {
      guard let earlier, earlier.identities[path] == identity else { return false }
      let copy = earlier.folder + "/" + path
      guard Backups.isRegularFile(copy, size: size) else { return false }
      return try fileSystem.linkFile(
        from: URL(fileURLWithPath: copy, isDirectory: false),
        to: URL(fileURLWithPath: target, isDirectory: false))
    }
  }

  /// Makes a new folder `target` (0700) holding the regular files and folders of the folder
  /// `source` (paths), calling `copied` after each file: a link to the earlier backup's copy
  /// where the file may be linked (`linkable`, or at the top level a name in `linkedTopLevel`)
  /// and is still the file that copy was taken from, else a copy. `relative` is `source`'s path
  /// in the data folder ("" or ending in "/"). Paths, not URLs: URLs made counting the files
  /// twice as slow. Nothing is fsynced here: `snapshot` syncs the whole file system once
  /// before its rename.
  static func copyTree(
    from source: String, to target: String, relative: String, topLevel: Bool,
    linkable: Bool = false, making: inout Making, copied: () -> Void
  ) throws(StoreError) {
    guard mkdir(target, AtomicFile.folderMode) == 0 else {
      throw StoreError.from(errno: errno, path: target)
    }
    for name in try names(atPath: source) where isCopied(name, topLevel: topLevel) {
      let from = source + "/" + name
      let to = target + "/" + name
      var info = stat()
      guard lstat(from, &info) == 0 else { continue }
      let path = relative + name
      let mayLink = linkable || (topLevel && linkedTopLevel.contains(name))
      switch info.st_mode & S_IFMT {
      case S_IFREG:
        let identity = Self.identity(info)
        var linked = false
        if mayLink {
          linked = try making.linkEarlierCopy(
            path: path, identity: identity, size: info.st_size, to: to)
        }
        if !linked {
          try making.fileSystem.copyFile(
            from: URL(fileURLWithPath: from, isDirectory: false),
            to: URL(fileURLWithPath: to, isDirectory: false))
        }
        if mayLink, Int(info.st_ctim.tv_sec) < making.unsettledFrom, !path.contains("\n") {
          making.index.append(identity + " " + path)
        }
        copied()
      case S_IFDIR:
        try copyTree(
          from: from, to: to, relative: path + "/", topLevel: false, linkable: mayLink,
          making: &making, copied: copied)
      default: continue
      }
    }
  }

  /// Which file a path names, as a backup's index records it: inode, size, modification and
  /// change time (to the nanosecond). A save replaces the file (a new inode, a new change
  /// time); anything that writes it in place changes both times.
  static func identity(_ info: stat) -> String {
    "\(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
      + " \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
  }

  /// Whether `path` is a regular file (not a link to one) of `size` bytes.
  static func isRegularFile(_ path: String, size: off_t) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_size == size
  }

  /// The newest backup of `folder` with a readable index, and that index.
  static func newestIndexed(folder: URL) -> (folder: String, identities: [String: String])? {
    for name in list(folder: folder) {
      let backup = backupsFolder(folder).appendingPathComponent(name, isDirectory: true)
      if let identities = readIndex(of: backup) { return (backup.path, identities) }
    }
    return nil
  }

  /// A backup's index (path → identity); nil without one. A line it cannot read is left out
  /// (that file is copied next time).
  static func readIndex(of backup: URL) -> [String: String]? {
    guard let data = try? AtomicFile.readAll(backup.appendingPathComponent(indexFileName))
    else { return nil }
    let bytes = [UInt8](data)
    let header = Array(indexHeader.utf8) + [0x0A]
    guard bytes.starts(with: header) else { return nil }
    var identities: [String: String] = [:]
    var start = header.count
    while start < bytes.count {
      guard let end = bytes[start...].firstIndex(of: 0x0A) else { break }  // a torn last line
      var spaces = 0
      var cut = start
      while cut < end {
        if bytes[cut] == 0x20 {
          spaces += 1
          if spaces == 4 { break }
        }
        cut += 1
      }
      if spaces == 4, cut + 1 < end {
        let path = String(decoding: bytes[(cut + 1)..<end], as: UTF8.self)
        identities[path] = String(decoding: bytes[start..<cut], as: UTF8.self)
      }
      start = end + 1
    }
    return identities
  }

  /// Makes `target` a hard link to `source` (`link(2)`, a symbolic link itself never
  /// followed); false when the file system refuses, and the caller copies instead. What
  /// `FileSystem.linkFile` does unless a test's file system says otherwise.
  static func link(from source: URL, to target: URL) -> Bool {
    linkat(AT_FDCWD, source.path, AT_FDCWD, target.path, 0) == 0
  }

  /// Creates a file that must not exist yet (0600) and writes it whole; the caller syncs.
  static func writeNewFile(_ data: Data, to url: URL) throws(StoreError) {
    let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, AtomicFile.fileMode)
    guard fd >= 0 else { throw StoreError.from(errno: errno, path: url.path) }
    var failure: StoreError?
    data.withUnsafeBytes { raw in failure = AtomicFile.writeAll(fd, raw, path: url.path) }
    if close(fd) != 0, failure == nil { failure = StoreError.from(errno: errno, path: url.path) }
    if let failure { throw failure }
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
