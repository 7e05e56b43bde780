import FiregridModel
import Foundation
import Testing

@testable import FiregridStore

struct RosterCSVExportTests {
  typealias T = RosterCSVTesting

  /// Everything the roster sheet carries, without ids: villages, grids with their leader,
  /// households and persons, in roster order. Two towns with equal content have the same
  /// roster whatever their ids.
  static func content(_ town: TownData) -> [String] {
    var lines: [String] = []
    for village in town.villages {
      lines.append("村 \(village.name)")
      for grid in town.grids(inVillage: village.id) {
        let leader = town.gridLeader(of: grid)
        lines.append("网格 \(grid.name) 网格长 \(leader?.name ?? "-") \(leader?.idNumber ?? "")")
        for household in town.households(inGrid: grid.id).sorted(by: { $0.number < $1.number }) {
          lines.append("户 \(household.number) \(household.address)")
          for person in household.persons {
            let groups = person.groups.map(\.rawValue).joined(separator: "+")
            lines.append(
              "人 \(person.name) \(person.relation) \(person.sex?.rawValue ?? "-") "
                + "\(person.idNumber) \(person.phone) \(groups)"
                + (person.elderlyCare.map { " \($0)" } ?? ""))
          }
        }
      }
    }
    return lines
  }

  static let small = TownData(
    town: Town(name: "三江镇"),
    villages: [Village(id: "v001", name: "龙潭村")],
    grids: [Grid(id: "g0001", villageID: "v001", name: "第1网格", gridLeaderID: "p0000001")],
    households: [
      Household(
        id: "h000001", gridID: "g0001", number: "0001", address: "1组1号,东头\"老屋\"",
        persons: [
          Person(
            id: "p0000001", name: "邹锡华", relation: "户主", sex: .male,
            idNumber: "43122419650304011X", phone: "13807451234"),
          Person(
            id: "p0000002", name: "舒桂英", relation: "配偶", sex: .female,
            groups: [.elderlyWithoutFamily, .disabled]),
        ])
    ])

  @Test func exportWritesTheHeaderAndOneRowPerPersonWithCRLF() {
    let text = RosterCSV.export(Self.small)
    let lines = [
      "村（社区）,网格,网格长,户号,姓名,与户主关系,性别,身份证号,联系电话,家庭住址,重点人群,"
        + "赡养人/紧急联系人,联系人关系,联系人电话,自理情况,居住情况,结对帮扶人,帮扶人电话,探访频次,烟感报警器,灭火器,老人备注",
      #"龙潭村,第1网格,邹锡华,0001,邹锡华,户主,男,43122419650304011X,13807451234,"1组1号,东头""老屋""","#
        + String(repeating: ",", count: 11),
      #"龙潭村,第1网格,邹锡华,0001,舒桂英,配偶,女,,,"1组1号,东头""老屋""",孤寡老人、残疾人"#
        + String(repeating: ",", count: 11),
    ]
    #expect(text == lines.joined(separator: "\r\n") + "\r\n")
  }

  @Test func utf8ExportStartsWithAByteOrderMarkAndGB18030DoesNot() throws {
    let text = RosterCSV.export(Self.small)
    let utf8 = try RosterCSV.encode(text, as: .utf8)
    #expect(Array(utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
    let gb = try RosterCSV.encode(text, as: .gb18030)
    #expect(String(validating: gb, as: UTF8.self) == nil)
    #expect(try TextEncoding.decode(gb).text == text)
  }

  @Test(arguments: [TextEncoding.utf8, .gb18030])
  func exportThenImportGivesTheSameRoster(_ encoding: TextEncoding) throws {
    let town = try T.demoTown(households: 400)
    let bytes = try RosterCSV.encode(RosterCSV.export(town), as: encoding)
    let table = try RosterCSV.parse(bytes)
    #expect(table.encoding == encoding)
    let plan = RosterCSV.plan(table, into: TownData(town: town.town))
    #expect(plan.problems == [])
    #expect(plan.newHouseholds.count == 400)
    #expect(plan.newPersonCount == town.personCount)
    #expect(Self.content(plan.town) == Self.content(town))
    // Every grid of the demo has a leader, and the import found each one.
    #expect(plan.town.grids.allSatisfy { $0.gridLeaderID != nil })
  }

  @Test func aLeaderSharingANameIsWrittenWithTheIDNumberAndFoundAgain() throws {
    var town = Self.small
    town.households.append(
      Household(
        id: "h000002", gridID: "g0001", number: "0002", address: "1组2号",
        persons: [
          Person(id: "p0000003", name: "张伟", relation: "户主", idNumber: T.id(5)),
          Person(id: "p0000004", name: "张伟", relation: "子", idNumber: T.id(6)),
        ]))
    town.grids[0].gridLeaderID = "p0000004"
    let text = RosterCSV.export(town)
    #expect(text.contains(",张伟（\(T.id(6))）,0001,"))
    let plan = RosterCSV.plan(
      try RosterCSV.parse(Array(text.utf8)), into: TownData(town: town.town))
    #expect(plan.problems == [])
    #expect(Self.content(plan.town) == Self.content(town))
  }

  @Test func householdsWithoutAGridAreLeftOutAndNamed() {
    var town = Self.small
    town.households.append(Household(id: "h000009", gridID: "g0404", number: "0009", address: ""))
    #expect(RosterCSV.unplaceableHouseholds(town).map(\.id) == ["h000009"])
    #expect(!RosterCSV.export(town).contains("0009"))
  }

  @Test func elderlyCareIsWrittenInItsColumnsAndReadBack() throws {
    var town = Self.small
    town.households[0].persons[1].groups = [.elderlyLivingAlone]
    town.households[0].persons[1].elderlyCare = ElderlyCare(
      guardianName: "邹大", guardianRelation: "儿子", guardianPhone: "13807451111",
      selfCare: .partlyDisabled, livingSituation: "独居砖木房", helperName: "邹锡华",
      helperPhone: "13807451234", visitFrequency: "每周1次", smokeAlarm: true, extinguisher: false,
      notes: "耳背")
    let text = RosterCSV.export(town)
    #expect(
      text.contains(
        "独居老人,邹大,儿子,13807451111,半失能,独居砖木房,邹锡华,13807451234,每周1次,有,无,耳背\r\n"))
    let plan = RosterCSV.plan(
      try RosterCSV.parse(Array(text.utf8)), into: TownData(town: town.town))
    #expect(plan.problems == [])
    #expect(
      plan.town.households[0].persons[1].elderlyCare == town.households[0].persons[1].elderlyCare)
    #expect(plan.town.households[0].persons[0].elderlyCare == nil)
  }

  @Test func elderlyCareWordsAreCheckedAndAFileWithoutTheColumnsImportsAsBefore() throws {
    let header = "村（社区）,网格,户号,姓名,与户主关系,重点人群,自理情况,紧急联系人电话,烟感,灭火器"
    let rows = [
      header, "龙潭村,第1网格,0001,舒桂英,户主,独居老人,半自理,12345,装了,有",
      "龙潭村,第1网格,0002,邹锡华,户主,,,,,",
    ]
    let plan = RosterCSV.plan(
      try RosterCSV.parse(Array(rows.joined(separator: "\n").utf8)),
      into: TownData(town: Town(name: "三江镇")))
    #expect(
      plan.problems.map(\.description) == [
        "第2行：联系人电话 12345 有误：手机号应为11位，现在是5位",
        "第2行：烟感报警器「装了」无法识别，应为 有 或 无",
      ])
    let old = "村（社区）,网格,户号,姓名,与户主关系\n龙潭村,第1网格,0001,舒桂英,户主\n"
    let oldPlan = RosterCSV.plan(
      try RosterCSV.parse(Array(old.utf8)), into: TownData(town: Town(name: "三江镇")))
    #expect(oldPlan.problems == [])
    #expect(oldPlan.town.households[0].persons[0].elderlyCare == nil)
  }
}
