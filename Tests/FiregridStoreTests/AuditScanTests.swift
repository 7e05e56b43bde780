import FiregridModel
import FiregridRepository
import Foundation
import Testing

@testable import FiregridStore

/// `AuditScan` reads canonical lines from their bytes and gives every other line to the
/// readers it replaced. Held here to those readers — `verify`, `hashesBySequence`,
/// `latestDigests` and `commits` as they were, each decoding the whole log with JSONDecoder —
/// on logs damaged every way a byte can be: each answers the same.
struct AuditScanTests {
  // MARK: The readers as they were (the reference)

  static func referenceVerify(_ folder: URL) -> [AuditProblem] {
    let logPath = folder.appendingPathComponent(AuditLog.fileName).path
    let data: [UInt8]
    do {
      data = try AuditLog.readFile(logPath) ?? []
    } catch {
      return [.unreadable(path: logPath)]
    }
    let head = AuditLog.headState(folder: folder)
    var problems: [AuditProblem] = []
    var previous: (sequence: Int, hash: String)? = (0, AuditLog.genesisHash)
    var last: AuditEntry?
    var hashBySequence: [Int: String] = [:]
    let lines = AuditLines(data).lines
    let decoder = JSONDecoder()
    for (index, range) in lines.enumerated() {
      let number = index + 1
      guard let entry = AuditCanonical.decode(data[range], with: decoder) else {
        problems.append(.unparsableLine(line: number))
        previous = nil
        last = nil
        continue
      }
      if entry.computedHash != entry.hash {
        problems.append(.hashMismatch(line: number, sequence: entry.sequence))
      }
      if let previous {
        if entry.sequence != previous.sequence + 1 {
          problems.append(
            .sequenceGap(line: number, expected: previous.sequence + 1, found: entry.sequence))
        }
        if entry.previousHash != previous.hash {
          problems.append(.brokenChain(line: number, sequence: entry.sequence))
        }
      }
      previous = (entry.sequence, entry.hash)
      last = entry
      hashBySequence[entry.sequence] = entry.hash
    }
    switch head {
    case .missing:
      if !lines.isEmpty { problems.append(.headMismatch) }
    case .unreadable:
      problems.append(.headMismatch)
    case .present(let head):
      if lines.isEmpty {
        if head.sequence > 0 {
          problems.append(.truncated(expectedLast: head.sequence, foundLast: 0))
        }
      } else if let last {
        if last.sequence < head.sequence {
          problems.append(.truncated(expectedLast: head.sequence, foundLast: last.sequence))
        } else if hashBySequence[head.sequence] != head.hash {
          problems.append(.headMismatch)
        } else if last.sequence > head.sequence {
          problems.append(.headBehind(lines: last.sequence - head.sequence))
        }
      }
    }
    return problems
  }

  static func referenceHashes(_ folder: URL) throws -> [Int: String] {
    let path = folder.appendingPathComponent(AuditLog.fileName).path
    guard let data = try AuditLog.readFile(path) else { return [:] }
    let decoder = JSONDecoder()
    var result: [Int: String] = [:]
    for line in AuditLines(data).lines {
      let bytes = data[line]
      if let (sequence, hash) = AuditLog.checkpoint(
        bytes, decoded: AuditCanonical.decode(bytes, with: decoder))
      {
        result[sequence] = hash
      }
    }
    return result
  }

  static func referenceDigests(_ folder: URL, through last: Int) throws -> (
    digests: [String: String?], journalled: Bool
  ) {
    let path = folder.appendingPathComponent(AuditLog.fileName).path
    guard let data = try AuditLog.readFile(path) else { return ([:], false) }
    let decoder = JSONDecoder()
    var digests: [String: String?] = [:]
    var journalled = false
    for line in AuditLines(data).lines {
      let bytes = data[line]
      if !journalled, bytes.contains(AuditLog.commitNeedle) { journalled = true }
      guard bytes.contains(Journal.fileNeedle) else { continue }
      if let line = Journal.fileLine(bytes) {
        if line.sequence <= last { digests[line.path] = .some(line.after) }
        continue
      }
      guard let entry = AuditCanonical.decode(bytes, with: decoder),
        entry.change.record == Journal.fileRecord, entry.sequence <= last
      else { continue }
      digests[entry.change.field] = .some(entry.change.after)
    }
    return (digests, journalled)
  }

  static func referenceCommits(_ folder: URL) throws -> [Int: String] {
    let path = folder.appendingPathComponent(AuditLog.fileName).path
    guard let data = try AuditLog.readFile(path) else { return [:] }
    let decoder = JSONDecoder()
    var result: [Int: String] = [:]
    for line in AuditLines(data).lines where data[line].contains(AuditLog.commitNeedle) {
      guard let entry = AuditCanonical.decode(data[line], with: decoder),
        entry.change.record == Journal.commitRecord
      else { continue }
      result[entry.sequence] = entry.hash
    }
    return result
  }

  /// Every reader against its reference on the folder as it is.
  static func expectSameAsReference(_ folder: URL, _ label: String) throws {
    #expect(AuditLog.verify(folder: folder) == referenceVerify(folder), "\(label)")
    #expect(try AuditLog.hashesBySequence(folder: folder) == referenceHashes(folder), "\(label)")
    for through in [Int.max, 7] {
      let scanned = try Journal.latestDigests(folder: folder, through: through)
      let reference = try referenceDigests(folder, through: through)
      #expect(scanned.digests == reference.digests, "\(label) through \(through)")
      #expect(scanned.journalled == reference.journalled, "\(label) through \(through)")
    }
    #expect(try Journal.commits(folder: folder) == referenceCommits(folder), "\(label)")
  }

  // MARK: Logs to damage

  /// A log of groups as the journal writes them: records' lines with text of every kind the
  /// canonical encoding escapes (quotes, backslashes, control characters, Chinese), file
  /// lines (a file removed, a path with a quote in it) and commit lines.
  static func writeLog(_ folder: URL) throws {
    let log = try AuditLog(folder: folder)
    defer { log.close() }
    let texts = [
      "三江镇龙潭村1组", #"{"id":"h000001","note":"say \"hi\" \\ bye"}"#, "tab\tline\nfeed\r",
      "bell\u{07}nul\u{00}esc\u{1B}del\u{7F}", "é😀/slash", "",
    ]
    for group in 0..<6 {
      var changes: [AuditChange] = []
      for (index, text) in texts.enumerated() {
        changes.append(
          AuditChange(
            record: "household/h00000\(group)", field: "f\(index)",
            before: index % 2 == 0 ? nil : text, after: text))
      }
      changes.append(
        AuditChange(
          record: "visit/h00000\(group)-v1", field: "*", before: nil,
          after: String(repeating: "长", count: 40 * group)))
      changes.append(
        AuditChange(
          record: Journal.fileRecord, field: "visits/h00000\(group).json", before: nil,
          after: Journal.digest(Data([UInt8(group)]))))
      changes.append(
        AuditChange(
          record: Journal.fileRecord, field: group == 3 ? #"odd"path\.json"# : "gone.json",
          before: "x", after: group == 4 ? nil : "y\(group)"))
      changes.append(
        AuditChange(
          record: Journal.commitRecord, field: "household", before: nil,
          after: String(changes.count + 1)))
      try log.append(changes, operatorName: group == 2 ? "向\"红梅\"" : "甲", time: "t\(group)")
    }
  }

  static func bytes(_ folder: URL) throws -> [UInt8] {
    Array(try Data(contentsOf: folder.appendingPathComponent(AuditLog.fileName)))
  }

  static func write(_ bytes: [UInt8], _ folder: URL) throws {
    try Data(bytes).write(to: folder.appendingPathComponent(AuditLog.fileName))
  }

  @Test func anIntactLogReadsAsItsReferencesReadIt() throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.expectSameAsReference(folder, "empty")
    try Self.writeLog(folder)
    #expect(AuditLog.verify(folder: folder) == [])
    // Every line the log writes is read from its bytes, with what the decoder reads.
    let data = try Self.bytes(folder)
    let decoder = JSONDecoder()
    for range in AuditLines(data).lines {
      let line = data[range]
      let entry = try #require(AuditCanonical.decode(line, with: decoder))
      line.withUnsafeBufferPointer { bytes in
        guard let read = CanonicalAuditLine.parse(bytes, checkText: true) else {
          Issue.record("not read from its bytes: \(entry)")
          return
        }
        #expect(read.sequence == entry.sequence)
        #expect(String(decoding: bytes[read.hash], as: UTF8.self) == entry.hash)
        #expect(read.hashMatches(in: bytes))
        #expect(
          read.recordEscaped
            || String(decoding: bytes[read.record], as: UTF8.self) == entry.change.record)
      }
    }
    try Self.expectSameAsReference(folder, "intact")
    try FileManager.default.removeItem(at: folder.appendingPathComponent(AuditLog.headFileName))
    try Self.expectSameAsReference(folder, "no head")
    try FileManager.default.removeItem(at: folder.appendingPathComponent(AuditLog.fileName))
    try Self.expectSameAsReference(folder, "no log")
  }

  /// Lines rewritten the ways a hand or another program might: still entries, in another
  /// shape, which only JSONDecoder reads.
  @Test(arguments: [
    ("spaces", #"":"#, #"": "#), ("escaped slash", "/", #"\/"#),
    ("unicode escape", "é", #"\u00e9"#), ("upper-case escape", #"\u0007"#, #"\u0007"#.uppercased()),
    ("short escape as unicode", #"\t"#, #"\u0009"#), ("key order", #"{"change":"#, #"{ "change":"#),
    ("leading zero", #""sequence":"#, #""sequence":0"#), ("CR", #""}"#, "\"}\r"),
    ("repeated key", #","time":"#, #","time":"x","time":"#),
    ("no hash", #","hash":""#, #","hush":""#),
    ("long hash", #","previousHash":""#, #","previousHash":"0"#),
    ("capital in hash", #","hash":""#, #","hash":"A"#),
    ("null field", #""field":"f1""#, #""field":null"#),
    ("number as text", #","sequence":"#, #","sequence":-"#),
  ])
  func linesInAnotherShapeReadAsTheDecoderReadsThem(_ rewrite: (String, String, String)) throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.writeLog(folder)
    let text = String(decoding: try Self.bytes(folder), as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Rewrite every third line that has the text: some lines of each kind stay canonical.
    var rewritten = 0
    for index in lines.indices where index % 3 == 1 && lines[index].contains(rewrite.1) {
      if let range = lines[index].range(of: rewrite.1, options: .backwards) {
        lines[index].replaceSubrange(range, with: rewrite.2)
        rewritten += 1
      }
    }
    #expect(rewritten > 0, "\(rewrite.0)")
    let canonical = lines.filter { line in
      Array(line.utf8).withUnsafeBufferPointer {
        CanonicalAuditLine.parse($0, checkText: true) != nil
      }
    }
    #expect(canonical.count < lines.count - 1, "\(rewrite.0): the rewritten lines are not")
    try Self.write(Array(lines.joined(separator: "\n").utf8), folder)
    try Self.expectSameAsReference(folder, rewrite.0)
  }

  /// Bytes changed, dropped, added, lines removed or repeated, the end cut: a few hundred
  /// damaged logs, each read the same as its references read it.
  @Test func damagedLogsReadAsTheirReferencesReadThem() throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.writeLog(folder)
    let intact = try Self.bytes(folder)
    let head = try Data(contentsOf: folder.appendingPathComponent(AuditLog.headFileName))
    var rng = SplitMix64(seed: 16)
    let interesting: [UInt8] = [
      0x22, 0x5C, 0x0A, 0x20, 0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xE4, 0xED,
      0xF4, 0xF5, 0xFF, 0x2F, 0x2D, 0x30, 0x61, 0x7B, 0x7D, 0x75,
    ]
    func byte() -> UInt8 {
      rng.next() % 2 == 0
        ? interesting[Int(rng.next() % UInt64(interesting.count))] : UInt8(rng.next() & 0xFF)
    }
    for round in 0..<300 {
      var bytes = intact
      let at = Int(rng.next() % UInt64(bytes.count))
      let kind = round % 6
      switch kind {
      case 0: bytes[at] = byte()
      case 1: bytes.remove(at: at)
      case 2: bytes.insert(byte(), at: at)
      case 3, 4:
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let line = at % (lines.count - 1)
        if kind == 3 {
          lines.remove(at: line)
        } else {
          lines.insert(lines[line], at: (line + 1 + Int(rng.next() % 5)) % lines.count)
        }
        bytes = Array(lines.joined(separator: [0x0A]))
      default: bytes.removeLast(bytes.count - at)
      }
      try Self.write(bytes, folder)
      if round % 10 == 9 {
        try FileManager.default.removeItem(
          at: folder.appendingPathComponent(AuditLog.headFileName))
      }
      try Self.expectSameAsReference(folder, "round \(round)")
      if round % 10 == 9 {
        try head.write(to: folder.appendingPathComponent(AuditLog.headFileName))
      }
    }
  }

  /// Lines read in blocks: across every block boundary and longer than a block, the same
  /// whole lines as splitting the file at once, a torn last line left out.
  @Test(arguments: [1, 2, 7, 64, 1000])
  func linesAreReadWholeAcrossBlocks(_ blockSize: Int) throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent(AuditLog.fileName).path
    #expect(try AuditLogReader.forEachLine(path: path, blockSize: blockSize) { _, _ in } == nil)
    var text: [UInt8] = []
    for length in [0, 3, 1, 200, 0, 0, 65, 2048, 9] {
      text += [UInt8](repeating: 0x61 + UInt8(length % 26), count: length) + [0x0A]
    }
    for torn in [[], [0x62, 0x62]] as [[UInt8]] {
      try Data(text + torn).write(to: URL(fileURLWithPath: path))
      for start in [0, 4, 5] {
        var lines: [(String, Int)] = []
        let end = try AuditLogReader.forEachLine(path: path, from: start, blockSize: blockSize) {
          line, offset in lines.append((String(decoding: line, as: UTF8.self), offset))
        }
        let whole = Array(text[start...])
        var expected: [(String, Int)] = []
        var lineStart = 0
        for (index, byte) in whole.enumerated() where byte == 0x0A {
          expected.append(
            (String(decoding: whole[lineStart..<index], as: UTF8.self), start + lineStart))
          lineStart = index + 1
        }
        #expect(lines.map(\.0) == expected.map(\.0))
        #expect(lines.map(\.1) == expected.map(\.1))
        #expect(end == text.count)
      }
    }
  }

  @Test func utf8CheckAgreesWithTheStandardLibrary() {
    var rng = SplitMix64(seed: 8)
    let samples: [[UInt8]] = [
      [], Array("abc".utf8), Array("三江镇😀é".utf8), [0xC0, 0x80], [0xE0, 0x80, 0x80],
      [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xE4, 0xB8], [0x80],
      [0xFF], Array("12345678三".utf8), Array("1234567三".utf8) + [0x80],
    ]
    var cases = samples
    for _ in 0..<2000 {
      var sample = Array("三江镇龙潭村😀ab".utf8)
      for _ in 0..<Int(rng.next() % 3) {
        sample[Int(rng.next() % UInt64(sample.count))] = UInt8(rng.next() & 0xFF)
      }
      cases.append(sample)
    }
    for sample in cases {
      let expected = String(validating: sample, as: UTF8.self) != nil
      let found = sample.withUnsafeBufferPointer { UTF8Check.isValid($0) }
      #expect(found == expected, "\(sample)")
    }
  }
}
