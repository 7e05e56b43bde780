import FiregridModel
import FiregridRepository
import Foundation
import Testing

@testable import FiregridStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The audit log's index gives each history exactly what searching the whole log gives, when
/// it is fresh, when its file is gone, cut short, damaged or behind the log, and when the log
/// was cut, rewritten or appended to by another writer since.
struct AuditIndexTests {
  static let households = ["h000001", "h000002", "h000012", "h000120"]
  static let premises = ["c00001", "c00002"]

  /// The queries the repository makes (`history(ofHousehold:)`, `history(ofPremises:)`).
  static var queries: [(records: [String], prefixes: [String])] {
    households.map { id in
      (["household/\(id)"], ["visit/\(id)-", "hazard/\(id)-", "spotcheck/\(id)-c"])
    }
      + premises.map { id in
        (["premises/\(id)"], ["inspection/\(id)-", "hazard/\(id)-"])
      }
  }

  /// Changes to every kind of record, near misses included (`visit/h0000012-v1` is not
  /// h000001's; `household/h000001x` neither), with file and commit lines between.
  static func changes(_ rng: inout SplitMix64, count: Int) -> [AuditChange] {
    var result: [AuditChange] = []
    for _ in 0..<count {
      let household = households[Int(rng.next() % UInt64(households.count))]
      let place = premises[Int(rng.next() % UInt64(premises.count))]
      let n = rng.next() % 9 + 1
      let records = [
        "household/\(household)", "visit/\(household)-v\(n)", "hazard/\(household)-z\(n)",
        "spotcheck/\(household)-c\(n)", "premises/\(place)", "inspection/\(place)-v\(n)",
        "hazard/\(place)-z\(n)", "household/\(household)x", "visit/\(household)", "town",
        "village/v001", "notice/n\(n)", "grid/g0001",
      ]
      let record = records[Int(rng.next() % UInt64(records.count))]
      result.append(
        AuditChange(record: record, field: "f\(n)", before: nil, after: "值\"\(n)\"\n"))
      if rng.next() % 4 == 0 {
        result.append(
          AuditChange(
            record: Journal.fileRecord, field: "households/\(household).json",
            before: nil, after: Journal.digest(Data([UInt8(n)]))))
        result.append(
          AuditChange(record: Journal.commitRecord, field: "household", before: nil, after: "2"))
      }
    }
    return result
  }

  /// Appends `groups` groups of changes, as another writer would: each ends with its commit
  /// line (lines after the last commit line are an unfinished change, which the next writer
  /// to open the log moves aside).
  static func append(_ folder: URL, _ rng: inout SplitMix64, groups: Int) throws {
    let log = try AuditLog(folder: folder)
    defer { log.close() }
    for _ in 0..<groups {
      var group = changes(&rng, count: Int(rng.next() % 6) + 1)
      group.append(
        AuditChange(
          record: Journal.commitRecord, field: "household", before: nil,
          after: String(group.count + 1)))
      try log.append(group, operatorName: "甲", time: "t")
    }
  }

  /// Every query through `index` against the whole log.
  static func expectSameAsWholeLog(
    _ index: AuditIndex, _ folder: URL, _ label: String, persist: Bool = true
  ) throws {
    for query in queries {
      let indexed = try index.entries(
        records: query.records, prefixes: query.prefixes, persist: persist)
      let whole = try AuditLog.entries(
        folder: folder, records: query.records, prefixes: query.prefixes)
      #expect(indexed == whole, "\(label): \(query.records)")
    }
  }

  static func logURL(_ folder: URL) -> URL { folder.appendingPathComponent(AuditLog.fileName) }

  @Test func theIndexIsBuiltOnceAndKeptUpWithLinesAppendedByAnotherWriter() throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = SplitMix64(seed: 1)
    let index = AuditIndex(folder: folder)
    try Self.expectSameAsWholeLog(index, folder, "no log")
    try Self.append(folder, &rng, groups: 40)
    // A temp file a crash left while writing the index is removed when it is written next.
    let journal = Journal.redoFolder(folder)
    try AtomicFile.makeFolder(journal)
    let leftOver = journal.appendingPathComponent(".\(AuditIndex.fileName).99999.tmp")
    try Data("half".utf8).write(to: leftOver)
    try Self.expectSameAsWholeLog(index, folder, "first")
    #expect(index.builds == 1)
    #expect(AuditLogTests.mode(index.indexFile) == 0o600)
    #expect(!FileManager.default.fileExists(atPath: leftOver.path))
    #expect(!(try Self.historyOfEveryone(index)).isEmpty)
    for round in 0..<5 {
      try Self.append(folder, &rng, groups: 7)
      try Self.expectSameAsWholeLog(index, folder, "appended \(round)")
    }
    #expect(index.builds == 1, "lines appended are read on their own, not the whole log again")

    // The next opening starts from the file, behind the log by the lines appended since it
    // was written: it reads those alone.
    let next = AuditIndex(folder: folder)
    try Self.expectSameAsWholeLog(next, folder, "from the file")
    #expect(next.builds == 0)
  }

  static func historyOfEveryone(_ index: AuditIndex) throws -> [AuditEntry] {
    try queries.flatMap {
      try index.entries(records: $0.records, prefixes: $0.prefixes, persist: false)
    }
  }

  @Test(arguments: ["deleted", "empty", "cut short", "a byte changed", "another file's"])
  func aDamagedIndexFileIsBuiltAgain(_ damage: String) throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = SplitMix64(seed: 2)
    try Self.append(folder, &rng, groups: 30)
    let first = AuditIndex(folder: folder)
    try Self.expectSameAsWholeLog(first, folder, "first")
    let file = first.indexFile
    var bytes = Array(try Data(contentsOf: file))
    switch damage {
    case "deleted": try FileManager.default.removeItem(at: file)
    case "empty": bytes = []
    case "cut short": bytes.removeLast(bytes.count / 2)
    case "a byte changed": bytes[bytes.count / 3] ^= 0x20
    default:
      // A whole index of another log, with the same length so far.
      let other = try AuditLogTests.makeFolder()
      defer { try? FileManager.default.removeItem(at: other) }
      var otherRNG = SplitMix64(seed: 3)
      try Self.append(other, &otherRNG, groups: 30)
      let otherIndex = AuditIndex(folder: other)
      try Self.expectSameAsWholeLog(otherIndex, other, "other")
      bytes = Array(try Data(contentsOf: otherIndex.indexFile))
    }
    if damage != "deleted" { try Data(bytes).write(to: file) }
    let next = AuditIndex(folder: folder)
    try Self.expectSameAsWholeLog(next, folder, damage)
    #expect(next.builds == 1)
  }

  /// The log cut at its end (a torn tail or an uncommitted group moved aside), its last line
  /// rewritten, a line in the middle made longer or given to another household: the index no
  /// longer describes it and is built again, in memory and from its file.
  @Test(arguments: ["cut", "last line rewritten", "a line made longer", "a line given away"])
  func anIndexTheLogNoLongerMatchesIsBuiltAgain(_ change: String) throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = SplitMix64(seed: 4)
    try Self.append(folder, &rng, groups: 30)
    let kept = AuditIndex(folder: folder)
    try Self.expectSameAsWholeLog(kept, folder, "first")
    var lines = try AuditLogTests.lines(folder)
    switch change {
    case "cut":
      lines.removeLast(4)
    case "last line rewritten":
      lines[lines.count - 1] = lines[lines.count - 1].replacingOccurrences(of: "t", with: "T")
    case "a line made longer":
      let at = lines.indices.first { $0 > 10 && lines[$0].contains("household/h000001\"") }!
      lines[at] = lines[at].replacingOccurrences(of: "值", with: "值值")
    default:
      // Same length, same place: only the owner changes. Asked first of the household it
      // was taken from, whose span no longer holds its lines.
      let at = lines.indices.first { $0 > 10 && lines[$0].contains("household/h000001\"") }!
      lines[at] = lines[at].replacingOccurrences(
        of: "household/h000001\"", with: "household/h000002\"")
    }
    try AuditLogTests.rewrite(folder, lines: lines)
    let fromFile = AuditIndex(folder: folder)
    try Self.expectSameAsWholeLog(fromFile, folder, "\(change), from the file")
    try Self.expectSameAsWholeLog(kept, folder, "\(change), in memory")
    #expect(fromFile.builds == 1)
    #expect(kept.builds == 2)
    // And kept up after, from where it was built again.
    try Self.append(folder, &rng, groups: 5)
    try Self.expectSameAsWholeLog(kept, folder, "\(change), then appended")
    #expect(kept.builds == 2)
  }

  /// A line being written (no "\n" yet) is left out, as the whole-log search leaves it out,
  /// and read once it is whole.
  @Test func aLineNotYetWholeIsReadOnceItIs() throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = SplitMix64(seed: 5)
    try Self.append(folder, &rng, groups: 10)
    let index = AuditIndex(folder: folder)
    try Self.expectSameAsWholeLog(index, folder, "first")
    let entry = AuditEntry(
      sequence: 999, time: "t", operatorName: "乙",
      change: AuditChange(record: "household/h000001", field: "x", before: nil, after: "y"),
      previousHash: AuditLog.genesisHash, hash: "")
    let line = Array(AuditCanonical.line(entry).utf8)
    let handle = try FileHandle(forWritingTo: Self.logURL(folder))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(line.prefix(40)))
    try Self.expectSameAsWholeLog(index, folder, "torn")
    try handle.write(contentsOf: Data(line.dropFirst(40) + [0x0A]))
    try handle.close()
    try Self.expectSameAsWholeLog(index, folder, "whole")
    let history = try index.entries(
      records: ["household/h000001"], prefixes: [], persist: false)
    #expect(history.last?.sequence == 999)
    #expect(index.builds == 1)
  }

  @Test func aQueryWithoutAnOwnerSearchesTheWholeLog() throws {
    #expect(AuditIndex.owners(records: ["household/h1"], prefixes: ["visit/h1-"]) == ["h1"])
    #expect(AuditIndex.owners(records: ["town"], prefixes: []) == nil)
    #expect(AuditIndex.owners(records: [], prefixes: ["visit/h1"]) == nil)
    #expect(AuditIndex.owners(records: ["a/b-c/d"], prefixes: ["x/b-"]) == ["b"])
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = SplitMix64(seed: 6)
    try Self.append(folder, &rng, groups: 10)
    let index = AuditIndex(folder: folder)
    let indexed = try index.entries(records: ["town"], prefixes: ["village/"], persist: true)
    #expect(
      indexed == (try AuditLog.entries(folder: folder, records: ["town"], prefixes: ["village/"])))
    #expect(index.builds == 0)
    #expect(!FileManager.default.fileExists(atPath: index.indexFile.path))
  }

  /// Through the store: the writer's history is the whole log's after each save, a second
  /// opener (read-only) keeps up with the writer's saves, and only the writer writes the file.
  @Test func theStoresHistoryIsTheWholeLogsAndAReaderKeepsUpWithTheWriter() throws {
    let url = try JournalTests.template()
    defer { try? FileManager.default.removeItem(at: url) }
    let clock = JournalTests.clock
    let writer = try TownStore.open(folder: DataFolder(url: url), operatorName: "甲", clock: clock)
    defer { writer.close() }
    let reader = try TownStore.open(folder: DataFolder(url: url), operatorName: "乙", clock: clock)
    defer { reader.close() }
    #expect(reader.access != .readWrite)
    func wholeLog(_ id: String) throws -> [HistoryEntry] {
      try AuditLog.entries(
        folder: url, records: ["household/\(id)"],
        prefixes: ["visit/\(id)-", "hazard/\(id)-", "spotcheck/\(id)-c"]
      ).map {
        HistoryEntry(
          sequence: $0.sequence, time: $0.time, operatorName: $0.operatorName, change: $0.change)
      }
    }
    let ids = writer.town.households.map(\.id)
    for id in ids { #expect(try reader.history(ofHousehold: id) == wholeLog(id)) }
    #expect(!FileManager.default.fileExists(atPath: reader.auditIndex.indexFile.path))
    for (round, id) in ids.enumerated() {
      var household = try #require(writer.town.household(id: id))
      household.address += "（\(round)）"
      try writer.saveHousehold(household)
      #expect(try writer.history(ofHousehold: id) == wholeLog(id))
      #expect(try reader.history(ofHousehold: id) == wholeLog(id))
      #expect(try reader.history(ofHousehold: id).last?.operatorName == "甲")
    }
    #expect(FileManager.default.fileExists(atPath: writer.auditIndex.indexFile.path))
    #expect(writer.auditIndex.builds == 1)
    #expect(reader.auditIndex.builds == 1)
  }
}
