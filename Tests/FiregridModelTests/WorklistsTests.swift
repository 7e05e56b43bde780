import Foundation
import Testing

@testable import FiregridModel

/// Worklists on a small fixed town whose answers are known by hand:
/// village v1 with grids g1 (h1, h2, h3) and g2 (h4, h5); visitor u1 has g1, u2 has g2; h2 has
/// an elderly person living alone, h5 a left-behind child.
struct WorklistsTests {
  static func date(_ text: String) -> CivilDate { CivilDate(text)! }
  let campaign = Campaign.winter(startingIn: 2026)

  func household(_ id: String, grid: String, visitor: String, vulnerable: Bool = false)
    -> Household
  {
    Household(
      id: id, gridID: grid, number: id, address: "",
      persons: [
        Person(
          id: "\(id)p", name: "户主\(id)", relation: "户主",
          groups: vulnerable ? [.elderlyLivingAlone] : [])
      ], visitorID: visitor)
  }

  func visit(_ householdID: String, _ day: String) -> Visit {
    Visit(
      id: "\(householdID)-\(day)", householdID: householdID, date: Self.date(day),
      visitorID: nil, personsMet: "", answers: [:], formID: "f")
  }

  func town() -> TownData {
    var town = TownData(
      town: Town(name: "测试镇"), villages: [Village(id: "v1", name: "龙潭村")],
      grids: [
        Grid(id: "g1", villageID: "v1", name: "第1网格"),
        Grid(id: "g2", villageID: "v1", name: "第2网格"),
      ],
      households: [
        household("h1", grid: "g1", visitor: "u1"),
        household("h2", grid: "g1", visitor: "u1", vulnerable: true),
        household("h3", grid: "g1", visitor: "u1"),
        household("h4", grid: "g2", visitor: "u2"),
        household("h5", grid: "g2", visitor: "u2", vulnerable: true),
      ],
      visitors: [
        Visitor(id: "u1", name: "李一", role: .villageCadre),
        Visitor(id: "u2", name: "王二", role: .townCadre),
      ])
    // Round 2 is 12-01..12-15. h1 visited in round 1 only; h3 and h4 in round 2.
    town.visitRecords["h1"] = VisitRecord(householdID: "h1", visits: [visit("h1", "2026-11-25")])
    town.visitRecords["h3"] = VisitRecord(
      householdID: "h3", visits: [visit("h3", "2026-11-22"), visit("h3", "2026-12-02")])
    town.visitRecords["h4"] = VisitRecord(
      householdID: "h4", visits: [visit("h4", "2026-12-15")],
      hazards: [
        Hazard(
          id: "h4-z1", householdID: "h4", checkID: "wiring", description: "老化",
          events: [
            HazardEvent(
              kind: .found, date: Self.date("2026-12-01"), deadline: Self.date("2026-12-08"))
          ]),
        Hazard(
          id: "h4-z2", householdID: "h4", checkID: "gas", description: "软管",
          events: [
            HazardEvent(
              kind: .found, date: Self.date("2026-12-08"), deadline: Self.date("2026-12-11")),
            HazardEvent(kind: .reportedRectified, date: Self.date("2026-12-10")),
          ]),
        Hazard(
          id: "h4-z3", householdID: "h4", checkID: "clutter", description: "杂物",
          events: [
            HazardEvent(
              kind: .found, date: Self.date("2026-12-09"), deadline: Self.date("2026-12-12")),
            HazardEvent(kind: .verified, date: Self.date("2026-12-11")),
          ]),
        Hazard(
          id: "h4-z4", householdID: "h4", checkID: "heating", description: "火盆",
          events: [
            HazardEvent(
              kind: .found, date: Self.date("2026-12-10"), deadline: Self.date("2026-12-12"))
          ]),
        Hazard(
          id: "h4-z5", householdID: "h4", checkID: "ebikeCharging", description: "充电",
          events: [
            HazardEvent(
              kind: .found, date: Self.date("2026-12-10"), deadline: Self.date("2026-12-20"))
          ]),
      ])
    // Weekly contact: the campaign's weeks start Monday 11-16 (week of 11-20).
    town.contactLogs["g1"] = [
      ContactLog(
        gridID: "g1", week: Self.date("2026-11-16"), contacted: true,
        recordedOn: Self.date("2026-11-20")),
      ContactLog(
        gridID: "g1", week: Self.date("2026-11-23"), contacted: true,
        recordedOn: Self.date("2026-11-27")),
      ContactLog(
        gridID: "g1", week: Self.date("2026-11-30"), contacted: true, riskReport: "火盆",
        recordedOn: Self.date("2026-12-04")),
    ]
    town.contactLogs["g2"] = [
      ContactLog(
        gridID: "g2", week: Self.date("2026-11-16"), contacted: true,
        recordedOn: Self.date("2026-11-20")),
      ContactLog(
        gridID: "g2", week: Self.date("2026-11-23"), contacted: false,
        recordedOn: Self.date("2026-11-27")),
    ]
    return town
  }

  @Test func unvisitedHouseholdsVulnerableFirst() throws {
    let round = try #require(campaign.round(on: Self.date("2026-12-12")))
    #expect(round.number == 2)
    let pending = Worklists.unvisited(in: round, town: town())
    #expect(pending.map(\.householdID) == ["h2", "h5", "h1"])
    #expect(pending.map(\.isVulnerable) == [true, true, false])
    #expect(pending[2].lastVisit == Self.date("2026-11-25"))
    #expect(pending[0].lastVisit == nil)
    #expect(pending.map(\.villageID) == ["v1", "v1", "v1"])
  }

  @Test func hazardsDueOverdueFirst() {
    let due = Worklists.hazardsDue(on: Self.date("2026-12-12"), town: town())
    // z1 overdue 4 days; z2 reported, awaiting check; z4 due today; z3 closed; z5 not yet due.
    #expect(due.map(\.hazard.id) == ["h4-z1", "h4-z2", "h4-z4"])
    #expect(due.map(\.state) == [.overdue, .awaitingCheck, .open])
    #expect(due[0].daysOverdue == 4)
    #expect(due[0].gridID == "g2")
  }

  @Test func gridsMissingWeeklyContact() {
    let missing = Worklists.missingContacts(
      campaign: campaign, today: Self.date("2026-12-12"), town: town())
    // Weeks ended by Saturday 12-12: 11-16, 11-23, 11-30 (12-07's week ends Sunday 12-13).
    #expect(missing.map(\.gridID) == ["g2"])
    #expect(missing[0].weeks == [Self.date("2026-11-23"), Self.date("2026-11-30")])
    let monday = Worklists.missingContacts(
      campaign: campaign, today: Self.date("2026-12-14"), town: town())
    #expect(monday.map(\.gridID) == ["g1", "g2"])
    #expect(monday[0].weeks == [Self.date("2026-12-07")])
  }

  @Test func visitorProgressMostBehindFirst() throws {
    let round = try #require(campaign.round(on: Self.date("2026-12-12")))
    let progress = Worklists.visitorProgress(in: round, town: town())
    #expect(progress.map(\.visitorID) == ["u1", "u2"])
    #expect(progress.map(\.assigned) == [3, 2])
    #expect(progress.map(\.visited) == [1, 1])
    #expect(progress.map(\.pending) == [2, 1])
  }

  @Test func countsForTheSummary() throws {
    let today = Self.date("2026-12-12")
    let counts = Worklists.counts(campaign: campaign, today: today, town: town())
    #expect(counts.campaign == "2026-27冬春火灾防控")
    #expect(counts.round == "第2轮（12-01至12-15）")
    #expect(counts.householdsNotVisitedInRound == 3)
    #expect(counts.gridsMissingContact == 1)
    #expect(counts.visits == 4)
    #expect(counts.visitsInRound == 2)
    #expect(counts.householdsVisitedInRound == 2)
    #expect(counts.hazardsFound == 5)
    #expect(counts.hazardsOverdue == 1)
    #expect(counts.hazardsAwaitingCheck == 1)
    #expect(counts.hazardsOpen == 2)
    #expect(counts.hazardsClosed == 1)
  }
}

/// 场所 in the worklists: the premises not inspected in the round (where people sleep first),
/// their hazards due, and their counts.
struct PremisesWorklistsTests {
  static func date(_ text: String) -> CivilDate { CivilDate(text)! }
  let campaign = Campaign.winter(startingIn: 2026)

  func inspection(_ premisesID: String, _ day: String) -> Visit {
    Visit(
      id: "\(premisesID)-\(day)", householdID: premisesID, date: Self.date(day),
      visitorID: "u1", personsMet: "", answers: [:], formID: FormRegistry.businessID)
  }

  /// c1 a shop inspected in round 2 with an overdue hazard and a closed one; c2 an office
  /// never inspected; c3 a 多合一 place inspected in round 1 only; c4 a shop where people sleep.
  func town() -> TownData {
    var town = WorklistsTests().town()
    town.premises = [
      Premises(
        id: "c1", gridID: "g1", name: "向记百货", kind: .business, businessKind: .shop,
        visitorID: "u1"),
      Premises(id: "c2", gridID: "g2", name: "村部", kind: .office, visitorID: "u2"),
      Premises(
        id: "c3", gridID: "g2", name: "舒家作坊", kind: .mixedUse, businessKind: .workshop,
        peopleSleep: true, sleepers: 3),
      Premises(
        id: "c4", gridID: "g1", name: "小旅馆", kind: .business, businessKind: .smallHotel,
        peopleSleep: true, sleepers: 2),
    ]
    town.premisesRecords["c1"] = VisitRecord(
      householdID: "c1", visits: [inspection("c1", "2026-12-02")],
      hazards: [
        Hazard(
          id: "c1-z1", householdID: "c1", checkID: "extinguishers", description: "灭火器过期",
          events: [
            HazardEvent(
              kind: .found, date: Self.date("2026-12-02"), deadline: Self.date("2026-12-09"))
          ]),
        Hazard(
          id: "c1-z2", householdID: "c1", checkID: "exitsBlocked", description: "后门锁闭",
          events: [
            HazardEvent(
              kind: .found, date: Self.date("2026-12-02"), deadline: Self.date("2026-12-02")),
            HazardEvent(kind: .rectifiedOnSpot, date: Self.date("2026-12-02")),
          ]),
      ])
    town.premisesRecords["c3"] = VisitRecord(
      householdID: "c3", visits: [inspection("c3", "2026-11-24")])
    return town
  }

  @Test func uninspectedPremisesWherePeopleSleepFirst() throws {
    let round = try #require(campaign.round(on: Self.date("2026-12-12")))
    let pending = Worklists.uninspectedPremises(in: round, town: town())
    #expect(pending.map(\.premisesID) == ["c3", "c4", "c2"])
    #expect(pending.map(\.peopleSleep) == [true, true, false])
    #expect(pending[0].lastInspection == Self.date("2026-11-24"))
    #expect(pending[0].villageID == "v1")
    #expect(pending[2].kind == .office)
    #expect(pending[2].visitorID == "u2")
  }

  @Test func premisesHazardsDueNameTheirPremises() {
    let due = Worklists.premisesHazardsDue(on: Self.date("2026-12-12"), town: town())
    #expect(due.map(\.hazard.id) == ["c1-z1"])
    #expect(due[0].premisesID == "c1")
    #expect(due[0].state == .overdue)
    #expect(due[0].daysOverdue == 3)
    #expect(due[0].gridID == "g1")
    // The households' list is the households' only.
    #expect(
      Worklists.hazardsDue(on: Self.date("2026-12-12"), town: town()).allSatisfy {
        $0.premisesID == nil
      })
  }

  @Test func premisesCountsByKindAndRound() {
    let counts = Worklists.premisesCounts(
      campaign: campaign, today: Self.date("2026-12-12"), town: town())
    #expect(counts.total == 4)
    #expect(counts.offices == 1)
    #expect(counts.businesses == 2)
    #expect(counts.mixedUse == 1)
    #expect(counts.peopleSleep == 2)
    #expect(counts.inspections == 2)
    #expect(counts.inspectedInRound == 1)
    #expect(counts.notInspectedInRound == 3)
    #expect(counts.hazardsFound == 2)
    #expect(counts.hazardsOpen == 1)
    #expect(counts.hazardsOverdue == 1)
    #expect(counts.hazardsClosed == 1)
  }
}

/// Calendar rules added for visits: day arithmetic, weeks, and the round worklists use.
struct CalendarArithmeticTests {
  static func date(_ text: String) -> CivilDate { CivilDate(text)! }

  @Test(
    arguments: [
      ("1970-01-01", 0, 4), ("2026-11-29", 20_786, 7), ("2026-11-30", 20_787, 1),
      ("2024-02-29", 19_782, 4), ("2000-03-01", 11_017, 3), ("1969-12-31", -1, 3),
    ])
  func dayNumbersAndWeekdays(day: String, number: Int, weekday: Int) {
    let date = Self.date(day)
    #expect(date.dayNumber == number)
    #expect(CivilDate(dayNumber: number) == date)
    #expect(date.weekday == weekday)
  }

  @Test func addingDaysAcrossMonthAndYearEnds() {
    #expect(Self.date("2026-11-30").adding(days: 1) == Self.date("2026-12-01"))
    #expect(Self.date("2026-12-31").adding(days: 1) == Self.date("2027-01-01"))
    #expect(Self.date("2028-02-28").adding(days: 1) == Self.date("2028-02-29"))
    #expect(Self.date("2027-02-28").adding(days: 1) == Self.date("2027-03-01"))
    #expect(Self.date("2026-12-03").days(until: Self.date("2026-12-10")) == 7)
    #expect(Self.date("2026-12-03").weekStart == Self.date("2026-11-30"))
    #expect(Self.date("2026-11-29").weekStart == Self.date("2026-11-23"))
  }

  /// 2026–27, made from the seed's template with its own dates.
  @Test func winter2026RoundsAndTheWorkingRound() {
    let campaign = Campaign.winter(startingIn: 2026)
    #expect(campaign.name == "2026-27冬春火灾防控")
    #expect(campaign.deploymentDeadline == Self.date("2026-11-19"))
    #expect(
      campaign.rounds.map(\.label).prefix(3) == [
        "第1轮（11-20至11-30）", "第2轮（12-01至12-15）", "第3轮（12-16至12-31）",
      ])
    #expect(campaign.rounds[6].end == Self.date("2027-02-28"))
    #expect(campaign.workingRound(on: Self.date("2026-11-10"))?.number == 1)
    #expect(campaign.workingRound(on: Self.date("2026-11-29"))?.number == 1)
    #expect(campaign.workingRound(on: Self.date("2027-03-31"))?.number == 9)
    #expect(campaign.workingRound(on: Self.date("2027-05-01"))?.number == 9)
    #expect(campaign.contactWeeks(endedBy: Self.date("2026-11-29")) == [Self.date("2026-11-16")])
    #expect(campaign.contactWeeks(endedBy: Self.date("2026-11-30")).count == 2)
  }

  @Test func storedDatesAreStrings() throws {
    let data = try JSONEncoder().encode([Self.date("2026-12-01")])
    #expect(String(decoding: data, as: UTF8.self) == #"["2026-12-01"]"#)
    #expect(CivilDate.parseStored("2026-02-30") == nil)
    #expect(CivilDate.parseStored("2026-1-30") == nil)
  }

  /// 10 of the trust issue: in the next winter the counts are that winter's only, and last
  /// winter's open hazards are carried over and said so, not "逾期358天".
  @Test func eachWinterCountsItsOwnAndCarriesOverOpenHazards() {
    let base = WorklistsTests()
    let nextWinter = Campaign.winter(startingIn: 2027)
    let today = WorklistsTests.date("2027-12-10")
    var town = base.town()
    town.visitRecords["h5"] = VisitRecord(
      householdID: "h5", visits: [base.visit("h5", "2027-12-02")], hazards: [])
    let counts = Worklists.counts(campaign: nextWinter, today: today, town: town)
    #expect(counts.visits == 1)
    let lastWinter = Worklists.counts(campaign: base.campaign, today: today, town: town)
    #expect(lastWinter.visits > 1)
    let openLastWinter = town.visitRecords.values.flatMap(\.hazards).filter {
      $0.closedOn == nil
    }.count
    #expect(openLastWinter > 0)
    #expect(counts.hazardsFound == 0)
    #expect(counts.hazardsOverdue == 0)
    #expect(counts.hazardsCarriedOver == openLastWinter)
    let due = Worklists.hazardsDue(on: today, town: town)
    #expect(!due.isEmpty)
    #expect(due.allSatisfy { $0.carriedOver })
    #expect(
      Worklists.hazardsDue(on: WorklistsTests.date("2026-12-20"), town: town).allSatisfy {
        !$0.carriedOver
      })
  }
}
