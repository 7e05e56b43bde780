import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Who holds the data folder's lock.
public struct LockHolder: Codable, Equatable, Sendable, CustomStringConvertible {
  /// The login name of the process's user.
  public var user: String
  /// The machine's host name.
  public var host: String
  public var pid: Int32
  /// When the lock was taken: ISO 8601 local time with offset, "2026-11-29T09:15:42+08:00".
  public var since: String
  /// The clerk's name as entered at start-up (may be empty).
  public var operatorName: String

  public init(user: String, host: String, pid: Int32, since: String, operatorName: String) {
    self.user = user
    self.host = host
    self.pid = pid
    self.since = since
    self.operatorName = operatorName
  }

  /// "用户 root（操作员 张三）在 host 上，进程 1234，自 2026-11-29 09:15 起"
  public var description: String {
    StoreText.lockHolder(
      user: user, operatorName: operatorName, host: host, pid: pid,
      since: Self.minutes(of: since))
  }

  /// One short line for a status bar: "周湘中 root@vm 进程8532 自2026-11-29 09:15".
  public var shortDescription: String {
    let who = operatorName.isEmpty ? user : operatorName
    return "\(who) \(user)@\(host) 进程\(pid) 自\(Self.minutes(of: since))"
  }

  /// "2026-11-29T09:15:42+08:00" → "2026-11-29 09:15"; anything else is shown as it is.
  static func minutes(of iso: String) -> String {
    let chars = Array(iso)
    guard chars.count >= 16, chars[10] == "T" || chars[10] == " ", chars[13] == ":" else {
      return iso
    }
    return String(chars[0..<10]) + " " + String(chars[11..<16])
  }

  /// The holder describing this process.
  static func current(operatorName: String, since: String) -> LockHolder {
    LockHolder(
      user: currentUser(), host: currentHost(), pid: getpid(), since: since,
      operatorName: operatorName)
  }

  static func currentUser() -> String {
    let uid = geteuid()
    if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
      return String(cString: name)
    }
    if let name = ProcessInfo.processInfo.environment["USER"], !name.isEmpty { return name }
    return "uid \(uid)"
  }

  static func currentHost() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "?" }
    return String(
      decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// False only when the holder is on this machine and its process is gone: the text is stale.
  var mayBeAlive: Bool {
    guard host == Self.currentHost() else { return true }
    guard pid > 0 else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }
}

/// One writer per data folder: an advisory `flock(2)` on `DATA/.lock` (created 0600).
///
/// The holder writes its `LockHolder` JSON into `DATA/.lock-holder` (through `AtomicFile`) after
/// acquiring, so another start-up can say who is working in the folder. The kernel releases a
/// `flock` when the process dies (its descriptors are closed), so a dead process's lock never
/// blocks; a leftover `.lock-holder` of a dead process is just stale text and is ignored.
///
/// - `flock` locks belong to an open file description: a second `open` + `flock` in the same
///   process conflicts with the first, so opening the folder twice in one process is refused too.
/// - The descriptor is opened `O_CLOEXEC`, so programs we start (printing) never inherit the lock.
/// - `.lock` itself is never deleted: unlinking a lock file lets two processes lock two
///   different inodes of the same name.
/// - Release removes `.lock-holder` before unlocking, so it never deletes a new holder's text.
///
/// Thread safety: the descriptor is guarded by a lock, so the value may cross threads
/// (`Sendable`) and `release()` may be called from any of them, any number of times.
public final class FolderLock: @unchecked Sendable {
  public static let lockFileName = ".lock"
  public static let holderFileName = ".lock-holder"

  /// What `acquire` found.
  public enum Outcome: Sendable {
    case acquired(FolderLock)
    /// Another process (or another open of the folder in this one) holds the lock. `nil` when
    /// its holder file is missing, unreadable or stale.
    case heldBy(LockHolder?)
  }

  public let folder: URL
  /// What we wrote into `.lock-holder`.
  public let holder: LockHolder
  private let guardLock = NSLock()
  private var descriptor: Int32

  private init(folder: URL, holder: LockHolder, descriptor: Int32) {
    self.folder = folder
    self.holder = holder
    self.descriptor = descriptor
  }

  deinit {
    release()
  }

  static func lockFile(_ folder: URL) -> URL {
    folder.appendingPathComponent(lockFileName)
  }

  static func holderFile(_ folder: URL) -> URL {
    folder.appendingPathComponent(holderFileName)
  }

  /// Tries once (`LOCK_EX | LOCK_NB`). `now` is the ISO time string written as `since`.
  /// Throws when the folder is missing or `.lock` cannot be opened or the holder not written.
  public static func acquire(
    folder: URL, operatorName: String, now: String
  ) throws(StoreError) -> Outcome {
    let path = lockFile(folder).path
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, AtomicFile.fileMode)
    guard fd >= 0 else { throw StoreError.from(errno: errno, path: path) }
    guard lockNonBlocking(fd, LOCK_EX) else {
      let code = errno
      close(fd)
      if code == EWOULDBLOCK || code == EAGAIN { return .heldBy(readHolder(folder)) }
      throw StoreError.from(errno: code, path: path)
    }
    let holder = LockHolder.current(operatorName: operatorName, since: now)
    do {
      try AtomicFile.write(encode(holder), to: holderFile(folder))
    } catch {
      flock(fd, LOCK_UN)
      close(fd)
      throw error
    }
    return .acquired(FolderLock(folder: folder, holder: holder, descriptor: fd))
  }

  /// The current holder if a live process holds the lock (probes with `LOCK_SH | LOCK_NB`: when
  /// that succeeds nobody holds it → nil). Also nil when the holder file is missing or stale.
  public static func currentHolder(folder: URL) -> LockHolder? {
    guard isLocked(folder: folder) else { return nil }
    return readHolder(folder)
  }

  /// Whether any open file description holds an exclusive lock on `.lock`.
  static func isLocked(folder: URL) -> Bool {
    let fd = open(lockFile(folder).path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    if lockNonBlocking(fd, LOCK_SH) {
      flock(fd, LOCK_UN)
      return false
    }
    return errno == EWOULDBLOCK || errno == EAGAIN
  }

  /// Unlocks, closes and removes `.lock-holder`. Idempotent; also done on deinit.
  public func release() {
    guardLock.lock()
    defer { guardLock.unlock() }
    guard descriptor >= 0 else { return }
    // Our own text goes first: once unlocked, the file may be someone else's.
    unlink(Self.holderFile(folder).path)
    try? AtomicFile.syncFolder(folder)
    flock(descriptor, LOCK_UN)
    close(descriptor)
    descriptor = -1
  }

  /// Whether this value still holds the lock.
  public var isHeld: Bool {
    guardLock.lock()
    defer { guardLock.unlock() }
    return descriptor >= 0
  }

  private static func lockNonBlocking(_ fd: Int32, _ operation: Int32) -> Bool {
    while true {
      if flock(fd, operation | LOCK_NB) == 0 { return true }
      if errno != EINTR { return false }
    }
  }

  private static func encode(_ holder: LockHolder) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = (try? encoder.encode(holder)) ?? Data()
    data.append(0x0A)
    return data
  }

  /// The holder file's text, or nil when it is missing, unreadable, or names a dead process of
  /// this machine.
  static func readHolder(_ folder: URL) -> LockHolder? {
    guard let data = try? Data(contentsOf: holderFile(folder)),
      let holder = try? StrictJSON.decode(LockHolder.self, from: data, path: ""),
      holder.mayBeAlive
    else { return nil }
    return holder
  }
}

extension StoreText {
  static func lockHolder(
    user: String, operatorName: String, host: String, pid: Int32, since: String
  ) -> String {
    let who = operatorName.isEmpty ? "用户 \(user) " : "用户 \(user)（操作员 \(operatorName)）"
    return "\(who)在 \(host) 上，进程 \(pid)，自 \(since) 起"
  }
}
