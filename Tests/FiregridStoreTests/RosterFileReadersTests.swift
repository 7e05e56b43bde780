import FiregridModel
import Foundation
import Testing

@testable import FiregridStore

/// The direct path (`DataFolder.decode`, through a direct reader when the file is in its shape)
/// and the JSONDecoder path (`decodeWithJSONDecoder`) answer the same: the same file, or the
/// same error.
enum SameReading {
  static func expect<T: VersionedFile>(
    _ data: Data, as type: T.Type, _ comment: Comment? = nil, same: (T, T) -> Bool
  ) {
    let path = "x/h1.json"
    let fast = Result { () throws(StoreError) -> T in try DataFolder.decode(data, path: path) }
    let slow = Result { () throws(StoreError) -> T in
      try DataFolder.decodeWithJSONDecoder(data, path: path)
    }
    switch (fast, slow) {
    case (.success(let fast), .success(let slow)):
      #expect(same(fast, slow), comment)
    case (.failure(let fast), .failure(let slow)):
      #expect(fast == slow, comment)
    default:
      Issue.record("\(fast) against \(slow): \(comment?.rawValue ?? "")")
    }
  }

  /// Broken copies of `files`: the smallest one cut at every byte, and each with bytes dropped
  /// or changed to JSON's punctuation, digits, letters of its literals, a control character,
  /// or bytes that are not UTF-8.
  static func broken(_ files: [[UInt8]], changes: Int, seed: UInt64) -> [(Data, String)] {
    var result: [(Data, String)] = []
    if let small = files.min(by: { $0.count < $1.count }) {
      for end in 0..<small.count { result.append((Data(small.prefix(end)), "cut at \(end)")) }
    }
    var random = SplitMix64(seed: seed)
    let replacements: [UInt8] =
      Array("{}[],:\"\\ 0-9etnulfrsa\u{7F}".utf8) + [0x0A, 0x00, 0xC3, 0xFF]
    for bytes in files {
      for _ in 0..<changes {
        var changed = bytes
        let at = random.next(below: changed.count)
        if random.next(below: 2) == 0 {
          changed.remove(at: at)
        } else {
          changed[at] = replacements[random.next(below: replacements.count)]
        }
        result.append((Data(changed), "at \(at): \(String(decoding: changed, as: UTF8.self))"))
      }
    }
    return result
  }
}

/// The direct reader of household files must read exactly what JSONDecoder reads, give up (so
/// JSONDecoder decides) on anything else, and leave every file it cannot read refused in the
/// same words as before.
struct HouseholdFileReaderTests {
  static let folder = DataFolder(url: URL(fileURLWithPath: "/nonexistent"))

  /// Awkward text: quotes, backslashes, control characters, emoji, a combining accent, slashes,
  /// line and paragraph separators, empty strings.
  static let texts = [
    "", "张三", "配偶\"代签\"", "路径\\C:\\temp", "换行\n制表\t回车\r", "a/b", "火🔥", "\u{1}\u{1F}\u{7F}",
    "e\u{301}", "\u{2028}\u{2029}", "　全角　",
  ]

  /// Demo households of several towns, and the same households with the optional facts left
  /// out or filled in every way (care facts present, empty, partial; each self-care level; no
  /// sex; no visitor; no members) and awkward text in every string.
  static func households() throws -> [Household] {
    var result: [Household] = []
    for seed: UInt64 in [1, 2, 7, 42] {
      result += try RosterCSVTesting.demoTown(households: 150, seed: seed).households
    }
    var random = SplitMix64(seed: 11)
    func text() -> String { texts[random.next(below: texts.count)] }
    func maybe() -> Bool? { [nil, true, false][random.next(below: 3)] }
    var varied: [Household] = []
    for (n, original) in result.prefix(300).enumerated() {
      var household = original
      if n % 3 == 0 { household.visitorID = nil }
      if n % 5 == 0 { household.address = text() }
      if n % 7 == 0 { household.number = text() }
      if n % 11 == 0 { household.persons = [] }
      for index in household.persons.indices {
        var person = household.persons[index]
        switch random.next(below: 4) {
        case 0: person.elderlyCare = nil
        case 1: person.elderlyCare = ElderlyCare()
        case 2:
          person.elderlyCare = ElderlyCare(
            guardianName: text(), guardianRelation: text(), guardianPhone: text(),
            selfCare: ElderlyCare.SelfCare.allCases[random.next(below: 3)],
            livingSituation: text(), helperName: text(), helperPhone: text(),
            visitFrequency: text(), smokeAlarm: maybe(), extinguisher: maybe(), notes: text())
        default:
          person.elderlyCare = ElderlyCare(
            guardianName: text(), selfCare: n % 2 == 0 ? nil : .partlyDisabled,
            smokeAlarm: maybe())
        }
        if random.next(below: 4) == 0 { person.sex = nil }
        if random.next(below: 3) == 0 { person.name = text() }
        if random.next(below: 5) == 0 { person.relation = text() }
        if random.next(below: 5) == 0 { person.phone = text() }
        if random.next(below: 5) == 0 { person.idNumber = text() }
        person.groups = VulnerableGroup.allCases.filter { _ in random.next(below: 4) == 0 }
        household.persons[index] = person
      }
      varied.append(household)
    }
    return result + varied
  }

  static func bytes(_ household: Household, savedBy: String = "王\"文书", savedAt: String = "t")
    throws -> Data
  {
    try folder.householdImage(household, savedBy: savedBy, savedAt: savedAt).content ?? Data()
  }

  static func expectSameReading(_ data: Data, _ comment: Comment? = nil) {
    SameReading.expect(data, as: HouseholdFile.self, comment) { fast, slow in
      fast.household == slow.household && fast.savedBy == slow.savedBy
        && fast.savedAt == slow.savedAt && fast.schemaVersion == slow.schemaVersion
    }
  }

  @Test func readsWhatJSONDecoderReads() throws {
    let households = try Self.households()
    #expect(households.count > 800)
    #expect(households.contains { $0.persons.contains { $0.elderlyCare?.selfCare != nil } })
    for (n, household) in households.enumerated() {
      let savedBy = Self.texts[n % Self.texts.count]
      let data = try Self.bytes(household, savedBy: savedBy, savedAt: "2026-12-0\(n % 9)")
      let fast = try #require(HouseholdFileReader.read(data), "not read: \(household.id)")
      let slow = try JSONDecoder().decode(HouseholdFile.self, from: data)
      #expect(fast.household == slow.household)
      #expect(fast.household == household)
      #expect(fast.savedBy == slow.savedBy)
      #expect(fast.savedBy == savedBy)
      #expect(fast.savedAt == slow.savedAt)
      #expect(fast.schemaVersion == DataFolder.schemaVersion)
    }
  }

  @Test func takesAnyWhiteSpaceAndKeyOrderAndEveryEscapeAndAbsentOptionals() throws {
    let text = """
      {"household":{"persons":[{"sex":"female","groups":["leftBehindWoman","disabled"],
      "relation":"\\u6237\\u4e3b","phone":"","name":"\\ud83d\\udd25\\"\\\\\\/\\b\\f\\n\\r\\t",
      "idNumber":"","i\\u0064":"p1","elderlyCare":{"notes":"a","smokeAlarm":false,
      "selfCare":"disabled"}} , { "id" : "p2" , "name" : "" , "relation" : "" ,
      "idNumber" : "1" , "phone" : "2" , "groups" : [ ] , "elderlyCare" : { } } ],
      "address":"","number":"0001","gridID":"g1","id":"h1"},"schemaVersion":4}
      """
    let data = Data(text.utf8)
    let fast = try #require(HouseholdFileReader.read(data))
    let slow = try JSONDecoder().decode(HouseholdFile.self, from: data)
    #expect(fast.household == slow.household)
    #expect(fast.savedBy == "" && fast.savedAt == "")
    let first = try #require(fast.household.persons.first)
    #expect(first.id == "p1")
    #expect(first.relation == "户主")
    #expect(first.name == "🔥\"\\/\u{8}\u{C}\n\r\t")
    #expect(first.groups == [.leftBehindWoman, .disabled])
    #expect(first.elderlyCare == ElderlyCare(selfCare: .disabled, smokeAlarm: false, notes: "a"))
    #expect(fast.household.persons.last?.elderlyCare == ElderlyCare())
    #expect(fast.household.persons.last?.sex == nil)
    #expect(fast.household.visitorID == nil)
    Self.expectSameReading(data)
  }

  static let good = """
    {"schemaVersion":4,"savedBy":"","savedAt":"","household":{"id":"h1","gridID":"g1",
    "number":"0001","address":"路1号","visitorID":"u1","persons":[{"id":"p1","name":"张三",
    "relation":"户主","sex":"male","idNumber":"","phone":"","groups":["disabled"],
    "elderlyCare":{"guardianName":"李","selfCare":"independent","extinguisher":true}}]}}
    """

  /// Files in other shapes: the reader gives up, and the file reads (or is refused) exactly as
  /// JSONDecoder reads it. Repeated keys at every depth, spelt plainly or with an escape, are
  /// refused with the key and the line of its second occurrence.
  @Test func givesUpOnAnythingElseAndTheFileReadsAsBefore() throws {
    let good = Self.good
    func swap(_ old: String, _ new: String) -> String {
      good.replacingOccurrences(of: old, with: new)
    }
    #expect(HouseholdFileReader.read(Data(good.utf8)) != nil)
    let other: [String] = [
      swap("\"visitorID\":\"u1\"", "\"visitorID\":null"),
      swap("\"sex\":\"male\"", "\"sex\":null"),
      swap("\"sex\":\"male\"", "\"sex\":\"m\""),
      swap("\"disabled\"]", "\"disabled\",\"other\"]"),
      swap("\"independent\"", "\"asleep\""),
      swap("\"extinguisher\":true", "\"extinguisher\":1"),
      swap("\"extinguisher\":true", "\"extinguisher\":null"),
      swap("\"guardianName\":\"李\"", "\"guardianName\":null"),
      swap("\"savedBy\":\"\"", "\"savedBy\":null"),
      swap("\"phone\":\"\"", "\"phone\":5"),
      swap("\"phone\":\"\",", ""),
      swap("\"address\":\"路1号\",", ""),
      swap("\"address\"", "\"extra\":1,\"address\""),
      swap("\"sex\"", "\"extra\":[],\"sex\""),
      swap("\"schemaVersion\":4", "\"schemaVersion\":04"),
      swap("\"schemaVersion\":4", "\"schemaVersion\":4.0"),
      swap("\"schemaVersion\":4", "\"schemaVersion\":-4"),
      swap("\"schemaVersion\":4", "\"schemaVersion\":\"4\""),
      swap("\"u1\"", "\"u\\q\""),
      swap("\"u1\"", "\"u\\ud800\""),
      swap("]}}", "}}"),
      swap("\"persons\":[", "\"persons\":{"),
      good + "x", good + "{}", String(good.dropLast()), "[" + good + "]", "", "null",
    ]
    for text in other {
      #expect(HouseholdFileReader.read(Data(text.utf8)) == nil, "read: \(text)")
      Self.expectSameReading(Data(text.utf8), "\(text)")
    }
    // A newer file in this shape is refused as newer, as JSONDecoder's path refuses it.
    let newer = swap("\"schemaVersion\":4", "\"schemaVersion\":5")
    #expect(throws: StoreError.newerVersion(path: "h", found: 5, known: 4)) {
      let _: HouseholdFile = try DataFolder.decode(Data(newer.utf8), path: "h")
    }
    Self.expectSameReading(Data(newer.utf8))

    let repeated: [(String, key: String, line: Int)] = [
      (
        swap("\"savedAt\":\"\"", "\"savedAt\":\"\",\"savedBy\":\"\""),
        "savedBy", 1
      ),
      (
        swap("\"gridID\":\"g1\"", "\"gridID\":\"g1\",\"id\":\"h2\""),
        "id", 1
      ),
      (
        swap("\"visitorID\"", "\"vi\\u0073itorID\":\"u\",\n\"visitorID\""),
        "visitorID", 3
      ),
      (
        swap("\"phone\":\"\"", "\"phone\":\"\",\n\n\"name\":\"李四\""),
        "name", 5
      ),
      (
        swap("\"extinguisher\"", "\"selfCare\":\"disabled\",\"extinguisher\""),
        "selfCare", 4
      ),
      (swap("]}}", "]},\"household\":{}}"), "household", 4),
      // After a shape the reader gives up on: the repeat is still found.
      (swap("\"sex\":\"male\"", "\"sex\":null,\"sex\":\"m\""), "sex", 3),
    ]
    for (text, key, line) in repeated {
      let data = Data(text.utf8)
      #expect(HouseholdFileReader.read(data) == nil, "read: \(text)")
      #expect(StrictJSON.duplicateKey(in: data) == StrictJSON.DuplicateKey(key: key, line: line))
      #expect(
        throws: StoreError.unreadable(
          path: "h", detail: StoreText.duplicateKey(line: line, key: key))
      ) {
        let _: HouseholdFile = try DataFolder.decode(data, path: "h")
      }
      Self.expectSameReading(data, "\(text)")
    }

    // Invalid UTF-8, in a value and in a key.
    for target in ["张三", "guardianName"] {
      var bytes = Array(good.utf8)
      let at = try #require(
        bytes.indices.first { bytes[$0...].starts(with: Array(target.utf8)) })
      bytes[at + 1] = 0xFF
      #expect(HouseholdFileReader.read(Data(bytes)) == nil)
      Self.expectSameReading(Data(bytes))
    }
  }

  /// Broken files made from real ones — cut at every byte, a byte dropped or changed — read
  /// (or are refused) through the direct path exactly as through JSONDecoder's.
  @Test func brokenFilesAreRefusedAsBefore() throws {
    let households = try Self.households()
    var files = [Array(try Self.bytes(try #require(households.last { $0.persons.count == 2 })))]
    for household in households.prefix(40) { files.append(Array(try Self.bytes(household))) }
    for (data, comment) in SameReading.broken(files, changes: 40, seed: 9) {
      Self.expectSameReading(data, "\(comment)")
    }
  }

  /// The folder reads its household files through the reader and finds them as written.
  @Test func aFolderLoadsItsHouseholdsAsWritten() throws {
    let url = DataFolderTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: url) }
    var town = try RosterCSVTesting.demoTown(households: 30, seed: 4)
    town.households[0].persons[0].elderlyCare = ElderlyCare(
      guardianName: "子\"女\"", selfCare: .partlyDisabled, smokeAlarm: true, notes: "独居\n")
    town.households[1].visitorID = nil
    let folder = DataFolder(url: url)
    try folder.create(town)
    let loaded = try folder.load()
    #expect(
      loaded.households.sorted { $0.id < $1.id } == town.households.sorted { $0.id < $1.id })
  }
}

/// The direct reader of contact-log files, held to JSONDecoder like the household reader.
struct ContactFileReaderTests {
  /// Logs of several grids: weeks on any weekday (read as stored, not moved to their Monday),
  /// awkward risk reports, none at all.
  static func files() throws -> [Data] {
    var random = SplitMix64(seed: 5)
    var files: [Data] = []
    for grid in 0..<30 {
      var logs: [ContactLog] = []
      for week in 0..<random.next(below: 8) {
        let day = CivilDate(year: 2026, month: 11, day: 2).adding(days: week * 7 + grid % 3)
        var log = ContactLog(
          gridID: "g\(grid)", week: day, contacted: random.next(below: 2) == 0,
          riskReport: HouseholdFileReaderTests.texts[
            random.next(below: HouseholdFileReaderTests.texts.count)],
          recordedOn: day.adding(days: random.next(below: 9)))
        log.week = day
        logs.append(log)
      }
      files.append(
        try HouseholdFileReaderTests.folder.contactImage(
          logs, gridID: "g\(grid)", savedBy: "王\"文书", savedAt: "t"
        ).content ?? Data())
    }
    return files
  }

  static func expectSameReading(_ data: Data, _ comment: Comment? = nil) {
    SameReading.expect(data, as: ContactFile.self, comment) { fast, slow in
      fast.logs == slow.logs && fast.gridID == slow.gridID && fast.savedBy == slow.savedBy
        && fast.savedAt == slow.savedAt && fast.schemaVersion == slow.schemaVersion
    }
  }

  @Test func readsWhatJSONDecoderReads() throws {
    let files = try Self.files()
    #expect(files.count == 30)
    var weekdays = Set<Int>()
    for data in files {
      let fast = try #require(ContactFileReader.read(data))
      let slow = try JSONDecoder().decode(ContactFile.self, from: data)
      #expect(fast.logs == slow.logs)
      #expect(fast.gridID == slow.gridID && fast.savedBy == "王\"文书" && fast.savedAt == "t")
      for log in fast.logs { weekdays.insert(log.week.day % 7) }
      Self.expectSameReading(data)
    }
    #expect(weekdays.count > 1)
  }

  @Test func givesUpOnAnythingElseAndTheFileReadsAsBefore() {
    let good = """
      {"schemaVersion":4,"savedBy":"","savedAt":"","gridID":"g1","logs":[{"gridID":"g1",
      "week":"2026-11-16","contacted":true,"riskReport":"","recordedOn":"2026-11-21"}]}
      """
    func swap(_ old: String, _ new: String) -> String {
      good.replacingOccurrences(of: old, with: new)
    }
    #expect(ContactFileReader.read(Data(good.utf8)) != nil)
    let other: [String] = [
      swap("\"savedBy\":\"\",", ""),
      swap("\"riskReport\":\"\",", ""),
      swap("true", "null"),
      swap("true", "1"),
      swap("2026-11-16", "2026-11-31"),
      swap("2026-11-16", "16/11/2026"),
      swap("\"gridID\":\"g1\",\n", "\"gridID\":\"g1\",\"extra\":0,\n"),
      swap("\"week\"", "\"recordedOn\":\"2026-11-21\",\"week\""),
      swap("\"logs\"", "\"gridID\":\"g2\",\"logs\""),
      swap("\"schemaVersion\":4", "\"schemaVersion\":04"),
      good + ",",
    ]
    for text in other {
      #expect(ContactFileReader.read(Data(text.utf8)) == nil, "read: \(text)")
      Self.expectSameReading(Data(text.utf8), "\(text)")
    }
  }

  @Test func brokenFilesAreRefusedAsBefore() throws {
    for (data, comment) in SameReading.broken(
      try Self.files().map { Array($0) }, changes: 40, seed: 4)
    {
      Self.expectSameReading(data, "\(comment)")
    }
  }
}
