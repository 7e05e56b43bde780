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

  public init(
    id: String, name: String, relation: String, sex: Sex? = nil, idNumber: String = "",
    phone: String = "", groups: [VulnerableGroup] = []
  ) {
    self.id = id
    self.name = name
    self.relation = relation
    self.sex = sex
    self.idNumber = idNumber
    self.phone = phone
    self.groups = groups
  }

  /// The relation that marks the head of the household.
  public static let headRelation = "户主"
  public var isHead: Bool { relation == Self.headRelation }
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
    case id, name, relation, sex, idNumber, phone, groups
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
  }
}
