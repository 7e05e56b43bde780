import Foundation

/// Generates a realistic, reproducible demo town: villages with liaisons, grids of 5–12
/// households with a leader and a WeChat group, households of 1–6 persons with valid ID
/// numbers, phones and vulnerable groups in realistic shares, and visitors who each cover
/// whole grids. For trying the app, screenshots, tests and benchmarks; never real people.
///
/// The name pools come in as values (`Names`, decoded by the app from
/// `Resources/Data/demo-names.json`); the generator reads no files and no clock.
///
/// ```swift
/// let names = try JSONDecoder().decode(DemoTownGenerator.Names.self, from: data)
/// guard names.problems.isEmpty else { ... }
/// let town = DemoTownGenerator(names: names, seed: 42)
///   .generate(households: 2_000, today: CivilDate(year: 2024, month: 11, day: 18))
/// ```
public struct DemoTownGenerator: Sendable {
  /// The name pools and the town, as stored in `demo-names.json` (see Resources/README.md).
  public struct Names: Codable, Equatable, Sendable {
    /// A surname and its relative frequency.
    public struct Surname: Codable, Equatable, Sendable {
      public var name: String
      public var weight: Int

      public init(name: String, weight: Int) {
        self.name = name
        self.weight = weight
      }
    }

    /// A visitor role and its relative frequency.
    public struct Role: Codable, Equatable, Sendable {
      public var role: VisitorRole
      public var weight: Int

      public init(role: VisitorRole, weight: Int) {
        self.role = role
        self.weight = weight
      }
    }

    /// The value of `format` in every names file.
    public static let formatIdentifier = "firegrid.demo-names"
    /// The only `version` this build understands.
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    /// The town, its county and the county's 6-digit code (the region of every ID number).
    public var town: Town
    /// Surnames with weights; a surname may have two characters (欧阳).
    public var surnames: [Surname]
    /// Characters for men's given names, each character one choice.
    public var maleGivenCharacters: String
    /// Characters for women's given names, each character one choice.
    public var femaleGivenCharacters: String
    /// Village and community names, used in order; names ending in 社区 get road addresses.
    public var villageNames: [String]
    /// Road and street names for community addresses.
    public var roadNames: [String]
    /// The first three digits of mobile numbers.
    public var mobilePrefixes: [String]
    /// How often each kind of cadre is a visitor.
    public var visitorRoles: [Role]

    public init(
      format: String = Names.formatIdentifier, version: Int = Names.currentVersion, town: Town,
      surnames: [Surname], maleGivenCharacters: String, femaleGivenCharacters: String,
      villageNames: [String], roadNames: [String], mobilePrefixes: [String], visitorRoles: [Role]
    ) {
      self.format = format
      self.version = version
      self.town = town
      self.surnames = surnames
      self.maleGivenCharacters = maleGivenCharacters
      self.femaleGivenCharacters = femaleGivenCharacters
      self.villageNames = villageNames
      self.roadNames = roadNames
      self.mobilePrefixes = mobilePrefixes
      self.visitorRoles = visitorRoles
    }

    /// What is wrong with these pools, in Simplified Chinese; `generate` needs none.
    public var problems: [String] {
      var problems: [String] = []
      if format != Self.formatIdentifier { problems.append(ModelText.namesWrongFormat) }
      if version != Self.currentVersion {
        problems.append(ModelText.namesUnsupportedVersion(version))
      }
      if town.name.isEmpty { problems.append(ModelText.namesEmptyList(ModelText.namesFieldTown)) }
      let code = town.countyCode
      if code.count != 6 || !TextFolding.isASCIIDigits(code) || code.hasPrefix("0") {
        problems.append(ModelText.namesBadCountyCode(code))
      }
      let lists: [(Bool, String)] = [
        (surnames.isEmpty, ModelText.namesFieldSurnames),
        (maleGivenCharacters.isEmpty, ModelText.namesFieldMaleCharacters),
        (femaleGivenCharacters.isEmpty, ModelText.namesFieldFemaleCharacters),
        (villageNames.isEmpty, ModelText.namesFieldVillages),
        (
          roadNames.isEmpty && villageNames.contains { $0.hasSuffix(ModelText.communitySuffix) },
          ModelText.namesFieldRoads
        ),
        (mobilePrefixes.isEmpty, ModelText.namesFieldMobilePrefixes),
        (visitorRoles.isEmpty, ModelText.namesFieldVisitorRoles),
      ]
      for (isEmpty, field) in lists where isEmpty {
        problems.append(ModelText.namesEmptyList(field))
      }
      for surname in surnames where surname.weight <= 0 || surname.name.isEmpty {
        problems.append(ModelText.namesBadWeight(surname.name))
      }
      for role in visitorRoles where role.weight <= 0 {
        problems.append(ModelText.namesBadWeight(role.role.label))
      }
      for prefix in mobilePrefixes
      where prefix.count != 3 || !PhoneNumber.isMobile(prefix + "00000000") {
        problems.append(ModelText.namesBadMobilePrefix(prefix))
      }
      var seen = Set<String>()
      for name in villageNames {
        if name.isEmpty {
          problems.append(ModelText.namesEmptyList(ModelText.namesFieldVillages))
        } else if !seen.insert(name).inserted {
          problems.append(ModelText.namesDuplicateVillage(name))
        }
      }
      return problems
    }
  }

  public let names: Names
  public let seed: UInt64

  public init(names: Names, seed: UInt64) {
    self.names = names
    self.seed = seed
  }

  /// The date of the town's plan (2024-11-18), the default `today` of `generate`: a demo
  /// generated without a date is the same whatever the clock says.
  public static let planDate = CivilDate(year: 2024, month: 11, day: 18)

  /// A town of `households` households (none when zero or less), as it stands on `today`.
  ///
  /// - Every birth date is on or before `today`; ages (独居老人 70+, 留守儿童 under 16) are
  ///   whole years on `today`. `today.year` must be in 1995...2100 so that birth years stay
  ///   in `IDNumber.birthYears`.
  /// - Same names, seed, count and `today` give an identical `TownData`.
  /// - Villages: about one per 250 households (at least 1, each of 5 or more households).
  ///   Grids: 5–12 households (fewer only when the whole town has fewer than 5). Visitors:
  ///   about one per 30 households of a village, each covering whole grids.
  /// - Premises (场所), drawn after the households so a town's roster is the same with or
  ///   without them: each village's office (村部, or a community's 服务中心), a school in
  ///   about half the villages, and about one business per 15 households (mostly shops,
  ///   restaurants and workshops, some 农家乐 and small hotels), about a fifth of them 多合一
  ///   with a household of the grid living there and its head responsible. Each has a
  ///   responsible person with a phone, floors, floor area, who sleeps there, and the grid's
  ///   visitor. Ids c00001… in roster order: by village, offices first, then by grid.
  /// - IDs are sequential in roster order: v001, g0001, h000001, p0000001, u001.
  ///
  /// Requires `names.problems` to be empty.
  public func generate(households: Int, today: CivilDate = DemoTownGenerator.planDate)
    -> TownData
  {
    precondition(names.problems.isEmpty, names.problems.joined(separator: "；"))
    precondition(today.isValid && (1995...2100).contains(today.year), "today out of range")
    var builder = DemoTownBuilder(names: names, seed: seed, today: today)
    return builder.build(households: max(0, households))
  }
}

// MARK: - The builder

/// One generation run: the random stream, counters and the sets that keep numbers unique.
private struct DemoTownBuilder {
  /// The kinds of household and their shares in percent.
  enum Kind: CaseIterable {
    case elderlyAlone, singleAdult, elderlyCouple, youngCouple, nuclear, singleParent
    case threeGenerations, withParents

    var percent: Int {
      switch self {
      case .elderlyAlone: return 8
      case .singleAdult: return 4
      case .elderlyCouple: return 14
      case .youngCouple: return 5
      case .nuclear: return 30
      case .singleParent: return 4
      case .threeGenerations: return 27
      case .withParents: return 8
      }
    }
  }

  /// A member before names and numbers are drawn.
  struct Member {
    var relation: String
    var sex: Sex
    var age: Int
    var surname: String
    var groups: [VulnerableGroup] = []
  }

  /// A generated person with the age the grid-leader choice needs.
  struct Resident {
    var person: Person
    var age: Int
  }

  static let maxPersons = 6
  static let gridSizes = [(5, 6), (6, 12), (7, 18), (8, 20), (9, 17), (10, 14), (11, 8), (12, 5)]

  let names: DemoTownGenerator.Names
  let today: CivilDate
  var random: SplitMix64
  let surnames: WeightedTable<String>
  let roles: WeightedTable<VisitorRole>
  let kinds: WeightedTable<Kind>
  let gridSizeTable: WeightedTable<Int>
  let maleCharacters: [Character]
  let femaleCharacters: [Character]
  /// The first 17 digits of every ID number given out, as integers (faster than strings).
  var usedIDNumbers = Set<Int>()
  var usedPhones = Set<Int>()
  let regionNumber: Int
  let mobilePrefixNumbers: [Int]
  var personCount = 0
  var gridCount = 0
  var householdCount = 0
  var visitorCount = 0
  var premisesCount = 0

  init(names: DemoTownGenerator.Names, seed: UInt64, today: CivilDate) {
    self.names = names
    self.today = today
    random = SplitMix64(seed: seed)
    surnames = WeightedTable(names.surnames.map { ($0.name, $0.weight) })
    roles = WeightedTable(names.visitorRoles.map { ($0.role, $0.weight) })
    kinds = WeightedTable(Kind.allCases.map { ($0, $0.percent) })
    gridSizeTable = WeightedTable(Self.gridSizes)
    maleCharacters = Array(names.maleGivenCharacters.filter { !$0.isWhitespace })
    femaleCharacters = Array(names.femaleGivenCharacters.filter { !$0.isWhitespace })
    regionNumber = Int(names.town.countyCode) ?? 0
    mobilePrefixNumbers = names.mobilePrefixes.map { Int($0) ?? 0 }
  }

  mutating func build(households total: Int) -> TownData {
    var data = TownData(town: names.town)
    guard total > 0 else { return data }
    let villageSizes = villageSizes(total)
    data.households.reserveCapacity(total)
    for (index, size) in villageSizes.enumerated() {
      buildVillage(index: index, households: size, into: &data)
    }
    // After every household: the roster drawn before premises existed stays the same.
    var gridsOfVillage: [String: [Grid]] = [:]
    for grid in data.grids { gridsOfVillage[grid.villageID, default: []].append(grid) }
    var householdsOfGrid: [String: [Household]] = [:]
    for household in data.households {
      householdsOfGrid[household.gridID, default: []].append(household)
    }
    for village in data.villages {
      buildPremises(
        of: village, grids: gridsOfVillage[village.id] ?? [], households: householdsOfGrid,
        into: &data)
    }
    return data
  }

  // MARK: Villages and grids

  /// About one village per 250 households, each of at least 5, sizes varying ±40%.
  mutating func villageSizes(_ total: Int) -> [Int] {
    let count = max(1, min(Int((Double(total) / 250).rounded()), total / 5))
    let weights = (0..<count).map { _ in random.next(in: 60...140) }
    let weightSum = weights.reduce(0, +)
    var sizes = weights.map { total * $0 / weightSum }
    var remainder = total - sizes.reduce(0, +)
    var index = 0
    while remainder > 0 {
      sizes[index % count] += 1
      remainder -= 1
      index += 1
    }
    if total >= 5 {
      for small in sizes.indices {
        while sizes[small] < 5 {
          let largest = sizes.indices.max { sizes[$0] < sizes[$1] }!
          sizes[largest] -= 1
          sizes[small] += 1
        }
      }
    }
    return sizes
  }

  /// Splits a village into grids of 5–12 households (one smaller grid only when n < 5).
  mutating func gridSizes(_ households: Int) -> [Int] {
    guard households > 12 else { return households > 0 ? [households] : [] }
    var sizes: [Int] = []
    var remaining = households
    while remaining > 12 {
      var size = gridSizeTable.pick(&random)
      if remaining - size < Grid.normalSize.lowerBound {
        size = remaining - Grid.normalSize.lowerBound
      }
      sizes.append(size)
      remaining -= size
    }
    sizes.append(remaining)
    return sizes
  }

  func villageName(_ index: Int) -> String {
    let pool = names.villageNames
    let name = pool[index % pool.count]
    let round = index / pool.count
    return round == 0 ? name : ModelText.repeatedVillageName(name, round: round + 1)
  }

  mutating func buildVillage(index: Int, households total: Int, into data: inout TownData) {
    let villageID = "v" + TextFolding.zeroPadded(index + 1, width: 3)
    let name = villageName(index)
    let liaisonSex: Sex = random.chance(0.5) ? .male : .female
    let village = Village(
      id: villageID, name: name, liaison: surname() + givenName(liaisonSex),
      liaisonPhone: mobile())
    data.villages.append(village)

    var addresses = AddressBook(
      town: names.town.name, village: name,
      isCommunity: names.villageNames[index % names.villageNames.count]
        .hasSuffix(ModelText.communitySuffix),
      roads: names.roadNames,
      random: &random)
    var villageHouseholds: [[Household]] = []
    var villageGrids: [Grid] = []
    var number = 0
    for (gridIndex, size) in gridSizes(total).enumerated() {
      gridCount += 1
      let gridID = "g" + TextFolding.zeroPadded(gridCount, width: 4)
      var households: [Household] = []
      var residents: [Resident] = []
      for _ in 0..<size {
        householdCount += 1
        number += 1
        let members = composeHousehold()
        let people = makeResidents(members)
        residents += people
        households.append(
          Household(
            id: "h" + TextFolding.zeroPadded(householdCount, width: 6), gridID: gridID,
            number: TextFolding.zeroPadded(number, width: 4),
            address: addresses.next(&random), persons: people.map(\.person)))
      }
      addresses.endGrid(size: size, random: &random)
      let gridName = ModelText.gridName(gridIndex + 1)
      let leader = chooseLeader(residents)
      villageGrids.append(
        Grid(
          id: gridID, villageID: villageID, name: gridName, gridLeaderID: leader?.person.id,
          wechatGroup: ModelText.wechatGroupName(village: name, grid: gridName),
          volunteers: chooseVolunteers(residents, leader: leader?.person.id)))
      villageHouseholds.append(households)
    }

    let visitorOfGrid = assignVisitors(gridSizes: villageHouseholds.map(\.count), into: &data)
    data.grids += villageGrids
    for (gridIndex, households) in villageHouseholds.enumerated() {
      for var household in households {
        household.visitorID = visitorOfGrid[gridIndex]
        data.households.append(household)
      }
    }
  }

  /// About one visitor per 30 households; each covers a run of whole grids. Returns the
  /// visitor id of each grid.
  mutating func assignVisitors(gridSizes: [Int], into data: inout TownData) -> [String] {
    let total = gridSizes.reduce(0, +)
    let count = max(1, min(gridSizes.count, Int((Double(total) / 30).rounded())))
    var result: [String] = []
    var before = 0
    var lastSlot = -1
    var currentID = ""
    for size in gridSizes {
      // The slot of the grid's middle household; consecutive grids move at most one slot.
      let slot = min(count - 1, (2 * before + size) * count / (2 * total))
      if slot != lastSlot {
        lastSlot = slot
        visitorCount += 1
        currentID = "u" + TextFolding.zeroPadded(visitorCount, width: 3)
        let sex: Sex = random.chance(0.6) ? .male : .female
        data.visitors.append(
          Visitor(
            id: currentID, name: surname() + givenName(sex), role: roles.pick(&random),
            phone: mobile()))
      }
      result.append(currentID)
      before += size
    }
    return result
  }

  /// 网格长: a head of a household in the grid, of working age and in no vulnerable group
  /// when there is one.
  mutating func chooseLeader(_ residents: [Resident]) -> Resident? {
    let heads = residents.filter { $0.person.isHead }
    let preferred = heads.filter {
      (30...68).contains($0.age) && $0.person.groups.isEmpty && !$0.person.phone.isEmpty
    }
    if !preferred.isEmpty { return random.element(of: preferred) }
    return heads.first
  }

  /// 0–2 residents aged 18–60, not the leader, by name.
  mutating func chooseVolunteers(_ residents: [Resident], leader: String?) -> [String] {
    let roll = random.next(below: 100)
    let wanted = roll < 35 ? 0 : roll < 80 ? 1 : 2
    var candidates = residents.filter {
      (18...60).contains($0.age) && $0.person.groups.isEmpty && $0.person.id != leader
    }
    var chosen: [String] = []
    while chosen.count < wanted, !candidates.isEmpty {
      chosen.append(candidates.remove(at: random.next(below: candidates.count)).person.name)
    }
    return chosen
  }

  // MARK: Households

  mutating func composeHousehold() -> [Member] {
    var members: [Member]
    switch kinds.pick(&random) {
    case .elderlyAlone:
      var head = member(.head, random.chance(0.62) ? .female : .male, age: 70...92)
      head.groups = [.elderlyLivingAlone]
      if random.chance(0.25) {
        head.groups.append(.elderlyWithoutFamily)
        if random.chance(0.5) { head.groups.append(.fiveGuarantees) }
      }
      members = [head]
    case .singleAdult:
      members = [member(.head, random.chance(0.65) ? .male : .female, age: 22...69)]
    case .elderlyCouple:
      members = couple(husbandAge: 62...88, wifeMinimum: 58, maleHead: 0.9)
    case .youngCouple:
      members = couple(husbandAge: 22...35, wifeMinimum: 20, maleHead: 0.85)
      if random.chance(0.05) { markLeftBehindWife(&members) }
    case .nuclear:
      members = couple(husbandAge: 25...55, wifeMinimum: 22, maleHead: 0.85)
      let roll = random.next(below: 100)
      let count = roll < 40 ? 1 : roll < 85 ? 2 : 3
      members += children(
        count: count, youngestParent: members.map(\.age).min()!, maxAge: 30,
        surname: fatherSurname(members), relations: (.son, .daughter))
      markLeftBehind(&members, childRate: 0.03, wifeRate: 0.06)
    case .singleParent:
      let sex: Sex = random.chance(0.6) ? .female : .male
      members = [member(.head, sex, age: 30...55)]
      let surname = sex == .male || random.chance(0.3) ? members[0].surname : self.surname()
      members += children(
        count: random.next(in: 1...2), youngestParent: members[0].age, maxAge: 25,
        surname: surname, relations: (.son, .daughter))
      markLeftBehind(&members, childRate: 0.05, wifeRate: 0)
    case .threeGenerations:
      members = threeGenerations()
    case .withParents:
      members = withParents()
    }
    addHealthGroups(&members)
    return members
  }

  enum Relation {
    case head, spouse, son, daughter, daughterInLaw, grandson, granddaughter, father, mother

    var text: String {
      switch self {
      case .head: return ModelText.relationHead
      case .spouse: return ModelText.relationSpouse
      case .son: return ModelText.relationSon
      case .daughter: return ModelText.relationDaughter
      case .daughterInLaw: return ModelText.relationDaughterInLaw
      case .grandson: return ModelText.relationGrandson
      case .granddaughter: return ModelText.relationGranddaughter
      case .father: return ModelText.relationFather
      case .mother: return ModelText.relationMother
      }
    }
  }

  mutating func member(
    _ relation: Relation, _ sex: Sex, age: ClosedRange<Int>, surname: String? = nil
  ) -> Member {
    Member(
      relation: relation.text, sex: sex, age: random.next(in: age),
      surname: surname ?? self.surname())
  }

  /// Husband and wife, the husband head with probability `maleHead`.
  mutating func couple(husbandAge: ClosedRange<Int>, wifeMinimum: Int, maleHead: Double)
    -> [Member]
  {
    let husbandIsHead = random.chance(maleHead)
    let husband = member(husbandIsHead ? .head : .spouse, .male, age: husbandAge)
    var wife = member(husbandIsHead ? .spouse : .head, .female, age: 0...0)
    wife.age = max(wifeMinimum, husband.age - random.next(in: -2...6))
    return husbandIsHead ? [husband, wife] : [wife, husband]
  }

  /// The surname children take: the husband's, else a late husband's.
  mutating func fatherSurname(_ members: [Member]) -> String {
    let couple = [Relation.head.text, Relation.spouse.text]
    return members.first { $0.sex == .male && couple.contains($0.relation) }?.surname
      ?? surname()
  }

  /// Children at least 20 years younger than the youngest parent, oldest first.
  mutating func children(
    count: Int, youngestParent: Int, maxAge: Int, surname: String,
    relations: (male: Relation, female: Relation)
  ) -> [Member] {
    let oldest = min(maxAge, youngestParent - 20)
    guard oldest >= 0 else { return [] }
    var result: [Member] = []
    for _ in 0..<count {
      let sex: Sex = random.chance(0.52) ? .male : .female
      result.append(
        member(
          sex == .male ? relations.male : relations.female, sex, age: 0...oldest,
          surname: surname))
    }
    return result.sorted { $0.age > $1.age }
  }

  /// 户主 aged 50–75 with spouse, a married son, his wife and their children.
  mutating func threeGenerations() -> [Member] {
    var members: [Member]
    if random.chance(0.82) {
      let husband = member(.head, .male, age: 50...75)
      members = [husband]
      if random.chance(0.88) {
        var wife = member(.spouse, .female, age: 0...0)
        wife.age = max(48, husband.age - random.next(in: -2...6))
        members.append(wife)
      }
    } else {
      members = [member(.head, .female, age: 52...80)]
    }
    let familyName = members[0].sex == .male ? members[0].surname : surname()
    let parentAge = members.map(\.age).min()!
    let sonAge = max(20, parentAge - random.next(in: 22...34))
    let son = member(.son, .male, age: sonAge...sonAge, surname: familyName)
    var wife = member(.daughterInLaw, .female, age: 0...0)
    wife.age = max(20, son.age - random.next(in: -2...5))
    members.append(son)
    if random.chance(0.1), parentAge - 20 >= 16 {
      members.append(
        member(.daughter, .female, age: 16...min(30, parentAge - 20), surname: familyName))
    }
    members.append(wife)
    let room = Self.maxPersons - members.count
    let roll = random.next(below: 100)
    let count = min(room, roll < 45 ? 1 : roll < 90 ? 2 : 3)
    members += children(
      count: count, youngestParent: min(son.age, wife.age), maxAge: 25, surname: familyName,
      relations: (.grandson, .granddaughter))
    markLeftBehind(&members, childRate: 0.08, wifeRate: 0.08)
    return members
  }

  /// 户主 aged 35–55 with spouse and children, and one or both of the head's parents.
  mutating func withParents() -> [Member] {
    var members = couple(husbandAge: 35...55, wifeMinimum: 30, maleHead: 0.8)
    let head = members[0]
    if random.chance(0.85) {
      members += children(
        count: random.next(in: 1...2), youngestParent: min(members[0].age, members[1].age),
        maxAge: 25, surname: fatherSurname(members), relations: (.son, .daughter))
    }
    let roll = random.next(below: 100)
    let fatherAge = min(95, head.age + random.next(in: 22...36))
    // Father only 25%, mother only 45%, both 30%.
    if roll < 25 || roll >= 70 {
      members.append(
        member(.father, .male, age: fatherAge...fatherAge, surname: head.surname))
    }
    if roll >= 25 {
      var mother = member(.mother, .female, age: 0...0)
      mother.age = min(95, max(head.age + 20, fatherAge - random.next(in: -2...5)))
      members.append(mother)
    }
    markLeftBehind(&members, childRate: 0.03, wifeRate: 0.06)
    return members
  }

  /// With probability `childRate` every child under 16 is a 留守儿童 (parents away);
  /// otherwise with probability `wifeRate` a married woman under 56 whose husband works away
  /// is a 留守妇女.
  mutating func markLeftBehind(_ members: inout [Member], childRate: Double, wifeRate: Double) {
    let childRelations = [
      Relation.son.text, Relation.daughter.text, Relation.grandson.text,
      Relation.granddaughter.text,
    ]
    let young = members.indices.filter {
      members[$0].age < 16 && childRelations.contains(members[$0].relation)
    }
    if !young.isEmpty, random.chance(childRate) {
      for index in young { members[index].groups.append(.leftBehindChild) }
    } else if random.chance(wifeRate) {
      markLeftBehindWife(&members)
    }
  }

  func isLeftBehindWifeCandidate(_ member: Member) -> Bool {
    member.sex == .female && member.age < 56
      && [Relation.head.text, Relation.spouse.text, Relation.daughterInLaw.text]
        .contains(member.relation)
  }

  mutating func markLeftBehindWife(_ members: inout [Member]) {
    // The youngest married woman: the daughter-in-law in a three-generation household.
    guard
      let index = members.indices.filter({ isLeftBehindWifeCandidate(members[$0]) })
        .min(by: { members[$0].age < members[$1].age })
    else { return }
    members[index].groups.append(.leftBehindWoman)
  }

  /// 残疾人 about 2.5% under 60 and 6% from 60; 精神障碍患者 about 0.7% from 15.
  mutating func addHealthGroups(_ members: inout [Member]) {
    for index in members.indices {
      let age = members[index].age
      if random.chance(age >= 60 ? 0.06 : 0.025) { members[index].groups.append(.disabled) }
      if age >= 15, random.chance(0.007) { members[index].groups.append(.mentalDisorder) }
    }
  }

  // MARK: People

  mutating func makeResidents(_ members: [Member]) -> [Resident] {
    var taken = Set<String>()
    var residents: [Resident] = []
    residents.reserveCapacity(members.count)
    for member in members {
      personCount += 1
      var name = member.surname + givenName(member.sex)
      for _ in 0..<8 where !taken.insert(name).inserted {
        name = member.surname + givenName(member.sex)
      }
      let birth = birthDate(age: member.age)
      let person = Person(
        id: "p" + TextFolding.zeroPadded(personCount, width: 7), name: name,
        relation: member.relation, sex: member.sex,
        idNumber: idNumber(birth: birth, sex: member.sex), phone: phone(age: member.age),
        groups: member.groups.sorted())
      residents.append(Resident(person: person, age: member.age))
    }
    return residents
  }

  mutating func surname() -> String { surnames.pick(&random) }

  /// One character (about a fifth of people) or two, from the pool for `sex`.
  mutating func givenName(_ sex: Sex) -> String {
    let pool = sex == .male ? maleCharacters : femaleCharacters
    let first = random.element(of: pool)
    if random.chance(0.2) { return String(first) }
    var second = random.element(of: pool)
    if second == first { second = random.element(of: pool) }
    return String([first, second])
  }

  /// A birth date giving exactly `age` whole years on `today`, uniform over that year.
  mutating func birthDate(age: Int) -> CivilDate {
    while true {
      let month = random.next(in: 1...12)
      let day = random.next(in: 1...31)
      let passed = (month, day) <= (today.month, today.day)
      let date = CivilDate(year: today.year - age - (passed ? 0 : 1), month: month, day: day)
      if date.isValid { return date }
    }
  }

  /// A valid, unique ID number with the county's region code; the sequence's last digit is
  /// odd for men.
  mutating func idNumber(birth: CivilDate, sex: Sex) -> String {
    let parity = sex == .male ? 1 : 0
    let stem =
      ((regionNumber * 10_000 + birth.year) * 100 + birth.month) * 100_000 + birth.day * 1_000
    var sequence = -1
    for _ in 0..<32 {
      let candidate = random.next(below: 500) * 2 + parity
      if usedIDNumbers.insert(stem + candidate).inserted {
        sequence = candidate
        break
      }
    }
    if sequence < 0 {
      for half in 0..<500 where usedIDNumbers.insert(stem + half * 2 + parity).inserted {
        sequence = half * 2 + parity
        break
      }
    }
    if sequence >= 0 {
      return IDNumber.make(region: names.town.countyCode, birth: birth, sequence: sequence)!
    }
    preconditionFailure("more than 500 people of one sex born on \(birth)")
  }

  /// Most adults have a mobile; fewer of the very old and of teenagers; no children.
  mutating func phone(age: Int) -> String {
    let rate: Double
    switch age {
    case ..<14: rate = 0
    case 14..<18: rate = 0.4
    case 18..<75: rate = 0.92
    default: rate = 0.4
    }
    return random.chance(rate) ? mobile() : ""
  }

  mutating func mobile() -> String {
    while true {
      let number =
        random.element(of: mobilePrefixNumbers) * 100_000_000 + random.next(below: 100_000_000)
      if usedPhones.insert(number).inserted { return String(number) }
    }
  }
}

// MARK: - Premises

extension DemoTownBuilder {
  /// Business kinds and their shares in percent: mostly shops, eateries and workshops.
  static let businessKinds: [(BusinessKind, Int)] = [
    (.shop, 40), (.restaurant, 22), (.workshop, 18), (.farmStay, 8), (.smallHotel, 6),
    (.other, 6),
  ]

  /// The office, maybe a school, and the businesses of one village, in roster order.
  mutating func buildPremises(
    of village: Village, grids: [Grid], households: [String: [Household]],
    into data: inout TownData
  ) {
    guard let firstGrid = grids.first else { return }
    let total = grids.reduce(0) { $0 + (households[$1.id]?.count ?? 0) }
    let stem = ModelText.demoPlaceStem(village.name)
    let isCommunity = village.name.hasSuffix(ModelText.communitySuffix)
    var taken = Set<String>()

    func address(in gridID: String, _ random: inout SplitMix64) -> String {
      guard let list = households[gridID], !list.isEmpty else { return "" }
      return ModelText.demoBesideAddress(random.element(of: list).address)
    }

    // 村部 (a community's 服务中心) and, in about half the villages, a school.
    var offices: [(name: String, isSchool: Bool)] = [
      (ModelText.demoOfficeName(village.name, isCommunity: isCommunity), false)
    ]
    if random.chance(0.5) { offices.append((ModelText.demoSchoolName(stem), true)) }
    for office in offices {
      let sleep = random.chance(office.isSchool ? 0.4 : 0.25)
      append(
        Premises(
          id: "", gridID: firstGrid.id, name: office.name, kind: .office,
          address: address(in: firstGrid.id, &random),
          responsiblePerson: surname() + givenName(random.chance(0.7) ? .male : .female),
          responsiblePhone: mobile(),
          floors: office.isSchool ? random.next(in: 2...4) : random.next(in: 2...3),
          floorArea: office.isSchool
            ? random.next(in: 80...300) * 10 : random.next(in: 20...60) * 10,
          peopleSleep: sleep, sleepers: sleep ? random.next(in: 1...2) : 0,
          visitorID: households[firstGrid.id]?.first?.visitorID), into: &data, taken: &taken)
    }

    // About one business per 15 households, ±20%.
    let expected = Double(total) / 15 * (0.8 + 0.4 * random.nextUnit())
    let count = total >= 8 ? max(1, Int(expected.rounded())) : 0
    let kinds = WeightedTable(Self.businessKinds)
    var linked = Set<String>()
    var businesses: [(gridIndex: Int, premises: Premises)] = []
    for _ in 0..<count {
      let gridIndex = random.next(below: grids.count)
      let grid = grids[gridIndex]
      let business = kinds.pick(&random)
      var premises = Premises(
        id: "", gridID: grid.id, name: "", kind: .business, businessKind: business,
        visitorID: households[grid.id]?.first?.visitorID)
      // 多合一: a family living above or behind its shop, eatery or workshop.
      let candidates = (households[grid.id] ?? []).filter {
        !linked.contains($0.id) && $0.head != nil
      }
      if business != .smallHotel, random.chance(0.2), !candidates.isEmpty {
        let home = random.element(of: candidates)
        linked.insert(home.id)
        premises.kind = .mixedUse
        premises.householdID = home.id
        premises.address = home.address
        let head = home.head!
        premises.responsiblePerson = head.name
        premises.responsiblePhone =
          head.phone.isEmpty
          ? (home.persons.first { !$0.phone.isEmpty }?.phone ?? mobile()) : head.phone
        premises.peopleSleep = true
        premises.sleepers = home.persons.count
      } else {
        premises.address = address(in: grid.id, &random)
        premises.responsiblePerson = surname() + givenName(random.chance(0.6) ? .male : .female)
        premises.responsiblePhone = mobile()
        switch business {
        case .smallHotel:
          premises.peopleSleep = true
          premises.sleepers = random.next(in: 6...20)
        case .farmStay:
          let sleep = random.chance(0.5)
          premises.peopleSleep = sleep
          premises.sleepers = sleep ? random.next(in: 4...12) : 0
        default:
          // 留宿值班 (a night watch) in some.
          let sleep = random.chance(0.2)
          premises.peopleSleep = sleep
          premises.sleepers = sleep ? random.next(in: 1...2) : 0
        }
      }
      let (floors, area) = Self.size(of: business, mixedUse: premises.kind == .mixedUse)
      premises.floors = random.next(in: floors)
      premises.floorArea = random.next(in: area) * 10
      premises.name = businessName(business, stem: stem, taken: taken)
      taken.insert(premises.name)
      businesses.append((gridIndex, premises))
    }
    // Roster order: by grid, then as drawn.
    let ordered = businesses.enumerated().sorted {
      ($0.element.gridIndex, $0.offset) < ($1.element.gridIndex, $1.offset)
    }
    for business in ordered { append(business.element.premises, into: &data, taken: &taken) }
  }

  /// Floors and floor area (in tens of ㎡) of a business of `kind`.
  static func size(of kind: BusinessKind, mixedUse: Bool)
    -> (floors: ClosedRange<Int>, area: ClosedRange<Int>)
  {
    switch kind {
    case .shop: return (mixedUse ? 2...3 : 1...2, 3...15)
    case .restaurant: return (mixedUse ? 2...3 : 1...2, 6...25)
    case .workshop: return (1...2, 8...40)
    case .farmStay: return (2...3, 15...40)
    case .smallHotel: return (2...4, 15...50)
    case .other: return (1...2, 3...12)
    }
  }

  /// A business name not yet used in the village.
  mutating func businessName(_ kind: BusinessKind, stem: String, taken: Set<String>) -> String {
    var name = ""
    for _ in 0..<6 {
      name = ModelText.demoBusinessName(
        kind, pattern: random.next(below: 4), surname: surname(), stem: stem)
      if !taken.contains(name) { return name }
    }
    var number = 2
    while taken.contains(ModelText.demoBranchName(name, number)) { number += 1 }
    return ModelText.demoBranchName(name, number)
  }

  mutating func append(_ premises: Premises, into data: inout TownData, taken: inout Set<String>) {
    premisesCount += 1
    var premises = premises
    premises.id = "c" + TextFolding.zeroPadded(premisesCount, width: 5)
    taken.insert(premises.name)
    data.premises.append(premises)
  }
}

extension ModelText {
  /// 龙潭 from 龙潭村, 三江 from 三江社区: what local names are made from.
  static func demoPlaceStem(_ village: String) -> String {
    var stem = village
    if let paren = stem.firstIndex(of: "（") { stem = String(stem[..<paren]) }
    for suffix in [communitySuffix, "村"] where stem.hasSuffix(suffix) && stem.count > suffix.count {
      return String(stem.dropLast(suffix.count))
    }
    return stem
  }

  /// 龙潭村村部, 三江社区服务中心.
  static func demoOfficeName(_ village: String, isCommunity: Bool) -> String {
    isCommunity ? "\(village)服务中心" : "\(village)村部"
  }

  static func demoSchoolName(_ stem: String) -> String { "\(stem)小学" }

  static func demoBesideAddress(_ address: String) -> String { "\(address)旁" }

  static func demoBranchName(_ name: String, _ number: Int) -> String { "\(name)\(number)店" }

  /// One of four made-up names for a business of `kind`.
  static func demoBusinessName(_ kind: BusinessKind, pattern: Int, surname: String, stem: String)
    -> String
  {
    let names: [String]
    switch kind {
    case .shop: names = ["\(surname)记百货", "\(stem)便民超市", "\(surname)家小卖部", "\(surname)记五金店"]
    case .restaurant: names = ["\(surname)家饭馆", "\(stem)米粉店", "\(surname)记小炒", "\(stem)土菜馆"]
    case .workshop:
      names = ["\(surname)氏豆腐坊", "\(stem)竹器加工厂", "\(surname)家木材加工坊", "\(surname)记腊肉作坊"]
    case .farmStay: names = ["\(stem)山庄", "\(surname)家农家乐", "\(stem)生态农庄", "\(surname)记农家乐"]
    case .smallHotel: names = ["\(stem)旅社", "\(surname)家客栈", "\(stem)宾馆", "\(surname)记招待所"]
    case .other: names = ["\(surname)记理发店", "\(stem)汽修店", "\(surname)家电动车维修", "\(stem)快递驿站"]
    }
    return names[pattern % names.count]
  }
}

// MARK: - Addresses

/// House numbers along 村民小组 (villages) or roads (communities): a new group or road every
/// 25–45 households, at a grid boundary; house numbers rise by 1–3.
private struct AddressBook {
  let town: String
  let village: String
  let isCommunity: Bool
  let roads: [String]
  var group = 1
  var remainingInGroup: Int
  var roadIndex: Int
  var lastNumber: [Int: Int] = [:]

  init(
    town: String, village: String, isCommunity: Bool, roads: [String],
    random: inout SplitMix64
  ) {
    self.town = town
    self.village = village
    self.isCommunity = isCommunity && !roads.isEmpty
    self.roads = roads
    remainingInGroup = random.next(in: 25...45)
    roadIndex = roads.isEmpty ? 0 : random.next(below: roads.count)
  }

  mutating func next(_ random: inout SplitMix64) -> String {
    let key = isCommunity ? roadIndex : group
    let number = (lastNumber[key] ?? 0) + random.next(in: 1...3)
    lastNumber[key] = number
    if isCommunity {
      return ModelText.roadAddress(
        town: town, village: village, road: roads[roadIndex], number: number)
    }
    return ModelText.groupAddress(town: town, village: village, group: group, number: number)
  }

  mutating func endGrid(size: Int, random: inout SplitMix64) {
    remainingInGroup -= size
    guard remainingInGroup <= 0 else { return }
    remainingInGroup = random.next(in: 25...45)
    group += 1
    if !roads.isEmpty { roadIndex = (roadIndex + 1) % roads.count }
  }
}
