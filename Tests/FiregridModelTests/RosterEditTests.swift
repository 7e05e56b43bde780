import Testing

@testable import FiregridModel

struct RosterEditTests {
  static func idNumber(_ birth: String, _ serial: Int) -> String {
    let digits = String(serial)
    let first17 = "431224" + birth + String(repeating: "0", count: 3 - digits.count) + digits
    return first17 + String(IDNumber.checkDigit(for: first17)!)
  }

  /// One village, grid g0001 with `households` households, an empty grid g0002.
  static func town(households: Int) -> TownData {
    var list: [Household] = []
    for n in 1...max(1, households) where households > 0 {
      list.append(
        Household(
          id: String(format: "h%06d", n), gridID: "g0001", number: String(format: "%04d", n),
          address: "龙潭村\(n)号",
          persons: [
            Person(
              id: String(format: "p%07d", n), name: "住户\(n)", relation: "户主",
              idNumber: idNumber("19600101", n), phone: "1390745\(String(format: "%04d", n))")
          ]))
    }
    return TownData(
      town: Town(name: "三江镇"), villages: [Village(id: "v001", name: "龙潭村")],
      grids: [
        Grid(id: "g0001", villageID: "v001", name: "第1网格", gridLeaderID: "p0000001"),
        Grid(id: "g0002", villageID: "v001", name: "第2网格"),
      ],
      households: list, visitors: [Visitor(id: "u001", name: "肖煜中", role: .townCadre)])
  }

  static func newHousehold(number: String) -> Household {
    Household(id: "", gridID: "g0001", number: number, address: "新地址")
  }

  @Test(arguments: [
    (9, true, false), (10, true, true), (14, true, true), (15, false, false),
  ])
  func gridSizeRulesWhenAdding(existing: Int, accepted: Bool, warned: Bool) throws {
    let town = Self.town(households: existing)
    do {
      let outcome = try RosterEdit.saveHousehold(Self.newHousehold(number: "9999"), in: town)
      #expect(accepted)
      #expect(outcome.town.households(inGrid: "g0001").count == existing + 1)
      #expect(!outcome.warnings.isEmpty == warned)
      #expect(outcome.createdID == String(format: "h%06d", existing + 1))
      #expect(outcome.changedHouseholds.map(\.id) == [outcome.createdID])
    } catch {
      #expect(!accepted)
      #expect(error.message.contains("不能超过15户"))
    }
  }

  @Test func movingIntoAFullGridIsRefusedAndIntoAGrowingOneWarned() throws {
    var town = Self.town(households: 15)
    town.households[14].gridID = "g0002"  // g0001: 14, g0002: 1
    let moved = try RosterEdit.moveHousehold(id: "h000002", toGrid: "g0002", in: town)
    #expect(moved.town.households(inGrid: "g0002").count == 2)
    #expect(moved.warnings.isEmpty)
    var full = Self.town(households: 15)
    full.households[0].gridID = "g0002"  // g0002: 1, g0001: 14 → back to 15 is allowed
    let back = try RosterEdit.moveHousehold(id: "h000001", toGrid: "g0001", in: full)
    #expect(back.town.households(inGrid: "g0001").count == 15)
    #expect(back.warnings.contains { $0.contains("超过10户") })
    #expect(throws: RosterEdit.Refusal.self) {
      try RosterEdit.moveHousehold(id: "h000002", toGrid: "g0001", in: back.town)
    }
  }

  @Test func theLeaderMustLiveInTheGridAndMovingThemAwayClearsIt() throws {
    let town = Self.town(households: 6)
    var grid = town.grids[1]
    grid.gridLeaderID = "p0000003"  // lives in g0001
    #expect(throws: RosterEdit.Refusal(ModelText.editLeaderNotResident)) {
      try RosterEdit.saveGrid(grid, in: town)
    }
    let moved = try RosterEdit.moveHousehold(id: "h000001", toGrid: "g0002", in: town)
    #expect(moved.town.grid(id: "g0001")?.gridLeaderID == nil)
    #expect(moved.townRecordsChanged)
    #expect(moved.warnings.contains { $0.contains("网格长") })
  }

  @Test func duplicateIDIsRefusedNamingTheHousehold() throws {
    let town = Self.town(households: 5)
    let copy = Person(
      id: "", name: "另一人", relation: "子", idNumber: Self.idNumber("19600101", 3))
    do {
      _ = try RosterEdit.savePerson(copy, inHousehold: "h000001", in: town)
      Issue.record("duplicate accepted")
    } catch {
      #expect(error.message.contains("户号 0003"))
      #expect(error.message.contains("住户3"))
    }
  }

  @Test func sameNameAndBirthDateOrPhoneWarns() throws {
    let town = Self.town(households: 5)
    let sameBirth = Person(
      id: "", name: "住户2", relation: "子", idNumber: Self.idNumber("19600101", 77))
    let outcome = try RosterEdit.savePerson(sameBirth, inHousehold: "h000001", in: town)
    #expect(outcome.warnings.count == 1)
    let samePhone = Person(id: "", name: "住户4", relation: "子", phone: "13907450004")
    #expect(
      try RosterEdit.savePerson(samePhone, inHousehold: "h000001", in: town).warnings.count == 1)
    let other = Person(id: "", name: "住户4", relation: "子", phone: "13907459999")
    #expect(try RosterEdit.savePerson(other, inHousehold: "h000001", in: town).warnings.isEmpty)
  }

  @Test func badIDOrPhoneOrSecondHeadIsRefused() {
    let town = Self.town(households: 5)
    var bad = Self.idNumber("19600101", 88)
    bad.removeLast()
    bad.append(bad.last == "1" ? "2" : "1")
    let refusals: [Person] = [
      Person(id: "", name: "甲", relation: "子", idNumber: bad),
      Person(id: "", name: "乙", relation: "子", phone: "1234"),
      Person(id: "", name: " ", relation: "子"),
    ]
    for person in refusals {
      #expect(throws: RosterEdit.Refusal.self) {
        try RosterEdit.savePerson(person, inHousehold: "h000001", in: town)
      }
    }
  }

  @Test func newPersonGetsTheNextIDAndSexFromTheIDNumber() throws {
    let town = Self.town(households: 5)
    let person = Person(
      id: "", name: "新人", relation: "女", idNumber: Self.idNumber("20100505", 22).lowercased())
    let outcome = try RosterEdit.savePerson(person, inHousehold: "h000002", in: town)
    #expect(outcome.createdID == "p0000006")
    let saved = try #require(outcome.town.household(id: "h000002")?.persons.last)
    #expect(saved.sex == .female)  // serial 022: even → female
  }

  @Test func householdNumbersAreUniqueInTheVillage() {
    let town = Self.town(households: 5)
    #expect(throws: RosterEdit.Refusal.self) {
      try RosterEdit.saveHousehold(Self.newHousehold(number: "0003"), in: town)
    }
  }

  @Test func nonEmptyVillagesAndGridsAreNotDeleted() throws {
    let town = Self.town(households: 5)
    #expect(throws: RosterEdit.Refusal.self) { try RosterEdit.deleteGrid(id: "g0001", in: town) }
    #expect(throws: RosterEdit.Refusal.self) { try RosterEdit.deleteVillage(id: "v001", in: town) }
    let outcome = try RosterEdit.deleteGrid(id: "g0002", in: town)
    #expect(outcome.town.grids.map(\.id) == ["g0001"])
  }

  @Test func archivingAHouseholdListsItForTheStore() throws {
    let town = Self.town(households: 5)
    let outcome = try RosterEdit.archiveHousehold(id: "h000001", in: town)
    #expect(outcome.archivedHouseholdIDs == ["h000001"])
    #expect(outcome.town.household(id: "h000001") == nil)
    #expect(outcome.town.grid(id: "g0001")?.gridLeaderID == nil)
  }

  @Test func assigningAVisitorToAGridTouchesOnlyThatGrid() throws {
    var town = Self.town(households: 6)
    town.households[5].gridID = "g0002"
    let outcome = try RosterEdit.assignVisitor("u001", toGrid: "g0001", in: town)
    #expect(outcome.changedHouseholds.count == 5)
    #expect(outcome.town.households.filter { $0.visitorID == "u001" }.count == 5)
  }

  @Test func nextIDFollowsTheLargest() {
    #expect(RosterEdit.nextID(prefix: "g", width: 4, existing: ["g0001", "g0009"]) == "g0010")
    #expect(RosterEdit.nextID(prefix: "v", width: 3, existing: []) == "v001")
  }

  /// A second village whose 0001 is taken, for moves across villages.
  static func twoVillages() -> TownData {
    var town = Self.town(households: 3)
    town.villages.append(Village(id: "v002", name: "江东社区"))
    town.grids.append(Grid(id: "g0003", villageID: "v002", name: "第1网格"))
    town.households.append(
      Household(
        id: "h000009", gridID: "g0003", number: "0001", address: "江东社区1号",
        persons: [Person(id: "p0000009", name: "江东住户", relation: "户主")]))
    return town
  }

  /// 5 of the trust issue: a move into a village that has the number takes its next free one.
  @Test func aMoveIntoAVillageThatHasTheNumberTakesTheNextFreeOne() throws {
    let town = Self.twoVillages()
    let outcome = try RosterEdit.moveHousehold(id: "h000001", toGrid: "g0003", in: town)
    #expect(outcome.changedHouseholds.first?.number == "0002")
    #expect(outcome.warnings.contains { $0.contains("江东社区已有户号 0001，迁入后改为 0002") })
    let inVillage = outcome.town.households(inVillage: "v002").map(\.number).sorted()
    #expect(inVillage == ["0001", "0002"])
  }

  /// 6 of the trust issue: the head cannot be removed or stop being head without another
  /// taking over; a new head takes over (the old one said); the last member stays.
  @Test func aHouseholdAlwaysHasExactlyOneHead() throws {
    var town = Self.town(households: 2)
    town = try RosterEdit.savePerson(
      Person(id: "", name: "配偶", relation: "配偶"), inHousehold: "h000001", in: town
    ).town
    #expect(throws: RosterEdit.Refusal(ModelText.editRemoveHead)) {
      try RosterEdit.removePerson(id: "p0000001", fromHousehold: "h000001", in: town)
    }
    var formerHead = town.household(id: "h000001")!.persons[0]
    formerHead.relation = "配偶"
    #expect(throws: RosterEdit.Refusal(ModelText.editHeadNeeded)) {
      try RosterEdit.savePerson(formerHead, inHousehold: "h000001", in: town)
    }
    var spouse = town.household(id: "h000001")!.persons[1]
    spouse.relation = "户主"
    let handover = try RosterEdit.savePerson(spouse, inHousehold: "h000001", in: town)
    #expect(handover.warnings.contains { $0.contains("原户主 住户1") })
    let persons = handover.town.household(id: "h000001")!.persons
    #expect(persons.filter(\.isHead).map(\.name) == ["配偶"])
    #expect(throws: RosterEdit.Refusal(ModelText.editLastMember)) {
      try RosterEdit.removePerson(id: "p0000002", fromHousehold: "h000002", in: town)
    }
  }

  /// Archiving a household with open hazards says so.
  @Test func archivingAHouseholdWithOpenHazardsNamesThem() throws {
    var town = Self.town(households: 2)
    town.visitRecords["h000001"] = VisitRecord(
      householdID: "h000001", visits: [],
      hazards: [
        Hazard(
          id: "h000001-z1", householdID: "h000001", checkID: "wiring", description: "电线老化",
          events: [
            HazardEvent(
              kind: .found, date: CivilDate("2026-12-01")!, deadline: CivilDate("2026-12-08")!)
          ])
      ])
    let outcome = try RosterEdit.archiveHousehold(id: "h000001", in: town)
    #expect(outcome.warnings.contains { $0.contains("1 处隐患尚未销号（电线老化）") })
  }

  /// The roster's invariants hold after any sequence of edits: random adds, member edits,
  /// removals, moves and archives (seeded, so a failure repeats), each checked after every
  /// accepted edit — 户号 unique in its village, exactly one 户主 in every household that has
  /// members.
  @Test(arguments: 0..<20)
  func invariantsHoldOverRandomEdits(seed: Int) {
    var random = SplitMix64(seed: UInt64(seed))
    var town = Self.twoVillages()
    let relations = ["户主", "配偶", "子", "女", "户主"]
    for step in 0..<200 {
      let households = town.households
      let household = households[random.next(below: households.count)]
      let outcome: RosterEdit.Outcome?
      switch random.next(below: 5) {
      case 0:
        outcome = try? RosterEdit.saveHousehold(
          Household(
            id: "", gridID: ["g0001", "g0002", "g0003"][random.next(below: 3)],
            number: String(format: "%04d", random.next(below: 12) + 1), address: "新\(step)"),
          in: town)
      case 1:
        let isNew = random.next(below: 2) == 0 || household.persons.isEmpty
        var person =
          isNew
          ? Person(id: "", name: "人\(step)", relation: "")
          : household.persons[random.next(below: household.persons.count)]
        person.relation = relations[random.next(below: relations.count)]
        outcome = try? RosterEdit.savePerson(person, inHousehold: household.id, in: town)
      case 2:
        guard !household.persons.isEmpty else { continue }
        let person = household.persons[random.next(below: household.persons.count)]
        outcome = try? RosterEdit.removePerson(
          id: person.id, fromHousehold: household.id, in: town)
      case 3:
        outcome = try? RosterEdit.moveHousehold(
          id: household.id, toGrid: ["g0001", "g0002", "g0003"][random.next(below: 3)], in: town)
      default:
        guard households.count > 3 else { continue }
        outcome = try? RosterEdit.archiveHousehold(id: household.id, in: town)
      }
      guard let outcome else { continue }
      town = outcome.town
      for village in town.villages {
        let numbers = town.households(inVillage: village.id).map(\.number)
        #expect(Set(numbers).count == numbers.count, "seed \(seed) step \(step): 户号 repeated")
      }
      for member in town.households where !member.persons.isEmpty {
        #expect(
          member.persons.filter(\.isHead).count == 1,
          "seed \(seed) step \(step): \(member.number) has \(member.persons.filter(\.isHead).count) heads"
        )
      }
    }
  }
}
