import FiregridModel
import Foundation

/// Reads a visit-record file (`visits/<household>.json`) straight from its bytes into the
/// model, without Foundation's JSONDecoder: a season's 180,000 rows were most of the open time,
/// and the file is a fixed shape this program writes itself.
///
/// It accepts exactly the JSON grammar (any white space, any key order, every string escape)
/// for the keys of `VisitRecordFile`, its rows, and its hazards and their events (keys as their
/// decoders require them), and returns nil on anything else — an unknown key, a null, a number
/// where a string belongs, a malformed row — so the caller decodes the file with JSONDecoder
/// instead, which either reads it or says precisely where it is broken.
///
/// A repeated key is refused, exactly as `StrictJSON` refuses it on the JSONDecoder path (same
/// key, same line): top-level keys are ticked off as they come and a repeat is reported here;
/// a repeat inside a hazard stops the reading, and `StrictJSON` names the file's first repeat
/// (that one, since everything before it was read).
struct VisitFileReader {
  private var json: JSONCursor
  /// Set when the file repeats a key (then `file` returns nil).
  private var duplicate: StrictJSON.DuplicateKey?

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { json = JSONCursor(bytes) }

  /// What the reader made of a file.
  enum Reading {
    case file(VisitRecordFile)
    /// An object repeats a key: the file is damaged.
    case duplicateKey(StrictJSON.DuplicateKey)
    /// Not the shape this reader takes: JSONDecoder decides.
    case otherShape
  }

  static func reading(_ data: Data) -> Reading {
    data.withUnsafeBytes { raw in
      var reader = VisitFileReader(raw.bindMemory(to: UInt8.self))
      if let file = reader.file() { return .file(file) }
      if let duplicate = reader.duplicate { return .duplicateKey(duplicate) }
      // A repeat inside a hazard: named as `StrictJSON` names it (the file's first repeat).
      if reader.json.metRepeatedKey, let duplicate = StrictJSON.duplicateKey(in: reader.json.bytes)
      {
        return .duplicateKey(duplicate)
      }
      return .otherShape
    }
  }

  /// The file, or nil when it is not in the shape this reader takes or repeats a key.
  static func read(_ data: Data) -> VisitRecordFile? {
    if case .file(let file) = reading(data) { return file }
    return nil
  }

  /// The keys of `VisitRecordFile`, the only ones this reader takes.
  private static let keys = [
    "schemaVersion", "savedBy", "savedAt", "householdID", "visitColumns", "visits", "hazards",
  ]

  private mutating func file() -> VisitRecordFile? {
    var schemaVersion: Int?
    var savedBy = ""
    var savedAt = ""
    var householdID: String?
    var columnsChecked = false
    var rows: [Visit]?
    var hazards: [Hazard]?
    var seen: UInt8 = 0  // a bit per index of `Self.keys`
    guard json.consume(0x7B) else { return nil }  // {
    if !json.peek(0x7D) {
      repeat {
        json.skipWhitespace()
        let keyStart = json.index
        // An unknown key gives up: JSONDecoder's path then checks for repeats itself.
        guard let key = json.string(), let bit = Self.keys.firstIndex(of: key) else { return nil }
        guard seen & 1 << bit == 0 else {
          duplicate = StrictJSON.DuplicateKey(key: key, at: keyStart, in: json.bytes)
          return nil
        }
        seen |= 1 << bit
        guard json.consume(0x3A) else { return nil }
        switch key {
        case "schemaVersion":
          guard let value = json.integer() else { return nil }
          schemaVersion = value
        case "savedBy":
          guard let value = json.string() else { return nil }
          savedBy = value
        case "savedAt":
          guard let value = json.string() else { return nil }
          savedAt = value
        case "householdID":
          guard let value = json.string() else { return nil }
          householdID = value
        case "visitColumns":
          guard let columns = json.stringArray(), VisitRow.isKnown(columns) else { return nil }
          columnsChecked = true
        case "visits":
          guard let value = visitRows() else { return nil }
          rows = value
        case "hazards":
          // Read here too (through JSONDecoder they cost a fifth of a season's open). A
          // repeated key inside gives up, and `StrictJSON` names it on the fallback path.
          guard let value = json.array(Self.hazard) else { return nil }
          hazards = value
        default:
          return nil
        }
      } while json.consume(0x2C)
    }
    guard json.consume(0x7D) else { return nil }
    json.skipWhitespace()
    guard json.index == json.bytes.count, let schemaVersion, let householdID, columnsChecked,
      var visits = rows.take(), let hazards
    else { return nil }
    // The household is the file's: set in place (a mapped copy of every visit showed).
    for index in visits.indices { visits[index].householdID = householdID }
    return VisitRecordFile(
      schemaVersion: schemaVersion, savedBy: savedBy, savedAt: savedAt,
      record: VisitRecord(householdID: householdID, visits: visits, hazards: hazards))
  }

  // MARK: Hazards

  private static let hazardKeys = JSONWords([
    "id", "householdID", "checkID", "description", "events",
  ])
  private static let eventKeys = JSONWords(["kind", "date", "visitID", "deadline", "note"])
  private static let eventKinds = JSONWords(HazardEvent.Kind.allCases.map(\.rawValue))

  /// A hazard as its synthesized decoding reads it: every key required.
  private static func hazard(_ json: inout JSONCursor) -> Hazard? {
    var id: String?
    var householdID: String?
    var checkID: String?
    var description: String?
    var events: [HazardEvent]?
    let read = json.object(hazardKeys) { json, key in
      switch key {
      case 0:
        id = json.string()
        return id != nil
      case 1:
        householdID = json.string()
        return householdID != nil
      case 2:
        checkID = json.string()
        return checkID != nil
      case 3:
        description = json.string()
        return description != nil
      default:
        events = json.array(Self.event)
        return events != nil
      }
    }
    guard read, let id, let householdID, let checkID, let description, let events else {
      return nil
    }
    return Hazard(
      id: id, householdID: householdID, checkID: checkID, description: description,
      events: events)
  }

  /// An event as `HazardEvent.init(from:)` reads it: kind and date required, the visit and
  /// the deadline absent when none, the note "" when absent.
  private static func event(_ json: inout JSONCursor) -> HazardEvent? {
    var kind: HazardEvent.Kind?
    var date: CivilDate?
    var visitID: String?
    var deadline: CivilDate?
    var note = ""
    let read = json.object(eventKeys) { json, key in
      switch key {
      case 0:
        guard let index = json.oneOf(Self.eventKinds) else { return false }
        kind = HazardEvent.Kind.allCases[index]
      case 1:
        date = json.date()
        return date != nil
      case 2:
        visitID = json.string()
        return visitID != nil
      case 3:
        deadline = json.date()
        return deadline != nil
      default:
        guard let text = json.string() else { return false }
        note = text
      }
      return true
    }
    guard read, let kind, let date else { return nil }
    return HazardEvent(kind: kind, date: date, visitID: visitID, deadline: deadline, note: note)
  }

  // MARK: Rows

  private mutating func visitRows() -> [Visit]? {
    guard json.consume(0x5B) else { return nil }
    var rows: [Visit] = []
    if json.consume(0x5D) { return rows }
    repeat {
      guard let row = visitRow() else { return nil }
      rows.append(row)
    } while json.consume(0x2C)
    return json.consume(0x5D) ? rows : nil
  }

  /// `["id","date","visitorID" or null,"personsMet","answers","notes",true/false,"formID",`
  /// `"standInFor" or null]` (the last absent in rows written before 代访 was recorded)
  /// The visit with no household yet (the file's is set after).
  private mutating func visitRow() -> Visit? {
    guard json.consume(0x5B), let id = json.string(), json.consume(0x2C),
      let dateText = json.string(),
      let date = CivilDate(stored: dateText), json.consume(0x2C)
    else { return nil }
    let visitorID: String?
    if json.consumeLiteral("null") {
      visitorID = nil
    } else {
      guard let value = json.string() else { return nil }
      visitorID = value
    }
    guard json.consume(0x2C), let personsMet = json.string(), json.consume(0x2C),
      let answers = json.string(),
      json.consume(0x2C), let notes = json.string(), json.consume(0x2C)
    else { return nil }
    let signed: Bool
    if json.consumeLiteral("true") {
      signed = true
    } else if json.consumeLiteral("false") {
      signed = false
    } else {
      return nil
    }
    guard json.consume(0x2C), let formID = json.string() else { return nil }
    // 代访: a 9th column (null or a visitor id), absent in rows written before it.
    var standInFor: String?
    if json.consume(0x2C) {
      if !json.consumeLiteral("null") {
        guard let value = json.string() else { return nil }
        standInFor = value
      }
    }
    guard json.consume(0x5D),
      var visit = Visit(
        id: id, householdID: "", date: date, visitorID: visitorID, personsMet: personsMet,
        packedAnswers: answers, notes: notes, signed: signed, formID: formID)
    else { return nil }
    visit.standInFor = standInFor
    return visit
  }
}

/// A read position in JSON bytes and the tokens both direct readers (`VisitFileReader`,
/// `HouseholdFileReader`) are made of. Every token skips the white space before it; each
/// answers nil or false, leaving the reader to give up, on anything it does not take.
struct JSONCursor {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0
  /// Set when `object` gave up on a key written twice.
  private(set) var metRepeatedKey = false

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }

  /// Nothing but white space left.
  mutating func isAtEnd() -> Bool {
    skipWhitespace()
    return index == bytes.count
  }

  mutating func skipWhitespace() {
    while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
  }

  mutating func peek(_ byte: UInt8) -> Bool {
    skipWhitespace()
    return index < bytes.count && bytes[index] == byte
  }

  mutating func consume(_ byte: UInt8) -> Bool {
    guard peek(byte) else { return false }
    index += 1
    return true
  }

  mutating func consumeLiteral(_ literal: StaticString) -> Bool {
    skipWhitespace()
    let count = literal.utf8CodeUnitCount
    guard index + count <= bytes.count else { return false }
    let start = literal.utf8Start
    for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
    index += count
    return true
  }

  /// A non-negative integer without sign, fraction or exponent (a schema version). A leading
  /// zero ("04") is not JSON: nil, so JSONDecoder refuses it as it always did.
  mutating func integer() -> Int? {
    skipWhitespace()
    var value = 0
    let start = index
    while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
      value = value &* 10 &+ Int(bytes[index] - 0x30)
      index += 1
      guard index - start <= 9 else { return nil }
    }
    guard index > start, bytes[start] != 0x30 || index == start + 1 else { return nil }
    return value
  }

  /// `true` or `false`.
  mutating func bool() -> Bool? {
    if consumeLiteral("true") { return true }
    if consumeLiteral("false") { return false }
    return nil
  }

  /// A string that is one of `table`'s: its index there; nil when it is none of them, or not a
  /// string. Compared byte for byte without making a String, or decoded first when it has
  /// escapes (then compared as JSONDecoder compares, as Swift strings). Byte for byte is the
  /// stricter: text that equals an entry only as a Swift string (canonically equivalent, not
  /// the same bytes) gives nil, and JSONDecoder decides.
  mutating func oneOf(_ table: JSONWords) -> Int? {
    guard consume(0x22) else { return nil }
    let start = index
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x22 {
        index += 1
        return table.index(of: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]))
      }
      if byte == 0x5C || byte < 0x20 { break }
      index += 1
    }
    index = start - 1
    guard let text = string() else { return nil }
    return table.words.firstIndex(of: text)
  }

  /// A JSON string: raw bytes copied, every escape decoded (surrogate pairs joined); nil on a
  /// control character, a bad escape, a lone surrogate or invalid UTF-8.
  mutating func string() -> String? {
    guard consume(0x22), let base = bytes.baseAddress else { return nil }
    let start = index
    // Fast path, no escapes: eight bytes at a time while none is a quote, a backslash or a
    // control character (this scan was a quarter of a season's open byte by byte), noting
    // whether any byte is outside ASCII.
    var at = start
    var high: UInt64 = 0
    while at + 8 <= bytes.count {
      let word = UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self)
      if Self.hasQuoteBackslashOrControl(word) { break }
      high |= word
      at += 8
    }
    var last: UInt8 = 0
    while at < bytes.count {
      let byte = base[at]
      if byte == 0x22 {
        index = at + 1
        let raw = UnsafeBufferPointer(start: base + start, count: at - start)
        let ascii = (high & 0x8080_8080_8080_8080) | UInt64(last & 0x80) == 0
        return ascii ? String(decoding: raw, as: UTF8.self) : UTF8Text.string(raw)
      }
      if byte == 0x5C || byte < 0x20 { break }
      last |= byte
      at += 1
    }
    index = at
    var buffer = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x22:
        index += 1
        return buffer.withUnsafeBufferPointer { UTF8Text.string($0) }
      case 0x5C:
        index += 1
        guard JSONEscape.decode(bytes, at: &index, into: &buffer) else { return nil }
      default:
        guard byte >= 0x20 else { return nil }
        buffer.append(byte)
        index += 1
      }
    }
    return nil
  }

  /// Whether one of the eight bytes of `word` is `"`, `\` or below 0x20: the classic tests
  /// for a zero byte (after xor with the byte sought) and for a byte below n, exact as to
  /// whether there is one (not as to where: the caller then looks byte by byte).
  static func hasQuoteBackslashOrControl(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    let found =
      ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
      | ((word &- ones &* 0x20) & ~word)
    return found & highs != 0
  }

  /// `{ key : value , … }` with keys from `keys`, `value` reading each key's value (handed its
  /// index in `keys`); false on an unknown key, a key written twice, or when `value` gives up.
  /// A repeated key is given up on (`metRepeatedKey` says so): `StrictJSON` names it, as it
  /// names any other.
  mutating func object(_ keys: JSONWords, _ value: (inout JSONCursor, Int) -> Bool) -> Bool {
    guard consume(0x7B) else { return false }  // {
    if consume(0x7D) { return true }
    var seen: UInt32 = 0  // a bit per index of `keys`
    repeat {
      guard let key = oneOf(keys) else { return false }
      guard seen & 1 << key == 0 else {
        metRepeatedKey = true
        return false
      }
      guard consume(0x3A) else { return false }
      seen |= 1 << key
      guard value(&self, key) else { return false }
    } while consume(0x2C)
    return consume(0x7D)
  }

  /// `[ element , … ]`, `element` reading each; nil when one gives up.
  mutating func array<Element>(_ element: (inout JSONCursor) -> Element?) -> [Element]? {
    guard consume(0x5B) else { return nil }
    var elements: [Element] = []
    if consume(0x5D) { return elements }
    repeat {
      guard let value = element(&self) else { return nil }
      elements.append(value)
    } while consume(0x2C)
    return consume(0x5D) ? elements : nil
  }

  /// A date in its stored form (`CivilDate(stored:)`, as the model's decoders read dates).
  mutating func date() -> CivilDate? {
    guard let text = string() else { return nil }
    return CivilDate(stored: text)
  }

  mutating func stringArray() -> [String]? {
    guard consume(0x5B) else { return nil }
    var values: [String] = []
    if consume(0x5D) { return values }
    repeat {
      guard let value = string() else { return nil }
      values.append(value)
    } while consume(0x2C)
    return consume(0x5D) ? values : nil
  }
}

/// The few words a reader expects in a place (an object's keys, an enum's raw values), kept as
/// bytes too for `JSONCursor.oneOf`.
struct JSONWords: Sendable {
  let words: [String]
  private let bytes: [UInt8]
  private let ends: [Int]

  init(_ words: [String]) {
    self.words = words
    bytes = words.flatMap(\.utf8)
    var ends: [Int] = []
    var end = 0
    for word in words {
      end += word.utf8.count
      ends.append(end)
    }
    self.ends = ends
  }

  var count: Int { words.count }

  func index(of raw: UnsafeBufferPointer<UInt8>) -> Int? {
    bytes.withUnsafeBufferPointer { all in
      var start = 0
      for (position, end) in ends.enumerated() {
        defer { start = end }
        guard end - start == raw.count else { continue }
        if raw.isEmpty || memcmp(all.baseAddress! + start, raw.baseAddress!, raw.count) == 0 {
          return position
        }
      }
      return nil
    }
  }
}

/// Text from UTF-8 bytes, or nil when they are not valid UTF-8: what `String(validating:as:)`
/// answers, without its cost. That initializer is generic and was not specialised across
/// modules at -O: on a season's million strings its metadata look-ups were 16% of the open
/// (callgrind). `String(decoding:as:)` on a buffer of bytes takes the standard library's
/// concrete path, and repairs invalid bytes with U+FFFD; the text's own bytes then equal the
/// input exactly when nothing was repaired, that is when the input was valid. (Comparing only
/// the counts would not do: a truncated four-byte sequence becomes one three-byte U+FFFD.)
enum UTF8Text {
  static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    var text = String(decoding: bytes, as: UTF8.self)
    let valid = text.withUTF8 { decoded in
      guard decoded.count == bytes.count else { return false }
      guard let left = decoded.baseAddress, let right = bytes.baseAddress else { return true }
      return memcmp(left, right, bytes.count) == 0
    }
    return valid ? text : nil
  }
}

/// The escape after a backslash in a JSON string (`\"`, `\n`, `\u4e2d`, a surrogate pair),
/// decoded into UTF-8: the one decoding of both strict readers (`VisitFileReader`'s strings,
/// `StrictJSON`'s keys). `index` is just past the backslash and ends past the escape; false
/// on a bad escape, a lone surrogate or a missing byte.
enum JSONEscape {
  static func decode(
    _ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int, into out: inout [UInt8]
  ) -> Bool {
    guard index < bytes.count else { return false }
    let escape = bytes[index]
    index += 1
    switch escape {
    case 0x22, 0x5C, 0x2F: out.append(escape)
    case 0x62: out.append(0x08)
    case 0x66: out.append(0x0C)
    case 0x6E: out.append(0x0A)
    case 0x72: out.append(0x0D)
    case 0x74: out.append(0x09)
    case 0x75:
      guard var scalar = hex4(bytes, at: &index) else { return false }
      if (0xD800...0xDBFF).contains(scalar) {
        guard index + 2 <= bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75
        else { return false }
        index += 2
        guard let low = hex4(bytes, at: &index), (0xDC00...0xDFFF).contains(low) else {
          return false
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(scalar) {
        return false
      }
      guard let unicode = Unicode.Scalar(scalar) else { return false }
      out.append(contentsOf: String(unicode).utf8)
    default:
      return false
    }
    return true
  }

  private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) -> UInt32? {
    guard index + 4 <= bytes.count else { return nil }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case 0x30...0x39: digit = byte - 0x30
      case 0x41...0x46: digit = byte - 0x41 + 10
      case 0x61...0x66: digit = byte - 0x61 + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }
}
