/// 督查 — what the town's leading group and discipline commission keep while they check the
/// campaign (the seed, 五(一) and 六(三)): each village's deployment meeting and its 联村领导,
/// the spot-check samples drawn and what the inspectors found at each sampled household, and
/// the notices of criticism (通报批评) and admonition talks (约谈) issued, so a later round knows
/// who was already named. Kept beside the roster, changed only through the store (audited).
public struct SupervisionData: Codable, Equatable, Sendable {
  /// One per village that has any: its 联村领导 and its meeting.
  public var deployments: [VillageDeployment]
  /// Oldest first.
  public var samples: [SpotCheckSample]
  /// In order of entry.
  public var spotChecks: [SpotCheck]
  /// Oldest first.
  public var notices: [IssuedNotice]

  public init(
    deployments: [VillageDeployment] = [], samples: [SpotCheckSample] = [],
    spotChecks: [SpotCheck] = [], notices: [IssuedNotice] = []
  ) {
    self.deployments = deployments
    self.samples = samples
    self.spotChecks = spotChecks
    self.notices = notices
  }

  public var isEmpty: Bool { self == SupervisionData() }

  public func deployment(ofVillage villageID: String) -> VillageDeployment? {
    deployments.first { $0.villageID == villageID }
  }

  public func sample(id: String) -> SpotCheckSample? { samples.first { $0.id == id } }

  /// The spot checks of one household, in order of entry.
  public func spotChecks(ofHousehold householdID: String) -> [SpotCheck] {
    spotChecks.filter { $0.householdID == householdID }
  }

  /// The next free id for a sample ("s1", "s2", …).
  public func nextSampleID() -> String {
    "s\((samples.compactMap { Int($0.id.dropFirst()) }.max() ?? 0) + 1)"
  }

  /// The next free id for a spot check of a household ("<household>-c1", …).
  public func nextSpotCheckID(householdID: String) -> String {
    let marker = "\(householdID)-c"
    let highest =
      spotChecks.compactMap { check -> Int? in
        check.id.hasPrefix(marker) ? Int(check.id.dropFirst(marker.count)) : nil
      }.max() ?? 0
    return "\(marker)\(highest + 1)"
  }

  /// The next free id for an issued notice ("n1", …).
  public func nextNoticeID() -> String {
    "n\((notices.compactMap { Int($0.id.dropFirst()) }.max() ?? 0) + 1)"
  }
}

/// 村级动员部署 — a village's 联村领导 and its deployment meeting (部署会, seed 五(一): by 11-19,
/// led by the 联村领导, fixing each visitor's households and naming the village's grid worker as
/// liaison, with minutes kept).
public struct VillageDeployment: Codable, Equatable, Identifiable, Sendable {
  public var villageID: String
  /// 联村领导 — the town leader responsible for the village.
  public var linkLeader: String
  /// nil until the meeting is recorded.
  public var meeting: DeploymentMeeting?

  public var id: String { villageID }

  public init(villageID: String, linkLeader: String = "", meeting: DeploymentMeeting? = nil) {
    self.villageID = villageID
    self.linkLeader = linkLeader
    self.meeting = meeting
  }
}

/// 部署会 — what the minutes record.
public struct DeploymentMeeting: Codable, Equatable, Sendable {
  public var date: CivilDate
  public var place: String
  /// 主持人 — normally the 联村领导.
  public var chairedBy: String
  /// 参会人员, as the minutes list them.
  public var attendees: [String]
  /// 联络员 named at the meeting (the village's grid worker).
  public var liaison: String
  /// 记录人
  public var recorder: String
  /// 会议内容 / 备注
  public var notes: String

  public init(
    date: CivilDate, place: String = "", chairedBy: String = "", attendees: [String] = [],
    liaison: String = "", recorder: String = "", notes: String = ""
  ) {
    self.date = date
    self.place = place
    self.chairedBy = chairedBy
    self.attendees = attendees
    self.liaison = liaison
    self.recorder = recorder
    self.notes = notes
  }
}

/// 抽查样本 — households drawn for inspectors to re-visit, reproducibly: the same seed, round,
/// per-village count and roster give the same households (`SpotCheckSampling`), and the seed is
/// printed on the check sheet so anyone can draw it again.
public struct SpotCheckSample: Codable, Equatable, Identifiable, Sendable {
  /// "s1", "s2", … in the order drawn.
  public var id: String
  /// The round the sample checks.
  public var round: Int
  public var perVillage: Int
  /// 0 … `SpotCheckSampling.maximumSeed`: short enough to read out and type.
  public var seed: Int
  public var drawnOn: CivilDate
  public var drawnBy: String
  /// In the order drawn (village by village).
  public var householdIDs: [String]
  /// Premises drawn on request (`SpotCheckSampling.drawPremises`), `premisesPerVillage` a
  /// village; none when not asked for.
  public var premisesPerVillage: Int
  public var premisesIDs: [String]

  public init(
    id: String, round: Int, perVillage: Int, seed: Int, drawnOn: CivilDate, drawnBy: String,
    householdIDs: [String], premisesPerVillage: Int = 0, premisesIDs: [String] = []
  ) {
    self.id = id
    self.round = round
    self.perVillage = perVillage
    self.seed = seed
    self.drawnOn = drawnOn
    self.drawnBy = drawnBy
    self.householdIDs = householdIDs
    self.premisesPerVillage = premisesPerVillage
    self.premisesIDs = premisesIDs
  }

  private enum CodingKeys: String, CodingKey {
    case id, round, perVillage, seed, drawnOn, drawnBy, householdIDs, premisesPerVillage
    case premisesIDs
  }

  // Samples drawn before premises could be asked for have neither premises key.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      id: try c.decode(String.self, forKey: .id), round: try c.decode(Int.self, forKey: .round),
      perVillage: try c.decode(Int.self, forKey: .perVillage),
      seed: try c.decode(Int.self, forKey: .seed),
      drawnOn: try c.decode(CivilDate.self, forKey: .drawnOn),
      drawnBy: try c.decode(String.self, forKey: .drawnBy),
      householdIDs: try c.decode([String].self, forKey: .householdIDs),
      premisesPerVillage: try c.decodeIfPresent(Int.self, forKey: .premisesPerVillage) ?? 0,
      premisesIDs: try c.decodeIfPresent([String].self, forKey: .premisesIDs) ?? [])
  }
}

/// 入户抽查记录 — what an inspector found at one household, entered from the spot-check form
/// (`Resources/Data/forms/spotcheck-v1.json`), with what the visit records claimed for the round
/// when it was entered (so a visit added or taken back afterwards shows, never silently).
public struct SpotCheck: Codable, Equatable, Identifiable, Sendable {
  /// "<household id>-c<n>"
  public var id: String
  public var householdID: String
  /// The sample it was drawn in; nil for a household checked outside any sample.
  public var sampleID: String?
  /// The round whose visits it checks.
  public var round: Int
  public var date: CivilDate
  /// 督查人员, as on the paper.
  public var inspector: String
  /// Form item id → answer (`y` is the good answer, as on the visit form).
  public var answers: [String: Answer]
  /// 走访未发现的隐患: what the inspector saw that the visit records do not have.
  public var missedHazards: String
  public var notes: String
  /// The spot-check form definition, as `Visit.formID`.
  public var formID: String
  /// The ids of the household's visits in the round as the records stood when it was entered.
  public var recordedVisitIDs: [String]

  public init(
    id: String, householdID: String, sampleID: String? = nil, round: Int, date: CivilDate,
    inspector: String, answers: [String: Answer], missedHazards: String = "", notes: String = "",
    formID: String, recordedVisitIDs: [String] = []
  ) {
    self.id = id
    self.householdID = householdID
    self.sampleID = sampleID
    self.round = round
    self.date = date
    self.inspector = inspector
    self.answers = answers
    self.missedHazards = missedHazards
    self.notes = notes
    self.formID = formID
    self.recordedVisitIDs = recordedVisitIDs
  }

  /// The spot-check form's id (`FormRegistry`), and the items whose meaning the comparison
  /// with the visit records relies on (their ids never change; their wording may).
  public static let formID = "spotcheck-2024"
  /// 住户确认本轮有人上门走访
  public static let visitConfirmedItem = "visitConfirmed"
  /// 告知书在户
  public static let noticePresentItem = "noticePresent"
  /// 明白卡已张贴
  public static let cardPostedItem = "cardPosted"
  /// 住户知晓“三清三关”
  public static let knowsSanqingItem = "knowsSanqing"
}

/// 已发出的通报批评或约谈通知 — recorded when the leading group issues it, with its number and
/// date, so the next round's drafts know who was already named.
public struct IssuedNotice: Codable, Equatable, Identifiable, Sendable {
  public enum Kind: String, Codable, CaseIterable, Sendable {
    /// 通报批评
    case criticism
    /// 约谈
    case admonition

    public var label: String { self == .criticism ? "通报批评" : "约谈" }
  }

  /// "n1", "n2", …
  public var id: String
  public var kind: Kind
  /// 文号, e.g. 镇消安办〔2026〕5号, as issued.
  public var number: String
  public var issuedOn: CivilDate
  /// The campaign's name and the round the notice is about.
  public var campaign: String
  public var round: Int
  public var persons: [NoticedPerson]

  public init(
    id: String, kind: Kind, number: String, issuedOn: CivilDate, campaign: String, round: Int,
    persons: [NoticedPerson]
  ) {
    self.id = id
    self.kind = kind
    self.number = number
    self.issuedOn = issuedOn
    self.campaign = campaign
    self.round = round
    self.persons = persons
  }
}

/// One person named on a notice: a visitor behind their quota, or the person responsible for
/// a village behind (its 联村领导, else its liaison).
public struct NoticedPerson: Codable, Equatable, Sendable {
  public var visitorID: String?
  public var villageID: String?
  public var name: String
  /// 事由, with the facts (households missed, weeks without contact, …).
  public var reason: String

  public init(visitorID: String? = nil, villageID: String? = nil, name: String, reason: String) {
    self.visitorID = visitorID
    self.villageID = villageID
    self.name = name
    self.reason = reason
  }
}
