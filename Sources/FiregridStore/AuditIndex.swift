import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where each record's lines are in audit.log, so that a history (`h`) reads only its own
/// lines instead of the whole log: a season's log is ~190 MB, and searching it took ~60 ms for
/// every 9 MB of log (1.4 s at a season's end).
///
/// Lines are filed under their record's *owner*: the part of the record's name after its first
/// "/" up to the next "-" (`household/h000001`, `visit/h000001-v3`, `hazard/h000001-z1` and
/// `spotcheck/h000001-c1` are all h000001's; `premises/c00001`, `inspection/c00001-v1` are
/// c00001's). A history asks for records by name and by prefixes that end in "-" after the
/// owner, so its lines are all among the owner's. Lines whose record has no "/" (`file`,
/// `commit`, `town`) are not indexed. Consecutive lines of one owner are one span, so a
/// household created with its twenty visits is two spans, and each later save of it one more.
///
/// The index is derived: built in one pass over the log the first time a history is asked for,
/// then kept up in memory by reading only the lines appended since (by this process or any
/// other), and kept on disk in `journal/audit.index` so that the next opening starts from it.
/// Deleting that file at any time costs one pass over the log. Before each use the index is
/// checked against the log: the log must be at least as long as what was indexed, and the
/// last indexed line must still be there with the same bytes (its SHA-256); otherwise it is
/// built again. Each span read must still be whole lines of that owner; otherwise the index
/// is built again and the history read once more. The history's lines are then decoded and
/// chosen exactly as `AuditLog.entries(folder:records:prefixes:)` chooses them from the whole
/// log, and neither verifies the hash chain (`check` does).
///
/// Why lazily, and not as each commit is written: the save path does not change at all (no
/// write, no fsync, no lock), and the saves made between two histories cost one read of
/// their few lines at the second. Rewriting a sidecar file at each commit would add a write
/// and an fsync of ~0.5 MB to every save; appending to it would make it a second log to
/// recover after a crash. Why in `journal/`: backups leave that folder out, so each day's
/// backup does not copy an index that it would have to rebuild anyway.
///
/// Format of `journal/audit.index` (written atomically, 0600, little-endian; any mismatch and
/// it is ignored and rebuilt):
///
///     "FGAIDX01"                       8 bytes
///     covered                          u64: bytes of audit.log indexed (whole lines)
///     last line offset, length         u64, u64 (the "\n" included)
///     last line SHA-256                32 bytes
///     owner count                      u32
///     per owner, sorted by name:       u32 name length, name (UTF-8),
///                                      u32 span count, spans: u64 offset, u32 length
///     SHA-256 of all the bytes above   32 bytes
///
/// Not thread-safe: one per store, used by its one worker.
final class AuditIndex {
  static let fileName = "audit.index"
  static let magic = Array("FGAIDX01".utf8)
  /// Lines indexed since the file was last written after which it is written again: the
  /// next opening then reads at most this much of the log after loading it.
  static let rewriteAfter = 4 << 20
  /// The longest span (its length is a u32 in the file): one owner's consecutive lines past
  /// it start another.
  static let longestSpan = 1 << 30

  /// Whole lines of audit.log, their "\n" included.
  struct Span: Equatable {
    var offset: Int
    var length: Int
    var end: Int { offset + length }
  }

  let folder: URL
  private var logPath: String { folder.appendingPathComponent(AuditLog.fileName).path }
  var indexFile: URL {
    Journal.redoFolder(folder).appendingPathComponent(Self.fileName)
  }

  /// Whether the index below describes the log up to `covered` (else it is to be loaded or
  /// built).
  private var ready = false
  private var covered = 0
  private var lastLine = Span(offset: 0, length: 0)
  private var lastLineDigest: [UInt8] = []
  private var spans: [String: [Span]] = [:]
  /// `covered` when the file was last read or written; nil when it holds nothing of this.
  private var saved: Int?
  private var writeFailed = false
  /// How often the index was built from the whole log (for the tests and the bench).
  private(set) var builds = 0

  init(folder: URL) {
    self.folder = folder
  }

  // MARK: Reading a history

  /// The entries `AuditLog.entries(folder:records:prefixes:)` gives, from the index.
  /// `persist`: the caller holds the folder's lock, and may write the index file.
  func entries(records: [String], prefixes: [String], persist: Bool) throws(StoreError)
    -> [AuditEntry]
  {
    guard let owners = Self.owners(records: records, prefixes: prefixes) else {
      return try AuditLog.entries(folder: folder, records: records, prefixes: prefixes)
    }
    for attempt in 0..<2 {
      let fd = open(logPath, O_RDONLY | O_CLOEXEC)
      if fd < 0 {
        if errno != ENOENT { throw StoreError.from(errno: errno, path: logPath) }
        ready = false
        return []
      }
      defer { close(fd) }
      var status = stat()
      guard fstat(fd, &status) == 0 else { throw StoreError.from(errno: errno, path: logPath) }
      // The second time, the index (and its file) did not match the log: built afresh.
      try update(fd: fd, size: Int(status.st_size), afresh: attempt > 0)
      if persist { save() }
      if let found = try read(fd: fd, owners: owners, records: records, prefixes: prefixes) {
        return found
      }
    }
    // Built afresh and still not the log's lines: the log changes under us; read it whole.
    return try AuditLog.entries(folder: folder, records: records, prefixes: prefixes)
  }

  /// Brings the index up to the log's end now (read from `audit.index`, built from the whole
  /// log the first time): the app does it on its worker after the open, so the first `h` does
  /// not pay for it. A failure is left for `entries` to meet and report.
  func refresh(persist: Bool) {
    let fd = open(logPath, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { return }
    guard (try? update(fd: fd, size: Int(status.st_size), afresh: false)) != nil else { return }
    if persist { save() }
  }

  /// The owners whose lines hold every record named or prefixed; nil when a name or prefix
  /// does not determine its owner (then the whole log is read).
  static func owners(records: [String], prefixes: [String]) -> Set<String>? {
    var owners: Set<String> = []
    for record in records {
      guard let owner = owner(ofRecord: Array(record.utf8)[...]) else { return nil }
      owners.insert(owner)
    }
    for prefix in prefixes {
      let bytes = Array(prefix.utf8)
      guard let slash = bytes.firstIndex(of: 0x2F),
        let dash = bytes[(slash + 1)...].firstIndex(of: 0x2D)
      else { return nil }
      owners.insert(String(decoding: bytes[(slash + 1)..<dash], as: UTF8.self))
    }
    return owners
  }

  /// A record's owner: after its first "/", up to the next "-" or the end; nil without "/".
  static func owner(ofRecord record: ArraySlice<UInt8>) -> String? {
    ownerRange(record).map { String(decoding: record[$0], as: UTF8.self) }
  }

  private static func ownerRange<C: Collection>(_ record: C) -> Range<C.Index>?
  where C.Element == UInt8 {
    guard let slash = record.firstIndex(of: 0x2F) else { return nil }
    let start = record.index(after: slash)
    let end = record[start...].firstIndex(of: 0x2D) ?? record.endIndex
    return start..<end
  }

  /// The owner of one line, as the index files it (nil: not indexed). The record is read
  /// from the canonical bytes, or from the line's decoding when it is in another shape.
  private static func owner(ofLine line: UnsafeBufferPointer<UInt8>, decoder: JSONDecoder)
    -> String?
  {
    if let canonical = CanonicalAuditLine.parse(line, checkText: false),
      !canonical.recordEscaped
    {
      let record = UnsafeBufferPointer(rebasing: line[canonical.record])
      return ownerRange(record).map {
        String(decoding: UnsafeBufferPointer(rebasing: record[$0]), as: UTF8.self)
      }
    }
    guard let entry = AuditCanonical.decode(Array(line)[...], with: decoder) else { return nil }
    return owner(ofRecord: Array(entry.change.record.utf8)[...])
  }

  /// The owners' lines read from their spans, chosen as the whole-log search chooses them;
  /// nil when a span is not whole lines of one of these owners (the log changed under the
  /// index).
  private func read(fd: Int32, owners: Set<String>, records: [String], prefixes: [String])
    throws(StoreError) -> [AuditEntry]?
  {
    let wanted = owners.flatMap { spans[$0] ?? [] }.sorted { $0.offset < $1.offset }
    let needles = (records + prefixes).map { Array("\"record\":\"\($0)".utf8) }
    let decoder = JSONDecoder()
    var result: [AuditEntry] = []
    var previousEnd = 0
    for span in wanted {
      guard span.offset >= previousEnd, span.length > 0, span.end <= covered else { return nil }
      previousEnd = span.end
      // The byte before the span too: it must end the line before.
      let from = max(0, span.offset - 1)
      let bytes = try AuditLog.pread(fd, offset: from, count: span.end - from, path: logPath)
      guard bytes.count == span.end - from, bytes.last == 0x0A,
        span.offset == 0 || bytes.first == 0x0A
      else { return nil }
      let body = bytes[(span.offset - from)...]
      var start = body.startIndex
      while start < body.endIndex {
        let newline = body[start...].firstIndex(of: 0x0A)!
        let line = body[start..<newline]
        start = newline + 1
        let owner = line.withUnsafeBufferPointer { Self.owner(ofLine: $0, decoder: decoder) }
        guard let owner, owners.contains(owner) else { return nil }
        guard needles.contains(where: { line.contains($0) }),
          let entry = AuditCanonical.decode(line, with: decoder)
        else { continue }
        let record = entry.change.record
        if records.contains(record) || prefixes.contains(where: { record.hasPrefix($0) }) {
          result.append(entry)
        }
      }
    }
    return result
  }

  // MARK: Keeping up with the log

  /// Brings the index up to the log's `size`: loads the file if nothing is in memory, starts
  /// afresh if what it describes is no longer the log's beginning, indexes what was appended.
  private func update(fd: Int32, size: Int, afresh: Bool) throws(StoreError) {
    if afresh {
      ready = false
    } else if !ready {
      load()
    }
    if ready, !(try describesLog(fd: fd, size: size)) { ready = false }
    if !ready {
      covered = 0
      lastLine = Span(offset: 0, length: 0)
      lastLineDigest = []
      spans = [:]
      saved = nil
      ready = true
      builds += 1
    }
    guard size > covered else { return }
    let decoder = JSONDecoder()
    var open: (owner: String, span: Span)?
    var last: Span?
    let end = try AuditLogReader.forEachLine(fd: fd, path: logPath, from: covered, to: size) {
      line, offset in
      let span = Span(offset: offset, length: line.count + 1)
      last = span
      guard let owner = Self.owner(ofLine: line, decoder: decoder) else { return }
      if let current = open, current.owner == owner, current.span.end == offset,
        current.span.length + span.length <= Self.longestSpan
      {
        open?.span.length += span.length
      } else {
        if let current = open { add(current.span, to: current.owner) }
        open = (owner, span)
      }
    }
    if let current = open { add(current.span, to: current.owner) }
    if let last {
      let bytes = try AuditLog.pread(fd, offset: last.offset, count: last.length, path: logPath)
      lastLine = last
      lastLineDigest = Array(SHA256.hash(data: bytes))
    }
    covered = end
  }

  private func add(_ span: Span, to owner: String) {
    if let previous = spans[owner]?.last, previous.end == span.offset,
      previous.length + span.length <= Self.longestSpan
    {
      spans[owner]![spans[owner]!.count - 1].length += span.length
    } else {
      spans[owner, default: []].append(span)
    }
  }

  /// Whether the log still begins with what was indexed: at least as long, and its last
  /// indexed line the same bytes.
  private func describesLog(fd: Int32, size: Int) throws(StoreError) -> Bool {
    guard covered <= size else { return false }
    guard covered > 0 else { return true }
    guard lastLine.end == covered else { return false }
    let bytes = try AuditLog.pread(
      fd, offset: lastLine.offset, count: lastLine.length, path: logPath)
    return bytes.last == 0x0A && Array(SHA256.hash(data: bytes)) == lastLineDigest
  }

  // MARK: The file

  /// Writes the index file when it was built afresh or has fallen behind by `rewriteAfter`.
  /// A failure is not the history's: the index is derived, and the next opening rebuilds it.
  private func save() {
    guard !writeFailed, covered > 0 else { return }
    if let saved, covered - saved < Self.rewriteAfter { return }
    do {
      let journal = Journal.redoFolder(folder)
      try AtomicFile.makeFolder(journal)
      // A temp file a crash left mid-write (the caller holds the lock: nobody is writing it).
      let names = (try? FileManager.default.contentsOfDirectory(atPath: journal.path)) ?? []
      for name in names where name.hasPrefix(".\(Self.fileName).") && name.hasSuffix(".tmp") {
        unlink(journal.appendingPathComponent(name).path)
      }
      try AtomicFile.write(encoded(), to: indexFile)
      saved = covered
    } catch {
      writeFailed = true
    }
  }

  func encoded() -> Data {
    var out = Self.magic
    func u32(_ value: Int) { withUnsafeBytes(of: UInt32(value).littleEndian) { out += $0 } }
    func u64(_ value: Int) { withUnsafeBytes(of: UInt64(value).littleEndian) { out += $0 } }
    u64(covered)
    u64(lastLine.offset)
    u64(lastLine.length)
    out += lastLineDigest.count == 32 ? lastLineDigest : [UInt8](repeating: 0, count: 32)
    u32(spans.count)
    for (owner, list) in spans.sorted(by: { $0.key < $1.key }) {
      let name = Array(owner.utf8)
      u32(name.count)
      out += name
      u32(list.count)
      for span in list {
        u64(span.offset)
        u32(span.length)
      }
    }
    out += Array(SHA256.hash(data: out))
    return Data(out)
  }

  /// Reads the index file into memory (`ready`) when it is whole and well formed; anything
  /// else leaves it to be built.
  private func load() {
    guard let bytes = try? AuditLog.readFile(indexFile.path),
      let decoded = Self.decode(bytes)
    else { return }
    (covered, lastLine, lastLineDigest, spans) = decoded
    saved = covered
    ready = true
  }

  /// The index file's contents: nil unless whole (its SHA-256 trailer) and well formed.
  static func decode(_ bytes: [UInt8]) -> (Int, Span, [UInt8], [String: [Span]])? {
    guard bytes.count >= 8 + 24 + 32 + 4 + 32, bytes.starts(with: magic) else { return nil }
    let bodyCount = bytes.count - 32
    let digest = bytes.withUnsafeBytes {
      Array(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: $0[..<bodyCount])))
    }
    guard digest.elementsEqual(bytes[bodyCount...]) else { return nil }
    var index = magic.count
    func integer(_ size: Int) -> Int? {
      guard bodyCount - index >= size else { return nil }
      var value: UInt64 = 0
      for offset in 0..<size { value |= UInt64(bytes[index + offset]) << (8 * offset) }
      index += size
      return value <= UInt64(Int.max) ? Int(value) : nil
    }
    guard let covered = integer(8), let lastOffset = integer(8), let lastLength = integer(8),
      bodyCount - index >= 32
    else { return nil }
    let lastDigest = Array(bytes[index..<(index + 32)])
    index += 32
    let lastLine = Span(offset: lastOffset, length: lastLength)
    guard covered == 0 || (lastLength > 0 && lastLine.end == covered),
      let owners = integer(4)
    else { return nil }
    var spans: [String: [Span]] = [:]
    spans.reserveCapacity(min(owners, bodyCount / 9))
    for _ in 0..<owners {
      guard let nameCount = integer(4), bodyCount - index >= nameCount else { return nil }
      let name = String(decoding: bytes[index..<(index + nameCount)], as: UTF8.self)
      index += nameCount
      guard let count = integer(4), count > 0, (bodyCount - index) / 12 >= count,
        spans[name] == nil
      else { return nil }
      var list: [Span] = []
      list.reserveCapacity(count)
      for _ in 0..<count {
        guard let offset = integer(8), let length = integer(4), length > 0,
          offset + length <= covered
        else { return nil }
        list.append(Span(offset: offset, length: length))
      }
      spans[name] = list
    }
    guard index == bodyCount else { return nil }
    return (covered, lastLine, lastDigest, spans)
  }
}
