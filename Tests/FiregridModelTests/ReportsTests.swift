import Foundation
import Testing

@testable import FiregridModel

/// The reports on a small fixed town whose every cell is worked out by hand below.
///
/// Winter 2024-25: round 1 is 11-20..11-30, round 2 is 12-01..12-15; the report is made on
/// 2024-12-20 (`day`).
///
/// 龙潭村 (v1): g1 (leader 张一, WeChat group) has h1 张一 and h2 李二 (独居老人); g2 (no leader,
///   no group) has h3 王三. Visitors u1 (h1, h2) and u2 (h3). Archived h7 (was in g1).
/// 江口村 (v2): g3 (leader 赵四, group) has h4 赵四 + 刘芳 (留守妇女), h5 钱五 (独居老人) and h6
///   孙六 (no visitor). Visitor u3 (h4, h5).
///
/// Visits (answers: N = noticeDelivered y, C = cardPosted y, c = cardPosted n, V =
/// vulnerableMet y, v = vulnerableMet n):
///   h1 11-22 N C; 12-02 N C
///   h2 11-23 V N c; 12-05 V
///   h3 12-06 N
///   h4 11-25 v N C; 12-03 N (复查 C); 12-09 V (复查 C)
///   h5 11-26 N
///   h6 12-10; 12-18 (复查 G)
/// Hazards:
///   A h1 wiring     found 11-22 deadline 11-29, reported 11-25, verified 11-28
///   B h2 ebike      found 11-23, rectified on the spot
///   D h2 heating    found 12-05 deadline 12-06, nothing since
///   X h3 clutter    found 2024-03-10 (last winter) deadline 03-17, nothing since
///   E h3 clutter    found 12-06 deadline 12-09, reported rectified 12-08
///   C h4 gas        found 11-25 deadline 11-28, not rectified 12-03 and extended to 12-10,
///                   verified 12-09
///   F h6 curingMeat found 12-10, rectified on the spot
///   G h6 wiring     found 12-10 deadline 12-17, verified 12-18
///   H h7 (archived) wiring found 11-24 deadline 11-27, nothing since
/// Weekly contacts (week's Monday: contacted, risk): g1 11-18 yes; 11-25 yes "电动车楼道充电";
///   12-02 yes; 12-09 no. g2 11-18 yes. g3 12-09 yes "柴草堆放"; 12-16 yes.
///   Each week belongs to the scope its Sunday is in: 11-18→11-24 (round 1), 11-25→12-01,
///   12-02→12-08, 12-09→12-15 (round 2), 12-16→12-22 (neither round; the campaign).
struct ReportsTests {
  static func date(_ text: String) -> CivilDate { CivilDate(text)! }
  let campaign = Campaign.winter(startingIn: 2024)
  let day = date("2024-12-20")
  static let elderID = IDNumber.make(
    region: "431224", birth: CivilDate(year: 1940, month: 5, day: 6), sequence: 2)!

  func person(_ id: String, _ name: String, groups: [VulnerableGroup] = [], head: Bool = true)
    -> Person
  {
    Person(id: id, name: name, relation: head ? "户主" : "配偶", groups: groups)
  }

  func visit(_ household: String, _ n: Int, _ day: String, _ answers: String = "") -> Visit {
    var map: [String: Answer] = [:]
    for code in answers {
      switch code {
      case "N": map["noticeDelivered"] = .yes
      case "C": map["cardPosted"] = .yes
      case "c": map["cardPosted"] = .no
      case "V": map["vulnerableMet"] = .yes
      case "v": map["vulnerableMet"] = .no
      default: Issue.record("unknown answer code \(code)")
      }
    }
    return Visit(
      id: "\(household)-v\(n)", householdID: household, date: Self.date(day), visitorID: nil,
      personsMet: "", answers: map, formID: FormRegistry.residentialID)
  }

  func hazard(
    _ household: String, _ letter: String, _ check: String, found: String, deadline: String,
    _ later: [HazardEvent] = []
  ) -> Hazard {
    var events = [
      HazardEvent(kind: .found, date: Self.date(found), deadline: Self.date(deadline))
    ]
    if found == deadline {
      events.append(HazardEvent(kind: .rectifiedOnSpot, date: Self.date(found)))
    }
    return Hazard(
      id: "\(household)-z\(letter)", householdID: household, checkID: check,
      description: "隐患\(letter)", events: events + later)
  }

  func event(_ kind: HazardEvent.Kind, _ day: String, deadline: String? = nil) -> HazardEvent {
    HazardEvent(kind: kind, date: Self.date(day), deadline: deadline.map(Self.date))
  }

  func town() -> TownData {
    var elder = person("h2p", "李二", groups: [.elderlyLivingAlone])
    elder.idNumber = Self.elderID
    elder.phone = "13907450002"
    elder.elderlyCare = ElderlyCare(
      guardianName: "李大", guardianRelation: "儿子", guardianPhone: "13807451111",
      selfCare: .partlyDisabled, livingSituation: "独居砖木房", helperName: "张一",
      helperPhone: "13907450001", visitFrequency: "每周1次", smokeAlarm: true,
      extinguisher: false, notes: "耳背")
    var qian = person("h5p", "钱五", groups: [.elderlyLivingAlone])
    qian.sex = .male
    var data = TownData(
      town: Town(name: "三江镇"),
      villages: [Village(id: "v1", name: "龙潭村"), Village(id: "v2", name: "江口村")],
      grids: [
        Grid(id: "g1", villageID: "v1", name: "第1网格", gridLeaderID: "h1p", wechatGroup: "龙潭1群"),
        Grid(id: "g2", villageID: "v1", name: "第2网格"),
        Grid(id: "g3", villageID: "v2", name: "第1网格", gridLeaderID: "h4p", wechatGroup: "江口1群"),
      ],
      households: [
        Household(
          id: "h1", gridID: "g1", number: "0001", address: "龙潭村1组1号",
          persons: [person("h1p", "张一")], visitorID: "u1"),
        Household(
          id: "h2", gridID: "g1", number: "0002", address: "龙潭村1组2号", persons: [elder],
          visitorID: "u1"),
        Household(
          id: "h3", gridID: "g2", number: "0003", address: "龙潭村2组3号",
          persons: [person("h3p", "王三")], visitorID: "u2"),
        Household(
          id: "h4", gridID: "g3", number: "0001", address: "江口村1组1号",
          persons: [
            person("h4p", "赵四"),
            person("h4q", "刘芳", groups: [.leftBehindWoman], head: false),
          ], visitorID: "u3"),
        Household(
          id: "h5", gridID: "g3", number: "0002", address: "江口村1组2号", persons: [qian],
          visitorID: "u3"),
        Household(
          id: "h6", gridID: "g3", number: "0003", address: "江口村1组3号",
          persons: [person("h6p", "孙六")]),
      ],
      visitors: [
        Visitor(id: "u1", name: "周走访", role: .villageCadre),
        Visitor(id: "u2", name: "吴走访", role: .partyMember),
        Visitor(id: "u3", name: "郑走访", role: .townCadre),
      ],
      campaigns: [campaign])
    data.visitRecords = [
      "h1": VisitRecord(
        householdID: "h1",
        visits: [visit("h1", 1, "2024-11-22", "NC"), visit("h1", 2, "2024-12-02", "NC")],
        hazards: [
          hazard(
            "h1", "A", "wiring", found: "2024-11-22", deadline: "2024-11-29",
            [event(.reportedRectified, "2024-11-25"), event(.verified, "2024-11-28")])
        ]),
      "h2": VisitRecord(
        householdID: "h2",
        visits: [visit("h2", 1, "2024-11-23", "VNc"), visit("h2", 2, "2024-12-05", "V")],
        hazards: [
          hazard("h2", "B", "ebikeCharging", found: "2024-11-23", deadline: "2024-11-23"),
          hazard("h2", "D", "heating", found: "2024-12-05", deadline: "2024-12-06"),
        ]),
      "h3": VisitRecord(
        householdID: "h3", visits: [visit("h3", 1, "2024-12-06", "N")],
        hazards: [
          hazard("h3", "X", "clutter", found: "2024-03-10", deadline: "2024-03-17"),
          hazard(
            "h3", "E", "clutter", found: "2024-12-06", deadline: "2024-12-09",
            [event(.reportedRectified, "2024-12-08")]),
        ]),
      "h4": VisitRecord(
        householdID: "h4",
        visits: [
          visit("h4", 1, "2024-11-25", "vNC"), visit("h4", 2, "2024-12-03", "N"),
          visit("h4", 3, "2024-12-09", "V"),
        ],
        hazards: [
          hazard(
            "h4", "C", "gas", found: "2024-11-25", deadline: "2024-11-28",
            [
              event(.notRectified, "2024-12-03"),
              event(.extended, "2024-12-03", deadline: "2024-12-10"),
              event(.verified, "2024-12-09"),
            ])
        ]),
      "h5": VisitRecord(householdID: "h5", visits: [visit("h5", 1, "2024-11-26", "N")]),
      "h6": VisitRecord(
        householdID: "h6", visits: [visit("h6", 1, "2024-12-10"), visit("h6", 2, "2024-12-18")],
        hazards: [
          hazard("h6", "F", "curingMeat", found: "2024-12-10", deadline: "2024-12-10"),
          hazard(
            "h6", "G", "wiring", found: "2024-12-10", deadline: "2024-12-17",
            [event(.verified, "2024-12-18")]),
        ]),
    ]
    data.archivedHouseholds = [
      Household(
        id: "h7", gridID: "g1", number: "0007", address: "龙潭村1组7号",
        persons: [person("h7p", "冯七")])
    ]
    data.archivedVisitRecords = [
      "h7": VisitRecord(
        householdID: "h7", visits: [visit("h7", 1, "2024-11-24")],
        hazards: [hazard("h7", "H", "wiring", found: "2024-11-24", deadline: "2024-11-27")])
    ]
    func log(_ week: String, _ contacted: Bool, _ risk: String = "", grid: String) -> ContactLog {
      ContactLog(
        gridID: grid, week: Self.date(week), contacted: contacted, riskReport: risk,
        recordedOn: Self.date(week))
    }
    data.contactLogs = [
      "g1": [
        log("2024-11-18", true, grid: "g1"), log("2024-11-25", true, "电动车楼道充电", grid: "g1"),
        log("2024-12-02", true, grid: "g1"), log("2024-12-09", false, grid: "g1"),
      ],
      "g2": [log("2024-11-18", true, grid: "g2")],
      "g3": [log("2024-12-09", true, "柴草堆放", grid: "g3"), log("2024-12-16", true, grid: "g3")],
    ]
    return data
  }

  /// Every statistics column, in the order of the counts below.
  static let ids = [
    "households", "microGrids", "gridLeaders", "wechatGroups", "visitors", "householdsToVisit",
    "householdsVisited", "visitedShare", "vulnerableHouseholds", "vulnerableVisitedInPerson",
    "elderlyLivingAlone", "noticesDelivered", "cardsPosted", "hazardsFound",
    "hazardsRectifiedOnSpot", "hazardsWithDeadline", "hazardsRectified", "hazardsOpen",
    "hazardsOverdue", "weeklyContacts", "riskReports", "visits",
  ]

  static func columns(_ ids: [String]) -> ReportColumns {
    ReportColumns(
      report: "statistics", title: "统计表",
      columns: [ReportTable.Column(id: "village", label: "村（社区）")]
        + ids.map { id in
          ReportTable.Column(
            id: id, label: id, kind: Reports.statisticsColumnKinds[id] ?? .count)
        })
  }

  /// A row as plain text, after the village name.
  func cells(_ row: [ReportTable.Cell]) -> [String] { row.dropFirst().map(\.text) }

  func statistics(_ scope: Reports.Scope, on day: CivilDate? = nil) throws -> ReportTable {
    try Reports.statistics(
      town: town(), scope: scope, columns: Self.columns(Self.ids), day: day ?? self.day
    ).tables[0]
  }

  @Test func roundOneEveryCell() throws {
    let table = try statistics(.round(campaign.rounds[0], of: campaign))
    #expect(table.rows.map { $0[0] } == [.text("龙潭村"), .text("江口村")])
    #expect(table.total?[0] == .text("合计"))
    // Round 1 (11-20..11-30), states as of 11-30.
    // 龙潭村: 3 households; 2 grids; 1 leader (g1); 1 group (g1); visitors u1, u2 = 2;
    // to visit 3; visited h1 (11-22), h2 (11-23) = 2; 2/3 = 66.7%; vulnerable h2 = 1, met in
    // person h2 (V) = 1; elderly 李二 = 1; notices h1, h2 = 2; cards h1 = 1 (h2 said no);
    // hazards A, B = 2 (X is last winter's, H archived); on the spot B = 1; deadline A = 1;
    // rectified A (verified 11-28) = 1; open 0; overdue 0; contacts g1 11-18, g2 11-18 = 2;
    // risks 0 (g1's risk week ends 12-01); visits h1, h2 = 2.
    #expect(
      cells(table.rows[0]) == [
        "3", "2", "1", "1", "2", "3", "2", "66.7%", "1", "1", "1", "2", "1", "2", "1", "1", "1",
        "0", "0", "2", "0", "2",
      ])
    // 江口村: 3 households; 1 grid; leader 1; group 1; visitors u3 = 1 (h6 has none); to visit
    // 3; visited h4 (11-25), h5 (11-26) = 2; 66.7%; vulnerable h4 (刘芳), h5 = 2; met in
    // person: h4 answered no, h5 not asked = 0; elderly 钱五 = 1; notices h4, h5 = 2; cards h4
    // = 1; hazards C = 1; on the spot 0; deadline 1; rectified 0 (verified only on 12-09);
    // open 1; overdue 1 (deadline 11-28 < 11-30); contacts 0; risks 0; visits 2.
    #expect(
      cells(table.rows[1]) == [
        "3", "1", "1", "1", "1", "3", "2", "66.7%", "2", "0", "1", "2", "1", "1", "0", "1", "0",
        "1", "1", "0", "0", "2",
      ])
    // 合计: sums; the share from the sums: 4/6 = 66.7%.
    #expect(
      cells(table.total!) == [
        "6", "3", "2", "2", "3", "6", "4", "66.7%", "3", "1", "2", "4", "2", "3", "1", "2", "1",
        "1", "1", "2", "0", "4",
      ])
  }

  @Test func roundTwoEveryCell() throws {
    let table = try statistics(.round(campaign.rounds[1], of: campaign))
    // Round 2 (12-01..12-15), as of 12-15. Roster columns as in round 1.
    // 龙潭村: visited h1 12-02, h2 12-05, h3 12-06 = 3, 100%; met in person h2 = 1; notices
    // h1, h3 = 2; cards h1 = 1; hazards D, E = 2; on the spot 0; deadline 2; rectified 0;
    // open D (overdue: 12-06 < 12-15), E (awaiting check) = 2; overdue 1; contacts g1 weeks
    // 11-25 and 12-02 = 2 (12-09 not contacted); risks g1 11-25 = 1; visits 3.
    #expect(
      cells(table.rows[0]) == [
        "3", "2", "1", "1", "2", "3", "3", "100%", "1", "1", "1", "2", "1", "2", "0", "2", "0",
        "2", "1", "2", "1", "3",
      ])
    // 江口村: visited h4 (12-03, 12-09), h6 (12-10) = 2, 66.7%; met in person h4 12-09 = 1;
    // notices h4 12-03 = 1; cards 0; hazards F, G = 2 (C was found in round 1: its closing is
    // not a round-2 finding); on the spot F = 1; deadline G = 1; rectified 0 (G verified
    // 12-18, after the round); open 1; overdue 0 (12-17 not passed on 12-15); contacts g3
    // 12-09 = 1; risks 1; visits 3.
    #expect(
      cells(table.rows[1]) == [
        "3", "1", "1", "1", "1", "3", "2", "66.7%", "2", "1", "1", "1", "0", "2", "1", "1", "0",
        "1", "0", "1", "1", "3",
      ])
    // 合计: visited 5/6 = 83.3%.
    #expect(
      cells(table.total!) == [
        "6", "3", "2", "2", "3", "6", "5", "83.3%", "3", "2", "2", "3", "1", "4", "1", "3", "0",
        "3", "1", "3", "2", "6",
      ])
  }

  @Test func wholeCampaignEveryCell() throws {
    let table = try statistics(.campaign(campaign))
    // 2024-09-01..2025-08-31, as of the day, 12-20.
    // 龙潭村: visited 3, 100%; met in person h2 = 1; notices h1, h2, h3 = 3 (h1 twice is one
    // household); cards h1 = 1; hazards A, B, D, E = 4; on the spot B = 1; deadline 3;
    // rectified A = 1; open D, E = 2; overdue D = 1 (E awaits its check); contacts g1 11-18,
    // 11-25, 12-02 + g2 11-18 = 4; risks 1; visits 2 + 2 + 1 = 5.
    #expect(
      cells(table.rows[0]) == [
        "3", "2", "1", "1", "2", "3", "3", "100%", "1", "1", "1", "3", "1", "4", "1", "3", "1",
        "2", "1", "4", "1", "5",
      ])
    // 江口村: visited 3, 100%; met in person h4 = 1; notices h4, h5 = 2; cards h4 = 1; hazards
    // C, F, G = 3; on the spot F = 1; deadline 2; rectified C (12-09), G (12-18) = 2; open 0;
    // overdue 0; contacts g3 12-09, 12-16 = 2; risks 1; visits 3 + 1 + 2 = 6.
    #expect(
      cells(table.rows[1]) == [
        "3", "1", "1", "1", "1", "3", "3", "100%", "2", "1", "1", "2", "1", "3", "1", "2", "2",
        "0", "0", "2", "1", "6",
      ])
    #expect(
      cells(table.total!) == [
        "6", "3", "2", "2", "3", "6", "6", "100%", "3", "2", "2", "5", "2", "7", "2", "5", "3",
        "2", "1", "6", "2", "11",
      ])
    #expect(table.scope == "三江镇 2024-25冬春火灾防控（全期）")
  }

  @Test func aRoundNotYetEndedIsTakenAsOfTheDay() throws {
    // Round 2 on 12-07: visits after it do not exist yet; D (deadline 12-06) is overdue, E
    // (found 12-06, reported only on 12-08) is open.
    let table = try statistics(
      .round(campaign.rounds[1], of: campaign), on: Self.date("2024-12-07"))
    let visited = Self.ids.firstIndex(of: "householdsVisited")!
    let open = Self.ids.firstIndex(of: "hazardsOpen")!
    let overdue = Self.ids.firstIndex(of: "hazardsOverdue")!
    // 龙潭村 h1, h2, h3; 江口村 h4 (12-03).
    #expect(cells(table.rows[0])[visited] == "3")
    #expect(cells(table.rows[1])[visited] == "1")
    #expect(cells(table.total!)[open] == "2")
    #expect(cells(table.total!)[overdue] == "1")
  }

  @Test func aDateRange() throws {
    let table = try statistics(.dates(Self.date("2024-11-25"), Self.date("2024-12-05")))
    let visited = Self.ids.firstIndex(of: "householdsVisited")!
    let found = Self.ids.firstIndex(of: "hazardsFound")!
    // 11-25..12-05: 龙潭村 h1 (12-02), h2 (12-05); 江口村 h4 (11-25, 12-03), h5 (11-26).
    #expect(cells(table.total!)[visited] == "4")
    // Found: C (11-25), D (12-05).
    #expect(cells(table.total!)[found] == "2")
    #expect(table.scope == "三江镇 2024-11-25至2024-12-05")
  }

  @Test func theColumnFileChoosesAndOrdersTheColumns() throws {
    let report = try Reports.statistics(
      town: town(), scope: .round(campaign.rounds[0], of: campaign),
      columns: Self.columns(["hazardsFound", "visitedShare"]), day: day,
      signature: Reports.Signature(preparedBy: "周湘中", reviewedBy: "陈宗欢", phone: "0745-3123456"))
    let table = report.tables[0]
    #expect(table.columns.map(\.id) == ["village", "hazardsFound", "visitedShare"])
    #expect(table.total == [.text("合计"), .count(3), .share(4.0 / 6.0)])
    #expect(
      table.footer == [
        "填报单位：三江镇", "填表人：周湘中", "审核人：陈宗欢", "联系电话：0745-3123456", "填报日期：2024年12月20日",
      ])
    #expect(report.kind == "statistics")
  }

  @Test func anUnknownOrMisdeclaredColumnIsRefused() {
    #expect(throws: Reports.Refusal("统计表列定义中有程序不认识的列：premisesInspected（premisesInspected）")) {
      try Reports.statistics(
        town: town(), scope: .campaign(campaign), columns: Self.columns(["premisesInspected"]),
        day: day)
    }
    var wrongKind = Self.columns(["households"])
    wrongKind.columns[1].kind = .share
    #expect(throws: Reports.Refusal("统计表列定义中“households”（households）的类型应为 count")) {
      try Reports.checkStatisticsColumns(wrongKind)
    }
    #expect(throws: Reports.Refusal("统计表列定义中 households 出现了两次")) {
      try Reports.checkStatisticsColumns(Self.columns(["households", "households"]))
    }
  }

  @Test func theDetailSheetListsHazardsNotPutRightOnTheSpot() throws {
    let report = try Reports.statistics(
      town: town(), scope: .round(campaign.rounds[1], of: campaign),
      columns: Self.columns(["households"]), day: day)
    let detail = report.tables[1]
    #expect(detail.name == "隐患整改明细")
    // Round 2, as of 12-15: D (h2), E (h3), G (h6); F was put right on the spot.
    #expect(
      detail.rows.map { $0.map(\.text) } == [
        [
          "龙潭村", "0002", "李二", "heating", "隐患D", "限期整改至2024-12-06", "周走访", "未复查；逾期",
        ],
        [
          "龙潭村", "0003", "王三", "clutter", "隐患E", "限期整改至2024-12-09", "吴走访",
          "12-08 报告已整改；待复查",
        ],
        ["江口村", "0003", "孙六", "wiring", "隐患G", "限期整改至2024-12-17", "", "未复查；整改中"],
      ])
    // Round 1, as of 11-30: A (verified) and C (overdue).
    let first = try Reports.statistics(
      town: town(), scope: .round(campaign.rounds[0], of: campaign),
      columns: Self.columns(["households"]), day: day
    ).tables[1]
    #expect(
      first.rows.map { $0[7].text } == ["11-28 复查已整改，销号；已销号", "未复查；逾期"])
  }

  /// One village: its row exactly as in the town's table, no 合计, and the detail sheet
  /// holding its hazards only.
  @Test func oneVillagesTableIsItsRowAndItsHazards() throws {
    let scope = Reports.Scope.round(campaign.rounds[1], of: campaign)
    let columns = Self.columns(Self.ids)
    let whole = try Reports.statistics(town: town(), scope: scope, columns: columns, day: day)
    let village = try #require(town().villages.first { $0.name == "江口村" })
    let one = try Reports.statistics(
      town: town(), scope: scope, columns: columns, day: day, villageID: village.id)
    #expect(one.tables[0].rows == whole.tables[0].rows.filter { $0.first == .text("江口村") })
    #expect(one.tables[0].total == nil)
    #expect(one.tables[0].scope.hasSuffix(" 江口村"))
    #expect(one.tables[1].rows.map { $0[0].text } == ["江口村"])
    #expect(throws: Reports.Refusal.self) {
      try Reports.statistics(
        town: town(), scope: scope, columns: columns, day: day, villageID: "v999")
    }
  }

  // MARK: 隐患台账

  func register(
    _ filter: Reports.HazardFilter, village: String? = nil, on day: String = "2024-12-20"
  )
    throws -> [[String]]
  {
    try Reports.hazardRegister(
      town: town(), villageID: village, filter: filter, day: Self.date(day)
    ).tables[0].rows.map { $0.map(\.text) }
  }

  @Test func theRegisterFiltersByStateOnTheDay() throws {
    // On 12-20: A closed, B closed, D overdue, X overdue (last winter's), E awaiting check,
    // H overdue (archived household), C closed, F closed, G closed (12-18).
    func descriptions(_ rows: [[String]]) -> [String] { rows.map { $0[5] } }
    #expect(
      try descriptions(register(.all))
        == ["隐患A", "隐患B", "隐患D", "隐患X", "隐患E", "隐患H", "隐患C", "隐患F", "隐患G"])
    #expect(try descriptions(register(.open)) == ["隐患D", "隐患X", "隐患E", "隐患H"])
    #expect(try descriptions(register(.overdue)) == ["隐患D", "隐患X", "隐患H"])
    #expect(try descriptions(register(.closed)) == ["隐患A", "隐患B", "隐患C", "隐患F", "隐患G"])
    // On 12-16, G's check of 12-18 has not happened: it is still open (deadline 12-17).
    #expect(try descriptions(register(.closed, on: "2024-12-16")) == ["隐患A", "隐患B", "隐患C", "隐患F"])
    #expect(
      try descriptions(register(.open, on: "2024-12-16")) == ["隐患D", "隐患X", "隐患E", "隐患H", "隐患G"])
  }

  @Test func theRegisterRowsCarryTheEventsAndState() throws {
    let rows = try register(.all, village: "v2")
    #expect(
      rows[0] == [
        "江口村", "0001", "赵四", "2024-11-25", "gas", "隐患C", "2024-12-10",
        "2024-12-03 复查未整改；2024-12-03 延期整改至2024-12-10；2024-12-09 复查已整改，销号", "已销号",
      ])
    #expect(rows.count == 3)
    let archived = try register(.overdue, village: "v1").last!
    #expect(archived[1] == "0007")
    #expect(archived[8] == "逾期（户已归档）")
    #expect(throws: Reports.Refusal("找不到村（社区）v9")) {
      try Reports.hazardRegister(town: town(), villageID: "v9", day: day)
    }
  }

  // MARK: 独居老人统计表

  @Test func theElderlyTableHasOneSheetPerVillage() throws {
    let report = try Reports.elderlyLivingAlone(town: town(), day: day)
    #expect(report.tables.map(\.name) == ["龙潭村", "江口村"])
    // 李二: born 1940-05-06, 84 on 2024-12-20; sex from the ID number (sequence 2: female);
    // last visit 12-05.
    #expect(
      report.tables[0].rows.map { $0.map(\.text) } == [
        [
          "1", "李二", "女", "84", "龙潭村1组2号", "13907450002", "李大", "儿子", "13807451111", "半失能",
          "独居砖木房", "张一", "13907450001", "每周1次", "2024-12-05", "有", "无", "耳背",
        ]
      ])
    // 钱五: nothing entered but the sex; no ID number, so no age; last visit 11-26.
    #expect(
      report.tables[1].rows.map { $0.map(\.text) } == [
        [
          "1", "钱五", "男", "", "江口村1组2号", "", "", "", "", "", "", "", "", "", "2024-11-26", "", "",
          "",
        ]
      ])
    let phone = report.tables[0].columns.first { $0.id == "phone" }
    #expect(phone?.kind == .code)
    // One village; the last visit as of an earlier day.
    let early = try Reports.elderlyLivingAlone(
      town: town(), villageID: "v1", day: Self.date("2024-11-30"))
    #expect(early.tables.count == 1)
    #expect(early.tables[0].rows[0][14] == .text("2024-11-23"))
  }

  @Test func elderlyCareRoundTripsAndOldPersonsReadWithout() throws {
    var person = Person(id: "p", name: "李二", relation: "户主", groups: [.elderlyLivingAlone])
    person.elderlyCare = ElderlyCare(guardianName: "李大", selfCare: .disabled, smokeAlarm: false)
    let bytes = try JSONEncoder().encode(person)
    #expect(try JSONDecoder().decode(Person.self, from: bytes) == person)
    let old = #"{"id":"p","name":"王三","relation":"户主","idNumber":"","phone":"","groups":[]}"#
    #expect(try JSONDecoder().decode(Person.self, from: Data(old.utf8)).elderlyCare == nil)
    let partial =
      #"{"id":"p","name":"王三","relation":"户主","idNumber":"","phone":"","groups":[],"elderlyCare":{"helperName":"张一"}}"#
    #expect(
      try JSONDecoder().decode(Person.self, from: Data(partial.utf8)).elderlyCare
        == ElderlyCare(helperName: "张一"))
  }
}
