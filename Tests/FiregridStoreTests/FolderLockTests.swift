import Foundation
import Testing

@testable import FiregridStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct FolderLockTests {
  static let now = "2026-11-29T09:15:42+08:00"

  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-lock-\(UUID().uuidString)")
    try AtomicFile.makeFolder(url)
    return url
  }

  static func acquired(_ outcome: FolderLock.Outcome) -> FolderLock? {
    if case .acquired(let lock) = outcome { return lock }
    return nil
  }

  /// nil when acquired; `.some(holder)` when held.
  static func heldBy(_ outcome: FolderLock.Outcome) -> LockHolder?? {
    if case .heldBy(let holder) = outcome { return .some(holder) }
    return nil
  }

  static func mode(_ url: URL) -> mode_t? {
    var info = stat()
    guard stat(url.path, &info) == 0 else { return nil }
    return info.st_mode & 0o777
  }

  /// util-linux `flock(1)`, used to hold the lock from a child process.
  static let flockTool = ["/usr/bin/flock", "/bin/flock"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  @Test func secondAcquireInTheSameProcessIsRefusedAndNamesUs() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try FolderLock.acquire(folder: folder, operatorName: "张三", now: Self.now)
    let lock = try #require(Self.acquired(first))
    #expect(lock.isHeld)
    #expect(lock.holder.pid == getpid())
    #expect(lock.holder.operatorName == "张三")
    #expect(lock.holder.since == Self.now)

    // flock belongs to the open file description: a new open in this process conflicts.
    let second = try FolderLock.acquire(folder: folder, operatorName: "李四", now: "later")
    let held = try #require(Self.heldBy(second))
    let holder = try #require(held)
    #expect(holder == lock.holder)
    #expect(holder.pid == getpid())
    #expect(holder.user == LockHolder.currentUser())
    #expect(holder.host == LockHolder.currentHost())
    #expect(FolderLock.currentHolder(folder: folder) == lock.holder)
    lock.release()
  }

  @Test func releaseThenAcquireWorksAndReleaseIsIdempotent() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let holderFile = folder.appendingPathComponent(FolderLock.holderFileName)
    #expect(FolderLock.currentHolder(folder: folder) == nil)
    let lock = try #require(
      Self.acquired(try FolderLock.acquire(folder: folder, operatorName: "", now: Self.now)))
    #expect(FileManager.default.fileExists(atPath: holderFile.path))
    lock.release()
    lock.release()
    #expect(!lock.isHeld)
    #expect(!FileManager.default.fileExists(atPath: holderFile.path))
    #expect(FolderLock.currentHolder(folder: folder) == nil)
    // The lock file stays: deleting it would let two processes lock two inodes.
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".lock").path))
    let again = try #require(
      Self.acquired(try FolderLock.acquire(folder: folder, operatorName: "王五", now: Self.now)))
    #expect(FolderLock.currentHolder(folder: folder)?.operatorName == "王五")
    again.release()
  }

  @Test func droppingTheLastReferenceReleases() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    func takeAndDrop() throws {
      let outcome = try FolderLock.acquire(folder: folder, operatorName: "", now: Self.now)
      #expect(Self.acquired(outcome) != nil)
    }
    try takeAndDrop()
    #expect(FolderLock.currentHolder(folder: folder) == nil)
    #expect(!FolderLock.isLocked(folder: folder))
    let lock = try #require(
      Self.acquired(try FolderLock.acquire(folder: folder, operatorName: "", now: Self.now)))
    lock.release()
  }

  @Test func lockFilesAreOwnerOnly() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let lock = try #require(
      Self.acquired(try FolderLock.acquire(folder: folder, operatorName: "张三", now: Self.now)))
    #expect(Self.mode(folder.appendingPathComponent(FolderLock.lockFileName)) == 0o600)
    #expect(Self.mode(folder.appendingPathComponent(FolderLock.holderFileName)) == 0o600)
    let text = try String(
      contentsOf: folder.appendingPathComponent(FolderLock.holderFileName), encoding: .utf8)
    #expect(text.contains("\"operatorName\" : \"张三\""))
    lock.release()
  }

  @Test func aMissingFolderIsAnError() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-lock-missing-\(UUID().uuidString)")
    #expect(throws: StoreError.folderMissing(path: folder.appendingPathComponent(".lock").path)) {
      _ = try FolderLock.acquire(folder: folder, operatorName: "", now: Self.now)
    }
    #expect(FolderLock.currentHolder(folder: folder) == nil)
  }

  @Test func aStaleHolderFileOfADeadProcessDoesNotBlock() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // A process that has surely exited: its pid is a dead one.
    let done = Process()
    done.executableURL = URL(fileURLWithPath: "/bin/true")
    try done.run()
    done.waitUntilExit()
    let stale = LockHolder(
      user: "root", host: LockHolder.currentHost(), pid: done.processIdentifier,
      since: "2026-11-28T08:00:00+08:00", operatorName: "旧")
    let data = try JSONEncoder().encode(stale)
    try AtomicFile.write(data, to: folder.appendingPathComponent(FolderLock.holderFileName))
    #expect(FolderLock.readHolder(folder) == nil)
    #expect(FolderLock.currentHolder(folder: folder) == nil)
    let lock = try #require(
      Self.acquired(try FolderLock.acquire(folder: folder, operatorName: "新", now: Self.now)))
    #expect(FolderLock.currentHolder(folder: folder)?.operatorName == "新")
    lock.release()
  }

  @Test(.enabled(if: flockTool != nil, "util-linux flock(1) is not installed"))
  func aLockHeldByAChildProcessBlocksUntilTheChildIsKilled() throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let lockPath = folder.appendingPathComponent(FolderLock.lockFileName).path
    // The shell opens the lock file as fd 9, flock(1) locks that open file description and
    // exits, and the shell becomes `sleep`, which alone holds the lock: killing it frees it.
    // (`flock -x FILE sleep 30` would not do: its forked `sleep` keeps the lock after a kill.)
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/sh")
    child.arguments = [
      "-c", "exec 9>>\"$1\" && \"$2\" -x 9 && echo locked && exec sleep 30", "sh", lockPath,
      Self.flockTool!,
    ]
    let output = Pipe()
    child.standardOutput = output
    try child.run()
    defer {
      if child.isRunning {
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
      }
    }
    let line = output.fileHandleForReading.availableData
    try #require(String(decoding: line, as: UTF8.self) == "locked\n")

    // Held, and the child wrote no holder text.
    #expect(FolderLock.isLocked(folder: folder))
    let refused = try FolderLock.acquire(folder: folder, operatorName: "张三", now: Self.now)
    #expect(Self.heldBy(refused) == .some(nil))

    // With a holder file naming the child (a live process), it is reported.
    let childHolder = LockHolder(
      user: "root", host: LockHolder.currentHost(), pid: child.processIdentifier,
      since: "2026-11-29T08:00:00+08:00", operatorName: "李四")
    try AtomicFile.write(
      try JSONEncoder().encode(childHolder),
      to: folder.appendingPathComponent(FolderLock.holderFileName))
    let named = try FolderLock.acquire(folder: folder, operatorName: "张三", now: Self.now)
    #expect(Self.heldBy(named) == .some(childHolder))
    #expect(FolderLock.currentHolder(folder: folder) == childHolder)

    // A killed process's lock never blocks; its holder text is stale and gets replaced.
    kill(child.processIdentifier, SIGKILL)
    child.waitUntilExit()
    #expect(child.terminationReason == .uncaughtSignal)
    #expect(FolderLock.currentHolder(folder: folder) == nil)
    let lock = try #require(
      Self.acquired(try FolderLock.acquire(folder: folder, operatorName: "张三", now: Self.now)))
    #expect(FolderLock.currentHolder(folder: folder)?.pid == getpid())
    lock.release()
  }

  @Test func holderDescriptionIsChinese() {
    let holder = LockHolder(
      user: "root", host: "host", pid: 1234, since: "2026-11-29T09:15:42+08:00",
      operatorName: "张三")
    #expect(holder.description == "用户 root（操作员 张三）在 host 上，进程 1234，自 2026-11-29 09:15 起")
    var anonymous = holder
    anonymous.operatorName = ""
    #expect(anonymous.description == "用户 root 在 host 上，进程 1234，自 2026-11-29 09:15 起")
    var odd = holder
    odd.since = "昨天"
    #expect(odd.description == "用户 root（操作员 张三）在 host 上，进程 1234，自 昨天 起")
    #expect("\(holder)" == holder.description)
  }

  @Test func holderRoundTripsThroughJSON() throws {
    let holder = LockHolder(
      user: "clerk", host: "村部电脑", pid: 42, since: Self.now, operatorName: "向红梅")
    let decoded = try JSONDecoder().decode(
      LockHolder.self, from: try JSONEncoder().encode(holder))
    #expect(decoded == holder)
  }
}
