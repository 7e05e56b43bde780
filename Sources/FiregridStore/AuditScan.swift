import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An audit line read straight from its bytes when they are exactly the canonical encoding
/// (`AuditCanonical.bytes`: the keys in their sorted order, no white space, strings escaped
/// only as the canonical encoding escapes them, `sequence` a plain decimal, `hash` and
/// `previousHash` 64 lower-case hex digits): the value ranges, without making a String.
///
/// Why by hand: `check` on a season (250,000 lines, 190 MB) spent ~6 s decoding each line with
/// JSONDecoder to re-encode it and hash it. A line in exactly this shape decodes to the entry
/// whose canonical bytes are the line without its `,"hash":"…"` member, so its hash is checked
/// over those bytes as they are. Anything else (another key order, white space, `\/`, an
/// upper-case `\u001F`, a key written twice, text that is not UTF-8 when asked to check it)
/// is nil, and the caller reads that line the old way, with JSONDecoder: the answers are the
/// decoder's (tests hold the two to each other on damaged logs).
struct CanonicalAuditLine {
  /// Content of `after` between its quotes (still escaped), nil when null.
  var after: Range<Int>?
  var afterEscaped: Bool
  var field: Range<Int>
  var fieldEscaped: Bool
  var record: Range<Int>
  var recordEscaped: Bool
  /// `,"hash":"<64 hex>"`: cut out, the rest of the line is the bytes the hash is over.
  var hashMember: Range<Int>
  var hash: Range<Int>
  var previousHash: Range<Int>
  var sequence: Int

  /// Parses `line` (without its "\n"). `checkText`: also require every string to be valid
  /// UTF-8 (what JSONDecoder decodes byte for byte); a reader that only needs the structure
  /// (the record's name, a file line's digest) leaves it off.
  static func parse(_ line: UnsafeBufferPointer<UInt8>, checkText: Bool) -> CanonicalAuditLine? {
    guard let base = line.baseAddress else { return nil }
    var cursor = Cursor(base: base, count: line.count)
    var high = false
    guard cursor.literal(#"{"change":{"after":"#) else { return nil }
    var after: Range<Int>?
    var afterEscaped = false
    if !cursor.literal("null") {
      guard let value = cursor.string(escaped: &afterEscaped, high: &high) else { return nil }
      after = value
    }
    var beforeEscaped = false
    guard cursor.literal(#","before":"#) else { return nil }
    if !cursor.literal("null") {
      guard cursor.string(escaped: &beforeEscaped, high: &high) != nil else { return nil }
    }
    var fieldEscaped = false
    var recordEscaped = false
    guard cursor.literal(#","field":"#),
      let field = cursor.string(escaped: &fieldEscaped, high: &high),
      cursor.literal(#","record":"#),
      let record = cursor.string(escaped: &recordEscaped, high: &high),
      cursor.literal("}")
    else { return nil }
    let memberStart = cursor.index
    var ignored = false
    guard cursor.literal(#","hash":"#), let hash = cursor.hex64() else { return nil }
    let hashMember = memberStart..<cursor.index
    guard cursor.literal(#","operatorName":"#),
      cursor.string(escaped: &ignored, high: &high) != nil,
      cursor.literal(#","previousHash":"#), let previousHash = cursor.hex64(),
      cursor.literal(#","sequence":"#), let sequence = cursor.integer(),
      cursor.literal(#","time":"#), cursor.string(escaped: &ignored, high: &high) != nil,
      cursor.literal("}"), cursor.index == line.count
    else { return nil }
    if checkText, high, !UTF8Check.isValid(line) { return nil }
    return CanonicalAuditLine(
      after: after, afterEscaped: afterEscaped, field: field, fieldEscaped: fieldEscaped,
      record: record, recordEscaped: recordEscaped, hashMember: hashMember, hash: hash,
      previousHash: previousHash, sequence: sequence)
  }

  /// Whether the record's bytes are exactly `name`.
  func recordIs(_ name: StaticString, in line: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !recordEscaped, record.count == name.utf8CodeUnitCount, let base = line.baseAddress
    else { return false }
    return memcmp(base + record.lowerBound, name.utf8Start, record.count) == 0
  }

  /// Whether SHA-256 of the line without its hash member is the hash it carries.
  func hashMatches(in line: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = line.baseAddress else { return false }
    var hasher = SHA256()
    hasher.update(bufferPointer: UnsafeRawBufferPointer(start: base, count: hashMember.lowerBound))
    hasher.update(
      bufferPointer: UnsafeRawBufferPointer(
        start: base + hashMember.upperBound, count: line.count - hashMember.upperBound))
    let digest = hasher.finalize()
    let digits = CanonicalAuditLine.hexDigits
    var index = hash.lowerBound
    for byte in digest {
      guard base[index] == digits[Int(byte >> 4)], base[index + 1] == digits[Int(byte & 0xF)]
      else { return false }
      index += 2
    }
    return true
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  private struct Cursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    var index = 0

    mutating func literal(_ text: StaticString) -> Bool {
      let length = text.utf8CodeUnitCount
      guard count - index >= length, memcmp(base + index, text.utf8Start, length) == 0 else {
        return false
      }
      index += length
      return true
    }

    /// A canonical string: its content's range (the cursor past the closing quote).
    mutating func string(escaped: inout Bool, high: inout Bool) -> Range<Int>? {
      guard index < count, base[index] == 0x22 else { return nil }
      index += 1
      let start = index
      var seen: UInt64 = 0
      while true {
        // Eight bytes at a time while none is a quote, a backslash or a control character.
        while count - index >= 8 {
          let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
          if JSONCursor.hasQuoteBackslashOrControl(word) { break }
          seen |= word
          index += 8
        }
        guard index < count else { return nil }
        let byte = base[index]
        if byte == 0x22 {
          if seen & 0x8080_8080_8080_8080 != 0 { high = true }
          index += 1
          return start..<(index - 1)
        }
        if byte == 0x5C {
          escaped = true
          guard escape() else { return nil }
          continue
        }
        guard byte >= 0x20 else { return nil }
        seen |= UInt64(byte)
        index += 1
      }
    }

    /// One escape as the canonical encoding writes it: `\"` `\\` `\b` `\f` `\n` `\r` `\t`, or
    /// `\u00xx` (lower-case hex) for another control character.
    private mutating func escape() -> Bool {
      guard count - index >= 2 else { return false }
      switch base[index + 1] {
      case 0x22, 0x5C, 0x62, 0x66, 0x6E, 0x72, 0x74:
        index += 2
        return true
      case 0x75:
        guard count - index >= 6, base[index + 2] == 0x30, base[index + 3] == 0x30 else {
          return false
        }
        let high = base[index + 4]
        let low = base[index + 5]
        guard high == 0x30 || high == 0x31 else { return false }
        let lowValue: UInt8
        switch low {
        case 0x30...0x39: lowValue = low - 0x30
        case 0x61...0x66: lowValue = low - 0x61 + 10
        default: return false
        }
        let scalar = (high - 0x30) << 4 | lowValue
        // These five have their short escapes in the canonical encoding.
        guard ![0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(scalar) else { return false }
        index += 6
        return true
      default:
        return false
      }
    }

    /// `"` 64 lower-case hex digits `"`: the digits' range.
    mutating func hex64() -> Range<Int>? {
      guard count - index >= 66, base[index] == 0x22, base[index + 65] == 0x22 else { return nil }
      for offset in 1...64 {
        let byte = base[index + offset]
        guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) else { return nil }
      }
      defer { index += 66 }
      return (index + 1)..<(index + 65)
    }

    /// `0` or a decimal without leading zero, at most 18 digits.
    mutating func integer() -> Int? {
      let start = index
      var value = 0
      while index < count, (0x30...0x39).contains(base[index]), index - start < 18 {
        value = value * 10 + Int(base[index] - 0x30)
        index += 1
      }
      guard index > start, index == count || !(0x30...0x39).contains(base[index]),
        base[start] != 0x30 || index == start + 1
      else { return nil }
      return value
    }
  }
}

/// Whether bytes are valid UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF),
/// ASCII skipped eight bytes at a time: one pass over a line that has text outside ASCII,
/// without making a String of it (`String(validating:as:)` makes one, and was measured slow
/// across modules: see `UTF8Text`). Held to the standard library's answer in the tests. A
/// season's check spends ~1.5% of its cycles here.
enum UTF8Check {
  static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let count = bytes.count
    var index = 0
    while index < count {
      while count - index >= 8,
        UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
      {
        index += 8
      }
      guard index < count else { return true }
      let lead = base[index]
      if lead < 0x80 {
        index += 1
        continue
      }
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        high = 0x9F
      case 0xF0:
        length = 4
        low = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        high = 0x8F
      default: return false
      }
      guard count - index >= length, (low...high).contains(base[index + 1]) else { return false }
      for offset in 2..<length where !(0x80...0xBF).contains(base[index + offset]) {
        return false
      }
      index += length
    }
    return true
  }
}

/// Whole lines of audit.log read in blocks from `start` to the size it had when opened: each
/// line (without its "\n") with its offset in the file; a last line without "\n" (torn, or
/// being written by another process) is left out. A block is 4 MiB, grown for a longer line:
/// a season's log (190 MB) is never held whole (a season's `check` peaked at 436 MB holding it,
/// 229 MB now).
enum AuditLogReader {
  static let defaultBlockSize = 4 << 20

  /// Calls `body` for each whole line; returns the offset just past the last one (`start`
  /// when there is none). nil when there is no audit.log.
  @discardableResult
  static func forEachLine(
    path: String, from start: Int = 0, blockSize: Int = defaultBlockSize,
    _ body: (UnsafeBufferPointer<UInt8>, _ offset: Int) -> Void
  ) throws(StoreError) -> Int? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw StoreError.from(errno: errno, path: path)
    }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw StoreError.from(errno: errno, path: path) }
    return try forEachLine(
      fd: fd, path: path, from: start, to: Int(status.st_size), blockSize: blockSize, body)
  }

  static func forEachLine(
    fd: Int32, path: String, from start: Int, to end: Int, blockSize: Int = defaultBlockSize,
    _ body: (UnsafeBufferPointer<UInt8>, _ offset: Int) -> Void
  ) throws(StoreError) -> Int {
    var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: blockSize)
    var capacity = blockSize
    defer { buffer.deallocate() }
    var kept = 0  // bytes of an unfinished line at the start of the buffer
    var keptOffset = start  // file offset of buffer[0]
    var position = start
    while position < end {
      if kept == capacity {
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        larger.update(from: buffer, count: kept)
        buffer.deallocate()
        buffer = larger
        capacity *= 2
      }
      let wanted = min(capacity - kept, end - position)
      var got = 0
      while got < wanted {
        let n = pread(fd, buffer + kept + got, wanted - got, off_t(position + got))
        if n < 0 {
          if errno == EINTR { continue }
          throw StoreError.from(errno: errno, path: path)
        }
        if n == 0 { break }
        got += n
      }
      if got == 0 { break }  // the file shrank meanwhile
      position += got
      let filled = kept + got
      var lineStart = 0
      var searchFrom = kept
      while searchFrom < filled,
        let found = memchr(buffer + searchFrom, 0x0A, filled - searchFrom)
      {
        let newline = buffer.distance(
          to: found.assumingMemoryBound(to: UInt8.self))
        body(
          UnsafeBufferPointer(start: buffer + lineStart, count: newline - lineStart),
          keptOffset + lineStart)
        lineStart = newline + 1
        searchFrom = lineStart
      }
      kept = filled - lineStart
      if lineStart > 0, kept > 0 { memmove(buffer, buffer + lineStart, kept) }
      keptOffset += lineStart
    }
    return keptOffset
  }
}

/// One pass over audit.log gathering what `check` needs of it — the chain verified line by
/// line (`AuditLog.verify`), the latest digest of each file (`Journal.latestDigests`), the
/// hashes of the backups' checkpoints (`AuditLog.hashesBySequence`) and of a commit line
/// (`Journal.commits`) — instead of one read of the whole log each (a season's `check` read
/// its 190 MB three times, and decoded every line with JSONDecoder, ~6.5 s in all).
///
/// Each line is read from its canonical bytes (`CanonicalAuditLine`); a line in any other shape
/// is decoded and answered exactly as each of the four did before (`fallback`), so a damaged
/// log reads as it always did.
struct AuditScan {
  struct Request {
    /// Check each line's hash and its link to the line before (`AuditLog.verify`).
    var verify = false
    /// The sequence whose hash verify compares audit.head's with.
    var headSequence: Int?
    /// Gather each file's latest digest from the file lines through this sequence.
    var digestsThrough: Int?
    /// The sequences whose hash to find as `hashesBySequence` does; nil = every line's.
    var checkpoints: Set<Int>? = []
    /// The commit lines whose hash to find by sequence; nil = every commit line's.
    var commits: Set<Int>? = []

    init(
      verify: Bool = false, head: AuditLog.HeadState? = nil, digestsThrough: Int? = nil,
      checkpoints: Set<Int>? = [], commits: Set<Int>? = []
    ) {
      self.verify = verify
      if case .present(let found) = head { headSequence = found.sequence }
      self.digestsThrough = digestsThrough
      self.checkpoints = checkpoints
      self.commits = commits
    }
  }

  let request: Request
  /// Whether audit.log exists.
  private(set) var exists = true
  private(set) var problems: [AuditProblem] = []
  private(set) var lineCount = 0
  /// The last line's sequence when it parses (nil when it does not, or there is none).
  private(set) var lastSequence: Int?
  /// The hash of the last line whose sequence is `headSequence`.
  private(set) var headHash: String?
  private(set) var digests: [String: String?] = [:]
  /// Whether any line names the commit record (the log is a journal).
  private(set) var journalled = false
  private(set) var checkpoints: [Int: String] = [:]
  private(set) var commits: [Int: String] = [:]

  /// The previous line's hash for the chain: its bytes when it was canonical, else its text.
  private var previousSequence: Int?
  private var previousBytes: [UInt8] = []
  private var previousText: String?
  private let decoder = JSONDecoder()

  private init(_ request: Request) {
    self.request = request
    previousSequence = request.verify ? 0 : nil
    previousBytes = Array(AuditLog.genesisHash.utf8)
  }

  static func run(folder: URL, _ request: Request) throws(StoreError) -> AuditScan {
    var scan = AuditScan(request)
    let path = folder.appendingPathComponent(AuditLog.fileName).path
    let found = try AuditLogReader.forEachLine(path: path) { line, _ in scan.add(line) }
    if found == nil { scan.exists = false }
    return scan
  }

  private mutating func add(_ line: UnsafeBufferPointer<UInt8>) {
    lineCount += 1
    if let canonical = CanonicalAuditLine.parse(line, checkText: request.verify) {
      add(canonical, line)
    } else {
      fallback(Array(line)[...])
    }
  }

  private func text(_ range: Range<Int>, _ line: UnsafeBufferPointer<UInt8>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self)
  }

  private func wanted(_ sequence: Int, _ set: Set<Int>?) -> Bool {
    guard let set else { return true }
    return !set.isEmpty && set.contains(sequence)
  }

  private mutating func add(_ entry: CanonicalAuditLine, _ line: UnsafeBufferPointer<UInt8>) {
    let sequence = entry.sequence
    if request.verify {
      if !entry.hashMatches(in: line) {
        problems.append(.hashMismatch(line: lineCount, sequence: sequence))
      }
      if let previous = previousSequence {
        if sequence != previous + 1 {
          problems.append(
            .sequenceGap(line: lineCount, expected: previous + 1, found: sequence))
        }
        let linked: Bool
        if let previousText {
          linked = text(entry.previousHash, line) == previousText
        } else {
          linked =
            previousBytes.count == 64
            && previousBytes.withUnsafeBufferPointer {
              memcmp($0.baseAddress!, line.baseAddress! + entry.previousHash.lowerBound, 64) == 0
            }
        }
        if !linked { problems.append(.brokenChain(line: lineCount, sequence: sequence)) }
      }
      previousSequence = sequence
      previousBytes.replaceSubrange(0..., with: line[entry.hash])
      previousText = nil
      lastSequence = sequence
      if sequence == request.headSequence { headHash = text(entry.hash, line) }
    }
    if wanted(sequence, request.checkpoints) { checkpoints[sequence] = text(entry.hash, line) }
    let isCommit = entry.recordIs("commit", in: line)
    if isCommit, wanted(sequence, request.commits) {
      if request.verify || UTF8Check.isValid(line) {
        commits[sequence] = text(entry.hash, line)
      } else {
        commitFallback(Array(line)[...], decoded: nil)
      }
    }
    if let through = request.digestsThrough {
      if isCommit { journalled = true }
      if entry.recordIs("file", in: line) {
        if entry.fieldEscaped || entry.afterEscaped {
          digestFallback(Array(line)[...], through: through, decoded: nil)
        } else if sequence <= through {
          digests[text(entry.field, line)] = .some(entry.after.map { text($0, line) })
        }
      }
    }
  }

  // MARK: Lines in any other shape, read as each reader always read them

  private mutating func fallback(_ bytes: ArraySlice<UInt8>) {
    let entry = AuditCanonical.decode(bytes, with: decoder)
    if request.verify {
      if let entry {
        if entry.computedHash != entry.hash {
          problems.append(.hashMismatch(line: lineCount, sequence: entry.sequence))
        }
        if let previous = previousSequence {
          if entry.sequence != previous + 1 {
            problems.append(
              .sequenceGap(line: lineCount, expected: previous + 1, found: entry.sequence))
          }
          let previousHash = previousText ?? String(decoding: previousBytes, as: UTF8.self)
          if entry.previousHash != previousHash {
            problems.append(.brokenChain(line: lineCount, sequence: entry.sequence))
          }
        }
        previousSequence = entry.sequence
        previousText = entry.hash
        lastSequence = entry.sequence
        if entry.sequence == request.headSequence { headHash = entry.hash }
      } else {
        problems.append(.unparsableLine(line: lineCount))
        previousSequence = nil
        lastSequence = nil
      }
    }
    if let (sequence, hash) = AuditLog.checkpoint(bytes, decoded: entry),
      wanted(sequence, request.checkpoints)
    {
      checkpoints[sequence] = hash
    }
    if request.commits != [] { commitFallback(bytes, decoded: .some(entry)) }
    if let through = request.digestsThrough {
      if !journalled, bytes.contains(AuditLog.commitNeedle) { journalled = true }
      digestFallback(bytes, through: through, decoded: .some(entry))
    }
  }

  /// `Journal.commits`' reading of a line. `decoded`: the line's decoding when made already.
  private mutating func commitFallback(_ bytes: ArraySlice<UInt8>, decoded: AuditEntry??) {
    guard bytes.contains(AuditLog.commitNeedle),
      let entry = decoded ?? AuditCanonical.decode(bytes, with: decoder),
      entry.change.record == Journal.commitRecord, wanted(entry.sequence, request.commits)
    else { return }
    commits[entry.sequence] = entry.hash
  }

  /// `Journal.latestDigests`' reading of a file line.
  private mutating func digestFallback(
    _ bytes: ArraySlice<UInt8>, through: Int, decoded: AuditEntry??
  ) {
    guard bytes.contains(Journal.fileNeedle) else { return }
    if let line = Journal.fileLine(bytes) {
      if line.sequence <= through { digests[line.path] = .some(line.after) }
      return
    }
    guard let entry = decoded ?? AuditCanonical.decode(bytes, with: decoder),
      entry.change.record == Journal.fileRecord, entry.sequence <= through
    else { return }
    digests[entry.change.field] = .some(entry.change.after)
  }
}
