import Foundation
import Testing

@testable import FiregridModel

/// Premises in a spot-check sample, on request: drawn from their own stream (the households'
/// list is the same with or without them), stratified by kind, weighted where people sleep,
/// printed on a sheet of their own with the redraw command naming them.
struct SpotCheckPremisesTests {
  /// Two villages: v1 with 10 households and 9 premises (3 offices, 4 businesses, 2 多合一
  /// where people sleep), v2 with 4 households and 1 business.
  static func town() -> TownData {
    var town = TownData(
      town: Town(name: "三江镇"),
      villages: [Village(id: "v1", name: "龙潭村"), Village(id: "v2", name: "江口村")],
      grids: [
        Grid(id: "g1", villageID: "v1", name: "第1网格"),
        Grid(id: "g2", villageID: "v2", name: "第1网格"),
      ])
    for n in 1...14 {
      town.households.append(
        Household(
          id: String(format: "h%06d", n), gridID: n <= 10 ? "g1" : "g2",
          number: String(format: "%04d", n), address: "",
          persons: [Person(id: "p\(n)", name: "户主\(n)", relation: "户主")],
          visitorID: n % 2 == 0 ? "u1" : "u2"))
    }
    let kinds: [(PremisesKind, BusinessKind?, Bool?)] = [
      (.office, nil, false), (.business, .shop, false), (.office, nil, false),
      (.business, .restaurant, false), (.mixedUse, .shop, true), (.business, .workshop, nil),
      (.office, nil, false), (.business, .shop, false), (.mixedUse, .farmStay, true),
    ]
    for (offset, (kind, business, sleep)) in kinds.enumerated() {
      town.premises.append(
        Premises(
          id: String(format: "c%05d", offset + 1), gridID: "g1", name: "场所\(offset + 1)",
          kind: kind, businessKind: business, peopleSleep: sleep,
          sleepers: sleep == true ? 3 : nil))
    }
    town.premises.append(
      Premises(id: "c00010", gridID: "g2", name: "江口商店", kind: .business, businessKind: .shop))
    return town
  }

  @Test func theSameSeedDrawsTheSamePremisesAndTheHouseholdsDoNotChange() {
    let town = Self.town()
    let first = SpotCheckSampling.drawPremises(round: 2, perVillage: 3, seed: 42, town: town)
    #expect(first == SpotCheckSampling.drawPremises(round: 2, perVillage: 3, seed: 42, town: town))
    #expect(first != SpotCheckSampling.drawPremises(round: 2, perVillage: 3, seed: 43, town: town))
    // v1 gives 3 (one of each kind: three strata, three draws), v2 its only one.
    #expect(first.count == 4)
    #expect(first.last == "c00010")
    let kinds = first.dropLast().compactMap { id in town.premises(id: id)?.kind }
    #expect(Set(kinds) == [.office, .business, .mixedUse])
    // Not asked for: none, and nothing else changes.
    #expect(SpotCheckSampling.drawPremises(round: 2, perVillage: 0, seed: 42, town: town) == [])
    var withoutPremises = town
    withoutPremises.premises = []
    #expect(
      SpotCheckSampling.draw(round: 2, perVillage: 3, seed: 42, town: town)
        == SpotCheckSampling.draw(round: 2, perVillage: 3, seed: 42, town: withoutPremises))
  }

  /// Over 300 seeds, one premises of v1's 多合一 stratum is drawn per draw of K = 3; with K = 4
  /// the extra draw goes to a stratum; places where people sleep weigh 3 within a stratum, so
  /// across mixed strata they come up more often than their share.
  @Test func placesWherePeopleSleepAreDrawnMoreOften() {
    var town = Self.town()
    // One stratum only: every v1 premises a business, two of nine with people sleeping.
    for index in town.premises.indices where town.premises[index].gridID == "g1" {
      town.premises[index].kind = .business
      town.premises[index].businessKind = .shop
    }
    var sleeping = 0
    let draws = 300
    for seed in 0..<draws {
      let drawn = SpotCheckSampling.drawPremises(round: 3, perVillage: 1, seed: seed, town: town)
      if let id = drawn.first, town.premises(id: id)?.peopleSleep == true { sleeping += 1 }
    }
    // Share by count 2/9 ≈ 67 of 300; by weight 6/13 ≈ 138.
    #expect(sleeping > 110, "\(sleeping) of \(draws)")
  }

  @Test func theCheckSheetListsThePremisesOnASheetOfTheirOwn() throws {
    let town = Self.town()
    let campaign = Campaign.winter(startingIn: 2026)
    let sample = SpotCheckSample(
      id: "s1", round: 2, perVillage: 2, seed: 7,
      drawnOn: CivilDate(year: 2026, month: 12, day: 20),
      drawnBy: "督查员",
      householdIDs: SpotCheckSampling.draw(round: 2, perVillage: 2, seed: 7, town: town),
      premisesPerVillage: 1,
      premisesIDs: SpotCheckSampling.drawPremises(round: 2, perVillage: 1, seed: 7, town: town))
    let report = SupervisionReports.checkSheet(sample: sample, campaign: campaign, town: town)
    #expect(report.tables.count == 2)
    let premises = report.tables[1]
    #expect(premises.title == "场所抽查名单（核查表）")
    #expect(premises.rows.count == 2)
    #expect(
      premises.rows.map { $0[3].text } == sample.premisesIDs.map { town.premises(id: $0)!.name })
    #expect(premises.rows.allSatisfy { $0[8].text == "未检查" })
    #expect(report.tables[0].footer.last?.hasSuffix("--seed 7 --premises-per-village 1") == true)
    // Without premises: one sheet, and the redraw line does not name them.
    var plain = sample
    plain.premisesIDs = []
    plain.premisesPerVillage = 0
    let single = SupervisionReports.checkSheet(sample: plain, campaign: campaign, town: town)
    #expect(single.tables.count == 1)
    #expect(single.tables[0].footer.last?.hasSuffix("--seed 7") == true)
  }

  /// A sample saved before premises could be asked for reads with none.
  @Test func anOlderSampleReadsWithoutPremises() throws {
    let json = """
      {"id":"s1","round":2,"perVillage":3,"seed":42,"drawnOn":"2026-12-20","drawnBy":"甲",
       "householdIDs":["h000001"]}
      """
    let sample = try JSONDecoder().decode(SpotCheckSample.self, from: Data(json.utf8))
    #expect(sample.premisesIDs == [])
    #expect(sample.premisesPerVillage == 0)
    #expect(sample.householdIDs == ["h000001"])
  }
}
