import Foundation
import Testing

@testable import FiregridModel

/// The real names file and one generated town, shared by the tests.
enum DemoFixtures {
  /// Resources/Data/demo-names.json, found from this file's path (the model reads no files;
  /// the test does, to check the data the app ships).
  static let namesURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Resources/Data/demo-names.json")

  static let names: DemoTownGenerator.Names = {
    do {
      return try JSONDecoder().decode(
        DemoTownGenerator.Names.self, from: Data(contentsOf: namesURL))
    } catch {
      fatalError("cannot read \(namesURL.path): \(error)")
    }
  }()

  static let today = CivilDate(year: 2024, month: 11, day: 18)

  static func town(_ households: Int, seed: UInt64 = 20_241_118) -> TownData {
    DemoTownGenerator(names: names, seed: seed).generate(households: households, today: today)
  }

  static let town2000 = town(2_000)
}

@Suite struct DemoNamesFileTests {
  @Test func fileDecodesWithoutProblems() {
    let names = DemoFixtures.names
    #expect(names.problems == [])
    #expect(names.format == DemoTownGenerator.Names.formatIdentifier)
    #expect(names.version == DemoTownGenerator.Names.currentVersion)
    #expect(names.town == Town(name: "三江镇", county: "溆浦县", countyCode: "431224"))
  }

  @Test func poolsAreLargeEnough() {
    let names = DemoFixtures.names
    #expect(names.surnames.count >= 100)
    #expect(Set(names.surnames.map(\.name)).count == names.surnames.count)
    let male = Set(names.maleGivenCharacters)
    let female = Set(names.femaleGivenCharacters)
    #expect(male.count == names.maleGivenCharacters.count)
    #expect(female.count == names.femaleGivenCharacters.count)
    #expect(male.count + female.count >= 150)
    #expect(male.isDisjoint(with: female))
    #expect(names.villageNames.count >= 20)
    #expect(names.villageNames.contains("龙潭村"))
    #expect(names.villageNames.contains { $0.hasSuffix("社区") })
    #expect(Set(names.visitorRoles.map(\.role)) == Set(VisitorRole.allCases))
  }

  /// Surnames that pinyin transforms read wrongly must be in the demo data, so that search
  /// is tested on them.
  @Test(arguments: ["单", "曾", "解", "仇", "区", "查", "翟", "朴", "覃", "乐"])
  func trickySurnameIsPresent(surname: String) {
    #expect(DemoFixtures.names.surnames.contains { $0.name == surname })
  }

  @Test func problemsAreReported() {
    var names = DemoFixtures.names
    names.version = 2
    names.surnames = []
    names.town.countyCode = "04312"
    names.mobilePrefixes = ["128", "13"]
    names.villageNames = ["龙潭村", "龙潭村"]
    names.visitorRoles[0].weight = 0
    #expect(
      names.problems == [
        "演示名单文件版本2不受支持",
        "县级行政区划代码04312无效，应为6位数字",
        "演示名单缺少姓氏",
        "演示名单中镇干部的权重应大于0",
        "手机号段128无效，应为1开头的3位数字",
        "手机号段13无效，应为1开头的3位数字",
        "村名龙潭村重复",
      ])
  }
}

@Suite struct DemoTownGeneratorTests {
  @Test func sameSeedSameTown() {
    let first = DemoFixtures.town(300, seed: 7)
    let second = DemoFixtures.town(300, seed: 7)
    #expect(first == second)
  }

  @Test func differentSeedDifferentTown() {
    let first = DemoFixtures.town(300, seed: 7)
    let second = DemoFixtures.town(300, seed: 8)
    #expect(first.households.count == second.households.count)
    #expect(first.households != second.households)
    #expect(first.visitors != second.visitors)
  }

  @Test(
    "household count and grid sizes for any size of town",
    arguments: [0, 1, 4, 5, 6, 12, 13, 16, 17, 29, 250, 377, 1_000])
  func sizes(households: Int) {
    let town = DemoFixtures.town(households, seed: UInt64(households))
    #expect(town.households.count == households)
    #expect(town.town.name == "三江镇")
    if households == 0 {
      #expect(town.villages.isEmpty && town.grids.isEmpty && town.visitors.isEmpty)
      return
    }
    for grid in town.grids {
      let count = town.households(inGrid: grid.id).count
      if households >= 5 {
        #expect((5...12).contains(count), "\(grid.id) has \(count)")
      } else {
        #expect(count == households)
      }
    }
    #expect(
      town.villages.count == max(1, min(Int((Double(households) / 250).rounded()), households / 5)))
  }

  @Test func idsAreSequentialInRosterOrder() {
    let town = DemoFixtures.town2000
    #expect(town.villages.map(\.id) == (1...town.villages.count).map { pad("v", $0, 3) })
    #expect(town.grids.map(\.id) == (1...town.grids.count).map { pad("g", $0, 4) })
    #expect(town.households.map(\.id) == (1...2_000).map { pad("h", $0, 6) })
    let personIDs = town.households.flatMap { $0.persons.map(\.id) }
    #expect(personIDs == (1...personIDs.count).map { pad("p", $0, 7) })
    #expect(town.visitors.map(\.id) == (1...town.visitors.count).map { pad("u", $0, 3) })
    // Grids of a village are contiguous and numbered 第1网格, 第2网格, ...
    for village in town.villages {
      let grids = town.grids(inVillage: village.id)
      #expect(grids.map(\.name) == (1...grids.count).map { "第\($0)网格" })
      for grid in grids {
        #expect(grid.wechatGroup == "\(village.name)\(grid.name)消防群")
      }
    }
    let gridOrder = town.households.map(\.gridID)
    #expect(gridOrder == gridOrder.sorted())
  }

  @Test func everyIDNumberIsValidUniqueAndMatchesSex() {
    let persons = DemoFixtures.town2000.households.flatMap(\.persons)
    #expect(persons.count > 4_000 && persons.count < 8_000)
    #expect(Set(persons.map(\.idNumber)).count == persons.count)
    for person in persons {
      #expect(IDNumber.validate(person.idNumber) == nil, "\(person.id) \(person.idNumber)")
      #expect(person.idNumber.hasPrefix("431224"))
      #expect(IDNumber.sex(of: person.idNumber) == person.sex, "\(person.id)")
      let birth = IDNumber.birthCivilDate(of: person.idNumber)
      #expect(birth.map { $0 <= DemoFixtures.today } == true, "\(person.id)")
      #expect(!person.name.isEmpty && person.name.count <= 4)
    }
  }

  @Test func phonesAreValidAndUnique() {
    let town = DemoFixtures.town2000
    let persons = town.households.flatMap(\.persons)
    let phones =
      persons.map(\.phone).filter { !$0.isEmpty } + town.villages.map(\.liaisonPhone)
      + town.visitors.map(\.phone)
    #expect(Set(phones).count == phones.count)
    for phone in phones { #expect(PhoneNumber.kind(of: phone) == .mobile, "\(phone)") }
    for village in town.villages { #expect(!village.liaison.isEmpty) }
    for visitor in town.visitors { #expect(!visitor.phone.isEmpty && !visitor.name.isEmpty) }
    let adults = persons.filter { age($0).map { (18..<70).contains($0) } == true }
    let withPhone = adults.filter { !$0.phone.isEmpty }.count
    #expect(Double(withPhone) / Double(adults.count) > 0.8)
    #expect(persons.filter { age($0)! < 14 }.allSatisfy { $0.phone.isEmpty })
  }

  @Test func gridsHaveLeaderInsideAndFewVolunteers() {
    let town = DemoFixtures.town2000
    var sizes: [Int] = []
    for grid in town.grids {
      let households = town.households(inGrid: grid.id)
      sizes.append(households.count)
      #expect(RosterRules.gridSizeStatus(households.count) != .overLimit)
      #expect(RosterRules.gridSizeStatus(households.count) != .tooSmall)
      let leader = town.gridLeader(of: grid)
      #expect(leader?.isHead == true, "\(grid.id)")
      #expect((0...2).contains(grid.volunteers.count))
      let residents = Set(households.flatMap { $0.persons.map(\.name) })
      for volunteer in grid.volunteers { #expect(residents.contains(volunteer)) }
    }
    let large = sizes.filter { $0 > 10 }.count
    #expect(large > 0 && Double(large) / Double(sizes.count) < 0.3)
    #expect(sizes.filter { (5...10).contains($0) }.count > sizes.count * 7 / 10)
  }

  @Test func householdsHaveOneHeadAVisitorAndAnAddress() {
    let town = DemoFixtures.town2000
    let visitorIDs = Set(town.visitors.map(\.id))
    let relations = Set(ModelText.relations)
    for village in town.villages {
      let households = town.households(inVillage: village.id)
      #expect(households.map(\.number) == (1...households.count).map { pad("", $0, 4) })
      #expect(Set(households.map(\.address)).count == households.count)
      for household in households {
        #expect(household.address.hasPrefix("三江镇" + village.name))
        #expect(household.address.hasSuffix("号"))
      }
    }
    for household in town.households {
      #expect((1...6).contains(household.persons.count))
      #expect(household.persons.filter(\.isHead).count == 1)
      #expect(household.persons.first?.isHead == true)
      #expect(household.visitorID.map(visitorIDs.contains) == true)
      for person in household.persons { #expect(relations.contains(person.relation)) }
    }
  }

  @Test func visitorsCoverWholeGrids() {
    let town = DemoFixtures.town2000
    let expected = 2_000.0 / 30
    #expect(Double(town.visitors.count) > expected * 0.8)
    #expect(Double(town.visitors.count) < expected * 1.2)
    var householdsPerVisitor: [String: Int] = [:]
    for grid in town.grids {
      let visitors = Set(town.households(inGrid: grid.id).map(\.visitorID))
      #expect(visitors.count == 1, "\(grid.id)")
    }
    for household in town.households {
      householdsPerVisitor[household.visitorID!, default: 0] += 1
    }
    #expect(householdsPerVisitor.count == town.visitors.count)
    #expect(householdsPerVisitor.values.allSatisfy { (5...60).contains($0) })
    let roles = Set(town.visitors.map(\.role))
    #expect(roles == Set(VisitorRole.allCases))
  }

  @Test func relationsHaveConsistentSexAndAge() {
    for household in DemoFixtures.town2000.households {
      let head = household.persons[0]
      let headAge = age(head)!
      for person in household.persons {
        let personAge = age(person)!
        switch person.relation {
        case "配偶":
          #expect(person.sex != head.sex)
          #expect(personAge >= 18)
        case "子", "孙子", "父亲": #expect(person.sex == .male)
        case "女", "孙女", "母亲", "儿媳": #expect(person.sex == .female)
        default: break
        }
        switch person.relation {
        case "子", "女": #expect(headAge - personAge >= 18, "\(person.id)")
        case "孙子", "孙女": #expect(headAge - personAge >= 36, "\(person.id)")
        case "父亲", "母亲": #expect(personAge - headAge >= 18, "\(person.id)")
        case "户主": #expect(personAge >= 18)
        default: break
        }
      }
    }
  }

  @Test func vulnerableGroupsInRealisticShares() {
    let town = DemoFixtures.town2000
    let households = town.households
    let persons = households.flatMap(\.persons)
    func share(_ group: VulnerableGroup, among people: [Person]) -> Double {
      Double(people.filter { $0.groups.contains(group) }.count) / Double(people.count)
    }
    func householdShare(_ group: VulnerableGroup) -> Double {
      Double(households.filter { $0.persons.contains { $0.groups.contains(group) } }.count)
        / Double(households.count)
    }
    let children = persons.filter { age($0)! < 16 }
    #expect((0.05...0.11).contains(householdShare(.elderlyLivingAlone)))
    #expect((0.005...0.04).contains(householdShare(.elderlyWithoutFamily)))
    #expect((0.002...0.025).contains(householdShare(.fiveGuarantees)))
    #expect((0.02...0.10).contains(share(.leftBehindChild, among: children)))
    #expect((0.005...0.06).contains(householdShare(.leftBehindWoman)))
    #expect((0.015...0.05).contains(share(.disabled, among: persons)))
    #expect((0.0005...0.015).contains(share(.mentalDisorder, among: persons)))

    for household in households {
      for person in household.persons {
        let personAge = age(person)!
        if person.groups.contains(.elderlyLivingAlone) {
          #expect(household.persons.count == 1 && personAge >= 70)
        }
        if person.groups.contains(.elderlyWithoutFamily) {
          #expect(person.groups.contains(.elderlyLivingAlone))
        }
        if person.groups.contains(.leftBehindChild) { #expect(personAge < 16) }
        if person.groups.contains(.leftBehindWoman) {
          #expect(person.sex == .female && personAge >= 18)
        }
        #expect(person.groups == person.groups.sorted())
      }
    }
    // Every single-person household aged 70+ is an elderly person living alone.
    for household in households where household.persons.count == 1 {
      if age(household.persons[0])! >= 70 {
        #expect(household.persons[0].groups.contains(.elderlyLivingAlone))
      }
    }
  }

  @Test func namesUseTheDataFile() {
    let town = DemoFixtures.town2000
    let surnames = Set(DemoFixtures.names.surnames.map(\.name))
    let villageNames = DemoFixtures.names.villageNames
    #expect(town.villages.map(\.name) == Array(villageNames.prefix(town.villages.count)))
    for person in town.households.flatMap(\.persons) {
      let known =
        surnames.contains(String(person.name.prefix(1)))
        || surnames.contains(String(person.name.prefix(2)))
      #expect(known, "\(person.name)")
    }
  }

  @Test func largeTownRepeatsVillageNamesDistinctly() {
    var names = DemoFixtures.names
    names.villageNames = ["龙潭村", "江口村"]
    let town = DemoTownGenerator(names: names, seed: 1)
      .generate(households: 1_300, today: DemoFixtures.today)
    #expect(town.villages.map(\.name) == ["龙潭村", "江口村", "龙潭村（2）", "江口村（2）", "龙潭村（3）"])
  }

  private func age(_ person: Person) -> Int? {
    IDNumber.age(of: person.idNumber, on: DemoFixtures.today)
  }

  private func pad(_ prefix: String, _ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
