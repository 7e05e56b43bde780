import FiregridModel
import Foundation
import Testing

@testable import FiregridStore

/// The direct reader of visit files must read exactly what JSONDecoder reads, and give up
/// (so JSONDecoder decides) on anything else.
struct VisitFileReaderTests {
  static let form = VisitForm(
    id: "f", title: "表", attachment: "附件6",
    sections: [
      .init(
        id: "s", title: "三清三关", kind: .check,
        items: [.init(id: "passagesClear", label: "通道清"), .init(id: "gasOff", label: "关气源")]),
      .init(
        id: "h", title: "隐患排查", kind: .hazard,
        items: [.init(id: "wiring", label: "电气线路", deadlineDays: 7)]),
    ])

  /// Records with awkward text: quotes, backslashes, control characters, emoji (a surrogate
  /// pair when escaped), slashes, empty strings, a visitor off the roster, unsigned papers.
  static func records() throws -> [VisitRecord] {
    let texts = [
      "", "张三", "配偶\"代签\"", "路径\\C:\\temp", "换行\n制表\t回车\r", "a/b", "火🔥", "\u{1}\u{1F}",
    ]
    var result: [VisitRecord] = []
    for (n, text) in texts.enumerated() {
      var record = VisitRecord(householdID: "h\(n)")
      for day in 1...3 {
        let entry = VisitEntry(
          householdID: "h\(n)", date: CivilDate(year: 2026, month: 12, day: day),
          visitorID: day == 2 ? nil : "u\(n)", personsMet: text,
          answers: [
            "passagesClear": .yes, "gasOff": day == 3 ? .notApplicable : .no,
            "wiring": day == 1 ? .no : .yes,
          ],
          findings: day == 1
            ? [.init(checkID: "wiring", description: text + "隐患", deadlineDays: 2)] : [],
          notes: text, signed: day != 3)
        (record, _) = try VisitRules.record(
          entry, in: record, form: form, today: CivilDate(year: 2026, month: 12, day: 20))
      }
      result.append(record)
    }
    result.append(VisitRecord(householdID: "empty"))
    return result
  }

  @Test func readsWhatJSONDecoderReads() throws {
    let folder = DataFolder(url: URL(fileURLWithPath: "/nonexistent"))
    for record in try Self.records() {
      let file = VisitRecordFile(schemaVersion: 3, savedBy: "王\"文书", savedAt: "t", record: record)
      let data = try folder.encodeVisitRecord(file, path: "x")
      let fast = try #require(VisitFileReader.read(data), "not read: \(record.householdID)")
      let slow = try JSONDecoder().decode(VisitRecordFile.self, from: data)
      #expect(fast.record == slow.record)
      #expect(fast.record == record)
      #expect(fast.savedBy == "王\"文书")
      #expect(fast.schemaVersion == 3)
    }
  }

  @Test func takesAnyWhiteSpaceAndKeyOrderAndEveryEscape() throws {
    let text = """
        {"hazards":[ ],"visits":[ [ "h1-v1" , "2026-12-01" , null , "\\u5f20\\u4e09\\ud83d\\udd25" ,
        "gasOff=- passagesClear=y" , "\\"\\\\\\/\\b\\f\\n\\r\\t" , false , "f" ] ],
        "visitColumns":["id","date","visitorID","personsMet","answers","notes","signed","formID"],
        "householdID":"h1","savedAt":"","savedBy":"","schemaVersion":3}
      """
    let data = Data(text.utf8)
    let fast = try #require(VisitFileReader.read(data))
    let slow = try JSONDecoder().decode(VisitRecordFile.self, from: data)
    #expect(fast.record == slow.record)
    let visit = try #require(fast.record.visits.first)
    #expect(visit.personsMet == "张三🔥")
    #expect(visit.notes == "\"\\/\u{8}\u{C}\n\r\t")
    #expect(visit.visitorID == nil)
    #expect(visit.householdID == "h1")
    #expect(!visit.signed)
  }

  @Test func givesUpOnAnythingElse() {
    let good = """
      {"schemaVersion":3,"savedBy":"","savedAt":"","householdID":"h1",
      "visitColumns":["id","date","visitorID","personsMet","answers","notes","signed","formID"],
      "visits":[["h1-v1","2026-12-01","u1","","passagesClear=y","",true,"f"]],"hazards":[]}
      """
    #expect(VisitFileReader.read(Data(good.utf8)) != nil)
    let broken = [
      good.replacingOccurrences(of: "\"hazards\":[]", with: "\"hazards\":[],\"extra\":1"),
      good.replacingOccurrences(of: "\"signed\",", with: ""),
      good.replacingOccurrences(of: "true", with: "1"),
      good.replacingOccurrences(of: "2026-12-01", with: "2026-13-01"),
      good.replacingOccurrences(of: "passagesClear=y", with: "passagesClear=?"),
      good.replacingOccurrences(of: "\"u1\"", with: "\"u\\q\""),
      good.replacingOccurrences(of: "\"u1\"", with: "\"u\\ud800\""),
      good.replacingOccurrences(of: "]]", with: "]"),
      good + "x",
      String(good.dropLast()),
      good.replacingOccurrences(of: "\"schemaVersion\":3", with: "\"schemaVersion\":-3"),
      // A leading zero is not JSON: JSONDecoder refuses it, so the reader must not read it.
      good.replacingOccurrences(of: "\"schemaVersion\":3", with: "\"schemaVersion\":03"),
    ]
    for text in broken {
      #expect(VisitFileReader.read(Data(text.utf8)) == nil, "read: \(text)")
    }
    // Invalid UTF-8 inside a string.
    var bytes = Array(good.utf8)
    let at = bytes.firstIndex(of: UInt8(ascii: "u"))!
    bytes[at] = 0xFF
    #expect(VisitFileReader.read(Data(bytes)) == nil)
  }

  /// The reader's strings are valid UTF-8 exactly when `String(validating:as:)` says so, and
  /// the same text: random bytes, and the awkward cases by hand (a truncated four-byte
  /// sequence, which decoding repairs into as many bytes as it had, overlong forms, surrogates,
  /// bytes past U+10FFFF).
  @Test func stringsAreValidatedAsStringValidatingDoes() {
    var cases: [[UInt8]] = [
      [], Array("张三🔥".utf8), [0xF0, 0x9F, 0x94], [0x61, 0xF0, 0x9F, 0x94, 0x62],
      [0xE0, 0x80, 0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
      [0xEF, 0xBF, 0xBD], [0xFF], [0x80], [0xE4, 0xB8],
    ]
    var random = SplitMix64(seed: 3)
    let pieces: [[UInt8]] = [
      [0x61], [0x7F], Array("中".utf8), Array("🔥".utf8), [0x80], [0xC3], [0xE4, 0xB8], [0xF0],
      [0xF0, 0x9F, 0x94], [0xED, 0xBF, 0xBF], [0xF5], [0xC1, 0x81],
    ]
    for _ in 0..<5_000 {
      var bytes: [UInt8] = []
      for _ in 0..<random.next(below: 8) { bytes += pieces[random.next(below: pieces.count)] }
      cases.append(bytes)
    }
    for bytes in cases {
      let fast = bytes.withUnsafeBufferPointer { UTF8Text.string($0) }
      #expect(fast == String(validating: bytes, as: UTF8.self), "\(bytes)")
    }
  }

  static func expectSameReading(_ data: Data, _ comment: Comment? = nil) {
    SameReading.expect(data, as: VisitRecordFile.self, comment) { fast, slow in
      fast.record == slow.record && fast.savedBy == slow.savedBy && fast.savedAt == slow.savedAt
        && fast.schemaVersion == slow.schemaVersion
    }
  }

  /// Hazards with every kind of event, with and without a visit, a deadline and a note, and
  /// awkward text: read as JSONDecoder reads them.
  static func hazardRecords() -> [VisitRecord] {
    var random = SplitMix64(seed: 8)
    let texts = HouseholdFileReaderTests.texts
    var records: [VisitRecord] = []
    for n in 0..<40 {
      var hazards: [Hazard] = []
      for z in 0..<random.next(below: 4) {
        var events: [HazardEvent] = []
        for e in 0..<random.next(below: 5) {
          let kind =
            e == 0
            ? .found
            : HazardEvent.Kind.allCases[random.next(below: HazardEvent.Kind.allCases.count)]
          let date = CivilDate(year: 2026, month: 12, day: 1).adding(days: e * 3)
          events.append(
            HazardEvent(
              kind: kind, date: date,
              visitID: random.next(below: 3) == 0 ? nil : "h\(n)-v\(e + 1)",
              deadline: random.next(below: 2) == 0 ? nil : date.adding(days: 7),
              note: texts[random.next(below: texts.count)]))
        }
        hazards.append(
          Hazard(
            id: "h\(n)-z\(z + 1)", householdID: "h\(n)", checkID: texts[random.next(below: 3)],
            description: texts[random.next(below: texts.count)], events: events))
      }
      records.append(VisitRecord(householdID: "h\(n)", hazards: hazards))
    }
    return records
  }

  @Test func readsHazardsAsJSONDecoderReadsThem() throws {
    let folder = DataFolder(url: URL(fileURLWithPath: "/nonexistent"))
    let records = Self.hazardRecords()
    #expect(records.contains { $0.hazards.contains { $0.events.count > 3 } })
    for record in records {
      let file = VisitRecordFile(schemaVersion: 4, savedBy: "", savedAt: "", record: record)
      let data = try folder.encodeVisitRecord(file, path: "x")
      let fast = try #require(VisitFileReader.read(data), "not read: \(record.householdID)")
      #expect(fast.record == record)
      #expect(fast.record == (try JSONDecoder().decode(VisitRecordFile.self, from: data)).record)
    }
    // Hazards in other shapes: the whole file goes to JSONDecoder, and reads as it reads it.
    let good = try String(
      decoding: folder.encodeVisitRecord(
        VisitRecordFile(
          schemaVersion: 4, savedBy: "", savedAt: "",
          record: VisitRecord(
            householdID: "h1",
            hazards: [
              Hazard(
                id: "h1-z1", householdID: "h1", checkID: "wiring", description: "线路",
                events: [
                  HazardEvent(kind: .found, date: CivilDate(year: 2026, month: 12, day: 1))
                ])
            ])), path: "x"), as: UTF8.self)
    let other: [(String, String)] = [
      ("\"kind\":\"found\"", "\"kind\":\"lost\""),
      ("\"date\":\"2026-12-01\"", "\"date\":\"2026-02-30\""),
      ("\"note\":\"\"", "\"note\":null"),
      ("\"note\":\"\"", "\"note\":\"\",\"visitID\":null"),
      ("\"checkID\":\"wiring\",", ""),
      ("\"events\":[", "\"extra\":1,\"events\":["),
    ]
    #expect(VisitFileReader.read(Data(good.utf8)) != nil)
    for (old, new) in other {
      let text = good.replacingOccurrences(of: old, with: new)
      #expect(text != good)
      #expect(VisitFileReader.read(Data(text.utf8)) == nil, "read: \(text)")
      Self.expectSameReading(Data(text.utf8), "\(text)")
    }
  }

  /// Broken files made from real ones — cut at every byte, a byte dropped or changed — read
  /// (or are refused) through the direct path exactly as through JSONDecoder's.
  @Test func brokenFilesAreRefusedAsBefore() throws {
    let folder = DataFolder(url: URL(fileURLWithPath: "/nonexistent"))
    var files: [[UInt8]] = []
    for record in try Self.records() + Self.hazardRecords().prefix(10) {
      let file = VisitRecordFile(schemaVersion: 4, savedBy: "王", savedAt: "t", record: record)
      files.append(Array(try folder.encodeVisitRecord(file, path: "x")))
    }
    files.sort { $0.count > $1.count }
    for (data, comment) in SameReading.broken(files, changes: 80, seed: 9) {
      Self.expectSameReading(data, "\(comment)")
    }
  }

  /// Strings are scanned eight bytes at a time: every length around the word size, with an
  /// escape, a raw control character, a character outside ASCII or a byte that is not UTF-8 at
  /// every place, read as JSONDecoder reads them (or refused where it refuses them).
  @Test func stringsOfEveryLengthWithAnythingAnywhere() throws {
    let specials: [[UInt8]] = [
      Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\n"#.utf8), Array(#"\u4e2d"#.utf8),
      [0x0A], [0x1F], [0x7F], Array("中".utf8), Array("🔥".utf8), [0xFF], [0xC3], [0x80],
    ]
    for length in 0..<34 {
      for special in specials {
        for place in 0...length {
          var body = Array(repeating: UInt8(ascii: "a"), count: length)
          body.insert(contentsOf: special, at: place)
          let literal = [0x22] + body + [0x22]
          let fast = literal.withUnsafeBufferPointer { bytes -> String? in
            var json = JSONCursor(bytes)
            return json.string()
          }
          let slow = try? JSONDecoder().decode(String.self, from: Data(literal))
          #expect(fast == slow, "\(literal)")
        }
      }
    }
    // The word test itself, against a byte-by-byte look, on words of every kind of byte.
    var random = SplitMix64(seed: 2)
    let interesting: [UInt8] = [
      0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF,
    ]
    for _ in 0..<20_000 {
      var word: UInt64 = 0
      var expected = false
      for shift in stride(from: 0, to: 64, by: 8) {
        let byte =
          random.next(below: 3) == 0
          ? interesting[random.next(below: interesting.count)] : UInt8(random.next(below: 256))
        expected = expected || byte == 0x22 || byte == 0x5C || byte < 0x20
        word |= UInt64(byte) << UInt64(shift)
      }
      #expect(JSONCursor.hasQuoteBackslashOrControl(word) == expected, "\(String(word, radix: 16))")
    }
  }
}
