import Foundation

/// The model's user-facing text, in Simplified Chinese, in one place: a change of wording is
/// one edit here. Screens have their own catalog; this one holds what the rules and the demo
/// generator say.
///
/// Messages avoid characters of ambiguous East Asian width (curly quotes, en dashes, ellipses),
/// which many Chinese terminals draw two columns wide.
public enum ModelText {
  // MARK: 公民身份号码

  public static let idEmpty = "请填写身份证号"
  public static func idWrongLength(_ count: Int) -> String {
    "身份证号应为18位，现在是\(count)位"
  }
  public static let idInvalidCharacters = "身份证号前17位应为数字，末位为数字或X"
  public static let idBadRegion = "身份证号前6位地区码无效"
  public static let idBadBirthDate = "出生日期无效"
  public static func idBadCheckDigit(expected: Character) -> String {
    "校验码错误，应为\(expected)"
  }

  // MARK: 电话号码

  public static let phoneEmpty = "请填写电话号码"
  public static let phoneInvalidCharacters = "电话号码只能包含数字和-"
  public static func phoneMobileWrongLength(_ count: Int) -> String {
    "手机号应为11位，现在是\(count)位"
  }
  public static let phoneMobileBadPrefix = "手机号第二位应为3至9"
  public static let phoneLandlineInvalid = "固定电话应为区号加7至8位号码，如0745-3123456"
  public static let phoneLandlineNeedsAreaCode = "固定电话请加区号，如0745-3123456"
  public static let phoneUnrecognized = "电话号码格式不对：手机号11位，固定电话如0745-3123456"

  // MARK: 微网格户数

  public static let gridSizeTooSmall = "网格不足5户，建议与相邻网格合并"
  public static let gridSizeNormal = "网格户数符合要求（5至10户）"
  public static let gridSizeLarge = "网格超过10户，建议拆分（最多15户）"
  public static let gridSizeOverLimit = "网格不能超过15户"

  // MARK: 与户主关系

  public static let relationHead = Person.headRelation
  public static let relationSpouse = "配偶"
  public static let relationSon = "子"
  public static let relationDaughter = "女"
  public static let relationDaughterInLaw = "儿媳"
  public static let relationSonInLaw = "女婿"
  public static let relationGrandson = "孙子"
  public static let relationGranddaughter = "孙女"
  public static let relationFather = "父亲"
  public static let relationMother = "母亲"
  public static let relationSibling = "兄弟姐妹"
  public static let relationOther = "其他"

  /// The relations a form offers, in the order of a household register (户口簿).
  public static let relations = [
    relationHead, relationSpouse, relationSon, relationDaughter, relationDaughterInLaw,
    relationSonInLaw, relationGrandson, relationGranddaughter, relationFather, relationMother,
    relationSibling, relationOther,
  ]

  // MARK: 名称与地址

  /// The suffix that marks an urban community (社区) rather than a village (村).
  public static let communitySuffix = "社区"

  /// 第3网格
  public static func gridName(_ number: Int) -> String { "第\(number)网格" }

  /// 龙潭村第3网格消防群 — "一个网格一个群".
  public static func wechatGroupName(village: String, grid: String) -> String {
    "\(village)\(grid)消防群"
  }

  /// 三江镇龙潭村3组12号 — a village address by 村民小组 (group) and house number.
  public static func groupAddress(town: String, village: String, group: Int, number: Int)
    -> String
  {
    "\(town)\(village)\(group)组\(number)号"
  }

  /// 三江镇三江社区江滨路12号 — a community address by road and house number.
  public static func roadAddress(town: String, village: String, road: String, number: Int)
    -> String
  {
    "\(town)\(village)\(road)\(number)号"
  }

  /// 龙潭村（2） — a village name reused when the name list runs out.
  public static func repeatedVillageName(_ name: String, round: Int) -> String {
    "\(name)（\(round)）"
  }

  // MARK: 演示名单 (demo-names.json)

  public static let namesFieldSurnames = "姓氏"
  public static let namesFieldMaleCharacters = "男性名用字"
  public static let namesFieldFemaleCharacters = "女性名用字"
  public static let namesFieldVillages = "村（社区）名"
  public static let namesFieldRoads = "社区街路名"
  public static let namesFieldMobilePrefixes = "手机号段"
  public static let namesFieldVisitorRoles = "走访人身份"
  public static let namesFieldTown = "镇名"
  public static let namesWrongFormat = "演示名单文件格式不对"
  public static func namesUnsupportedVersion(_ version: Int) -> String {
    "演示名单文件版本\(version)不受支持"
  }
  public static func namesEmptyList(_ field: String) -> String { "演示名单缺少\(field)" }
  public static func namesBadWeight(_ name: String) -> String { "演示名单中\(name)的权重应大于0" }
  public static func namesBadCountyCode(_ code: String) -> String {
    "县级行政区划代码\(code)无效，应为6位数字"
  }
  public static func namesBadMobilePrefix(_ prefix: String) -> String {
    "手机号段\(prefix)无效，应为1开头的3位数字"
  }
  public static func namesDuplicateVillage(_ name: String) -> String { "村名\(name)重复" }
}

// MARK: - Display names

extension VulnerableGroup {
  /// 孤寡老人, 独居老人, 留守儿童, 留守妇女, 精神障碍患者, 残疾人, 五保户
  public var label: String {
    switch self {
    case .elderlyWithoutFamily: return "孤寡老人"
    case .elderlyLivingAlone: return "独居老人"
    case .leftBehindChild: return "留守儿童"
    case .leftBehindWoman: return "留守妇女"
    case .mentalDisorder: return "精神障碍患者"
    case .disabled: return "残疾人"
    case .fiveGuarantees: return "五保户"
    }
  }

  /// Two characters, for narrow table columns: 孤寡, 独居, 留童, 留妇, 精障, 残疾, 五保.
  public var shortLabel: String {
    switch self {
    case .elderlyWithoutFamily: return "孤寡"
    case .elderlyLivingAlone: return "独居"
    case .leftBehindChild: return "留童"
    case .leftBehindWoman: return "留妇"
    case .mentalDisorder: return "精障"
    case .disabled: return "残疾"
    case .fiveGuarantees: return "五保"
    }
  }
}

extension VisitorRole {
  /// 镇干部, 驻村工作队, 村干部, 党员, 志愿者
  public var label: String {
    switch self {
    case .townCadre: return "镇干部"
    case .villageWorkTeam: return "驻村工作队"
    case .villageCadre: return "村干部"
    case .partyMember: return "党员"
    case .volunteer: return "志愿者"
    }
  }
}

extension Sex {
  /// 男 / 女
  public var label: String {
    switch self {
    case .male: return "男"
    case .female: return "女"
    }
  }
}

// MARK: Roster edits
extension ModelText {
  public static let editRecordMissing = "要修改的记录已不存在，请返回刷新"
  public static let editVillageNameRequired = "请填写村（社区）名称"
  public static func editVillageExists(_ name: String) -> String { "已有名为「\(name)」的村（社区）" }
  public static func editVillageNotEmpty(_ name: String, _ grids: Int) -> String {
    "「\(name)」还有 \(grids) 个网格，请先移走或删除网格"
  }
  public static let editGridNameRequired = "请填写网格名称，如 第3网格"
  public static func editGridExists(_ name: String) -> String { "本村已有「\(name)」" }
  public static let editLeaderNotResident = "网格长必须是本网格的住户"
  public static func editGridNotEmpty(_ name: String, _ households: Int) -> String {
    "「\(name)」还有 \(households) 户，请先把住户移到其他网格"
  }
  public static func editGridFull(_ name: String, _ count: Int) -> String {
    "「\(name)」已有 \(count) 户，不能超过15户；请先拆分网格"
  }
  public static func editGridLarge(_ name: String, _ count: Int) -> String {
    "提示：「\(name)」将有 \(count) 户，超过10户，建议拆分"
  }
  public static let editNumberRequired = "请填写户号"
  public static func editNumberExists(_ number: String, _ head: String) -> String {
    "本村已有户号 \(number)（户主 \(head)）"
  }
  public static let editUseMove = "换网格请用「移动」(M)"
  public static let editSameGrid = "这户已在该网格"
  public static func editLeaderCleared(_ grid: String) -> String {
    "提示：「\(grid)」的网格长已离开本网格，请重新指定网格长"
  }
  public static let editPersonNameRequired = "请填写姓名"
  public static let editSecondHead = "本户已有户主；一户只能有一名户主"
  public static func editNumberChanged(_ old: String, _ new: String, _ village: String) -> String {
    "提示：\(village)已有户号 \(old)，迁入后改为 \(new)"
  }
  public static func editArchivedOpenHazards(_ number: String, _ hazards: [String]) -> String {
    "提示：\(number)号有 \(hazards.count) 处隐患尚未销号（\(hazards.joined(separator: "；"))），归档后仍留在其档案中"
  }
  public static func editHeadHandedOver(_ name: String) -> String {
    "提示：原户主 \(name) 改为「\(formerHeadRelation)」，请核对其与户主关系"
  }
  public static let formerHeadRelation = "原户主"
  public static func editRestoreNoGrid(_ number: String) -> String {
    "\(number)号原来的网格已不在名册中：请先新增网格，或恢复后再移动"
  }
  public static let editHeadNeeded = "一户须有一名户主：请先把另一名成员的关系改为户主，再改这一位"
  public static let editFirstIsHead = "本户还没有户主：请先录入户主（与户主关系填「户主」）"
  public static let editRemoveHead = "不能直接删除户主：请先把另一名成员的关系改为户主"
  public static let editLastMember = "这是本户唯一的成员：不能删除；如整户迁出或注销，请在户列表中按 x 归档该户"
  public static func editDuplicateID(_ name: String, _ number: String, _ village: String) -> String
  {
    "身份证号已登记在\(village)户号 \(number) 的 \(name) 名下，不能重复登记"
  }
  public static func editPossibleDuplicate(_ name: String, _ number: String, _ village: String)
    -> String
  {
    "提示：\(village)户号 \(number) 也有 \(name)，出生日期或电话相同，请核实是否重复"
  }
  public static let editVisitorNameRequired = "请填写走访人姓名"
}
