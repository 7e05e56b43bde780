import Foundation
import Testing

@testable import FiregridModel

/// The premises of a demo town and their season of inspections: counts and shares, the
/// 多合一 households, reproducibility, and inspections answering exactly their premises' items.
@Suite struct DemoPremisesTests {
  /// Resources/Data/forms/<name>, decoded as the app decodes it (extra keys ignored).
  static func form(_ name: String) -> VisitForm {
    let url = DemoFixtures.namesURL.deletingLastPathComponent()
      .appendingPathComponent("forms/\(name)")
    do {
      return try JSONDecoder().decode(VisitForm.self, from: Data(contentsOf: url))
    } catch {
      fatalError("cannot read \(url.path): \(error)")
    }
  }

  static let residential = form("residential-v1.json")
  static let office = form("office-v1.json")
  static let business = form("business-v1.json")

  /// About 24 villages: enough for shares of villages (schools) to mean something.
  static let town = DemoFixtures.town(6_000)
  static let through = CivilDate(year: 2025, month: 1, day: 20)

  static func season(_ town: TownData, seed: UInt64 = 7, premises: Bool = true) -> TownData {
    DemoSeasonGenerator(
      form: residential, seed: seed, officeForm: premises ? office : nil,
      businessForm: premises ? business : nil
    ).generate(into: town, through: through)
  }

  static let seasonTown = season(town)

  @Test func everyVillageHasItsOfficeAndAboutHalfASchool() {
    let town = Self.town
    #expect(town.villages.count >= 20)
    var schools = 0
    for village in town.villages {
      let offices = town.premises(inVillage: village.id).filter { $0.kind == .office }
      #expect(
        offices.filter { $0.name == village.name + "村部" || $0.name == village.name + "服务中心" }
          .count == 1, "\(village.name)")
      #expect((1...2).contains(offices.count))
      schools += offices.filter { $0.name.hasSuffix("小学") }.count
      for office in offices { #expect(office.businessKind == nil && office.householdID == nil) }
    }
    let share = Double(schools) / Double(town.villages.count)
    #expect((0.25...0.75).contains(share), "schools in \(schools) villages")
  }

  @Test func aboutOneBusinessPerFifteenHouseholdsMostlyShopsEateriesWorkshops() throws {
    let town = Self.town
    let businesses = town.premises.filter { $0.kind != .office }
    let perBusiness = Double(town.households.count) / Double(businesses.count)
    #expect((12.0...19.0).contains(perBusiness), "one business per \(perBusiness) households")
    var byKind: [BusinessKind: Int] = [:]
    for business in businesses {
      let kind = try #require(business.businessKind)
      byKind[kind, default: 0] += 1
    }
    let common = (byKind[.shop] ?? 0) + (byKind[.restaurant] ?? 0) + (byKind[.workshop] ?? 0)
    #expect(Double(common) / Double(businesses.count) > 0.7)
    #expect((byKind[.shop] ?? 0) > (byKind[.restaurant] ?? 0))
    #expect((byKind[.farmStay] ?? 0) > 0 && (byKind[.smallHotel] ?? 0) > 0)
    let mixed = businesses.filter { $0.kind == .mixedUse }.count
    let mixedShare = Double(mixed) / Double(businesses.count)
    #expect((0.12...0.28).contains(mixedShare), "多合一 share \(mixedShare)")
  }

  /// A 多合一 place is a household's home: in its grid, at its address, its head responsible,
  /// its members sleeping there; no household has two.
  @Test func mixedUsePlacesAreTheHomeOfAHouseholdOfTheirGrid() throws {
    let town = Self.town
    var linked = Set<String>()
    for premises in town.premises {
      guard premises.kind == .mixedUse else {
        #expect(premises.householdID == nil, "\(premises.id)")
        continue
      }
      let household = try #require(town.household(id: premises.householdID ?? ""))
      #expect(linked.insert(household.id).inserted, "\(household.id) linked twice")
      #expect(household.gridID == premises.gridID)
      #expect(premises.address == household.address)
      #expect(premises.responsiblePerson == household.head?.name)
      #expect(premises.peopleSleep == true && premises.sleepers == household.persons.count)
      #expect(premises.businessKind != .smallHotel)
    }
    #expect(!linked.isEmpty)
  }

  @Test func everyPremisesHasWhatItsFormHeaderAsks() {
    let town = Self.town
    let visitorOfGrid = Dictionary(
      town.households.map { ($0.gridID, $0.visitorID) }, uniquingKeysWith: { a, _ in a })
    var names: [String: Set<String>] = [:]
    for (index, premises) in town.premises.enumerated() {
      #expect(premises.id == "c" + TextFolding.zeroPadded(index + 1, width: 5))
      #expect(town.grid(id: premises.gridID) != nil)
      #expect(!premises.name.isEmpty && !premises.address.isEmpty)
      #expect(!premises.responsiblePerson.isEmpty, "\(premises.id)")
      #expect(PhoneNumber.kind(of: premises.responsiblePhone) == .mobile, "\(premises.id)")
      #expect((premises.floors ?? 0) >= 1 && (premises.floorArea ?? 0) >= 30)
      let sleeps = premises.peopleSleep ?? false
      #expect(sleeps == ((premises.sleepers ?? 0) > 0), "\(premises.id)")
      #expect(premises.visitorID != nil && premises.visitorID == visitorOfGrid[premises.gridID])
      let village = town.grid(id: premises.gridID)!.villageID
      #expect(names[village, default: []].insert(premises.name).inserted, "\(premises.name)")
    }
    // Roster order: a village's premises together, offices first.
    for village in town.villages {
      let kinds = town.premises(inVillage: village.id).map(\.kind)
      let firstBusiness = kinds.firstIndex { $0 != .office } ?? kinds.count
      #expect(kinds[firstBusiness...].allSatisfy { $0 != .office })
    }
  }

  @Test func premisesAreReproducibleAndFollowTheSeed() {
    #expect(DemoFixtures.town(1_000).premises == DemoFixtures.town(1_000).premises)
    #expect(
      DemoFixtures.town(1_000).premises.map(\.name)
        != DemoFixtures.town(1_000, seed: 99).premises.map(\.name))
    #expect(DemoFixtures.town(0).premises.isEmpty)
    let tiny = DemoFixtures.town(6)
    #expect(tiny.premises.count >= 1 && tiny.premises[0].kind == .office)
  }

  @Test func theSeasonIsReproducibleAndLeavesTheHomesAlone() {
    let again = Self.season(Self.town)
    #expect(again.premisesRecords == Self.seasonTown.premisesRecords)
    #expect(Self.season(Self.town, seed: 8).premisesRecords != Self.seasonTown.premisesRecords)
    // The homes' season is the same with or without premises.
    let homesOnly = Self.season(Self.town, premises: false)
    #expect(homesOnly.premisesRecords.isEmpty)
    #expect(homesOnly.visitRecords == Self.seasonTown.visitRecords)
    #expect(homesOnly.contactLogs == Self.seasonTown.contactLogs)
  }

  /// One inspection per round for most premises, on the premises' own form, answering exactly
  /// the items that apply to it.
  @Test func everyInspectionAnswersExactlyItsPremisesItems() throws {
    let town = Self.seasonTown
    let rounds = town.campaign(on: Self.through).rounds.filter { $0.end < Self.through }
    #expect(rounds.count >= 3)
    var inspectedInRound = Array(repeating: 0, count: rounds.count)
    for premises in town.premises {
      let record = town.inspectionRecord(of: premises.id)
      let form = premises.kind == .office ? Self.office : Self.business
      let expected = Set(
        form.sections.flatMap(\.items).filter {
          $0.applies(to: premises.kind, business: premises.businessKind)
        }.map(\.id))
      for (index, visit) in record.visits.enumerated() {
        #expect(visit.householdID == premises.id)
        #expect(visit.id.hasPrefix(premises.id + "-v"))
        #expect(visit.formID == form.formID)
        #expect(Set(visit.answers.keys) == expected, "\(visit.id)")
        #expect(visit.visitorID == premises.visitorID)
        if index > 0 { #expect(record.visits[index - 1].date <= visit.date) }
      }
      for (index, round) in rounds.enumerated() where !record.visits(in: round).isEmpty {
        inspectedInRound[index] += 1
      }
    }
    for count in inspectedInRound {
      let share = Double(count) / Double(town.premises.count)
      #expect((0.8...0.97).contains(share), "\(count) of \(town.premises.count) inspected")
    }
    // 多合一 items asked of 多合一 places only.
    let separation = town.premises.filter { premises in
      town.inspectionRecord(of: premises.id).visits.contains {
        $0.answers["fireSeparation"] != nil
      }
    }
    #expect(!separation.isEmpty && separation.allSatisfy { $0.kind == .mixedUse })
  }

  @Test func hazardsFollowTheirLifeCycle() throws {
    let town = Self.seasonTown
    var hazards = 0
    var closed = 0
    var checks = Set<String>()
    for premises in town.premises {
      let record = town.inspectionRecord(of: premises.id)
      let form = premises.kind == .office ? Self.office : Self.business
      for hazard in record.hazards {
        hazards += 1
        #expect(hazard.id.hasPrefix(premises.id + "-z") && hazard.householdID == premises.id)
        let item = try #require(form.item(id: hazard.checkID), "\(hazard.checkID)")
        #expect(item.kind == .hazard)
        #expect(item.item.applies(to: premises.kind, business: premises.businessKind))
        let visit = try #require(record.visits.first { $0.id == hazard.foundInVisit })
        #expect(visit.answers[hazard.checkID] == .no)
        #expect(
          hazard.events.first?.deadline
            == visit.date.adding(days: item.item.deadlineDays ?? 7))
        #expect(hazard.events.first?.kind == .found)
        for (earlier, later) in zip(hazard.events, hazard.events.dropFirst()) {
          #expect(earlier.date <= later.date, "\(hazard.id)")
        }
        #expect(
          hazard.events.compactMap(\.visitID).allSatisfy { id in
            record.visits.contains { $0.id == id }
          })
        if hazard.closedOn != nil { closed += 1 }
        checks.insert(hazard.checkID)
      }
    }
    #expect(hazards > 50)
    #expect(closed > hazards / 3 && closed < hazards)
    #expect(checks.count >= 8)
  }
}
