import FiregridRepository
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A new town (first-run setup, `demo`, `import roster` into an empty folder) is built in a
/// folder of its own beside the target — `.<name>.building-<pid>-<random>` — with its files,
/// one `syncfs`, and its journal's first change (the creation's audit lines and every file's
/// digest), and only then renamed into place. rename(2) of a folder onto an absent or empty
/// one is atomic and fails when the target holds anything, so a crash leaves the target as it
/// was (a re-import works), and of two processes creating the same town one wins and the
/// other is refused, its own building folder removed. Cleanup never deletes a file it did not
/// create: it removes only its own building folder, and those of processes no longer running.
enum NewTown {
  static let buildingInfix = ".building-"

  /// Builds the town with `write` (which fills the folder it is given) and moves it to
  /// `folder`. Throws `folderNotEmpty` when the folder holds anything, before or at the end.
  static func build(
    at folder: DataFolder, operatorName: String, time: String, changes: [AuditChange],
    write: (DataFolder) throws(StoreError) -> Void
  ) throws(StoreError) {
    guard folder.state == .empty else { throw StoreError.folderNotEmpty(path: folder.url.path) }
    let parent = folder.url.deletingLastPathComponent()
    try AtomicFile.makeFolder(parent)
    let prefix = ".\(folder.url.lastPathComponent)\(buildingInfix)"
    removeAbandonedBuilds(in: parent, prefix: prefix)
    let aside = parent.appendingPathComponent(
      "\(prefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
    guard mkdir(aside.path, AtomicFile.folderMode) == 0 else {
      throw StoreError.from(errno: errno, path: aside.path)
    }
    do throws(StoreError) {
      let building = DataFolder(url: aside, fileSystem: folder.fileSystem)
      try write(building)
      try Backups.syncFileSystem(of: aside)
      try journalFirstChange(in: aside, operatorName: operatorName, time: time, changes: changes)
      try AtomicFile.syncFolder(aside)
      try folder.fileSystem.faultPoint("rename")
      guard rename(aside.path, folder.url.path) == 0 else {
        let code = errno
        if code == ENOTEMPTY || code == EEXIST || code == ENOTDIR {
          throw StoreError.folderNotEmpty(path: folder.url.path)
        }
        throw StoreError.from(errno: code, path: folder.url.path)
      }
      try AtomicFile.syncFolder(parent)
    } catch {
      // Still ours: nothing else knows its name.
      if Backups.fileType(aside) == S_IFDIR { try? FileManager.default.removeItem(at: aside) }
      throw error
    }
  }

  /// The creation's audit lines, one line per file with its digest, and the commit line, in
  /// the new folder's audit.log: the baseline `check` reconciles later changes against.
  private static func journalFirstChange(
    in folder: URL, operatorName: String, time: String, changes: [AuditChange]
  ) throws(StoreError) {
    var digests: [(path: String, before: String?, after: String?)] = []
    for path in Journal.dataFiles(in: folder) {
      let data = try AtomicFile.readAll(folder.appendingPathComponent(path))
      digests.append((path, nil, Journal.digest(data)))
    }
    let lines = Journal.group(changes, digests: digests, kind: "create")
    let log = try AuditLog(folder: folder)
    defer { log.close() }
    try log.write(log.prepare(lines, operatorName: operatorName, time: time))
    try log.writeHead()
  }

  /// Building folders of processes that are gone (a crash, a kill): they hold personal data
  /// and are never a town.
  private static func removeAbandonedBuilds(in parent: URL, prefix: String) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
    for name in names where name.hasPrefix(prefix) {
      let pidText = name.dropFirst(prefix.count).prefix { $0 != "-" }
      guard let pid = Int32(pidText), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else {
        continue
      }
      try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
    }
  }
}
