import Foundation
import Testing

@testable import FiregridModel

@Suite struct RosterRulesTests {
  @Test(
    "grid size against the 5-10 (at most 15) rule",
    arguments: [
      (0, GridSizeStatus.tooSmall), (1, .tooSmall), (4, .tooSmall), (5, .normal), (8, .normal),
      (10, .normal), (11, .large), (15, .large), (16, .overLimit), (40, .overLimit),
    ])
  func gridSize(count: Int, status: GridSizeStatus) {
    #expect(RosterRules.gridSizeStatus(count) == status)
  }

  @Test func statusSeverityAndMessages() {
    #expect(GridSizeStatus.tooSmall.isWarning && !GridSizeStatus.tooSmall.isRefused)
    #expect(!GridSizeStatus.normal.isWarning && !GridSizeStatus.normal.isRefused)
    #expect(GridSizeStatus.large.isWarning && !GridSizeStatus.large.isRefused)
    #expect(!GridSizeStatus.overLimit.isWarning && GridSizeStatus.overLimit.isRefused)
    #expect(GridSizeStatus.overLimit.message == "网格不能超过15户")
    #expect(GridSizeStatus.tooSmall.message == "网格不足5户，建议与相邻网格合并")
    let messages = Set(GridSizeStatus.allCases.map(\.message))
    #expect(messages.count == GridSizeStatus.allCases.count)
  }

  @Test func addingHouseholds() {
    #expect(RosterRules.canAddHousehold(toGridWith: 0))
    #expect(RosterRules.canAddHousehold(toGridWith: 14))
    #expect(!RosterRules.canAddHousehold(toGridWith: 15))
  }
}

@Suite struct ModelTextTests {
  @Test(
    "vulnerable group labels",
    arguments: [
      (VulnerableGroup.elderlyWithoutFamily, "孤寡老人", "孤寡"),
      (.elderlyLivingAlone, "独居老人", "独居"),
      (.leftBehindChild, "留守儿童", "留童"),
      (.leftBehindWoman, "留守妇女", "留妇"),
      (.mentalDisorder, "精神障碍患者", "精障"),
      (.disabled, "残疾人", "残疾"),
      (.fiveGuarantees, "五保户", "五保"),
    ])
  func groupLabel(group: VulnerableGroup, label: String, short: String) {
    #expect(group.label == label)
    #expect(group.shortLabel == short)
  }

  @Test(
    "visitor role labels",
    arguments: [
      (VisitorRole.townCadre, "镇干部"), (.villageWorkTeam, "驻村工作队"),
      (.villageCadre, "村干部"), (.partyMember, "党员"), (.volunteer, "志愿者"),
    ])
  func roleLabel(role: VisitorRole, label: String) {
    #expect(role.label == label)
  }

  @Test func sexLabels() {
    #expect(Sex.male.label == "男")
    #expect(Sex.female.label == "女")
  }

  @Test func namesAndAddresses() {
    #expect(ModelText.gridName(3) == "第3网格")
    #expect(ModelText.wechatGroupName(village: "龙潭村", grid: "第3网格") == "龙潭村第3网格消防群")
    #expect(
      ModelText.groupAddress(town: "三江镇", village: "龙潭村", group: 3, number: 12)
        == "三江镇龙潭村3组12号")
    #expect(ModelText.relations.first == Person.headRelation)
    #expect(Set(ModelText.relations).count == ModelText.relations.count)
  }

  /// Curly quotes, en dashes, ellipses and the like draw two columns wide in many Chinese
  /// terminals: the catalog keeps them out.
  @Test func noAmbiguousWidthPunctuation() {
    let texts =
      [
        ModelText.idInvalidCharacters, ModelText.phoneLandlineInvalid,
        ModelText.phoneUnrecognized, ModelText.gridSizeNormal, ModelText.gridSizeLarge,
      ] + GridSizeStatus.allCases.map(\.message)
    let ambiguous: Set<Character> = ["“", "”", "‘", "’", "–", "—", "…", "·", "①"]
    for text in texts {
      #expect(!text.contains(where: ambiguous.contains), "\(text)")
    }
  }
}

@Suite struct SplitMix64Tests {
  @Test func referenceSequence() {
    var random = SplitMix64(seed: 0)
    #expect(random.next() == 0xE220_A839_7B1D_CDAF)
    #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(random.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func boundedValuesStayInRange() {
    var random = SplitMix64(seed: 99)
    var seen = Set<Int>()
    for _ in 0..<2_000 {
      let value = random.next(below: 7)
      #expect((0..<7).contains(value))
      seen.insert(value)
      #expect((3...5).contains(random.next(in: 3...5)))
      let unit = random.nextUnit()
      #expect(unit >= 0 && unit < 1)
    }
    #expect(seen.count == 7)
  }

  @Test func samplesAreReproducible() {
    var first = SplitMix64(seed: 2024)
    var second = SplitMix64(seed: 2024)
    let sample = first.sample(10, of: 300)
    #expect(sample == second.sample(10, of: 300))
    #expect(sample.count == 10)
    #expect(Set(sample).count == 10)
    #expect(sample == sample.sorted())
    #expect(sample.allSatisfy { (0..<300).contains($0) })
    var third = SplitMix64(seed: 1)
    #expect(third.sample(5, of: 3) == [0, 1, 2])
    var shuffled = Array(0..<20)
    third.shuffle(&shuffled)
    #expect(shuffled.sorted() == Array(0..<20))
  }
}

/// Members are decoded by hand (for open speed): the same JSON as before, and nothing unknown
/// let through.
struct PersonCodingTests {
  @Test func roundTripAndRefusals() throws {
    let person = Person(
      id: "p1", name: "邹锡华", relation: "户主", sex: .male, idNumber: "", phone: "13807451234",
      groups: [.elderlyLivingAlone, .disabled])
    let data = try JSONEncoder().encode(person)
    #expect(try JSONDecoder().decode(Person.self, from: data) == person)
    let noSex = #"{"id":"p2","name":"舒桂英","relation":"配偶","idNumber":"","phone":"","groups":[]}"#
    #expect(try JSONDecoder().decode(Person.self, from: Data(noSex.utf8)).sex == nil)
    for bad in [
      #"{"id":"p3","name":"x","relation":"户主","sex":"unknown","idNumber":"","phone":"","groups":[]}"#,
      #"{"id":"p3","name":"x","relation":"户主","idNumber":"","phone":"","groups":["alone"]}"#,
    ] {
      #expect(throws: DecodingError.self) {
        try JSONDecoder().decode(Person.self, from: Data(bad.utf8))
      }
    }
  }
}
