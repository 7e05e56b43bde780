import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A checkpoint beside the journal: `journal/checkpoint`, one file holding the bytes of every
/// data file (households, visits, contacts, premises, inspections, the archive) as they were
/// when it was written, each with the `stat` stamp of the file it was read from and a hash of
/// its bytes, and the audit-log sequence the town was at.
///
/// Opening reads it instead of the files whose stamp is unchanged, and reads from disk every
/// file that is new, changed by a later save (every save replaces a file by rename, so its
/// inode and times change) or changed outside the program. The per-household files stay the
/// record (一户一档): the checkpoint is derived, `check` never reads it, backups leave it out,
/// and it may be deleted at any time; when it is missing, older than the log allows, or
/// damaged, the open reads every file and says so (`CheckpointUse`).
///
/// Why the files' own bytes and not a binary image of the decoded town: the bytes go through
/// the same readers (and the same checks) as the files, so the checkpoint can never hold a
/// value the files would not give, nor drop a field a newer model adds. What it saves is the
/// open and read of ~22,000 small files: nothing much when they are in the kernel's cache
/// (the parse dominates; the season town loads in 0.26 s either way), but at the first open
/// of the day, caches cold, it is most of the time: release bench, season town, caches dropped
/// before each of 5 runs (median): the whole open 1.23 s from the files, 0.46 s with the
/// checkpoint; the app's first screen 0.53 → 0.21 s, all loaded 1.56 → 0.55 s. A C loop
/// over the same folder, cold: readdir 20 ms, + a stat of each file 160 ms, + reading each
/// 1.66 s; the checkpoint's one file 40 ms. The stat is kept: it is what lets a file changed
/// outside the program be seen at the open, as without a checkpoint.
///
/// Layout (little-endian): "FGCKPT1\n", the files' bytes one after another, the index (per
/// file: path length u16, path, offset, length, hash, size, mtime s/ns, ctime s/ns, inode: u64
/// each), then a 56-byte trailer: index offset, index length, file count, audit sequence,
/// index hash, format version, "FGCKEND\n".
public enum Checkpoint {
  public static let fileName = "checkpoint"
  static let headMagic = Array("FGCKPT1\n".utf8)
  static let tailMagic = Array("FGCKEND\n".utf8)
  static let formatVersion: UInt64 = 1
  static let trailerSize = 56

  /// journal/checkpoint of the data folder at `folder`.
  public static func url(in folder: URL) -> URL {
    Journal.redoFolder(folder).appendingPathComponent(fileName)
  }

  /// When the store writes one, always off the save path (a background thread).
  public struct Policy: Sendable, Equatable {
    /// A town with fewer data files is read from its files (a checkpoint would not pay).
    public var minimumFiles: Int
    /// A new checkpoint after this many changes since the last.
    public var changesBetween: Int
    /// A new checkpoint after an open that read this many files from disk.
    public var rereadThreshold: Int

    public init(minimumFiles: Int, changesBetween: Int, rereadThreshold: Int) {
      self.minimumFiles = minimumFiles
      self.changesBetween = changesBetween
      self.rereadThreshold = rereadThreshold
    }

    /// A checkpoint pays from about a thousand files; rewritten every 500 changes (a busy
    /// day's saves) or when an open read 200 files from disk.
    public static let standard = Policy(
      minimumFiles: 1_000, changesBetween: 500, rereadThreshold: 200)
    /// Never written (the command line's one-off commands, tests of other things).
    public static let never = Policy(
      minimumFiles: .max, changesBetween: .max, rereadThreshold: .max)
  }

  /// The `stat` stamp a file is recognised by: any write through the store makes a new inode
  /// (a rename), and an edit in place changes its times.
  struct Stamp: Equatable {
    var size: UInt64
    var mtimeSeconds: UInt64
    var mtimeNanoseconds: UInt64
    var ctimeSeconds: UInt64
    var ctimeNanoseconds: UInt64
    var inode: UInt64

    init(_ info: stat) {
      size = UInt64(bitPattern: Int64(info.st_size))
      mtimeSeconds = UInt64(bitPattern: Int64(info.st_mtim.tv_sec))
      mtimeNanoseconds = UInt64(bitPattern: Int64(info.st_mtim.tv_nsec))
      ctimeSeconds = UInt64(bitPattern: Int64(info.st_ctim.tv_sec))
      ctimeNanoseconds = UInt64(bitPattern: Int64(info.st_ctim.tv_nsec))
      inode = UInt64(info.st_ino)
    }

    init(fields: [UInt64]) {
      size = fields[0]
      mtimeSeconds = fields[1]
      mtimeNanoseconds = fields[2]
      ctimeSeconds = fields[3]
      ctimeNanoseconds = fields[4]
      inode = fields[5]
    }

    var fields: [UInt64] {
      [size, mtimeSeconds, mtimeNanoseconds, ctimeSeconds, ctimeNanoseconds, inode]
    }
  }

  /// A 64-bit hash of `bytes`, eight at a time: it finds a checkpoint damaged on disk (a file
  /// that still parses but says something else). Not SHA-256: hashing the ~110 MB of a season
  /// with SHA-256 would cost more than the reads the checkpoint saves; this runs at several
  /// GB/s. Not a defence against tampering (the journal's digests are).
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    var offset = 0
    while offset + 8 <= bytes.count {
      let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      h = (h ^ (word &* 0xBF58_476D_1CE4_E5B9)).rotated(27) &* 0x94D0_49BB_1331_11EB
      offset += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while offset < bytes.count {
      tail |= UInt64(bytes[offset]) << shift
      shift += 8
      offset += 1
    }
    h = (h ^ (tail &* 0xBF58_476D_1CE4_E5B9)).rotated(27) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 31
    return h
  }
}

extension UInt64 {
  fileprivate func rotated(_ count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}

/// How an open used the checkpoint: said on the loading line and by the benchmark.
public enum CheckpointUse: Equatable, Sendable {
  /// Files taken from the checkpoint, and read from disk (new or changed since).
  case used(reused: Int, read: Int)
  case missing
  /// Written at a later point of the log than the folder is at (the folder was restored).
  case stale
  /// Unreadable as a checkpoint (or an entry's bytes not what it recorded): every file read.
  case damaged
  /// The open did not look (a read-only copy of a small town, say).
  case notUsed

  /// For the loading line, when the files were read one by one.
  public var fallbackReason: String? {
    switch self {
    case .used, .notUsed: return nil
    case .missing: return StoreText.checkpointMissing
    case .stale: return StoreText.checkpointStale
    case .damaged: return StoreText.checkpointDamaged
    }
  }
}

/// An open checkpoint, mapped into memory: the loader asks it for a file's bytes by path
/// and stamp. Immutable after `open`, so it may be read from the loader's threads at once.
final class CheckpointPack: @unchecked Sendable {
  struct Entry {
    var offset: Int
    var length: Int
    var hash: UInt64
    var stamp: Checkpoint.Stamp
  }

  private let base: UnsafeRawPointer
  private let mappedLength: Int
  let sequence: Int
  private let entries: [String: Entry]
  private let lock = NSLock()
  private var damagedEntries = 0

  private init(base: UnsafeRawPointer, length: Int, sequence: Int, entries: [String: Entry]) {
    self.base = base
    self.mappedLength = length
    self.sequence = sequence
    self.entries = entries
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: base), mappedLength) }

  var count: Int { entries.count }

  /// Whether an entry was found damaged while loading (the open then says so).
  var foundDamage: Bool {
    lock.lock()
    defer { lock.unlock() }
    return damagedEntries > 0
  }

  /// Opens journal/checkpoint of `folder` for a log at `lastSequence`; why not, otherwise.
  enum Opening {
    case opened(CheckpointPack)
    case refused(CheckpointUse)
  }

  static func open(folder: URL, lastSequence: Int) -> Opening {
    let path = Checkpoint.url(in: folder).path
    let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .refused(errno == ENOENT ? .missing : .damaged) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_size >= Checkpoint.trailerSize + 8 else {
      return .refused(.damaged)
    }
    let length = Int(info.st_size)
    guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED
    else { return .refused(.damaged) }
    let bytes = UnsafeRawBufferPointer(start: mapped, count: length)
    guard let (sequence, entries) = parse(bytes) else {
      munmap(mapped, length)
      return .refused(.damaged)
    }
    // A checkpoint of a later point than the log: the folder went back (a restore).
    guard sequence <= lastSequence else {
      munmap(mapped, length)
      return .refused(.stale)
    }
    return .opened(
      CheckpointPack(
        base: UnsafeRawPointer(mapped), length: length, sequence: sequence, entries: entries))
  }

  private static func parse(_ bytes: UnsafeRawBufferPointer) -> (Int, [String: Entry])? {
    guard Array(bytes[0..<8]) == Checkpoint.headMagic else { return nil }
    let trailer = bytes.count - Checkpoint.trailerSize
    func word(_ at: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
    guard Array(bytes[(trailer + 48)..<(trailer + 56)]) == Checkpoint.tailMagic,
      word(trailer + 40) == Checkpoint.formatVersion
    else { return nil }
    let indexOffset = Int(truncatingIfNeeded: word(trailer))
    let indexLength = Int(truncatingIfNeeded: word(trailer + 8))
    let count = Int(truncatingIfNeeded: word(trailer + 16))
    let sequence = Int(truncatingIfNeeded: word(trailer + 24))
    guard indexOffset >= 8, indexLength >= 0, indexOffset + indexLength == trailer, count >= 0,
      Checkpoint.hash(UnsafeRawBufferPointer(rebasing: bytes[indexOffset..<trailer]))
        == word(trailer + 32)
    else { return nil }
    var entries: [String: Entry] = [:]
    entries.reserveCapacity(count)
    var at = indexOffset
    for _ in 0..<count {
      guard at + 2 <= trailer else { return nil }
      let pathLength = Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self))
      at += 2
      guard at + pathLength + 72 <= trailer else { return nil }
      let path = String(decoding: bytes[at..<(at + pathLength)], as: UTF8.self)
      at += pathLength
      let fields = (0..<9).map { word(at + $0 * 8) }
      at += 72
      let entry = Entry(
        offset: Int(truncatingIfNeeded: fields[0]), length: Int(truncatingIfNeeded: fields[1]),
        hash: fields[2], stamp: Checkpoint.Stamp(fields: Array(fields[3...])))
      guard entry.offset >= 8, entry.length >= 0, entry.offset + entry.length <= indexOffset
      else { return nil }
      entries[path] = entry
    }
    guard at == trailer else { return nil }
    return (sequence, entries)
  }

  /// The bytes of `relativePath` as the checkpoint holds them, when the file `name` in the
  /// open folder `folder` is still the one it was read from; nil to read the file. The bytes
  /// are the mapped memory itself: valid while this pack lives.
  func bytes(of relativePath: String, name: String, in folder: Int32) -> Data? {
    guard let entry = entries[relativePath] else { return nil }
    var info = stat()
    guard fstatat(folder, name, &info, 0) == 0, Checkpoint.Stamp(info) == entry.stamp else {
      return nil
    }
    let start = base + entry.offset
    guard Checkpoint.hash(UnsafeRawBufferPointer(start: start, count: entry.length)) == entry.hash
    else {
      lock.lock()
      damagedEntries += 1
      lock.unlock()
      return nil
    }
    return Data(
      bytesNoCopy: UnsafeMutableRawPointer(mutating: start), count: entry.length,
      deallocator: .none)
  }
}

/// Writes the checkpoint on its own thread, never the caller's: the store asks it after an
/// open that read many files and after enough changes; `close` stops it (a half-written
/// checkpoint is a temp file the next open removes).
final class CheckpointWriter: @unchecked Sendable {
  private let folder: URL
  private let queue = DispatchQueue(label: "firegrid.checkpoint", qos: .utility)
  private let condition = NSCondition()
  private var running = false
  private var cancelled = false
  private(set) var lastResult: Result<Int, StoreError>?

  init(folder: URL) { self.folder = folder }

  /// Starts writing a checkpoint of the folder at `sequence` unless one is being written.
  func start(sequence: Int) {
    condition.lock()
    defer { condition.unlock() }
    guard !running, !cancelled else { return }
    running = true
    queue.async { [self] in
      let result: Result<Int, StoreError>
      do throws(StoreError) {
        result = .success(
          try Self.write(folder: folder, sequence: sequence, isCancelled: { self.isCancelled }))
      } catch {
        result = .failure(error)
      }
      condition.lock()
      running = false
      lastResult = result
      condition.broadcast()
      condition.unlock()
    }
  }

  private var isCancelled: Bool {
    condition.lock()
    defer { condition.unlock() }
    return cancelled
  }

  /// Waits for the checkpoint being written, if any; what came of the last one (the files
  /// it holds, or why it failed).
  @discardableResult
  func wait() -> Result<Int, StoreError>? {
    condition.lock()
    defer { condition.unlock() }
    while running { condition.wait() }
    return lastResult
  }

  /// Stops a checkpoint being written and waits for its thread to leave; none start after.
  func cancel() {
    condition.lock()
    cancelled = true
    condition.unlock()
    wait()
  }

  /// Writes journal/checkpoint from the data files as they are now: each file's bytes with
  /// the stamp of the very file they were read from (a save renaming a new file in meanwhile
  /// is seen at the next open by its new stamp). Returns the number of files it holds.
  static func write(folder: URL, sequence: Int, isCancelled: () -> Bool) throws(StoreError) -> Int {
    let target = Checkpoint.url(in: folder)
    try AtomicFile.makeFolder(target.deletingLastPathComponent())
    let temp = target.deletingLastPathComponent().appendingPathComponent(
      ".\(Checkpoint.fileName).\(getpid()).tmp")
    let fd = Glibc.open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw StoreError.from(errno: errno, path: temp.path) }
    var closed = false
    defer {
      if !closed {
        close(fd)
        unlink(temp.path)
      }
    }
    var output = Data(Checkpoint.headMagic)
    var offset = output.count
    var index = Data()
    var count = 0
    func flush(force: Bool) throws(StoreError) {
      guard force || output.count >= 1 << 20 else { return }
      let failure = output.withUnsafeBytes { AtomicFile.writeAll(fd, $0, path: temp.path) }
      if let failure { throw failure }
      output.removeAll(keepingCapacity: true)
    }
    func append(_ value: UInt64, to data: inout Data) {
      withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
    for folderName in Journal.dataFolders {
      let folderPath = folder.appendingPathComponent(folderName).path
      let names = ((try? Backups.names(atPath: folderPath)) ?? [])
        .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
      let dir = Glibc.open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      guard dir >= 0 else { continue }
      defer { close(dir) }
      for name in names {
        if isCancelled() { throw StoreError.closed }
        let file = openat(dir, name, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { continue }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0 else { continue }
        let size = Int(info.st_size)
        var bytes = Data(count: size)
        let filled = bytes.withUnsafeMutableBytes { buffer -> Int in
          var filled = 0
          while filled < size {
            let n = read(file, buffer.baseAddress! + filled, size - filled)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            filled += n
          }
          return filled
        }
        // Changed while being read (never by the store, which renames): left to the files.
        guard filled == size else { continue }
        let path = Array("\(folderName)/\(name)".utf8)
        withUnsafeBytes(of: UInt16(path.count).littleEndian) { index.append(contentsOf: $0) }
        index.append(contentsOf: path)
        append(UInt64(offset), to: &index)
        append(UInt64(size), to: &index)
        append(bytes.withUnsafeBytes { Checkpoint.hash($0) }, to: &index)
        for field in Checkpoint.Stamp(info).fields { append(field, to: &index) }
        output.append(bytes)
        offset += size
        count += 1
        try flush(force: false)
      }
    }
    let indexOffset = offset
    output.append(index)
    append(UInt64(indexOffset), to: &output)
    append(UInt64(index.count), to: &output)
    append(UInt64(count), to: &output)
    append(UInt64(sequence), to: &output)
    append(index.withUnsafeBytes { Checkpoint.hash($0) }, to: &output)
    append(Checkpoint.formatVersion, to: &output)
    output.append(contentsOf: Checkpoint.tailMagic)
    try flush(force: true)
    guard fsync(fd) == 0 else { throw StoreError.from(errno: errno, path: temp.path) }
    close(fd)
    closed = true
    guard rename(temp.path, target.path) == 0 else {
      let code = errno
      unlink(temp.path)
      throw StoreError.from(errno: code, path: target.path)
    }
    try AtomicFile.syncFolder(target.deletingLastPathComponent())
    return count
  }
}
