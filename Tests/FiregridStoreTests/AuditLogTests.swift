import FiregridRepository
import Foundation
import Testing

@testable import FiregridStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct AuditLogTests {
  static let time = "2026-11-29T09:15:02+08:00"

  /// A fresh, private, existing folder (AuditLog expects the folder to exist).
  static func makeFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-audit-\(UUID().uuidString)")
    try AtomicFile.makeFolder(url)
    return url
  }

  static func change(_ index: Int) -> AuditChange {
    AuditChange(
      record: "household/h\(String(format: "%06d", index % 7 + 1))", field: "address",
      before: "三江镇龙潭村1组\(index)号", after: "三江镇龙潭村1组\(index + 1)号")
  }

  /// Writes `count` entries, one append each, and closes the log.
  static func fill(_ folder: URL, count: Int) throws {
    let log = try AuditLog(folder: folder)
    defer { log.close() }
    for index in 1...count {
      try log.append([change(index)], operatorName: "向红梅", time: time)
    }
  }

  static func logURL(_ folder: URL) -> URL { folder.appendingPathComponent(AuditLog.fileName) }

  static func lines(_ folder: URL) throws -> [String] {
    let text = try String(contentsOf: logURL(folder), encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
  }

  static func rewrite(_ folder: URL, lines: [String]) throws {
    let text = lines.map { $0 + "\n" }.joined()
    try Data(text.utf8).write(to: logURL(folder))
  }

  static func mode(_ url: URL) -> mode_t {
    var status = stat()
    guard stat(url.path, &status) == 0 else { return 0 }
    return status.st_mode & 0o777
  }

  // MARK: Round trip

  @Test func appendThenReadGivesTheSameEntriesChainedInOrder() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = try AuditLog(folder: folder)
    #expect(log.lastSequence == 0)
    let first = try log.append(
      [
        AuditChange(record: "household/h000001", field: "address", before: "1组1号", after: "1组2号"),
        AuditChange(
          record: "household/h000001", field: "persons[p0000002].phone", before: nil,
          after: "13907451234"),
        AuditChange(record: "village/v001", field: "*", before: #"{"id":"v001"}"#, after: nil),
      ],
      operatorName: "向红梅", time: Self.time)
    let second = try log.append(
      [AuditChange(record: "household/h000001", field: "number", before: "0001", after: "0003")],
      operatorName: "肖煜中", time: "2026-11-29T10:00:00+08:00")
    #expect(log.lastSequence == 4)
    log.close()

    let written = first + second
    #expect(written.map(\.sequence) == [1, 2, 3, 4])
    #expect(written[0].previousHash == AuditLog.genesisHash)
    for (before, after) in zip(written, written.dropFirst()) {
      #expect(after.previousHash == before.hash)
    }
    #expect(written.allSatisfy { $0.hash == $0.computedHash && $0.hash.count == 64 })
    #expect(try AuditLog.entries(folder: folder) == written)
    #expect(
      try AuditLog.entries(folder: folder, record: "household/h000001").map(\.sequence)
        == [1, 2, 4])
    #expect(try AuditLog.entries(folder: folder, record: "village/v001")[0].change.after == nil)
    #expect(AuditLog.verify(folder: folder) == [])

    let reopened = try AuditLog(folder: folder)
    defer { reopened.close() }
    #expect(reopened.lastSequence == 4)
    let next = try reopened.append([Self.change(1)], operatorName: "向红梅", time: Self.time)
    #expect(next[0].sequence == 5)
    #expect(next[0].previousHash == written[3].hash)
    #expect(AuditLog.verify(folder: folder) == [])
  }

  @Test func emptyAppendWritesNothing() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = try AuditLog(folder: folder)
    defer { log.close() }
    #expect(try log.append([], operatorName: "向红梅", time: Self.time) == [])
    #expect(try Data(contentsOf: Self.logURL(folder)).isEmpty)
    #expect(!FileManager.default.fileExists(atPath: log.headFile.path))
    #expect(AuditLog.verify(folder: folder) == [])
  }

  @Test func aNewFolderVerifiesCleanAndHasNoEntries() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(AuditLog.verify(folder: folder) == [])
    #expect(try AuditLog.entries(folder: folder) == [])
  }

  @Test func linesAreCanonicalOneLineJSONWithReadableChinese() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = try AuditLog(folder: folder)
    defer { log.close() }
    let tricky = AuditChange(
      record: "household/h000001", field: "address", before: "旧址\n\"引号\"\\斜杠\t\u{1}",
      after: nil)
    let entry = try log.append([tricky], operatorName: "舒桂英", time: Self.time)[0]
    let lines = try Self.lines(folder)
    #expect(lines.count == 1)
    #expect(
      lines[0]
        == #"{"change":{"after":null,"before":"旧址\n\"引号\"\\斜杠\t\u0001","#
        + #""field":"address","record":"household/h000001"},"hash":""# + entry.hash
        + #"","operatorName":"舒桂英","previousHash":""# + AuditLog.genesisHash
        + #"","sequence":1,"time":"2026-11-29T09:15:02+08:00"}"#)
    #expect(try AuditLog.entries(folder: folder) == [entry])
    #expect(AuditLog.verify(folder: folder) == [])
  }

  @Test func aThousandEntriesVerifyClean() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = try AuditLog(folder: folder)
    var index = 0
    while index < 1000 {
      let batch = (index..<min(1000, index + index % 5 + 1)).map(Self.change)
      try log.append(batch, operatorName: "向红梅", time: Self.time)
      index += batch.count
    }
    log.close()
    #expect(AuditLog.verify(folder: folder) == [])
    #expect(try AuditLog.entries(folder: folder).map(\.sequence) == Array(1...1000))
    let reopened = try AuditLog(folder: folder)
    defer { reopened.close() }
    #expect(reopened.lastSequence == 1000)
  }

  // MARK: Tampering

  @Test func editingOneFieldOfAMiddleLineIsAHashMismatch() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 10)
    var lines = try Self.lines(folder)
    #expect(lines[4].contains("向红梅"))
    lines[4] = lines[4].replacingOccurrences(of: "向红梅", with: "肖煜中")
    try Self.rewrite(folder, lines: lines)
    #expect(AuditLog.verify(folder: folder) == [.hashMismatch(line: 5, sequence: 5)])
  }

  @Test func editingALineAndRecomputingItsHashBreaksTheChainAfterIt() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 10)
    var entries = try AuditLog.entries(folder: folder)
    var lines = try Self.lines(folder)
    entries[4].change.after = "三江镇龙潭村9组9号"
    entries[4].hash = entries[4].computedHash
    lines[4] = AuditCanonical.line(entries[4])
    try Self.rewrite(folder, lines: lines)
    #expect(AuditLog.verify(folder: folder) == [.brokenChain(line: 6, sequence: 6)])
  }

  @Test func deletingAMiddleLineIsAGapAndABrokenChain() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 10)
    var lines = try Self.lines(folder)
    lines.remove(at: 4)
    try Self.rewrite(folder, lines: lines)
    #expect(
      AuditLog.verify(folder: folder) == [
        .sequenceGap(line: 5, expected: 5, found: 6), .brokenChain(line: 5, sequence: 6),
      ])
  }

  @Test func swappingTwoLinesIsDetected() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 10)
    var lines = try Self.lines(folder)
    lines.swapAt(3, 4)
    try Self.rewrite(folder, lines: lines)
    let problems = AuditLog.verify(folder: folder)
    #expect(problems.contains(.brokenChain(line: 4, sequence: 5)))
    #expect(problems.contains(.sequenceGap(line: 4, expected: 4, found: 5)))
    #expect(problems.contains(.brokenChain(line: 5, sequence: 4)))
    #expect(!problems.contains { if case .hashMismatch = $0 { true } else { false } })
  }

  @Test func insertingACopiedLineIsDetected() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 6)
    var lines = try Self.lines(folder)
    lines.insert(lines[1], at: 3)
    try Self.rewrite(folder, lines: lines)
    let problems = AuditLog.verify(folder: folder)
    #expect(problems.contains(.sequenceGap(line: 4, expected: 4, found: 2)))
    #expect(problems.contains(.brokenChain(line: 4, sequence: 2)))
  }

  @Test func deletingTheLastLineIsCaughtByTheHead() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 10)
    try Self.rewrite(folder, lines: Array(try Self.lines(folder).dropLast()))
    #expect(AuditLog.verify(folder: folder) == [.truncated(expectedLast: 10, foundLast: 9)])
  }

  @Test func emptyingTheLogIsCaughtByTheHead() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 3)
    try Self.rewrite(folder, lines: [])
    #expect(AuditLog.verify(folder: folder) == [.truncated(expectedLast: 3, foundLast: 0)])
  }

  @Test func aTruncationStaysVisibleAfterLaterAppends() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 10)
    try Self.rewrite(folder, lines: Array(try Self.lines(folder).dropLast(2)))
    let log = try AuditLog(folder: folder)
    #expect(log.lastSequence == 10)  // the head wins, so the gap is kept
    try log.append([Self.change(1)], operatorName: "向红梅", time: Self.time)
    log.close()
    #expect(
      AuditLog.verify(folder: folder) == [
        .sequenceGap(line: 9, expected: 9, found: 11), .brokenChain(line: 9, sequence: 11),
      ])
  }

  @Test func aForgedLineWithAWrongChainIsDetected() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 5)
    let entries = try AuditLog.entries(folder: folder)
    var lines = try Self.lines(folder)
    // A well-formed line with a correct hash of its own, chained to the wrong line.
    var forged = AuditEntry(
      sequence: 6, time: Self.time, operatorName: "肖煜中",
      change: AuditChange(record: "household/h000001", field: "address", before: "a", after: "b"),
      previousHash: entries[2].hash, hash: "")
    forged.hash = forged.computedHash
    lines.append(AuditCanonical.line(forged))
    try Self.rewrite(folder, lines: lines)
    #expect(
      AuditLog.verify(folder: folder) == [
        .brokenChain(line: 6, sequence: 6), .headBehind(lines: 1),
      ])

    // Opening does not adopt it: the head stays at 5 and the next line continues from there.
    let log = try AuditLog(folder: folder)
    defer { log.close() }
    #expect(log.lastSequence == 5)
  }

  @Test func aForgedLineWithARecomputedChainIsCaughtByTheHead() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 5)
    let entries = try AuditLog.entries(folder: folder)
    var forged = AuditEntry(
      sequence: 6, time: Self.time, operatorName: "肖煜中",
      change: AuditChange(record: "household/h000001", field: "address", before: "a", after: "b"),
      previousHash: entries[4].hash, hash: "")
    forged.hash = forged.computedHash
    try Self.rewrite(folder, lines: try Self.lines(folder) + [AuditCanonical.line(forged)])
    #expect(AuditLog.verify(folder: folder) == [.headBehind(lines: 1)])
  }

  @Test func aLineThatIsNotJSONIsUnparsable() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 5)
    var lines = try Self.lines(folder)
    lines[2] = "乱码"
    try Self.rewrite(folder, lines: lines)
    #expect(AuditLog.verify(folder: folder) == [.unparsableLine(line: 3)])
    #expect(try AuditLog.entries(folder: folder).map(\.sequence) == [1, 2, 4, 5])
  }

  @Test func aMissingOrDamagedHeadIsAHeadMismatch() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 3)
    let head = folder.appendingPathComponent(AuditLog.headFileName)
    try Data("{broken".utf8).write(to: head)
    #expect(AuditLog.verify(folder: folder) == [.headMismatch])
    // A head that does not parse is refused, never overwritten.
    #expect(throws: StoreError.self) { _ = try AuditLog(folder: folder) }
    #expect(try String(contentsOf: head, encoding: .utf8) == "{broken")

    try FileManager.default.removeItem(at: head)
    #expect(AuditLog.verify(folder: folder) == [.headMismatch])
  }

  @Test func aHeadFromANewerVersionIsRefused() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let head = folder.appendingPathComponent(AuditLog.headFileName)
    try Data(#"{"schemaVersion":99,"sequence":3,"hash":"x"}"#.utf8).write(to: head)
    #expect(throws: StoreError.newerVersion(path: head.path, found: 99, known: 1)) {
      _ = try AuditLog(folder: folder)
    }
  }

  // MARK: Crashes

  @Test func aTornTailIsMovedAsideAndTheChainContinues() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 4)
    let whole = try Data(contentsOf: Self.logURL(folder))
    // Half of a fifth line, as a crash during the write would leave it.
    var next = AuditEntry(
      sequence: 5, time: Self.time, operatorName: "向红梅", change: Self.change(5),
      previousHash: try AuditLog.entries(folder: folder)[3].hash, hash: "")
    next.hash = next.computedHash
    let half = Data(AuditCanonical.line(next).utf8.prefix(70))
    let handle = try FileHandle(forWritingTo: Self.logURL(folder))
    try handle.seekToEnd()
    try handle.write(contentsOf: half)
    try handle.close()
    #expect(AuditLog.verify(folder: folder) == [])  // tolerated, like Redis' aof-load-truncated

    let log = try AuditLog(folder: folder)
    let torn = folder.appendingPathComponent("audit.torn-5")
    #expect(log.movedAsideTornTail == torn)
    #expect(try Data(contentsOf: torn) == half)
    #expect(Self.mode(torn) == 0o600)
    #expect(try Data(contentsOf: Self.logURL(folder)) == whole)
    #expect(log.lastSequence == 4)
    let written = try log.append([Self.change(5)], operatorName: "向红梅", time: Self.time)
    log.close()
    #expect(written[0].sequence == 5)
    #expect(AuditLog.verify(folder: folder) == [])
    #expect(try AuditLog.entries(folder: folder).count == 5)
  }

  @Test func aSecondTornTailAtTheSameSequenceIsKeptBesideTheFirst() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 2)
    for fragment in [#"{"change":{"af"#, #"{"chan"#] {
      let handle = try FileHandle(forWritingTo: Self.logURL(folder))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(fragment.utf8))
      try handle.close()
      let log = try AuditLog(folder: folder)
      log.close()
    }
    #expect(
      try String(contentsOf: folder.appendingPathComponent("audit.torn-3"), encoding: .utf8)
        == #"{"change":{"af"#)
    #expect(
      try String(contentsOf: folder.appendingPathComponent("audit.torn-3-2"), encoding: .utf8)
        == #"{"chan"#)
    #expect(AuditLog.verify(folder: folder) == [])
  }

  @Test func aLogWithOnlyATornLineOpensEmpty() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(#"{"change":"#.utf8).write(to: Self.logURL(folder))
    let log = try AuditLog(folder: folder)
    defer { log.close() }
    #expect(log.lastSequence == 0)
    #expect(
      FileManager.default.fileExists(atPath: folder.appendingPathComponent("audit.torn-1").path))
    let entry = try log.append([Self.change(1)], operatorName: "向红梅", time: Self.time)[0]
    #expect(entry.sequence == 1 && entry.previousHash == AuditLog.genesisHash)
    #expect(AuditLog.verify(folder: folder) == [])
  }

  @Test func aCrashBeforeTheHeadWasRewrittenIsRolledForwardOnOpen() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 3)
    let head = try Data(contentsOf: folder.appendingPathComponent(AuditLog.headFileName))
    try Self.fill(folder, count: 2)  // entries 4 and 5
    // Put the old head back: as if the process died after the log's fdatasync.
    try head.write(to: folder.appendingPathComponent(AuditLog.headFileName))
    #expect(AuditLog.verify(folder: folder) == [.headBehind(lines: 2)])
    let log = try AuditLog(folder: folder)
    log.close()
    #expect(log.lastSequence == 5)
    #expect(AuditLog.verify(folder: folder) == [])
  }

  @Test func aCrashBeforeTheFirstHeadIsRolledForwardOnOpen() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 2)
    try FileManager.default.removeItem(at: folder.appendingPathComponent(AuditLog.headFileName))
    let log = try AuditLog(folder: folder)
    #expect(log.lastSequence == 2)
    try log.append([Self.change(3)], operatorName: "向红梅", time: Self.time)
    log.close()
    #expect(AuditLog.verify(folder: folder) == [])
  }

  /// Whether this process may mount a tmpfs (root outside a locked-down container).
  static let canMountTmpfs: Bool = {
    guard getuid() == 0 else { return false }
    guard let folder = try? makeFolder() else { return false }
    defer { rmdir(folder.path) }
    guard mount("tmpfs", folder.path, "tmpfs", 0, "size=64k") == 0 else { return false }
    umount2(folder.path, 0)
    return true
  }()

  /// Fills a 64 KB tmpfs (a filler file of `fillerKB`) with 10 KB lines until the disk is
  /// full, then frees the filler and appends again. Returns the file that ran out of space.
  static func fillTinyDisk(fillerKB: Int) throws -> String? {
    let folder = try makeFolder()
    defer { rmdir(folder.path) }
    try #require(mount("tmpfs", folder.path, "tmpfs", 0, "size=64k,mode=0700") == 0)
    defer { umount2(folder.path, 0) }
    let filler = folder.appendingPathComponent("filler")
    try Data(count: fillerKB * 1024).write(to: filler)
    let big = String(repeating: "隐患", count: 1700)  // ~10 KB a line: fresh pages each time
    let log = try AuditLog(folder: folder)
    var failure: StoreError?
    for _ in 1...20 {
      do {
        try log.append(
          [AuditChange(record: "household/h000001", field: "address", before: nil, after: big)],
          operatorName: "向红梅", time: time)
      } catch {
        failure = error
        break
      }
    }
    // Whether the log write or the head write ran out of space: no torn line, and the
    // entries on disk are exactly the ones the log counts.
    let data = try Data(contentsOf: logURL(folder))
    #expect(data.isEmpty || data.last == 0x0A)
    #expect(try AuditLog.entries(folder: folder).count == log.lastSequence)
    #expect([[], [.headBehind(lines: 1)]].contains(AuditLog.verify(folder: folder)))

    try FileManager.default.removeItem(at: filler)
    let next = try log.append([change(1)], operatorName: "向红梅", time: time)
    log.close()
    #expect(try next[0].sequence == AuditLog.entries(folder: folder).count)
    #expect(AuditLog.verify(folder: folder) == [])
    guard case .diskFull(let path) = failure else {
      Issue.record("expected diskFull, got \(String(describing: failure))")
      return nil
    }
    return URL(fileURLWithPath: path).lastPathComponent
  }

  @Test(.enabled(if: canMountTmpfs, "needs root to mount a tiny tmpfs"))
  func aFullDiskLeavesNoHalfLineAndTheChainContinues() throws {
    // Different fillers make the log's write or the head's rewrite the one that fails.
    var failed: Set<String> = []
    for fillerKB in [36, 40, 44] {
      if let file = try Self.fillTinyDisk(fillerKB: fillerKB) { failed.insert(file) }
    }
    #expect(failed == [AuditLog.fileName, AuditLog.headFileName])
  }

  // MARK: Files

  @Test func theLogAndTheHeadAreOwnerOnly() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.fill(folder, count: 1)
    #expect(Self.mode(Self.logURL(folder)) == 0o600)
    #expect(Self.mode(folder.appendingPathComponent(AuditLog.headFileName)) == 0o600)
  }

  @Test func appendingAfterCloseIsRefused() throws {
    let folder = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let log = try AuditLog(folder: folder)
    log.close()
    log.close()
    #expect(throws: StoreError.auditLogUnusable(path: Self.logURL(folder).path)) {
      try log.append([Self.change(1)], operatorName: "向红梅", time: Self.time)
    }
  }

  @Test func aMissingFolderIsAStoreError() {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "firegrid-audit-missing-\(UUID().uuidString)")
    #expect(throws: StoreError.self) { _ = try AuditLog(folder: folder) }
  }

  @Test func problemsReadInChinese() {
    #expect(AuditProblem.hashMismatch(line: 12, sequence: 12).message == "审计日志第12行被修改（哈希不符）")
    #expect(AuditProblem.truncated(expectedLast: 10, foundLast: 9).message.contains("序号10"))
    #expect(AuditProblem.sequenceGap(line: 5, expected: 5, found: 6).message.contains("第5行"))
    #expect(AuditProblem.headMismatch.message.contains("audit.head"))
  }
}
