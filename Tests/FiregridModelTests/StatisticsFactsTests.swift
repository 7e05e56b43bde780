import Foundation
import Testing

@testable import FiregridModel

/// The statistics facts: their one-line encoding reads back exactly, and the statistics table
/// counted from them (the one counting code, on the folder's table and the database's county
/// table) equals the direct computation from households and visit records it replaced.
@Suite struct StatisticsFactsTests {
  static let through = CivilDate(year: 2025, month: 2, day: 20)

  /// A demo season of 700 households, with a few grids whose leader is not one of their
  /// households' members and a hazard of every kind of event, so every branch is met.
  static let season: TownData = {
    var town = DemoSeasonGenerator(form: DemoPremisesTests.residential, seed: 11)
      .generate(into: DemoFixtures.town(700), through: through)
    for index in town.grids.indices where index % 7 == 3 {
      town.grids[index].gridLeaderID = "nobody"
    }
    if let id = town.households.first?.id {
      var record = town.visitRecord(of: id)
      let day = CivilDate(year: 2024, month: 12, day: 2)
      record.hazards.append(
        Hazard(
          id: "\(id)-z90", householdID: id, checkID: "gas", description: "煤气罐",
          events: [
            HazardEvent(kind: .found, date: day, deadline: day.adding(days: 3), note: "x"),
            HazardEvent(kind: .notRectified, date: day.adding(days: 4)),
            HazardEvent(kind: .extended, date: day.adding(days: 4), deadline: day.adding(days: 9)),
            HazardEvent(kind: .reportedRectified, date: day.adding(days: 8)),
            HazardEvent(kind: .verified, date: day.adding(days: 10)),
          ]))
      town.visitRecords[id] = record
    }
    return town
  }()

  /// The counts as `StatisticsColumn.counts` computed them before the facts, straight from
  /// the town: the reference the facts must reproduce.
  static func directCounts(
    of villageID: String, town: TownData, scope: Reports.Scope, asOf: CivilDate
  ) -> [String: Int] {
    var c: [String: Int] = [:]
    let grids = town.grids(inVillage: villageID)
    let households = town.households(inVillage: villageID)
    c["households"] = households.count
    c["householdsToVisit"] = households.count
    c["microGrids"] = grids.count
    c["gridLeaders"] = grids.filter { town.gridLeader(of: $0) != nil }.count
    c["wechatGroups"] =
      grids.filter { !$0.wechatGroup.trimmingCharacters(in: .whitespaces).isEmpty }.count
    c["visitors"] = Set(households.compactMap(\.visitorID)).count
    c["elderlyLivingAlone"] = households.reduce(0) {
      $0 + $1.persons.filter { $0.groups.contains(.elderlyLivingAlone) }.count
    }
    c["vulnerableHouseholds"] = households.filter(\.hasVulnerableMember).count
    let hazardIDs = [
      "hazardsFound", "hazardsRectifiedOnSpot", "hazardsWithDeadline", "hazardsRectified",
      "hazardsOpen", "hazardsOverdue",
    ]
    for id in ["householdsVisited", "visits", "vulnerableVisitedInPerson", "noticesDelivered"]
      + ["cardsPosted"] + hazardIDs
    {
      c[id] = 0
    }
    for household in households {
      guard let record = town.visitRecords[household.id] else { continue }
      let inScope = record.visits.filter { scope.contains($0.date) && $0.date <= asOf }
      c["visits", default: 0] += inScope.count
      if !inScope.isEmpty { c["householdsVisited", default: 0] += 1 }
      func answered(_ item: String) -> Bool { inScope.contains { $0.answers[item] == .yes } }
      if household.hasVulnerableMember, answered("vulnerableMet") {
        c["vulnerableVisitedInPerson", default: 0] += 1
      }
      if answered("noticeDelivered") { c["noticesDelivered", default: 0] += 1 }
      if answered("cardPosted") { c["cardsPosted", default: 0] += 1 }
      for found in record.hazards where scope.contains(found.foundOn) && found.foundOn <= asOf {
        let item = found.recorded(by: asOf)
        c["hazardsFound", default: 0] += 1
        if item.wasRectifiedOnSpot {
          c["hazardsRectifiedOnSpot", default: 0] += 1
          continue
        }
        c["hazardsWithDeadline", default: 0] += 1
        switch item.state(on: asOf) {
        case .closed: c["hazardsRectified", default: 0] += 1
        case .overdue:
          c["hazardsOpen", default: 0] += 1
          c["hazardsOverdue", default: 0] += 1
        case .open, .awaitingCheck: c["hazardsOpen", default: 0] += 1
        }
      }
    }
    var contacts = 0
    var risks = 0
    for grid in grids {
      for log in town.contactLogs[grid.id] ?? []
      where scope.contains(log.week.adding(days: 6)) && log.week <= asOf {
        if log.contacted { contacts += 1 }
        if log.hasRisk { risks += 1 }
      }
    }
    c["weeklyContacts"] = contacts
    c["riskReports"] = risks
    return c
  }

  /// The scopes and days of the test: the whole campaign and each round, on a day inside the
  /// first round, between rounds, and after the season; and a range of dates.
  static func scopes(_ town: TownData) -> [(Reports.Scope, CivilDate)] {
    let campaign = town.campaign(on: through)
    var scopes: [Reports.Scope] = [.campaign(campaign)]
    scopes += campaign.rounds.map { Reports.Scope.round($0, of: campaign) }
    if let first = campaign.rounds.first {
      scopes.append(.dates(first.start.adding(days: 3), first.end.adding(days: 20)))
    }
    var days = [through, through.adding(days: 60)]
    if let first = campaign.rounds.first { days += [first.start.adding(days: 5), first.end] }
    return scopes.flatMap { scope in days.map { (scope, $0) } }
  }

  @Test func factsCountsEqualTheDirectComputationOnADemoSeason() throws {
    let town = Self.season
    #expect(town.visitRecords.count > 500)
    // The town's own lines, as the database keeps them, read back.
    var facts = TownFacts()
    for household in town.households {
      facts.add(
        try #require(StatisticsFacts.decode(StatisticsFacts.encode(HouseholdFacts(household)))))
    }
    for record in town.visitRecords.values {
      facts.add(try #require(StatisticsFacts.decode(StatisticsFacts.encode(VisitFacts(record)))))
    }
    // The county's view of the town: town.json and contacts only.
    var header = town
    header.households = []
    header.visitRecords = [:]
    var nonZero = Set<String>()
    for (scope, day) in Self.scopes(town) {
      let asOf = scope.asOf(day)
      var direct: [String: Int] = [:]
      for village in town.villages {
        let expected = Self.directCounts(of: village.id, town: town, scope: scope, asOf: asOf)
        let counted = StatisticsColumn.counts(of: village.id, town: town, scope: scope, asOf: asOf)
        #expect(counted == expected, "\(village.name) \(scope.label) \(day)")
        for (id, value) in expected { direct[id, default: 0] += value }
      }
      let totals = Reports.townTotals(town: header, facts: facts, scope: scope, day: day)
      #expect(totals.counts == direct, "\(scope.label) \(day)")
      #expect(Reports.townTotals(town: town, scope: scope, day: day) == totals)
      nonZero.formUnion(direct.filter { $0.value > 0 }.keys)
    }
    // Every column was met with something to count.
    #expect(nonZero == Set(StatisticsColumn.counts))
  }

  @Test func aLineReadsBackAsItsFacts() {
    var random = SplitMix64(seed: 42)
    let alphabet = Array("ah01 %,;-_>\n\t镇村户ñ")
    func id(_ random: inout SplitMix64, empty: Bool = false) -> String {
      let length = random.next(in: empty ? 0...6 : 1...6)
      return String((0..<length).map { _ in random.element(of: alphabet) })
    }
    func date(_ random: inout SplitMix64) -> CivilDate {
      CivilDate(dayNumber: random.next(in: 19_000...21_000))
    }
    for _ in 0..<500 {
      let household = HouseholdFacts(
        householdID: id(&random), gridID: id(&random, empty: true),
        visitorID: random.chance(0.3) ? nil : id(&random),
        personIDs: (0..<random.next(in: 0...5)).map { _ in id(&random) },
        elderlyLivingAlone: random.next(in: 0...3), hasVulnerableMember: random.chance(0.5))
      let line = StatisticsFacts.encode(household)
      #expect(!line.contains("\n"))
      #expect(StatisticsFacts.decode(line) == .household(household), "\(line)")
      let kinds = HazardEvent.Kind.allCases
      let visits = VisitFacts(
        householdID: id(&random),
        visits: (0..<random.next(in: 0...6)).map { _ in
          VisitFacts.VisitFact(
            date: date(&random), vulnerableMet: random.chance(0.5),
            noticeDelivered: random.chance(0.5), cardPosted: random.chance(0.5))
        },
        hazards: (0..<random.next(in: 0...3)).map { _ in
          VisitFacts.stripped(
            (0..<random.next(in: 0...4)).map { _ in
              HazardEvent(
                kind: random.element(of: kinds), date: date(&random),
                deadline: random.chance(0.5) ? date(&random) : nil)
            })
        })
      let visitLine = StatisticsFacts.encode(visits)
      #expect(!visitLine.contains("\n"))
      #expect(StatisticsFacts.decode(visitLine) == .visits(visits), "\(visitLine)")
    }
  }

  @Test func theFactsOfARecordKeepOnlyWhatIsCounted() throws {
    let id = try #require(Self.season.households.first?.id)
    let record = Self.season.visitRecord(of: id)
    let facts = VisitFacts(record)
    #expect(facts.visits.map(\.date) == record.visits.map(\.date))
    #expect(
      facts.visits.map(\.noticeDelivered)
        == record.visits.map { $0.answers["noticeDelivered"] == .yes })
    #expect(facts.hazards.map(\.events.count) == record.hazards.map(\.events.count))
    #expect(
      facts.hazards.allSatisfy { $0.description.isEmpty && $0.events.allSatisfy(\.note.isEmpty) })
    #expect(
      facts.hazards.map { $0.state(on: Self.through) }
        == record.hazards.map { $0.state(on: Self.through) })
  }

  @Test func aLineOfAnotherVersionOrMalformedIsNotRead() {
    let household = StatisticsFacts.encode(
      HouseholdFacts(
        householdID: "h1", gridID: "g1", visitorID: nil, personIDs: ["p1"], elderlyLivingAlone: 1,
        hasVulnerableMember: true))
    #expect(household == "H1 h1 g1  1 1 p1")
    #expect(StatisticsFacts.decode("H2" + household.dropFirst(2)) == nil)
    #expect(StatisticsFacts.decode("V1 h1 2024112x ") == nil)
    #expect(StatisticsFacts.decode("V1 h1 20241120n q20241120") == nil)
    #expect(StatisticsFacts.decode("V1 h1 20241131 ") == nil)
    #expect(StatisticsFacts.decode("H1 h1 g1  1 2 p1") == nil)
    #expect(StatisticsFacts.decode("") == nil)
    #expect(
      StatisticsFacts.decode("V1 h1 20241120nc f20241120>20241127,v20241125;-")
        == .visits(
          VisitFacts(
            householdID: "h1",
            visits: [
              VisitFacts.VisitFact(
                date: CivilDate(year: 2024, month: 11, day: 20), vulnerableMet: false,
                noticeDelivered: true, cardPosted: true)
            ],
            hazards: [
              VisitFacts.stripped([
                HazardEvent(
                  kind: .found, date: CivilDate(year: 2024, month: 11, day: 20),
                  deadline: CivilDate(year: 2024, month: 11, day: 27)),
                HazardEvent(kind: .verified, date: CivilDate(year: 2024, month: 11, day: 25)),
              ]),
              VisitFacts.stripped([]),
            ])))
  }
}
