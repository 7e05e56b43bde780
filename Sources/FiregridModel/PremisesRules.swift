import Foundation

/// What a premises (场所) must be before it is saved or imported: the screens, the import and
/// `firegrid check` ask the same rules.
public enum PremisesRules {
  /// 层数 accepted when given.
  public static let floorRange = 1...99
  /// 建筑面积 (㎡) accepted when given.
  public static let floorAreaRange = 1...100_000

  /// Everything wrong with `premises` against `town`, in Simplified Chinese; empty when it may
  /// be saved. `town` may hold `premises` itself (an edit): it is not its own duplicate.
  public static func problems(_ premises: Premises, in town: TownData) -> [String] {
    var problems: [String] = []
    let name = premises.name.trimmingCharacters(in: .whitespacesAndNewlines)
    if name.isEmpty { problems.append(PremisesText.nameRequired) }
    let grid = town.grid(id: premises.gridID)
    if grid == nil { problems.append(PremisesText.unknownGrid(premises.gridID)) }
    switch (premises.kind, premises.businessKind) {
    case (.office, nil), (.business, _?), (.mixedUse, _?): break
    case (.office, _?): problems.append(PremisesText.businessKindForOffice)
    case (.business, nil), (.mixedUse, nil):
      problems.append(PremisesText.businessKindRequired(premises.kind.label))
    }
    if let sleepers = premises.sleepers {
      if sleepers < 0 { problems.append(PremisesText.sleepersNegative) }
      if premises.peopleSleep != true { problems.append(PremisesText.sleepersWithoutSleeping) }
    }
    if let floors = premises.floors, !floorRange.contains(floors) {
      problems.append(PremisesText.floorsOutOfRange(floors))
    }
    if let area = premises.floorArea, !floorAreaRange.contains(area) {
      problems.append(PremisesText.floorAreaOutOfRange(area))
    }
    let phone = premises.responsiblePhone.trimmingCharacters(in: .whitespacesAndNewlines)
    if !phone.isEmpty, let problem = PhoneNumber.validate(phone) {
      problems.append(PremisesText.phone(problem))
    }
    if let householdID = premises.householdID {
      if let household = town.household(id: householdID) {
        let householdVillage = town.grid(id: household.gridID)?.villageID
        if let grid, householdVillage != grid.villageID {
          problems.append(PremisesText.householdInOtherVillage(household.number))
        }
      } else {
        problems.append(PremisesText.unknownHousehold(householdID))
      }
    }
    if let grid, !name.isEmpty {
      let duplicate = town.premises(inVillage: grid.villageID).contains {
        $0.id != premises.id && $0.name.trimmingCharacters(in: .whitespacesAndNewlines) == name
      }
      if duplicate { problems.append(PremisesText.duplicateName(name)) }
    }
    return problems
  }

  /// The id of the next new premises: "c00001", "c00002"…, after the largest live or archived.
  public static func nextID(in town: TownData) -> String {
    RosterEdit.nextID(
      prefix: "c", width: 5, existing: town.premises.map(\.id) + town.archivedPremises.map(\.id))
  }
}

/// The rules' words.
enum PremisesText {
  static let nameRequired = "场所名称不能为空"
  static func unknownGrid(_ id: String) -> String { "网格不存在：\(id)" }
  static let businessKindForOffice = "办公场所不填经营类别"
  static func businessKindRequired(_ kind: String) -> String { "\(kind)须填经营类别" }
  static let sleepersNegative = "住宿人数不能为负数"
  static let sleepersWithoutSleeping = "填了住宿人数，但“是否住人”不是“是”"
  static func floorsOutOfRange(_ n: Int) -> String {
    "层数应在 \(PremisesRules.floorRange.lowerBound)–\(PremisesRules.floorRange.upperBound) 之间：\(n)"
  }
  static func floorAreaOutOfRange(_ n: Int) -> String {
    "建筑面积应在 \(PremisesRules.floorAreaRange.lowerBound)–\(PremisesRules.floorAreaRange.upperBound) ㎡ 之间：\(n)"
  }
  static func phone(_ problem: String) -> String { "联系电话：\(problem)" }
  static func unknownHousehold(_ id: String) -> String { "所在户不在名册上：\(id)" }
  static func householdInOtherVillage(_ number: String) -> String {
    "所在户 \(number) 不在该场所所在的村（社区）"
  }
  static func duplicateName(_ name: String) -> String { "本村（社区）已有同名场所：\(name)" }
}
