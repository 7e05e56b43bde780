/// What the statistics table (附件3) counts of one household's roster record: enough for every
/// column of `StatisticsColumn.counts`, nothing else (no names, no addresses). The database
/// keeps it beside each `households` record (`facts`), so the county's table reads a line per
/// household instead of the record's JSON.
public struct HouseholdFacts: Equatable, Sendable {
  public var householdID: String
  /// Its grid, and so its village.
  public var gridID: String
  /// 走访人 responsible for it (the 走访人数 column counts them per village).
  public var visitorID: String?
  /// Its members' ids: a grid has a 网格长 when its `gridLeaderID` is one of its households'
  /// members (`TownData.gridLeader(of:)`), and the grid is in town.json, not here. An empty id
  /// is left out (no grid names one as its leader; the line could not tell it from none).
  public var personIDs: [String]
  /// Members in the group 独居老人.
  public var elderlyLivingAlone: Int
  /// A member in any vulnerable group (`Household.hasVulnerableMember`).
  public var hasVulnerableMember: Bool

  public init(
    householdID: String, gridID: String, visitorID: String?, personIDs: [String],
    elderlyLivingAlone: Int, hasVulnerableMember: Bool
  ) {
    self.householdID = householdID
    self.gridID = gridID
    self.visitorID = visitorID
    self.personIDs = personIDs
    self.elderlyLivingAlone = elderlyLivingAlone
    self.hasVulnerableMember = hasVulnerableMember
  }

  public init(_ household: Household) {
    self.init(
      householdID: household.id, gridID: household.gridID, visitorID: household.visitorID,
      personIDs: household.persons.map(\.id).filter { !$0.isEmpty },
      elderlyLivingAlone: household.persons.filter { $0.groups.contains(.elderlyLivingAlone) }
        .count,
      hasVulnerableMember: household.hasVulnerableMember)
  }
}

/// What the statistics table counts of one household's 走访档案: each visit's date and the
/// three answers it counts, each hazard's events (kind, date, deadline; no text).
public struct VisitFacts: Equatable, Sendable {
  /// One visit as the table sees it.
  public struct VisitFact: Equatable, Sendable {
    public var date: CivilDate
    /// `vulnerableMet` answered 是 (重点人群当面走访).
    public var vulnerableMet: Bool
    /// `noticeDelivered` answered 是.
    public var noticeDelivered: Bool
    /// `cardPosted` answered 是.
    public var cardPosted: Bool

    public init(date: CivilDate, vulnerableMet: Bool, noticeDelivered: Bool, cardPosted: Bool) {
      self.date = date
      self.vulnerableMet = vulnerableMet
      self.noticeDelivered = noticeDelivered
      self.cardPosted = cardPosted
    }
  }

  public var householdID: String
  public var visits: [VisitFact]
  /// Each hazard with its events' kind, date and deadline only (ids, check, description, visit
  /// and notes empty): `recorded(by:)`, `wasRectifiedOnSpot` and `state(on:)` read nothing else.
  public var hazards: [Hazard]

  public init(householdID: String, visits: [VisitFact], hazards: [Hazard]) {
    self.householdID = householdID
    self.visits = visits
    self.hazards = hazards
  }

  public init(_ record: VisitRecord) {
    self.init(
      householdID: record.householdID,
      visits: record.visits.map {
        VisitFact(
          date: $0.date, vulnerableMet: $0.answeredYes("vulnerableMet"),
          noticeDelivered: $0.answeredYes("noticeDelivered"),
          cardPosted: $0.answeredYes("cardPosted"))
      },
      hazards: record.hazards.map { Self.stripped($0.events) })
  }

  /// A hazard of these events' kinds, dates and deadlines, and nothing else.
  public static func stripped(_ events: [HazardEvent]) -> Hazard {
    Hazard(
      id: "", householdID: "", checkID: "", description: "",
      events: events.map { HazardEvent(kind: $0.kind, date: $0.date, deadline: $0.deadline) })
  }
}

extension Visit {
  /// Whether `item` was answered 是, read from the packed answers without building the
  /// dictionary (`answers` unpacks every item; the table asks three of each visit). As
  /// `answers` reads them: the last token of the item decides.
  func answeredYes(_ item: String) -> Bool {
    var packed = packedAnswers
    var item = item
    return packed.withUTF8 { bytes in
      item.withUTF8 { key in
        var answer: UInt8 = 0
        var start = 0
        var index = 0
        while index <= bytes.count {
          if index == bytes.count || bytes[index] == 0x20 {
            // "key=a": the key is all but the last two bytes.
            let length = index - start
            if length == key.count + 2, bytes[index - 2] == 0x3D,
              (0..<key.count).allSatisfy({ bytes[start + $0] == key[$0] })
            {
              answer = bytes[index - 1]
            }
            start = index + 1
          }
          index += 1
        }
        return answer == 0x79  // y
      }
    }
  }
}

/// The facts of one record as one line of text, kept in the database beside the record
/// (`records.facts`) and read by the county's table.
///
/// `H1 <household> <grid> <visitor> <elderly living alone> <0|1 vulnerable> <person,person…>`
/// `V1 <household> <visit,visit…> <hazard;hazard…>`: a visit is its date as YYYYMMDD followed
/// by `m` (vulnerableMet), `n` (noticeDelivered), `c` (cardPosted) when answered 是; a hazard
/// is its events joined by `,`, each a kind letter (`Self.kindLetters`), its date, and `>` and
/// the deadline when it sets one; a hazard without events is `-`. Ids are written with `%`,
/// space, `,`, `;` and control bytes as `%XX`; a missing visitor is an empty field.
///
/// The number after H/V is the format's version: a line of another version is not read
/// (`decode` gives nil) and the caller computes the facts again from the record.
///
/// Hand-written and parsed byte by byte rather than JSON: the county reads 600,000 of these
/// (30 towns). Measured by `firegrid-bench` (`county facts_parse`, release build): one town's
/// 20,000 lines in 9.1 ms; JSONDecoder over the same facts as JSON (6× the bytes) 349 ms.
public enum StatisticsFacts {
  /// The format's version, in every line's first field.
  public static let version = 1
  /// The first field of a current line of each kind ("H1", "V1").
  public static let householdTag = "H\(version)"
  public static let visitsTag = "V\(version)"

  /// A decoded line.
  public enum Line: Equatable, Sendable {
    case household(HouseholdFacts)
    case visits(VisitFacts)
  }

  static let kindLetters: [(HazardEvent.Kind, UInt8)] = [
    (.found, 0x66), (.rectifiedOnSpot, 0x73), (.reportedRectified, 0x72), (.verified, 0x76),
    (.notRectified, 0x78), (.extended, 0x65),
  ]

  // MARK: Writing

  public static func encode(_ facts: HouseholdFacts) -> String {
    var line = householdTag
    line += " " + escaped(facts.householdID)
    line += " " + escaped(facts.gridID)
    line += " " + escaped(facts.visitorID ?? "")
    line += " \(facts.elderlyLivingAlone)"
    line += facts.hasVulnerableMember ? " 1 " : " 0 "
    line += facts.personIDs.map(escaped).joined(separator: ",")
    return line
  }

  public static func encode(_ facts: VisitFacts) -> String {
    var line = visitsTag + " " + escaped(facts.householdID) + " "
    line += facts.visits.map { visit in
      var text = dateText(visit.date)
      if visit.vulnerableMet { text += "m" }
      if visit.noticeDelivered { text += "n" }
      if visit.cardPosted { text += "c" }
      return text
    }.joined(separator: ",")
    line += " "
    line += facts.hazards.map { hazard in
      guard !hazard.events.isEmpty else { return "-" }
      return hazard.events.map { event in
        let letter = kindLetters.first { $0.0 == event.kind }?.1 ?? 0x66
        var text = String(UnicodeScalar(letter)) + dateText(event.date)
        if let deadline = event.deadline { text += ">" + dateText(deadline) }
        return text
      }.joined(separator: ",")
    }.joined(separator: ";")
    return line
  }

  static func dateText(_ date: CivilDate) -> String {
    String(date.year * 10_000 + date.month * 100 + date.day)
  }

  static func escaped(_ text: String) -> String {
    let special = text.utf8.contains {
      $0 < 0x21 || $0 == 0x25 || $0 == 0x2C || $0 == 0x3B || $0 == 0x7F
    }
    guard special else { return text }
    var bytes: [UInt8] = []
    let hex = Array("0123456789ABCDEF".utf8)
    for byte in text.utf8 {
      if byte < 0x21 || byte == 0x25 || byte == 0x2C || byte == 0x3B || byte == 0x7F {
        bytes += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: Reading

  /// The line's facts; nil when it is not a line of this version (another version, or not
  /// well formed).
  public static func decode(_ line: String) -> Line? {
    var line = line
    return line.withUTF8 { bytes in
      var reader = Reader(bytes: bytes)
      return reader.line()
    }
  }

  /// Each line of `text` (lines joined by "\n", as the county's query aggregates a town's)
  /// decoded into `facts`, without a string per line; the lines that do not read, returned.
  public static func decodeLines(_ text: String, into facts: inout TownFacts) -> [String] {
    var text = text
    var unreadable: [String] = []
    text.withUTF8 { bytes in
      var start = 0
      while start < bytes.count {
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        var reader = Reader(bytes: slice)
        if let line = reader.line() {
          facts.add(line)
        } else {
          unreadable.append(String(decoding: slice, as: UTF8.self))
        }
        start = end + 1
      }
    }
    return unreadable
  }

  private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }
    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func consume(_ byte: UInt8) -> Bool {
      guard peek() == byte else { return false }
      index += 1
      return true
    }

    mutating func line() -> Line? {
      guard bytes.count >= 3, bytes[1] == 0x30 + UInt8(StatisticsFacts.version), bytes[2] == 0x20
      else { return nil }
      let kind = bytes[0]
      index = 3
      if kind == 0x48 { return household().map(Line.household) }
      if kind == 0x56 { return visits().map(Line.visits) }
      return nil
    }

    /// An escaped field up to a byte of `stops` or the end.
    mutating func field(until stops: (UInt8) -> Bool) -> String? {
      let start = index
      var plain = true
      while let byte = peek(), !stops(byte) {
        if byte == 0x25 { plain = false }
        index += 1
      }
      let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
      if plain { return String(decoding: raw, as: UTF8.self) }
      var out: [UInt8] = []
      out.reserveCapacity(raw.count)
      var i = 0
      while i < raw.count {
        if raw[i] == 0x25 {
          guard i + 2 < raw.count, let high = hexValue(raw[i + 1]), let low = hexValue(raw[i + 2])
          else { return nil }
          out.append(high << 4 | low)
          i += 3
        } else {
          out.append(raw[i])
          i += 1
        }
      }
      return String(decoding: out, as: UTF8.self)
    }

    func hexValue(_ byte: UInt8) -> UInt8? {
      switch byte {
      case 0x30...0x39: return byte - 0x30
      case 0x41...0x46: return byte - 0x41 + 10
      default: return nil
      }
    }

    mutating func number() -> Int? {
      var value = 0
      var digits = 0
      while let byte = peek(), (0x30...0x39).contains(byte), digits < 12 {
        value = value * 10 + Int(byte - 0x30)
        digits += 1
        index += 1
      }
      return digits == 0 ? nil : value
    }

    mutating func date() -> CivilDate? {
      guard let value = number() else { return nil }
      let date = CivilDate(year: value / 10_000, month: value / 100 % 100, day: value % 100)
      return date.isValid ? date : nil
    }

    mutating func household() -> HouseholdFacts? {
      let isSpace: (UInt8) -> Bool = { $0 == 0x20 }
      guard let id = field(until: isSpace), !id.isEmpty, consume(0x20),
        let grid = field(until: isSpace), consume(0x20),
        let visitor = field(until: isSpace), consume(0x20),
        let elderly = number(), consume(0x20)
      else { return nil }
      let vulnerable: Bool
      if consume(0x31) {
        vulnerable = true
      } else if consume(0x30) {
        vulnerable = false
      } else {
        return nil
      }
      guard consume(0x20) else { return nil }
      var persons: [String] = []
      while !atEnd {
        guard let person = field(until: { $0 == 0x2C || $0 == 0x20 }) else { return nil }
        persons.append(person)
        if atEnd { break }
        guard consume(0x2C) else { return nil }
      }
      return HouseholdFacts(
        householdID: id, gridID: grid, visitorID: visitor.isEmpty ? nil : visitor,
        personIDs: persons, elderlyLivingAlone: elderly, hasVulnerableMember: vulnerable)
    }

    mutating func visits() -> VisitFacts? {
      guard let id = field(until: { $0 == 0x20 }), !id.isEmpty, consume(0x20) else { return nil }
      var visits: [VisitFacts.VisitFact] = []
      while let byte = peek(), byte != 0x20 {
        guard let day = date() else { return nil }
        var visit = VisitFacts.VisitFact(
          date: day, vulnerableMet: false, noticeDelivered: false, cardPosted: false)
        if consume(0x6D) { visit.vulnerableMet = true }
        if consume(0x6E) { visit.noticeDelivered = true }
        if consume(0x63) { visit.cardPosted = true }
        visits.append(visit)
        if peek() == 0x20 { break }
        guard consume(0x2C) else { return nil }
      }
      guard consume(0x20) else { return nil }
      var hazards: [Hazard] = []
      while !atEnd {
        var events: [HazardEvent] = []
        if !consume(0x2D) {
          while true {
            guard let letter = peek(),
              let kind = StatisticsFacts.kindLetters.first(where: { $0.1 == letter })?.0
            else { return nil }
            index += 1
            guard let day = date() else { return nil }
            var deadline: CivilDate?
            if consume(0x3E) {
              guard let due = date() else { return nil }
              deadline = due
            }
            events.append(HazardEvent(kind: kind, date: day, deadline: deadline))
            guard consume(0x2C) else { break }
          }
        }
        hazards.append(
          Hazard(id: "", householdID: "", checkID: "", description: "", events: events))
        if atEnd { break }
        guard consume(0x3B) else { return nil }
      }
      return VisitFacts(householdID: id, visits: visits, hazards: hazards)
    }
  }
}

/// One town's statistics facts: its households' and their visit records', keyed by household.
public struct TownFacts: Equatable, Sendable {
  public var households: [HouseholdFacts]
  public var visits: [String: VisitFacts]

  public init(households: [HouseholdFacts] = [], visits: [String: VisitFacts] = [:]) {
    self.households = households
    self.visits = visits
  }

  /// The facts of a town's roster and visit records (what the database keeps line by line).
  public init(_ town: TownData) {
    self.init(
      households: town.households.map(HouseholdFacts.init),
      visits: town.visitRecords.mapValues(VisitFacts.init))
  }

  /// Adds a decoded line.
  public mutating func add(_ line: StatisticsFacts.Line) {
    switch line {
    case .household(let facts): households.append(facts)
    case .visits(let facts): visits[facts.householdID] = facts
    }
  }
}
