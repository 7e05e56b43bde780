import FiregridModel
import Foundation
import Testing

@testable import FiregridStore

/// A key written twice in one object makes a file damaged wherever it is read: the direct
/// visit-file reader and JSONDecoder's path refuse the same files with the same words, the
/// folder still opens with the file listed as damaged, and it is never saved over.
struct StrictJSONTests {
  /// A bad copy of a file: what was changed, and the repeat that must be named.
  struct Bad: CustomStringConvertible {
    var name: String
    var text: String
    var key: String
    var line: Int
    var description: String { name }
    var expected: StrictJSON.DuplicateKey { StrictJSON.DuplicateKey(key: key, line: line) }
  }

  /// 1-based line of the first line of `text` that starts with `prefix`.
  static func line(startingWith prefix: String, in text: String) -> Int {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.firstIndex { $0.hasPrefix(prefix) }! + 1
  }

  /// A folder with household h000001's visit file written by the program: one visit that
  /// found a hazard, so there is a hazard object with an event inside.
  static func folderWithVisits() throws -> (URL, String) {
    let (store, url) = try VisitStorageTests.openStore()
    let (record, _) = try VisitRules.record(
      VisitStorageTests.entry("2026-12-01", hazard: true), in: VisitRecord(householdID: "h000001"),
      form: VisitStorageTests.form, today: VisitStorageTests.today)
    try store.saveVisitRecord(record)
    store.close()
    let text = try String(
      contentsOf: url.appendingPathComponent("visits/h000001.json"), encoding: .utf8)
    return (url, text)
  }

  /// Visit files with a repeated key, each still in the shape the direct reader takes.
  static func badVisitFiles(_ good: String) -> [Bad] {
    precondition(good.hasSuffix("\n}\n"))
    let body = String(good.dropLast(3))
    let emptied = body + ",\n  \"visits\" : []\n}\n"
    let escaped = body + ",\n  \"vi\\u0073its\" : []\n}\n"
    let hazard = good.replacingOccurrences(of: "    {\"", with: "    {\"description\":\"无\",\"")
    let event = good.replacingOccurrences(
      of: "\"events\":[{", with: "\"events\":[{\"kind\":\"verified\",")
    let current = "\"schemaVersion\" : \(DataFolder.schemaVersion),"
    let version = good.replacingOccurrences(
      of: current, with: current + "\n  \"schemaVersion\" : 2,")
    let newerFirst = good.replacingOccurrences(
      of: current, with: "\"schemaVersion\" : 9,\n  " + current)
    return [
      Bad(
        name: "a second visits list hides the first", text: emptied, key: "visits",
        line: line(startingWith: "  \"visits\" : []", in: emptied)),
      Bad(
        name: "the same key spelt with an escape", text: escaped, key: "visits",
        line: line(startingWith: "  \"vi\\u0073its\"", in: escaped)),
      Bad(
        name: "a hazard repeats its description", text: hazard, key: "description",
        line: line(startingWith: "    {", in: hazard)),
      Bad(
        name: "a hazard's event repeats its kind", text: event, key: "kind",
        line: line(startingWith: "    {", in: event)),
      Bad(name: "schemaVersion twice", text: version, key: "schemaVersion", line: 3),
      Bad(name: "a newer schemaVersion first", text: newerFirst, key: "schemaVersion", line: 3),
    ]
  }

  static func fastRefusal(_ data: Data) -> StrictJSON.DuplicateKey? {
    if case .duplicateKey(let duplicate) = VisitFileReader.reading(data) { return duplicate }
    return nil
  }

  @Test func theFastReaderAndTheDecoderRefuseTheSameVisitFiles() throws {
    let (url, good) = try Self.folderWithVisits()
    defer { try? FileManager.default.removeItem(at: url) }
    let goodData = Data(good.utf8)
    #expect(VisitFileReader.read(goodData) != nil)
    #expect(StrictJSON.duplicateKey(in: goodData) == nil)
    for bad in Self.badVisitFiles(good) {
      let data = Data(bad.text.utf8)
      #expect(Self.fastRefusal(data) == bad.expected, "\(bad)")
      #expect(StrictJSON.duplicateKey(in: data) == bad.expected, "\(bad)")
      #expect(throws: StoreError.unreadable(path: "", detail: bad.expected.detail), "\(bad)") {
        try DataFolder.decodeVisitRecord(data)
      }
      #expect(!DataFolder.isUsableCopy(data, of: "visits/h000001.json"), "\(bad)")
    }
  }

  /// A hand-edited file the fast reader does not take (an extra key) goes to JSONDecoder's
  /// path, which refuses the repeat with the same words.
  @Test func aVisitFileInAnotherShapeIsRefusedByTheDecoderPath() throws {
    let (url, good) = try Self.folderWithVisits()
    defer { try? FileManager.default.removeItem(at: url) }
    let text =
      String(good.replacingOccurrences(of: "{\n", with: "{\n  \"备注\" : \"手改\",\n").dropLast(3))
      + ",\n  \"visits\" : []\n}\n"
    let data = Data(text.utf8)
    guard case .otherShape = VisitFileReader.reading(data) else {
      Issue.record("the fast reader took a file with an unknown key")
      return
    }
    let file = url.appendingPathComponent("visits/h000001.json")
    try data.write(to: file)
    let report = try DataFolder(url: url).loadReport()
    let line = Self.line(startingWith: "  \"visits\" : []", in: text)
    #expect(
      report.damaged.map(\.error) == [
        .unreadable(path: file.path, detail: StoreText.duplicateKey(line: line, key: "visits"))
      ])
  }

  @Test func aFolderWithSuchAVisitFileOpensWithTheFileDamagedAndNeverOverwritten() throws {
    let (url, good) = try Self.folderWithVisits()
    defer { try? FileManager.default.removeItem(at: url) }
    let file = url.appendingPathComponent("visits/h000001.json")
    for bad in Self.badVisitFiles(good) {
      try Data(bad.text.utf8).write(to: file)
      let store = try TownStore.open(
        folder: DataFolder(url: url), operatorName: "王文书", clock: VisitStorageTests.clock)
      defer { store.close() }
      #expect(
        store.damagedFiles == [
          DamagedFile(
            relativePath: "visits/h000001.json", householdID: "h000001",
            error: .unreadable(path: file.path, detail: bad.expected.detail))
        ], "\(bad)")
      #expect(store.town.households.count == 2, "\(bad)")
      #expect(store.town.visitRecords["h000001"] == nil, "\(bad)")
      #expect(throws: StoreError.damagedRecord(path: "visits/h000001.json"), "\(bad)") {
        try store.saveVisitRecord(VisitRecord(householdID: "h000001"))
      }
      #expect(try String(contentsOf: file, encoding: .utf8) == bad.text, "\(bad)")
    }
    let first = Self.badVisitFiles(good)[0]
    try Data(first.text.utf8).write(to: file)
    let problems = FolderCheck.run(DataFolder(url: url)).filter {
      $0.severity == .error && $0.file == "visits/h000001.json"
    }
    // Reported as unreadable (and, being changed outside the program, against the journal).
    #expect(
      problems.map(\.message).contains(
        StoreError.unreadable(path: file.path, detail: first.expected.detail).message))
    #expect(problems.first?.message.contains("第\(first.line)行：字段「visits」重复") == true)
  }

  @Test func householdTownAndContactFilesAreRefusedTheSameWay() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let folder = DataFolder(url: url)
    try folder.create(DataFolderTests.sample)
    try folder.saveContactLogs([], gridID: "g0001")
    let householdFile = url.appendingPathComponent("households/h000001.json")
    let good = try String(contentsOf: householdFile, encoding: .utf8)
    #expect(StrictJSON.duplicateKey(in: Data(good.utf8)) == nil)
    let member = good.replacingOccurrences(
      of: "\"name\" : \"邹锡华\",", with: "\"name\" : \"邹锡华\",\n        \"name\" : \"别人\",")
    let current = "\"schemaVersion\" : \(DataFolder.schemaVersion)"
    let version = good.replacingOccurrences(
      of: current + "\n}", with: current + ",\n  \"schemaVersion\" : 1\n}")
    let bads = [
      Bad(
        name: "a member repeats a name", text: member, key: "name",
        line: Self.line(startingWith: "        \"name\" : \"别人\"", in: member)),
      Bad(
        name: "schemaVersion twice", text: version, key: "schemaVersion",
        line: Self.line(startingWith: "  \"schemaVersion\" : 1", in: version)),
    ]
    for bad in bads {
      let data = Data(bad.text.utf8)
      guard case .otherShape = VisitFileReader.reading(data) else {
        Issue.record("the visit reader took a household file")
        continue
      }
      #expect(StrictJSON.duplicateKey(in: data) == bad.expected, "\(bad)")
      #expect(throws: StoreError.unreadable(path: "", detail: bad.expected.detail), "\(bad)") {
        try DataFolder.decodeHousehold(data)
      }
      try data.write(to: householdFile)
      let report = try folder.loadReport()
      #expect(
        report.damaged.map(\.error) == [
          .unreadable(path: householdFile.path, detail: bad.expected.detail)
        ], "\(bad)")
      #expect(report.town.households.map(\.id) == ["h000002"], "\(bad)")
    }
    try Data(good.utf8).write(to: householdFile)

    let contactFile = url.appendingPathComponent("contacts/g0001.json")
    let contacts = try String(contentsOf: contactFile, encoding: .utf8)
    let twice = contacts.replacingOccurrences(
      of: "\"gridID\" : \"g0001\",", with: "\"gridID\" : \"g0001\",\n  \"gridID\" : \"g0002\",")
    try Data(twice.utf8).write(to: contactFile)
    #expect(!DataFolder.isUsableCopy(Data(twice.utf8), of: "contacts/g0001.json"))
    let contactLine = Self.line(startingWith: "  \"gridID\" : \"g0002\"", in: twice)
    #expect(
      try folder.loadReport().damaged.map(\.error) == [
        .unreadable(
          path: contactFile.path, detail: StoreText.duplicateKey(line: contactLine, key: "gridID"))
      ])
    try Data(contacts.utf8).write(to: contactFile)

    // town.json itself: reported as damaged (the town opens to be read), and says why.
    let townFile = url.appendingPathComponent("town.json")
    let town = try String(contentsOf: townFile, encoding: .utf8)
    let townTwice = town.replacingOccurrences(
      of: "\"name\" : \"三江镇\"", with: "\"name\" : \"三江镇\",\n    \"name\" : \"别的镇\"")
    try Data(townTwice.utf8).write(to: townFile)
    let townLine = Self.line(startingWith: "    \"name\" : \"别的镇\"", in: townTwice)
    let townError = StoreError.unreadable(
      path: townFile.path, detail: StoreText.duplicateKey(line: townLine, key: "name"))
    #expect(try folder.loadReport().damaged.map(\.error) == [townError])
    #expect(throws: townError) { try folder.load() }
  }

  @Test func goodFilesReadExactlyAsBefore() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    let names = try JSONDecoder().decode(
      DemoTownGenerator.Names.self,
      from: Data(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
          .appendingPathComponent("../../Resources/Data/demo-names.json")))
    let today = CivilDate(year: 2026, month: 12, day: 20)
    let roster = DemoTownGenerator(names: names, seed: 5).generate(households: 60, today: today)
    let form = try JSONDecoder().decode(
      VisitForm.self,
      from: Data(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
          .appendingPathComponent("../../Resources/Data/forms/residential-v1.json")))
    let town = DemoSeasonGenerator(form: form, seed: 5).generate(into: roster, through: today)
    #expect(town.visitRecords.values.contains { !$0.hazards.isEmpty })
    let folder = DataFolder(url: url)
    try folder.create(town)
    let report = try folder.loadReport()
    #expect(report.damaged.isEmpty)
    #expect(
      report.town.households.sorted { $0.id < $1.id } == town.households.sorted { $0.id < $1.id })
    #expect(report.town.visitRecords == town.visitRecords)
    #expect(report.town.contactLogs == town.contactLogs)
    #expect(report.town.grids == town.grids)
    for path in try FileManager.default.subpathsOfDirectory(atPath: url.path)
    where path.hasSuffix(".json") {
      let data = try Data(contentsOf: url.appendingPathComponent(path))
      #expect(StrictJSON.duplicateKey(in: data) == nil, "\(path)")
      if path.hasPrefix("visits/") { #expect(VisitFileReader.read(data) != nil, "\(path)") }
    }
  }

  // MARK: The audit trail

  @Test func auditHeadAndAuditLinesWithARepeatedKeyAreRefused() throws {
    let folder = try AuditLogTests.makeFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try AuditLogTests.fill(folder, count: 2)
    #expect(AuditLog.verify(folder: folder).isEmpty)

    // A second operatorName in front of the real one: the hash is over the decoded fields,
    // so whichever copy a reader kept, the line must not count as intact.
    var lines = try AuditLogTests.lines(folder)
    let original = lines
    lines[0] = "{\"operatorName\":\"伪造者\"," + lines[0].dropFirst()
    try AuditLogTests.rewrite(folder, lines: lines)
    #expect(AuditLog.verify(folder: folder) == [.unparsableLine(line: 1)])
    #expect(try AuditLog.entries(folder: folder).map(\.sequence) == [2])
    try AuditLogTests.rewrite(folder, lines: original)

    let headFile = folder.appendingPathComponent(AuditLog.headFileName)
    let head = try String(contentsOf: headFile, encoding: .utf8)
    let twice = head.replacingOccurrences(
      of: "\"sequence\":2", with: "\"sequence\":1,\"sequence\":2")
    #expect(twice != head)
    try Data(twice.utf8).write(to: headFile)
    #expect(
      throws: StoreError.unreadable(
        path: headFile.path, detail: StoreText.duplicateKey(line: 1, key: "sequence"))
    ) { try AuditLog.readHead(headFile) }
    #expect(AuditLog.verify(folder: folder) == [.headMismatch])
  }

  // MARK: The scanner itself

  @Test func theSameKeyInDifferentObjectsIsNoRepeat() {
    for text in [
      #"{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"}{\"c\":"}"#,
      #"[{"a":1},{"a":1}]"#, "{}", "[]", " \n{ \"a\" : [ ] , \"A\" : { } }",
      #"{"a\"":1,"a":2,"a\\":3}"#,
    ] {
      #expect(StrictJSON.duplicateKey(in: Data(text.utf8)) == nil, "\(text)")
    }
  }

  @Test func aRepeatIsFoundAtAnyDepthWithItsLine() {
    let cases: [(String, String, Int)] = [
      (#"{"a":[{"b":{"c":1,"c":2}}]}"#, "c", 1),
      (#"{"a":{"x":1},"a":2}"#, "a", 1),
      ("{\n\"a\":1,\n\n  \"a\":2}", "a", 4),
      (#"{"caf\u00e9":1,"cafe\u0301":2}"#, "café", 1),
      (#"{"\ud83d\udd25":1,"🔥":2}"#, "🔥", 1),
      ("{\"名\":1,\"名\":2}", "名", 1),
    ]
    for (text, key, line) in cases {
      #expect(
        StrictJSON.duplicateKey(in: Data(text.utf8))
          == StrictJSON.DuplicateKey(key: key, line: line), "\(text)")
    }
  }

  /// Past a couple of dozen keys an object's keys are hashed: the same answers.
  @Test func aLargeObjectIsCheckedToo() {
    let keys = (0..<200).map { "\"k\($0)\":\($0)" }
    let distinct = "{" + keys.joined(separator: ",") + "}"
    #expect(StrictJSON.duplicateKey(in: Data(distinct.utf8)) == nil)
    let repeated = "{" + keys.joined(separator: ",") + ",\"k\\u0035\\u0030\":0}"
    #expect(
      StrictJSON.duplicateKey(in: Data(repeated.utf8))
        == StrictJSON.DuplicateKey(key: "k50", line: 1))
  }

  /// Malformed text where a key was due: an array (a string in it is no key), found by
  /// cutting and changing household files byte by byte (it crashed the check).
  @Test func anArrayWhereAKeyWasDueIsNoKey() {
    for text in [#"{["a"]}"#, #"{"k":1,["a","a"]}"#, #"[{["x"]"#] {
      #expect(StrictJSON.duplicateKey(in: Data(text.utf8)) == nil, "\(text)")
    }
    #expect(
      StrictJSON.duplicateKey(in: Data(#"{"a":1,"b":["a"],"a":2}"#.utf8))
        == StrictJSON.DuplicateKey(key: "a", line: 1))
  }

  @Test func textThatIsNotJSONIsLeftToTheDecoder() {
    for text in ["", "3", #"{"a":[1}"#, #"{"a":"#, "\"a\""] {
      #expect(StrictJSON.duplicateKey(in: Data(text.utf8)) == nil, "\(text)")
    }
  }
}
