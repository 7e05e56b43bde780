import Testing

@testable import FiregridModel

struct PremisesRulesTests {
  /// Two villages: v001 (g0001, g0002, households h000001…h000003) and v002 (g0003, h000009).
  static func town() -> TownData {
    var town = RosterEditTests.town(households: 3)
    town.villages.append(Village(id: "v002", name: "石门村"))
    town.grids.append(Grid(id: "g0003", villageID: "v002", name: "第1网格"))
    town.households.append(
      Household(id: "h000009", gridID: "g0003", number: "0001", address: "石门村1号"))
    town.premises = [
      Premises(id: "c00001", gridID: "g0001", name: "龙潭村村部", kind: .office),
      Premises(
        id: "c00002", gridID: "g0002", name: "向记百货", kind: .mixedUse, businessKind: .shop,
        householdID: "h000002"),
    ]
    return town
  }

  static func shop(_ change: (inout Premises) -> Void = { _ in }) -> Premises {
    var premises = Premises(
      id: "c00003", gridID: "g0001", name: "龙潭小卖部", kind: .business, businessKind: .shop,
      address: "龙潭村5号", responsiblePerson: "向红梅", responsiblePhone: "13907451234",
      floors: 2, floorArea: 120, peopleSleep: true, sleepers: 3, householdID: "h000001",
      visitorID: "u001")
    change(&premises)
    return premises
  }

  @Test func aWellFormedPremisesHasNoProblems() {
    let town = Self.town()
    #expect(PremisesRules.problems(Self.shop(), in: town) == [])
    // The ones already on the roster are not their own duplicates.
    for premises in town.premises {
      #expect(PremisesRules.problems(premises, in: town) == [])
    }
    // Nothing optional given.
    let bare = Premises(id: "c00003", gridID: "g0003", name: "石门村卫生室", kind: .office)
    #expect(PremisesRules.problems(bare, in: town) == [])
  }

  @Test(arguments: [
    ("name", "场所名称不能为空"),
    ("grid", "网格不存在：g9999"),
    ("officeWithBusinessKind", "办公场所不填经营类别"),
    ("businessWithoutKind", "生产经营性场所须填经营类别"),
    ("mixedUseWithoutKind", "多合一场所须填经营类别"),
    ("negativeSleepers", "住宿人数不能为负数"),
    ("sleepersNotSleeping", "填了住宿人数，但“是否住人”不是“是”"),
    ("floors", "层数应在 1–99 之间：0"),
    ("floorsHigh", "层数应在 1–99 之间：100"),
    ("area", "建筑面积应在 1–100000 ㎡ 之间：0"),
    ("areaHigh", "建筑面积应在 1–100000 ㎡ 之间：100001"),
    ("phone", "联系电话：手机号应为11位，现在是10位"),
    ("household", "所在户不在名册上：h999999"),
    ("householdElsewhere", "所在户 0001 不在该场所所在的村（社区）"),
    ("duplicate", "本村（社区）已有同名场所：龙潭村村部"),
  ])
  func eachRuleHasItsMessage(rule: String, message: String) {
    let premises = Self.shop { p in
      switch rule {
      case "name": p.name = "  "
      case "grid": p.gridID = "g9999"
      case "officeWithBusinessKind": p.kind = .office
      case "businessWithoutKind": p.businessKind = nil
      case "mixedUseWithoutKind":
        p.kind = .mixedUse
        p.businessKind = nil
      case "negativeSleepers": p.sleepers = -1
      case "sleepersNotSleeping": p.peopleSleep = false
      case "floors": p.floors = 0
      case "floorsHigh": p.floors = 100
      case "area": p.floorArea = 0
      case "areaHigh": p.floorArea = 100_001
      case "phone": p.responsiblePhone = "1390745123"
      case "household": p.householdID = "h999999"
      case "householdElsewhere": p.householdID = "h000009"
      case "duplicate": p.name = "龙潭村村部"
      default: break
      }
    }
    let problems = PremisesRules.problems(premises, in: Self.town())
    #expect(problems.contains(message), "\(problems)")
    if rule != "grid" { #expect(problems.count == 1, "\(problems)") }
  }

  @Test func sleepersNeedSleepingAnsweredYes() {
    let town = Self.town()
    #expect(
      PremisesRules.problems(Self.shop { $0.peopleSleep = nil }, in: town) == [
        "填了住宿人数，但“是否住人”不是“是”"
      ])
    // No count is fine whatever the answer.
    for answer in [true, false, nil] as [Bool?] {
      let premises = Self.shop {
        $0.peopleSleep = answer
        $0.sleepers = nil
      }
      #expect(PremisesRules.problems(premises, in: town) == [])
    }
  }

  @Test func theSameNameInAnotherVillageIsFine() {
    let premises = Self.shop {
      $0.gridID = "g0003"
      $0.name = "龙潭村村部"
      $0.householdID = nil
    }
    #expect(PremisesRules.problems(premises, in: Self.town()) == [])
  }

  @Test func landlinesAndTypedFormsOfPhonesAreAccepted() {
    let town = Self.town()
    for phone in ["0745-3123456", "(0745)3123456", "139 0745 1234", ""] {
      #expect(PremisesRules.problems(Self.shop { $0.responsiblePhone = phone }, in: town) == [])
    }
  }

  @Test func nextIDCountsLiveAndArchived() {
    var town = Self.town()
    #expect(PremisesRules.nextID(in: town) == "c00003")
    town.archivedPremises = [Premises(id: "c00007", gridID: "g0001", name: "旧厂", kind: .office)]
    #expect(PremisesRules.nextID(in: town) == "c00008")
    #expect(PremisesRules.nextID(in: TownData(town: Town(name: "新镇"))) == "c00001")
  }
}
