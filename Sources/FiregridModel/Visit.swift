/// 走访 — one door-knock, as recorded on the residential form (附件6): when, by whom, whom
/// the visitor met, the answer to each item of the form, notes, and whether the household
/// signed the paper. Hazards found on the visit are `Hazard`s of the household's
/// `VisitRecord`, pointing back at the visit.
public struct Visit: Codable, Equatable, Identifiable, Sendable {
  /// "<household id>-v<n>", unique in the town.
  public var id: String
  public var householdID: String
  public var date: CivilDate
  /// 走访人; nil when the paper names nobody on the roster.
  public var visitorID: String?
  /// 见面人员, as written on the paper.
  public var personsMet: String
  /// Form item id → answer, for every item the form asked.
  public var answers: [String: Answer] {
    get { Self.unpack(packedAnswers) ?? [:] }
    set { packedAnswers = Self.pack(newValue) }
  }
  /// The answers as stored: "balconyClear=y gasOff=- …", sorted by item id. Kept packed and
  /// read on demand: a season holds ~200,000 visits and unpacking them all at open doubled
  /// the open time, while only a household's history screen needs them.
  public private(set) var packedAnswers: String
  /// 备注
  public var notes: String
  /// 户主签字 on the paper.
  public var signed: Bool
  /// The form definition the answers belong to: its id, with "@N" for version N ≥ 2
  /// (`FormRegistry` finds it).
  public var formID: String
  /// 代访: the visitor responsible for the household, when another visitor made this visit
  /// in their place (the clerk confirmed it); nil when the visit was the responsible one's.
  public var standInFor: String?

  public init(
    id: String, householdID: String, date: CivilDate, visitorID: String?, personsMet: String,
    answers: [String: Answer], notes: String = "", signed: Bool = true, formID: String
  ) {
    self.id = id
    self.householdID = householdID
    self.date = date
    self.visitorID = visitorID
    self.personsMet = personsMet
    self.packedAnswers = Self.pack(answers)
    self.notes = notes
    self.signed = signed
    self.formID = formID
  }

  /// A visit read from storage with its answers still packed; nil when they are malformed.
  public init?(
    id: String, householdID: String, date: CivilDate, visitorID: String?, personsMet: String,
    packedAnswers: String, notes: String, signed: Bool, formID: String
  ) {
    guard Self.isWellFormed(packedAnswers) else { return nil }
    self.id = id
    self.householdID = householdID
    self.date = date
    self.visitorID = visitorID
    self.personsMet = personsMet
    self.packedAnswers = packedAnswers
    self.notes = notes
    self.signed = signed
    self.formID = formID
  }

  private enum CodingKeys: String, CodingKey {
    case id, householdID, date, visitorID, personsMet, answers, notes, signed, formID, standInFor
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let packed = try c.decode(String.self, forKey: .answers)
    guard
      let visit = Visit(
        id: try c.decode(String.self, forKey: .id),
        householdID: try c.decode(String.self, forKey: .householdID),
        date: try c.decode(CivilDate.self, forKey: .date),
        visitorID: try c.decodeIfPresent(String.self, forKey: .visitorID),
        personsMet: try c.decodeIfPresent(String.self, forKey: .personsMet) ?? "",
        packedAnswers: packed, notes: try c.decodeIfPresent(String.self, forKey: .notes) ?? "",
        signed: try c.decodeIfPresent(Bool.self, forKey: .signed) ?? false,
        formID: try c.decode(String.self, forKey: .formID))
    else {
      throw DecodingError.dataCorruptedError(
        forKey: .answers, in: c, debugDescription: "answers: \(packed)")
    }
    self = visit
    standInFor = try c.decodeIfPresent(String.self, forKey: .standInFor)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(householdID, forKey: .householdID)
    try c.encode(date, forKey: .date)
    try c.encodeIfPresent(visitorID, forKey: .visitorID)
    try c.encode(personsMet, forKey: .personsMet)
    try c.encode(packedAnswers, forKey: .answers)
    try c.encode(notes, forKey: .notes)
    try c.encode(signed, forKey: .signed)
    try c.encode(formID, forKey: .formID)
    try c.encodeIfPresent(standInFor, forKey: .standInFor)
  }

  static func pack(_ answers: [String: Answer]) -> String {
    answers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" }
      .joined(separator: " ")
  }

  static func unpack(_ text: String) -> [String: Answer]? {
    var result: [String: Answer] = [:]
    for pair in text.split(separator: " ") {
      guard let equals = pair.lastIndex(of: "="),
        let answer = Answer(rawValue: String(pair[pair.index(after: equals)...]))
      else { return nil }
      result[String(pair[..<equals])] = answer
    }
    return result
  }

  /// Checks the packed form byte by byte, without building the dictionary: every token is
  /// "id=a" with a non-empty id and a one-character answer y, n, - or 1…9.
  static func isWellFormed(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      var tokenStart = 0
      var index = 0
      while index <= bytes.count {
        if index == bytes.count || bytes[index] == 0x20 {
          let length = index - tokenStart
          if length > 0 {
            guard length >= 3, bytes[index - 2] == 0x3D else { return false }
            let answer = bytes[index - 1]
            // y, n, - or a choice's digit 1…9.
            guard
              answer == 0x79 || answer == 0x6E || answer == 0x2D || (0x31...0x39).contains(answer)
            else { return false }
          }
          tokenStart = index + 1
        }
        index += 1
      }
      return true
    }
  }

  /// Whether every answered item is the good answer (是 / 无隐患 / 已做) or 不适用.
  public var isAllClear: Bool { !packedAnswers.contains("=n") }
}

/// 隐患 — a hazard found on a visit, with its rectification deadline (限期整改) and the events
/// that followed: reports, re-inspections (复查), extensions.
public struct Hazard: Codable, Equatable, Identifiable, Sendable {
  /// "<household id>-z<n>"
  public var id: String
  public var householdID: String
  /// The hazard check of the form it was found under, e.g. "wiring".
  public var checkID: String
  public var description: String
  /// What happened to it, oldest first; the first event is always `.found`.
  public var events: [HazardEvent]

  public init(
    id: String, householdID: String, checkID: String, description: String,
    events: [HazardEvent]
  ) {
    self.id = id
    self.householdID = householdID
    self.checkID = checkID
    self.description = description
    self.events = events
  }

  public var foundOn: CivilDate { events.first?.date ?? CivilDate(year: 1970, month: 1, day: 1) }
  public var foundInVisit: String? { events.first?.visitID }

  /// The deadline in force: the last one set (found or extended).
  public var deadline: CivilDate {
    events.last(where: { $0.deadline != nil })?.deadline ?? foundOn
  }

  /// The date it was closed, if it is.
  public var closedOn: CivilDate? {
    events.last.flatMap { $0.kind.closes ? $0.date : nil }
  }

  public func state(on today: CivilDate) -> HazardState {
    guard let last = events.last else { return .open }
    if last.kind.closes { return .closed }
    if last.kind == .reportedRectified { return .awaitingCheck }
    return deadline < today ? .overdue : .open
  }

  /// Due for a return visit on `today`: reported rectified, or its deadline has come.
  public func isDueForReinspection(on today: CivilDate) -> Bool {
    switch state(on: today) {
    case .closed: return false
    case .awaitingCheck, .overdue: return true
    case .open: return deadline <= today
    }
  }
}

/// One thing that happened to a hazard.
public struct HazardEvent: Codable, Equatable, Sendable {
  public enum Kind: String, Codable, CaseIterable, Sendable {
    /// Found on a visit, with its deadline.
    case found
    /// Put right while the visitor was there (当场整改): found and closed at once.
    case rectifiedOnSpot
    /// The household says it is put right (e.g. in the grid's WeChat group): awaits 复查.
    case reportedRectified
    /// 复查: seen put right on a return visit: closed (核实销号).
    case verified
    /// 复查: not put right; the deadline stands (and may have passed).
    case notRectified
    /// 复查 or office decision: a new deadline.
    case extended

    public var closes: Bool { self == .verified || self == .rectifiedOnSpot }
    public var label: String { ModelText.hazardEventLabel(self) }
  }

  public var kind: Kind
  public var date: CivilDate
  /// The visit it was recorded on; nil for office entries (a report by phone).
  public var visitID: String?
  /// The deadline set by `.found` and `.extended`.
  public var deadline: CivilDate?
  public var note: String

  public init(
    kind: Kind, date: CivilDate, visitID: String? = nil, deadline: CivilDate? = nil,
    note: String = ""
  ) {
    self.kind = kind
    self.date = date
    self.visitID = visitID
    self.deadline = deadline
    self.note = note
  }

  private enum CodingKeys: String, CodingKey { case kind, date, visitID, deadline, note }

  // Dates read as strings and parsed here: a nested decoder per date showed in the open time.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    kind = try c.decode(Kind.self, forKey: .kind)
    func parse(_ key: CodingKeys, _ text: String) throws -> CivilDate {
      guard let date = CivilDate(stored: text) else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: c, debugDescription: "not a date: \(text)")
      }
      return date
    }
    date = try parse(.date, try c.decode(String.self, forKey: .date))
    visitID = try c.decodeIfPresent(String.self, forKey: .visitID)
    deadline = try c.decodeIfPresent(String.self, forKey: .deadline).map {
      try parse(.deadline, $0)
    }
    note = try c.decodeIfPresent(String.self, forKey: .note) ?? ""
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(kind, forKey: .kind)
    try c.encode(date, forKey: .date)
    try c.encodeIfPresent(visitID, forKey: .visitID)
    try c.encodeIfPresent(deadline, forKey: .deadline)
    try c.encode(note, forKey: .note)
  }
}

/// Where a hazard stands on a given day.
public enum HazardState: String, Codable, CaseIterable, Sendable {
  /// 整改中: deadline not passed.
  case open
  /// 已整改待复查
  case awaitingCheck
  /// 已复查销号
  case closed
  /// 逾期未整改
  case overdue

  public var label: String { ModelText.hazardStateLabel(self) }
}

/// 走访档案 — one household's visits and hazards; one file per household beside its roster
/// file, so entering a visit rewrites a few kilobytes, never the town.
public struct VisitRecord: Codable, Equatable, Sendable {
  public var householdID: String
  /// By date, then by order of entry.
  public var visits: [Visit]
  /// By date found.
  public var hazards: [Hazard]

  public init(householdID: String, visits: [Visit] = [], hazards: [Hazard] = []) {
    self.householdID = householdID
    self.visits = visits
    self.hazards = hazards
  }

  public var lastVisit: Visit? { visits.last }

  public func visits(in round: Campaign.Round) -> [Visit] {
    visits.filter { round.contains($0.date) }
  }

  public func openHazards(on today: CivilDate) -> [Hazard] {
    hazards.filter { $0.state(on: today) != .closed }
  }

  /// The next free visit id for this household.
  func nextVisitID() -> String { nextID(prefix: "v", existing: visits.map(\.id)) }
  func nextHazardID(offset: Int = 0) -> String {
    nextID(prefix: "z", existing: hazards.map(\.id), offset: offset)
  }

  private func nextID(prefix: String, existing: [String], offset: Int = 0) -> String {
    let marker = "\(householdID)-\(prefix)"
    let highest =
      existing.compactMap { id -> Int? in
        id.hasPrefix(marker) ? Int(id.dropFirst(marker.count)) : nil
      }.max() ?? 0
    return "\(marker)\(highest + 1 + offset)"
  }
}

extension ModelText {
  static func hazardEventLabel(_ kind: HazardEvent.Kind) -> String {
    switch kind {
    case .found: return "发现隐患"
    case .rectifiedOnSpot: return "当场整改"
    case .reportedRectified: return "报告已整改"
    case .verified: return "复查已整改，销号"
    case .notRectified: return "复查未整改"
    case .extended: return "延期整改"
    }
  }

  static func hazardStateLabel(_ state: HazardState) -> String {
    switch state {
    case .open: return "整改中"
    case .awaitingCheck: return "待复查"
    case .closed: return "已销号"
    case .overdue: return "逾期"
    }
  }
}
