import Foundation
import Testing

@testable import FiregridModel

/// The supervision reports on a small town, cells worked out by hand. Winter 2026-27 (round 2
/// is 12-01..12-15, round 3 12-16..12-31).
///
/// 龙潭村 v1 (liaison 周网格; 联村领导 刘镇长, meeting 11-18): g1 第1网格 has h1 0001 陈一 and
///   h2 0002 陈二 (a disabled member), both u1 张三's; g2 第2网格 has h3 0003 陈三 (u2 李四) and
///   h4 0004 陈四 (no visitor).
/// 江口村 v2 (联村领导 赵副镇长, no meeting): g3 第1网格 has h5 0001 吴五 (u2 李四).
/// Visits: h1 12-03 and 12-10 by 张三; h2 12-16 by 李四 standing in for 张三; h3 11-25 by 李四.
/// Everyone has a phone and h1's head an ID number: none may be printed.
struct SupervisionReportsTests {
  typealias F = SupervisionFixtures
  static let idNumber = IDNumber.make(
    region: "431224", birth: CivilDate(year: 1950, month: 3, day: 4), sequence: 7)!
  static let phones = ["13807450001", "13907451234", "13500000001", "13600000002"]

  func town() -> TownData {
    var head = Person(
      id: "h1p", name: "陈一", relation: "户主", idNumber: Self.idNumber, phone: Self.phones[0])
    head.sex = .male
    var town = TownData(
      town: Town(name: "三江镇"),
      villages: [
        Village(id: "v1", name: "龙潭村", liaison: "周网格", liaisonPhone: Self.phones[1]),
        Village(id: "v2", name: "江口村"),
      ],
      grids: [
        Grid(id: "g1", villageID: "v1", name: "第1网格"),
        Grid(id: "g2", villageID: "v1", name: "第2网格"),
        Grid(id: "g3", villageID: "v2", name: "第1网格"),
      ],
      households: [
        Household(
          id: "h1", gridID: "g1", number: "0001", address: "龙潭村1组1号", persons: [head],
          visitorID: "u1"),
        F.household(
          "h2", grid: "g1", number: "0002", head: "陈二", visitor: "u1", groups: [.disabled]),
        F.household("h3", grid: "g2", number: "0003", head: "陈三", visitor: "u2"),
        F.household("h4", grid: "g2", number: "0004", head: "陈四", visitor: nil),
        F.household("h5", grid: "g3", number: "0001", head: "吴五", visitor: "u2"),
      ],
      visitors: [
        Visitor(id: "u1", name: "张三", role: .townCadre, phone: Self.phones[2]),
        Visitor(id: "u2", name: "李四", role: .villageCadre, phone: Self.phones[3]),
      ])
    var standIn = F.visit("h2-v1", "2026-12-16", by: "u2")
    standIn.standInFor = "u1"
    F.add(
      [
        F.visit("h1-v1", "2026-12-03", by: "u1"), F.visit("h1-v2", "2026-12-10", by: "u1"),
        standIn, F.visit("h3-v1", "2026-11-25", by: "u2"),
      ], to: &town)
    town.supervision.deployments = [
      VillageDeployment(
        villageID: "v1", linkLeader: "刘镇长",
        meeting: DeploymentMeeting(
          date: F.date("2026-11-18"), place: "村部会议室", chairedBy: "刘镇长",
          attendees: ["张三", "李四", "周网格"], liaison: "周网格", recorder: "周网格",
          notes: "明确走访人包户，周网格为联络员")),
      VillageDeployment(villageID: "v2", linkLeader: "赵副镇长"),
    ]
    return town
  }

  func texts(_ report: Report) -> [String] {
    var result: [String] = []
    for table in report.tables {
      result += [table.title, table.scope]
      result += table.footer
      result += table.columns.map(\.label)
      for row in table.rows + [table.total ?? []] { result += row.map(\.text) }
    }
    return result
  }

  @Test func checkSheet() throws {
    let sample = SpotCheckSample(
      id: "s1", round: 2, perVillage: 2, seed: 12345, drawnOn: F.date("2026-12-16"),
      drawnBy: "王督查", householdIDs: ["h2", "h1", "h5"])
    let report = SupervisionReports.checkSheet(sample: sample, campaign: F.campaign, town: town())
    #expect(report.kind == "spotcheck-sample")
    let table = try #require(report.tables.first)
    #expect(table.title == "入户抽查名单（核查表）")
    #expect(
      table.scope
        == "三江镇 2026-27冬春火灾防控 第2轮（12-01至12-15） 每村抽2户 随机种子 12345 抽样日期 2026-12-16 抽样人 王督查")
    #expect(
      table.columns.map(\.label) == [
        "序号", "村", "网格", "户号", "户主", "地址", "走访人", "重点户", "记录走访日期", "是否上门", "告知书", "明白卡",
        "知晓三清三关", "漏报隐患", "备注",
      ])
    let blanks = [ReportTable.Cell](repeating: .empty, count: 6)
    // h2: vulnerable, said as 是 only; its one visit (12-16) is round 3's.
    #expect(
      table.rows[0]
        == [
          .count(1), .text("龙潭村"), .text("第1网格"), .text("0002"), .text("陈二"), .text("0002号"),
          .text("张三"), .text("是"), .text("未走访"),
        ] + blanks)
    #expect(table.rows[1][7] == .text(""))
    #expect(table.rows[1][8] == .text("12-03、12-10"))
    #expect(
      table.rows[2].prefix(9).map(\.text) == [
        "3", "江口村", "第1网格", "0001", "吴五", "0001号", "李四", "", "未走访",
      ])
    #expect(
      table.footer == [
        "督查人员（签字）：", "日期：",
        "用同一种子和名册可重新抽出同一名单：firegrid supervise sample --round 2 --per-village 2 --seed 12345",
      ])
    let all = texts(report)
    for secret in Self.phones + [Self.idNumber, "残疾"] {
      #expect(!all.contains { $0.contains(secret) }, "printed: \(secret)")
    }
  }

  @Test func noticesWithAnEmptyList() throws {
    let draft = Supervision.NoticeDraft(
      campaign: F.campaign.name, round: 2, asOf: F.date("2026-12-15"),
      criticism: [
        NoticedPerson(visitorID: "u1", name: "张三", reason: "包保2户，本轮走访1户，未走访：0002 陈二"),
        NoticedPerson(villageID: "v2", name: "赵副镇长", reason: "部署会未召开（截止11-19）"),
        NoticedPerson(villageID: "v1", name: "周网格", reason: "逾期隐患1处"),
      ], admonition: [])
    let report = SupervisionReports.notices(draft, town: town())
    #expect(report.kind == "supervision-notices")
    #expect(report.tables.map(\.title) == ["通报批评名单", "约谈名单"])
    let criticism = report.tables[0]
    #expect(criticism.scope == "三江镇 2026-27冬春火灾防控 第2轮（12-01至12-15） 截至2026-12-15")
    #expect(criticism.columns.map(\.label) == ["序号", "姓名", "单位/村", "事由（事实）", "备注"])
    #expect(
      criticism.rows[0] == [
        .count(1), .text("张三"), .text("镇干部（龙潭村）"), .text("包保2户，本轮走访1户，未走访：0002 陈二"), .empty,
      ])
    #expect(criticism.rows[1][2] == .text("江口村（联村领导）"))
    #expect(criticism.rows[2][2] == .text("龙潭村（联络员）"))
    #expect(criticism.footer == ["镇消防安全工作领导小组（签章）", "签发人：", "文号：", "日期："])
    #expect(report.tables[1].rows == [[.empty, .text("无"), .empty, .empty, .empty]])
    #expect(report.tables[1].footer == criticism.footer)

    let other = Supervision.NoticeDraft(
      campaign: F.campaign.name, round: 3, asOf: F.date("2026-12-31"), criticism: [],
      admonition: [NoticedPerson(visitorID: "u2", name: "李四", reason: "…")])
    let second = SupervisionReports.notices(other, town: town())
    #expect(second.tables[0].rows == [[.empty, .text("无"), .empty, .empty, .empty]])
    #expect(second.tables[1].rows[0][2] == .text("村干部（龙潭村、江口村）"))
  }

  @Test func minutesAsRecorded() throws {
    let report = SupervisionReports.minutes(villageID: "v1", campaign: F.campaign, town: town())
    #expect(report.kind == "deployment-minutes")
    let table = try #require(report.tables.first)
    #expect(table.title == "村级消防安全“敲门行动”动员部署会会议记录")
    #expect(table.columns.map(\.label) == ["项目", "内容"])
    #expect(
      table.rows.map { $0.map(\.text) } == [
        ["村", "龙潭村"], ["会议时间", "2026年11月18日"], ["地点", "村部会议室"], ["主持人", "刘镇长"],
        ["联村领导", "刘镇长"], ["参会人员", "张三、李四、周网格"], ["联络员（网格员）", "周网格"], ["记录人", "周网格"],
        ["走访人包户安排", "张三：2户（第1网格）"], ["", "李四：1户（第2网格）"], ["", "未明确走访人：1户（第2网格）"],
        ["会议内容", "明确走访人包户，周网格为联络员"],
      ])
    #expect(table.footer == ["主持人签字：", "记录人签字："])
  }

  /// No meeting recorded: the blank template, with the village, its 联村领导 and the roster's
  /// arrangement filled in.
  @Test func minutesTemplate() throws {
    let report = SupervisionReports.minutes(villageID: "v2", campaign: F.campaign, town: town())
    let table = try #require(report.tables.first)
    #expect(
      table.rows.map { $0.map(\.text) } == [
        ["村", "江口村"], ["会议时间", ""], ["地点", ""], ["主持人", ""], ["联村领导", "赵副镇长"], ["参会人员", ""],
        ["联络员（网格员）", ""], ["记录人", ""], ["走访人包户安排", "李四：1户（第1网格）"], ["会议内容", ""],
      ])
    #expect(table.scope == "三江镇江口村 2026-27冬春火灾防控")
  }

  /// December needs two visits: 张三's h1 (12-03, 12-10) is done, h2 has one (12-16); 李四's
  /// h3 (11-25 is November's) and h5 have none.
  @Test func quotaTable() throws {
    let report = SupervisionReports.quota(
      in: .month(year: 2026, month: 12), campaign: F.campaign, town: town())
    #expect(report.kind == "visitor-quota")
    let table = try #require(report.tables.first)
    #expect(table.scope == "三江镇 2026-27冬春火灾防控 2026年12月")
    #expect(
      table.columns.map(\.label) == [
        "走访人", "身份", "包保户数", "应走访次数/户", "已达标户数", "未达标户数", "走访次数", "达标率", "未达标户",
      ])
    #expect(
      table.rows == [
        [
          .text("张三"), .text("镇干部"), .count(2), .count(2), .count(1), .count(1), .count(3),
          .share(0.5), .text("0002"),
        ],
        [
          .text("李四"), .text("村干部"), .count(2), .count(2), .count(0), .count(2), .count(0),
          .share(0), .text("0003、0001"),
        ],
      ])
    #expect(
      table.total == [
        .text("合计"), .empty, .count(4), .empty, .count(1), .count(3), .count(3), .share(0.25),
        .empty,
      ])
    let april = SupervisionReports.quota(
      in: .month(year: 2027, month: 4), campaign: F.campaign, town: town())
    #expect(april.tables[0].scope.hasSuffix("2027年4月（本期无走访轮次）"))
  }

  @Test func visitMatrixTable() throws {
    let report = SupervisionReports.matrix(
      householdIDs: ["h1", "h2", "h3"], title: "龙潭村", campaign: F.campaign, town: town())
    #expect(report.kind == "visit-matrix")
    let table = try #require(report.tables.first)
    #expect(table.scope == "三江镇 2026-27冬春火灾防控 龙潭村")
    #expect(
      table.columns.map(\.label) == [
        "户号", "户主", "11-20至11-30", "12上", "12下", "1上", "1下", "2上", "2下", "3上", "3下",
      ])
    #expect(
      table.rows[0] == [.text("0001"), .text("陈一"), .empty, .text("张三12-03、张三12-10")]
        + [ReportTable.Cell](repeating: .empty, count: 7))
    #expect(table.rows[1][4] == .text("李四12-16（代）"))
    #expect(table.rows[2][2] == .text("李四11-25"))
    #expect(table.rows[2].dropFirst(3).allSatisfy { $0 == .empty })
  }
}
