import Foundation

/// 镇 — the town government that owns the data.
public struct Town: Codable, Equatable, Sendable {
  /// e.g. 三江镇
  public var name: String
  /// e.g. 溆浦县; the county the town belongs to.
  public var county: String
  /// First six digits of resident ID numbers issued in the county, e.g. 431224.
  public var countyCode: String

  public init(name: String, county: String = "", countyCode: String = "") {
    self.name = name
    self.county = county
    self.countyCode = countyCode
  }
}

/// 村（社区） — a village or urban community.
public struct Village: Codable, Equatable, Identifiable, Sendable {
  public var id: String
  public var name: String
  /// 网格员 / 联络员 — the village's grid worker, liaison for the campaign.
  public var liaison: String
  public var liaisonPhone: String

  public init(id: String, name: String, liaison: String = "", liaisonPhone: String = "") {
    self.id = id
    self.name = name
    self.liaison = liaison
    self.liaisonPhone = liaisonPhone
  }
}

/// 微网格 — 5–10 neighbouring households (15 at most), one WeChat group, one leader.
public struct Grid: Codable, Equatable, Identifiable, Sendable {
  public var id: String
  public var villageID: String
  /// e.g. 第3网格
  public var name: String
  /// 网格长 — a resident of this grid, by person id.
  public var gridLeaderID: String?
  /// 微信群 name: "一个网格一个群".
  public var wechatGroup: String
  /// 入党积极分子、志愿者 who joined the grid's service.
  public var volunteers: [String]

  public init(
    id: String, villageID: String, name: String, gridLeaderID: String? = nil,
    wechatGroup: String = "", volunteers: [String] = []
  ) {
    self.id = id
    self.villageID = villageID
    self.name = name
    self.gridLeaderID = gridLeaderID
    self.wechatGroup = wechatGroup
    self.volunteers = volunteers
  }

  /// The seed's rule: 5–10 households, at most 15.
  public static let normalSize = 5...10
  public static let maximumSize = 15
}

/// 重点人群 — people the visits give priority to.
public enum VulnerableGroup: String, Codable, CaseIterable, Sendable, Comparable {
  /// 孤寡老人
  case elderlyWithoutFamily
  /// 独居老人
  case elderlyLivingAlone
  /// 留守儿童
  case leftBehindChild
  /// 留守妇女
  case leftBehindWoman
  /// 精神障碍患者 (health data: masked where not needed)
  case mentalDisorder
  /// 残疾人 (health data: masked where not needed)
  case disabled
  /// 五保户
  case fiveGuarantees

  /// Health and disability flags are protected personal data.
  public var isHealthData: Bool { self == .mentalDisorder || self == .disabled }

  public static func < (a: Self, b: Self) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// 性别
public enum Sex: String, Codable, CaseIterable, Sendable {
  case male, female
}

/// 家庭成员 — a member of a household.
public struct Person: Codable, Equatable, Identifiable, Sendable {
  public var id: String
  public var name: String
  /// 与户主关系: 户主, 配偶, 子, 女, 父亲, 母亲, 孙子, 孙女, ...
  public var relation: String
  public var sex: Sex?
  /// 公民身份号码 (GB 11643), may be empty when unknown.
  public var idNumber: String
  public var phone: String
  public var groups: [VulnerableGroup]
  /// 独居老人登记 (附件7): the care facts the table needs; nil when never entered (files
  /// written before it existed read as nil).
  public var elderlyCare: ElderlyCare?

  public init(
    id: String, name: String, relation: String, sex: Sex? = nil, idNumber: String = "",
    phone: String = "", groups: [VulnerableGroup] = [], elderlyCare: ElderlyCare? = nil
  ) {
    self.id = id
    self.name = name
    self.relation = relation
    self.sex = sex
    self.idNumber = idNumber
    self.phone = phone
    self.groups = groups
    self.elderlyCare = elderlyCare
  }

  /// The relation that marks the head of the household.
  public static let headRelation = "户主"
  public var isHead: Bool { relation == Self.headRelation }
}

/// 独居老人的照护情况 — what the elderly-living-alone table (附件7) records beyond the roster:
/// who looks after the person, how well they manage alone, who is paired to visit them and
/// how often, and the fire safety kit at home. Every field may be left empty.
public struct ElderlyCare: Codable, Equatable, Sendable {
  /// 生活自理能力
  public enum SelfCare: String, Codable, CaseIterable, Sendable {
    /// 自理
    case independent
    /// 半失能
    case partlyDisabled
    /// 失能
    case disabled

    public var label: String { ModelText.selfCareLabel(self) }
  }

  /// 赡养人 / 紧急联系人
  public var guardianName: String
  /// 与老人关系, e.g. 儿子
  public var guardianRelation: String
  public var guardianPhone: String
  public var selfCare: SelfCare?
  /// 居住情况, e.g. 独居砖木房、子女在外务工
  public var livingSituation: String
  /// 结对帮扶人
  public var helperName: String
  public var helperPhone: String
  /// 探访频次, e.g. 每周1次
  public var visitFrequency: String
  /// 家中有烟感报警器 (nil: not asked)
  public var smokeAlarm: Bool?
  /// 家中有灭火器 (nil: not asked)
  public var extinguisher: Bool?
  /// 备注
  public var notes: String

  public init(
    guardianName: String = "", guardianRelation: String = "", guardianPhone: String = "",
    selfCare: SelfCare? = nil, livingSituation: String = "", helperName: String = "",
    helperPhone: String = "", visitFrequency: String = "", smokeAlarm: Bool? = nil,
    extinguisher: Bool? = nil, notes: String = ""
  ) {
    self.guardianName = guardianName
    self.guardianRelation = guardianRelation
    self.guardianPhone = guardianPhone
    self.selfCare = selfCare
    self.livingSituation = livingSituation
    self.helperName = helperName
    self.helperPhone = helperPhone
    self.visitFrequency = visitFrequency
    self.smokeAlarm = smokeAlarm
    self.extinguisher = extinguisher
    self.notes = notes
  }

  /// Nothing entered: stored as no value at all.
  public var isEmpty: Bool { self == ElderlyCare() }

  private enum CodingKeys: String, CodingKey {
    case guardianName, guardianRelation, guardianPhone, selfCare, livingSituation, helperName
    case helperPhone, visitFrequency, smokeAlarm, extinguisher, notes
  }

  // Every key optional: a hand-edited or older file may leave any out.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func text(_ key: CodingKeys) throws -> String {
      try c.decodeIfPresent(String.self, forKey: key) ?? ""
    }
    guardianName = try text(.guardianName)
    guardianRelation = try text(.guardianRelation)
    guardianPhone = try text(.guardianPhone)
    selfCare = try c.decodeIfPresent(SelfCare.self, forKey: .selfCare)
    livingSituation = try text(.livingSituation)
    helperName = try text(.helperName)
    helperPhone = try text(.helperPhone)
    visitFrequency = try text(.visitFrequency)
    smokeAlarm = try c.decodeIfPresent(Bool.self, forKey: .smokeAlarm)
    extinguisher = try c.decodeIfPresent(Bool.self, forKey: .extinguisher)
    notes = try text(.notes)
  }
}

/// 户 — one household: its number within the village, address, members, visitor.
public struct Household: Codable, Equatable, Identifiable, Sendable {
  public var id: String
  public var gridID: String
  /// 户号, unique within a village, e.g. 0002.
  public var number: String
  public var address: String
  public var persons: [Person]
  /// 走访人 responsible for this household.
  public var visitorID: String?

  public init(
    id: String, gridID: String, number: String, address: String, persons: [Person] = [],
    visitorID: String? = nil
  ) {
    self.id = id
    self.gridID = gridID
    self.number = number
    self.address = address
    self.persons = persons
    self.visitorID = visitorID
  }

  /// 户主 — the member marked as head, else the first member.
  public var head: Person? { persons.first(where: \.isHead) ?? persons.first }

  /// Members who belong to at least one vulnerable group.
  public var vulnerablePersons: [Person] { persons.filter { !$0.groups.isEmpty } }

  /// Has a member in a vulnerable group: visited first, and asked 重点人群当面走访.
  public var hasVulnerableMember: Bool { persons.contains { !$0.groups.isEmpty } }
}

/// The kind of cadre a visitor is.
public enum VisitorRole: String, Codable, CaseIterable, Sendable {
  /// 镇干部
  case townCadre
  /// 驻村工作队
  case villageWorkTeam
  /// 村干部
  case villageCadre
  /// 党员
  case partyMember
  /// 志愿者
  case volunteer
}

/// 走访人 — the cadre responsible for visiting given households.
public struct Visitor: Codable, Equatable, Identifiable, Sendable {
  public var id: String
  public var name: String
  public var role: VisitorRole
  public var phone: String

  public init(id: String, name: String, role: VisitorRole, phone: String = "") {
    self.id = id
    self.name = name
    self.role = role
    self.phone = phone
  }
}

// Written out rather than synthesized: a town's 35,000 members are decoded at every open, and
// the enums' generic decoding paths (sex, groups) showed in the profile.
extension Person {
  private enum CodingKeys: String, CodingKey {
    case id, name, relation, sex, idNumber, phone, groups, elderlyCare
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .id)
    name = try c.decode(String.self, forKey: .name)
    relation = try c.decode(String.self, forKey: .relation)
    if let raw = try c.decodeIfPresent(String.self, forKey: .sex) {
      guard let sex = Sex(rawValue: raw) else {
        throw DecodingError.dataCorruptedError(
          forKey: .sex, in: c, debugDescription: "sex: \(raw)")
      }
      self.sex = sex
    } else {
      sex = nil
    }
    idNumber = try c.decode(String.self, forKey: .idNumber)
    phone = try c.decode(String.self, forKey: .phone)
    var groups: [VulnerableGroup] = []
    for raw in try c.decode([String].self, forKey: .groups) {
      guard let group = VulnerableGroup(rawValue: raw) else {
        throw DecodingError.dataCorruptedError(
          forKey: .groups, in: c, debugDescription: "group: \(raw)")
      }
      groups.append(group)
    }
    self.groups = groups
    elderlyCare = try c.decodeIfPresent(ElderlyCare.self, forKey: .elderlyCare)
  }
}
