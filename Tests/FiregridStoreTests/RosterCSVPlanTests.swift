import FiregridModel
import Foundation
import Testing

@testable import FiregridStore

struct RosterCSVPlanTests {
  typealias T = RosterCSVTesting

  static let newTown = TownData(town: Town(name: "三江镇"))

  func plan(_ lines: [String], into town: TownData = newTown) throws -> RosterCSV.ImportPlan {
    RosterCSV.plan(try T.rows(lines), into: town)
  }

  /// The problems as (row, message) for compact expectations.
  func rows(_ plan: RosterCSV.ImportPlan) -> [Int] { plan.problems.map(\.row) }

  @Test func aCleanFileMakesVillagesGridsHouseholdsAndPersons() throws {
    let plan = try plan([
      T.line(leader: "张三", number: "0001", name: "张三", id: T.id(1), phone: "13807451234"),
      T.line(leader: "张三", number: "0001", name: "李四", relation: "配偶", sex: "女"),
      T.line(grid: "第2网格", number: "0002", name: "王五", groups: "独居老人"),
      T.line(village: "江东社区", number: "0001", name: "赵六", sex: "女"),
    ])
    #expect(plan.problems == [])
    #expect(plan.newVillages.map(\.id) == ["v001", "v002"])
    #expect(plan.newVillages.map(\.name) == ["龙潭村", "江东社区"])
    #expect(plan.newGrids.map(\.id) == ["g0001", "g0002", "g0003"])
    #expect(plan.newGrids.map(\.wechatGroup)[0] == "龙潭村第1网格消防群")
    #expect(plan.newHouseholds.map(\.id) == ["h000001", "h000002", "h000003"])
    #expect(plan.newHouseholds[0].persons.map(\.id) == ["p0000001", "p0000002"])
    #expect(plan.newGrids[0].gridLeaderID == "p0000001")
    #expect(plan.newGrids[1].gridLeaderID == nil)
    #expect(plan.newPersonCount == 4)
    // Small grids are a warning, not a rejection.
    #expect(plan.warnings.map(\.row) == [2, 4, 5])
    #expect(plan.town.households.count == 3)
  }

  @Test func aBadIDNumberIsRejectedWithTheModelsReason() throws {
    let good = T.id(7)
    let wrongCheck = String(good.dropLast()) + (good.last == "1" ? "2" : "1")
    let plan = try plan([
      T.line(number: "0001", name: "张三", id: good),
      T.line(number: "0002", name: "李四", id: wrongCheck),
      T.line(number: "0003", name: "王五", id: "43122419800101"),
    ])
    #expect(rows(plan) == [3, 4])
    #expect(plan.problems[0].message.contains(IDNumber.validate(wrongCheck)!.message))
    #expect(plan.problems[0].message.contains("校验码错误"))
    #expect(plan.problems[1].message.contains("身份证号应为18位，现在是14位"))
    #expect(!plan.isAccepted)
  }

  @Test func anIDThatExcelTurnedIntoScientificNotation() throws {
    let plan = try plan([T.line(number: "0001", name: "张三", id: "4.31224E+17")])
    #expect(rows(plan) == [2])
    #expect(plan.problems[0].message.contains("科学计数法"))
  }

  @Test func aBadPhoneAnUnknownSexAndAnUnknownGroup() throws {
    let plan = try plan([
      T.line(number: "0001", name: "张三", phone: "1380745"),
      T.line(number: "0002", name: "李四", sex: "未知"),
      T.line(number: "0003", name: "王五", groups: "独居老人、贫困户"),
    ])
    #expect(rows(plan) == [2, 3, 4])
    #expect(plan.problems[0].message.contains(PhoneNumber.validate("1380745")!))
    #expect(plan.problems[1].message == "性别「未知」无法识别，应为 男 或 女")
    #expect(plan.problems[2].message.contains("「贫困户」"))
    #expect(plan.problems[2].message.contains("孤寡老人、独居老人、留守儿童、留守妇女、精神障碍患者、残疾人、五保户"))
  }

  @Test func missingRequiredValues() throws {
    let plan = try plan([
      T.line(number: "0001", name: ""),
      T.line(village: "", grid: "", number: "0002", name: "李四"),
      T.line(number: "", name: "王五"),
    ])
    #expect(rows(plan) == [2, 3, 4])
    #expect(plan.problems[0].message == "缺少必填项：姓名")
    #expect(plan.problems[1].message == "缺少必填项：村（社区）、网格")
    #expect(plan.problems[2].message == "缺少必填项：户号")
  }

  @Test func aGridOverFifteenHouseholdsIsRejectedAtTheSixteenth() throws {
    let lines = (1...16).map { T.line(number: String(format: "%04d", $0), name: "户主\($0)") }
    let plan = try plan(lines)
    #expect(rows(plan) == [17])
    #expect(plan.problems[0].message.contains("16户"))
    #expect(plan.problems[0].message.contains(ModelText.gridSizeOverLimit))
  }

  @Test func aGridThatAlreadyHasHouseholdsCountsThem() throws {
    let town = try T.demoTown(households: 30)
    let grid = town.grids[0]
    let village = town.village(id: grid.villageID)!
    let existing = town.households(inGrid: grid.id).count
    let free = Grid.maximumSize - existing
    let lines = (1...(free + 1)).map {
      T.line(
        village: village.name, grid: grid.name, number: "9\(String(format: "%03d", $0))",
        name: "新户\($0)")
    }
    let plan = try plan(lines, into: town)
    #expect(rows(plan) == [free + 2])
  }

  @Test func duplicateIDNumbersInTheFileAndInTheTown() throws {
    let town = try T.demoTown(households: 20)
    let someone = town.households[3].persons[0]
    let village = town.village(id: town.grid(id: town.households[3].gridID)!.villageID)!
    let plan = try plan(
      [
        T.line(village: "新村", number: "0001", name: "张三", id: T.id(900)),
        T.line(village: "新村", number: "0001", name: "李四", relation: "子", id: T.id(900)),
        T.line(village: "新村", number: "0002", name: "王五", id: someone.idNumber),
      ], into: town)
    #expect(rows(plan) == [3, 4])
    #expect(plan.problems[0].message == "身份证号与第2行（张三）重复")
    #expect(
      plan.problems[1].message
        == "身份证号已登记在 \(village.name) 户号 \(town.households[3].number)（\(town.households[3].id)）的 \(someone.name) 名下"
    )
  }

  @Test func aHouseholdNeedsExactlyOneHead() throws {
    let plan = try plan([
      T.line(number: "0001", name: "张三", relation: "子"),
      T.line(number: "0002", name: "李四"),
      T.line(number: "0001", name: "王五", relation: "女"),
      T.line(number: "0002", name: "赵六"),
      T.line(number: "0002", name: "钱七"),
    ])
    #expect(rows(plan) == [2, 5, 6])
    #expect(plan.problems[0].message.contains("户号 0001（第2、4行）没有户主"))
    #expect(plan.problems[1].message == "户号 0002 已在第3行填了户主，一户只能有一名户主")
  }

  @Test func theSameNumberInTwoGridsOfAVillage() throws {
    let plan = try plan([
      T.line(number: "0001", name: "张三"),
      T.line(grid: "第2网格", number: "0001", name: "李四", relation: "配偶"),
      T.line(village: "江东社区", grid: "第2网格", number: "0001", name: "王五"),
    ])
    #expect(rows(plan) == [3])
    #expect(plan.problems[0].message.contains("在第2行属于「第1网格」，本行却是「第2网格」"))
  }

  @Test func theGridLeaderMustLiveInTheGridAndRowsMustAgree() throws {
    let plan = try plan([
      T.line(leader: "张三", number: "0001", name: "张三"),
      T.line(leader: "李四", number: "0002", name: "李四"),
      T.line(grid: "第2网格", leader: "张三", number: "0003", name: "王五"),
    ])
    #expect(rows(plan) == [3, 4])
    #expect(plan.problems[0].message.contains("与第2行的「张三」不一致"))
    #expect(plan.problems[1].message == "网格长「张三」不是「龙潭村第2网格」的居民：网格长应是本网格的一名居民")
  }

  @Test func aLeaderWhoseNameIsNotUniqueNeedsAHeadOrAnIDNumber() throws {
    let ambiguous = try plan([
      T.line(leader: "张伟", number: "0001", name: "王芳"),
      T.line(number: "0001", name: "张伟", relation: "子"),
      T.line(number: "0002", name: "李娜"),
      T.line(number: "0002", name: "张伟", relation: "子"),
    ])
    #expect(rows(ambiguous) == [2])
    #expect(ambiguous.problems[0].message.contains("有2人叫「张伟」"))

    let byHead = try plan([
      T.line(leader: "张伟", number: "0001", name: "张伟"),
      T.line(number: "0002", name: "李娜"),
      T.line(number: "0002", name: "张伟", relation: "子"),
    ])
    #expect(byHead.problems == [])
    #expect(byHead.newGrids[0].gridLeaderID == byHead.newHouseholds[0].persons[0].id)

    let id = T.id(44)
    let byID = try plan([
      T.line(leader: "张伟（\(id)）", number: "0001", name: "王芳"),
      T.line(number: "0001", name: "张伟", relation: "子", id: T.id(43)),
      T.line(number: "0002", name: "李娜"),
      T.line(number: "0002", name: "张伟", relation: "子", id: id),
    ])
    #expect(byID.problems == [])
    #expect(byID.newGrids[0].gridLeaderID == byID.newHouseholds[1].persons[1].id)
  }

  @Test func problemsComeInRowOrderAndEveryBadRowIsCounted() throws {
    let plan = try plan([
      T.line(number: "0001", name: "张三", sex: "?", phone: "123"),
      T.line(number: "0002", name: "李四", relation: "子"),
      T.line(number: "0003", name: "", groups: "x"),
    ])
    #expect(rows(plan) == [2, 2, 3, 4, 4])
    #expect(plan.rejectedRowCount == 3)
  }

  @Test func aHeaderWithoutDataRowsIsRejected() throws {
    let plan = try plan([",,,,,,,,,,"])
    #expect(plan.problems == [RosterCSV.RowProblem(row: 1, message: "表头下面没有任何数据行")])
  }

  // MARK: Into an existing town

  @Test func newRecordsContinueTheExistingIDSequences() throws {
    let town = try T.demoTown(households: 40)
    let plan = try plan(
      [
        T.line(village: "新村", leader: "张三", number: "0001", name: "张三"),
        T.line(village: town.villages[0].name, grid: "第99网格", number: "9001", name: "李四"),
      ], into: town)
    #expect(plan.problems == [])
    let lastPerson = town.households.flatMap(\.persons).map(\.id).max()!
    #expect(plan.newVillages.map(\.id) == ["v" + String(format: "%03d", town.villages.count + 1)])
    #expect(plan.newGrids.map(\.id).first == "g" + String(format: "%04d", town.grids.count + 1))
    #expect(plan.newHouseholds[0].id == "h" + String(format: "%06d", town.households.count + 1))
    #expect(plan.newHouseholds[0].persons[0].id > lastPerson)
    #expect(plan.newGrids[1].villageID == town.villages[0].id)  // an existing village
    #expect(plan.town.households.count == town.households.count + 2)
  }

  @Test func anExistingHouseholdIsSkippedWhenIdenticalAndRejectedOtherwise() throws {
    let town = try T.demoTown(households: 20)
    let export = RosterCSV.export(town)
    let same = RosterCSV.plan(try RosterCSV.parse(Array(export.utf8)), into: town)
    #expect(same.problems == [])
    #expect(same.unchangedHouseholds == 20)
    #expect(!same.hasChanges)

    let changed = export.replacingOccurrences(
      of: "," + town.households[0].address + ",", with: ",别处,")
    let plan = RosterCSV.plan(try RosterCSV.parse(Array(changed.utf8)), into: town)
    #expect(rows(plan) == [2])
    #expect(plan.problems[0].message.contains("已存在（h000001"))
  }

  @Test func anExistingGridMayGetALeaderButNotADifferentOne() throws {
    var town = try T.demoTown(households: 12)
    let grid = town.grids[0]
    let village = town.village(id: grid.villageID)!
    let households = town.households(inGrid: grid.id)
    let leader = town.gridLeader(of: grid)!
    let residents = households.flatMap(\.persons)
    let other = residents.first { person in
      person.id != leader.id && residents.filter { $0.name == person.name }.count == 1
    }!
    let line = T.line(
      village: village.name, grid: grid.name, leader: other.name, number: "9001", name: "新户")
    let refused = try plan([line], into: town)
    #expect(rows(refused) == [2])
    #expect(refused.problems[0].message.contains("已有网格长 \(leader.name)"))

    town.grids[0].gridLeaderID = nil
    let accepted = try plan([line], into: town)
    #expect(accepted.problems == [])
    #expect(accepted.changedGrids.map(\.gridLeaderID) == [other.id])
  }
}
