import Foundation
import Testing

@testable import FiregridModel

/// A small town with known names, valid ID numbers and phones.
enum SearchFixture {
  /// A valid ID number: region 431224, birth date, 3-digit sequence, check digit.
  static func id(_ birth: String, _ sequence: String) -> String {
    let first17 = "431224" + birth + sequence
    return first17 + String(IDNumber.checkDigit(for: first17)!)
  }

  /// A valid ID number ending in X, with the first sequence number from 100 that gives one.
  static func idEndingInX(_ birth: String) -> String {
    for sequence in 100...999 {
      let id = id(birth, String(sequence))
      if id.hasSuffix("X") { return id }
    }
    fatalError("no sequence gives X")
  }

  static let zouID = id("19650312", "131")
  static let shanID = idEndingInX("19700505")
  static let zouPhone = "13800745678"
  static let liLandline = "0745-3123456"

  static func person(
    _ id: String, _ name: String, _ relation: String = Person.headRelation,
    idNumber: String = "", phone: String = "", groups: [VulnerableGroup] = []
  ) -> Person {
    Person(id: id, name: name, relation: relation, idNumber: idNumber, phone: phone, groups: groups)
  }

  static func household(
    _ id: String, _ grid: String, _ number: String, _ address: String, _ persons: [Person]
  ) -> Household {
    Household(id: id, gridID: grid, number: number, address: address, persons: persons)
  }

  static let town = TownData(
    town: Town(name: "三江镇", county: "溆浦县", countyCode: "431224"),
    villages: [
      Village(id: "v1", name: "龙潭村", liaison: "李四", liaisonPhone: "13711112222"),
      Village(id: "v2", name: "江口村", liaison: "", liaisonPhone: ""),
    ],
    grids: [
      Grid(id: "g1", villageID: "v1", name: "第3网格", wechatGroup: "龙潭村第3网格消防群"),
      Grid(id: "g2", villageID: "v2", name: "第1网格", wechatGroup: "江口村第1网格消防群"),
    ],
    households: [
      household(
        "h01", "g1", "0012", "三江镇龙潭村3组12号",
        [
          person("p01", "邹锡华", idNumber: zouID, phone: zouPhone),
          person(
            "p02", "李秀英", "配偶", idNumber: id("19680420", "242"), phone: liLandline),
        ]),
      household(
        "h02", "g1", "0013", "三江镇龙潭村3组13号",
        [
          person("p03", "单雄信", idNumber: shanID, phone: "13912340016"),
          person("p04", "单", "其他"),
        ]),
      household("h03", "g1", "0014", "三江镇龙潭村3组14号", [person("p05", "曾国藩")]),
      household("h04", "g1", "0015", "三江镇龙潭村3组15号", [person("p06", "解缙")]),
      household("h05", "g1", "0016", "三江镇龙潭村3组16号", [person("p07", "仇英")]),
      household("h06", "g1", "0017", "三江镇龙潭村3组17号", [person("p08", "区志坚")]),
      household("h07", "g2", "0001", "三江镇江口村1组1号", [person("p09", "查良镛")]),
      household("h08", "g2", "0002", "三江镇江口村1组2号", [person("p10", "翟志刚")]),
      household("h09", "g2", "0003", "三江镇江口村1组3号", [person("p11", "朴树")]),
      household("h10", "g2", "0004", "三江镇江口村1组4号", [person("p12", "覃晓")]),
      household("h11", "g2", "0005", "三江镇江口村1组5号", [person("p13", "乐嘉")]),
      household(
        "h12", "g2", "0006", "三江镇江口村1组6号",
        [
          person("p14", "欧阳修"),
          // Vulnerable and later in the roster: not boosted above 邹锡华 for zxh.
          person("p15", "周晓辉", "女婿", groups: [.disabled, .elderlyLivingAlone]),
        ]),
      household(
        "h13", "g2", "0007", "三江镇江口村邹锡路8号",
        [
          person("p16", "邹锡"),
          person("p17", "张邹锡", "配偶"),
          person("p18", "吕芳", "女"),
        ]),
    ],
    visitors: [Visitor(id: "u1", name: "王建国", role: .villageCadre, phone: "13912345678")]
  )

  static let index = TownSearch(town)
}

@Suite struct TownSearchTests {
  let index = SearchFixture.index

  /// The names of the person hits, in order.
  func names(_ query: String, in index: TownSearch = SearchFixture.index) -> [String] {
    index.search(query).filter { $0.kind == .person }.map { hit in
      String(hit.title.prefix { $0 != "（" })
    }
  }

  // MARK: Pinyin

  @Test(
    "pinyin: the expected person comes first",
    arguments: [
      ("zxh", "邹锡华", TownSearch.Score.initials, "拼音首字母 zxh"),
      ("ZXH", "邹锡华", TownSearch.Score.initials, "拼音首字母 zxh"),
      ("ｚｘｈ", "邹锡华", TownSearch.Score.initials, "拼音首字母 zxh"),  // full-width
      ("zouxihua", "邹锡华", TownSearch.Score.exact, "拼音 zouxihua"),
      ("zou xi hua", "邹锡华", TownSearch.Score.exact, "拼音 zouxihua"),  // spaces ignored
      ("zouxh", "邹锡华", TownSearch.Score.mixed, "拼音 zouxh"),
      ("zxhua", "邹锡华", TownSearch.Score.mixed, "拼音 zxhua"),
      ("zouxihu", "邹锡华", TownSearch.Score.mixed, "拼音 zouxihu"),
      ("zouxi", "邹锡", TownSearch.Score.exact, "拼音 zouxi"),
      ("sxx", "单雄信", TownSearch.Score.initials, "拼音首字母 sxx"),
      ("shanxx", "单雄信", TownSearch.Score.mixed, "拼音 shanxx"),
      ("shanxiongxin", "单雄信", TownSearch.Score.exact, "拼音 shanxiongxin"),
      ("zeng", "曾国藩", TownSearch.Score.prefix, "拼音 zeng"),
      ("zengguofan", "曾国藩", TownSearch.Score.exact, "拼音 zengguofan"),
      ("xiejin", "解缙", TownSearch.Score.exact, "拼音 xiejin"),
      ("qiuying", "仇英", TownSearch.Score.exact, "拼音 qiuying"),
      ("ouzhijian", "区志坚", TownSearch.Score.exact, "拼音 ouzhijian"),
      ("zhaliangyong", "查良镛", TownSearch.Score.exact, "拼音 zhaliangyong"),
      ("zhaizhigang", "翟志刚", TownSearch.Score.exact, "拼音 zhaizhigang"),
      ("piaoshu", "朴树", TownSearch.Score.exact, "拼音 piaoshu"),
      ("qinxiao", "覃晓", TownSearch.Score.exact, "拼音 qinxiao"),
      ("yuejia", "乐嘉", TownSearch.Score.exact, "拼音 yuejia"),
      ("oyx", "欧阳修", TownSearch.Score.initials, "拼音首字母 oyx"),
      ("ouyangxiu", "欧阳修", TownSearch.Score.exact, "拼音 ouyangxiu"),
      ("ouyang", "欧阳修", TownSearch.Score.prefix, "拼音 ouyang"),
      ("lvfang", "吕芳", TownSearch.Score.exact, "拼音 lufang"),  // v for ü
      ("lufang", "吕芳", TownSearch.Score.exact, "拼音 lufang"),
    ])
  func pinyin(query: String, name: String, score: Int, matched: String) throws {
    let first = try #require(index.search(query).first)
    #expect(first.kind == .person)
    #expect(first.title.hasPrefix(name))
    #expect(first.score == score)
    #expect(first.matched == matched)
  }

  @Test(
    "pinyin: the transform's wrong readings of surnames find nothing",
    arguments: [
      ("dxx", "单雄信"), ("danxiongxin", "单雄信"), ("cengguofan", "曾国藩"), ("jiejin", "解缙"),
      ("chouying", "仇英"), ("quzhijian", "区志坚"), ("chaliangyong", "查良镛"),
      ("dizhigang", "翟志刚"), ("pushu", "朴树"), ("tanxiao", "覃晓"), ("lejia", "乐嘉"),
    ])
  func wrongReadings(query: String, name: String) {
    #expect(!names(query).contains(name))
  }

  @Test func pinyinStartsAtTheSurname() {
    // xihua is inside zouxihua but not at its start.
    #expect(names("xihua").isEmpty)
    #expect(names("xh").isEmpty)
  }

  @Test func initialsTiesKeepRosterOrderAndDoNotBoostVulnerablePersons() {
    let hits = index.search("zxh")
    #expect(hits.map(\.title) == ["邹锡华（户主）", "周晓辉（女婿）"])
    #expect(hits.allSatisfy { $0.score == TownSearch.Score.initials })
  }

  @Test func pinyinRankingExactThenInitialsThenPrefix() {
    // zouxi: 邹锡 exactly, 邹锡华 by prefix.
    #expect(names("zouxi") == ["邹锡", "邹锡华"])
    // zx: the initials of 邹锡 exactly, then those of 邹锡华 and 周晓辉 by prefix.
    let hits = index.search("zx")
    #expect(hits.map(\.title) == ["邹锡（户主）", "邹锡华（户主）", "周晓辉（女婿）"])
    #expect(
      hits.map(\.score) == [
        TownSearch.Score.initials, TownSearch.Score.prefix, TownSearch.Score.prefix,
      ])
    #expect(hits.map(\.matched) == ["拼音首字母 zx", "拼音首字母 zx", "拼音首字母 zx"])
    // zou: every 邹 by prefix, in roster order.
    #expect(names("zou") == ["邹锡华", "邹锡"])
  }

  @Test func pinyinFindsVillagesAndVisitors() throws {
    let village = try #require(index.search("longtan").first)
    #expect(village.kind == .village)
    #expect(village.villageID == "v1")
    #expect(village.householdID == nil)
    #expect(village.title == "龙潭村")
    #expect(village.detail == "网格员 李四")
    let visitor = try #require(index.search("wjg").first)
    #expect(visitor.kind == .visitor)
    #expect(visitor.title == "王建国（走访人）")
    #expect(visitor.detail == "村干部 139****5678")
    #expect(visitor.householdID == nil)
  }

  // MARK: Numbers

  @Test func idNumberSuffixOf4And6Digits() throws {
    for count in [4, 6] {
      let suffix = String(SearchFixture.zouID.suffix(count))
      let first = try #require(index.search(suffix).first)
      #expect(first.personID == "p01")
      #expect(first.householdID == "h01")
      #expect(first.score == TownSearch.Score.suffix)
      let shown = String(repeating: "*", count: count - 4) + SearchFixture.zouID.suffix(4)
      #expect(first.matched == "身份证尾号 \(shown)")
    }
  }

  @Test func wholeIDNumberWithLowercaseX() throws {
    let typed = SearchFixture.shanID.lowercased()
    #expect(typed.hasSuffix("x"))
    let hits = index.search(typed)
    let first = try #require(hits.first)
    #expect(first.personID == "p03")
    #expect(first.score == TownSearch.Score.exact)
    #expect(first.matched == "身份证号 " + IDNumber.masked(SearchFixture.shanID))
    #expect(hits.count == 1)
    // The last digits with the x, as typed on a phone keyboard.
    let suffix = try #require(index.search(String(typed.suffix(5))).first)
    #expect(suffix.personID == "p03")
    #expect(suffix.score == TownSearch.Score.suffix)
  }

  @Test func phoneSuffixAndWhole() throws {
    let suffix = try #require(index.search("5678").first)
    #expect(suffix.personID == "p01")
    #expect(suffix.score == TownSearch.Score.suffix)
    #expect(suffix.matched == "电话尾号 5678")
    // The visitor's phone ends in 5678 too: after the resident, by roster order.
    #expect(index.search("5678").map(\.kind) == [.person, .visitor])

    let whole = try #require(index.search("138 0074 5678").first)
    #expect(whole.personID == "p01")
    #expect(whole.score == TownSearch.Score.exact)
    #expect(whole.matched == "电话 138****5678")

    let landline = try #require(index.search("0745-3123456").first)
    #expect(landline.personID == "p02")
    #expect(landline.score == TownSearch.Score.exact)
    #expect(landline.matched == "电话 0745-***3456")
    #expect(index.search("3123456").first?.personID == "p02")
  }

  @Test(
    "户号, with or without leading zeros",
    arguments: [("0012", "h01"), ("12", "h01"), ("０００７", "h13"), ("7", "h13")])
  func householdNumber(query: String, householdID: String) throws {
    let first = try #require(index.search(query).first)
    #expect(first.kind == .household)
    #expect(first.householdID == householdID)
    #expect(first.score == TownSearch.Score.exact)
    #expect(first.matched.hasPrefix("户号 00"))
  }

  @Test func twoDigitsMatchOnly户号() {
    // "16" is the end of 单雄信's phone, but 2 digits are too few for a suffix.
    #expect(index.search("16").compactMap(\.householdID) == ["h05"])
  }

  // MARK: Chinese text

  @Test func chineseNamePrefixAndExact() throws {
    let exact = try #require(index.search("邹锡华").first)
    #expect(exact.score == TownSearch.Score.exact)
    #expect(exact.matched == "姓名")
    #expect(exact.title == "邹锡华（户主）")
    #expect(exact.detail == "龙潭村 第3网格 0012 三江镇龙潭村3组12号")
    #expect(exact.householdID == "h01")
    #expect(exact.villageID == "v1")
    #expect(exact.gridID == "g1")
    #expect(names("欧阳") == ["欧阳修"])
    #expect(index.search("欧阳").first?.score == TownSearch.Score.prefix)
  }

  @Test func chineseRankingExactPrefixContainsThenAddress() {
    let hits = index.search("邹锡")
    #expect(
      hits.map(\.title) == ["邹锡（户主）", "邹锡华（户主）", "张邹锡（配偶）", "邹锡户"])
    #expect(
      hits.map(\.score) == [
        TownSearch.Score.exact, TownSearch.Score.prefix, TownSearch.Score.contains,
        TownSearch.Score.place,
      ])
    #expect(hits.last?.kind == .household)
    #expect(hits.last?.matched == "地址")
  }

  @Test func addressContains() throws {
    let hits = index.search("3组13号")
    let first = try #require(hits.first)
    #expect(hits.count == 1)
    #expect(first.kind == .household)
    #expect(first.householdID == "h02")
    #expect(first.title == "单雄信户")
    #expect(first.matched == "地址")
    #expect(first.score == TownSearch.Score.place)
  }

  @Test func villagesAndGrids() throws {
    // The village, then the households whose address names it; not each of its grids.
    let village = index.search("龙潭村")
    #expect(village.first?.kind == .village)
    #expect(village.first?.score == TownSearch.Score.exact)
    #expect(!village.contains { $0.kind == .grid })
    #expect(village.filter { $0.kind == .household }.count == 6)

    let grid = try #require(index.search("龙潭村第3网格").first)
    #expect(grid.kind == .grid)
    #expect(grid.gridID == "g1")
    #expect(grid.villageID == "v1")
    #expect(grid.householdID == nil)
    #expect(grid.title == "龙潭村第3网格")
    #expect(index.search("第1网格").compactMap(\.gridID) == ["g2"])
  }

  @Test func emptyAndUnknownQueries() {
    #expect(index.search("").isEmpty)
    #expect(index.search("   ").isEmpty)
    #expect(index.search("zxh", limit: 0).isEmpty)
    #expect(index.search("qqqq").isEmpty)
    #expect(index.search("不存在").isEmpty)
    #expect(index.search("99999999").isEmpty)
  }

  @Test func limitKeepsTheBest() {
    #expect(index.search("三江镇", limit: 3).compactMap(\.householdID) == ["h01", "h02", "h03"])
    #expect(index.search("三江镇").count == 13)
  }

  // MARK: Privacy

  @Test(
    "no result shows a whole ID number or phone",
    arguments: [
      SearchFixture.zouID, SearchFixture.shanID.lowercased(), String(SearchFixture.zouID.suffix(8)),
      SearchFixture.zouPhone, SearchFixture.liLandline, "3123456", "5678", "0012", "zxh", "邹",
      "三江镇",
    ])
  func masked(query: String) {
    let secrets =
      SearchFixture.town.households.flatMap(\.persons).flatMap { person in
        [person.idNumber, person.phone, String(person.phone.filter(\.isNumber))]
      } + SearchFixture.town.visitors.map(\.phone)
    for hit in index.search(query) {
      for secret in secrets where !secret.isEmpty {
        #expect(!hit.detail.contains(secret))
        #expect(!hit.title.contains(secret))
        #expect(!hit.matched.contains(secret))
        #expect(!hit.matched.contains(String(secret.suffix(8))))
      }
    }
  }

  // MARK: Update and remove

  @Test func updateAddsAHouseholdInRosterOrder() {
    var town = SearchFixture.town
    var index = SearchFixture.index
    let added = Household(
      id: "h14", gridID: "g1", number: "0018", address: "三江镇龙潭村3组18号",
      persons: [Person(id: "p19", name: "邹晓红", relation: Person.headRelation)])
    town.households.insert(added, at: 1)  // right after 邹锡华's household
    index.update(household: added, in: town)
    #expect(
      index.search("zxh").map(\.title) == ["邹锡华（户主）", "邹晓红（户主）", "周晓辉（女婿）"])
    #expect(index.search("0018").first?.householdID == "h14")
    #expect(index.search("邹晓红").first?.detail == "龙潭村 第3网格 0018 三江镇龙潭村3组18号")
  }

  @Test func updateManyBetweenTwoHouseholdsKeepsRosterOrder() {
    var town = SearchFixture.town
    var index = SearchFixture.index
    // 30 households squeezed in after the first, each before the previous one.
    for number in 1...30 {
      let added = Household(
        id: "n\(number)", gridID: "g1", number: "1\(number)", address: "",
        persons: [Person(id: "q\(number)", name: "邹新宏", relation: Person.headRelation)])
      town.households.insert(added, at: 1)
      index.update(household: added, in: town)
    }
    let expected = town.households.filter { household in
      household.persons.contains {
        Pinyin.syllables(ofName: $0.name).map(\.first) == ["z", "x", "h"]
      }
    }.map(\.id)
    #expect(index.search("zxh").compactMap(\.householdID) == expected)
  }

  @Test func updateReplacesAnEditedHousehold() {
    var town = SearchFixture.town
    var index = SearchFixture.index
    var edited = town.households[0]
    edited.address = "三江镇龙潭村5组1号"
    edited.persons[0].name = "邹喜华"
    edited.persons.removeLast()
    town.households[0] = edited
    index.update(household: edited, in: town)
    #expect(index.search("3组12号").isEmpty)
    #expect(index.search("5组1号").first?.householdID == "h01")
    #expect(!names("邹锡华", in: index).contains("邹锡华"))
    #expect(names("邹喜华", in: index) == ["邹喜华"])
    #expect(index.search("3123456").isEmpty)  // 李秀英 left the household
    // Still first among equals: the household kept its place in the roster.
    #expect(names("zxh", in: index) == ["邹喜华", "周晓辉"])
  }

  @Test func updateMovesAHouseholdToAnotherGrid() {
    var town = SearchFixture.town
    var index = SearchFixture.index
    var moved = town.households[0]
    moved.gridID = "g2"
    town.households[0] = moved
    index.update(household: moved, in: town)
    let hit = index.search("邹锡华").first
    #expect(hit?.gridID == "g2")
    #expect(hit?.villageID == "v2")
    #expect(hit?.detail == "江口村 第1网格 0012 三江镇龙潭村3组12号")
  }

  @Test func updateFollowsAHouseholdThatMovedInTheRoster() {
    var town = SearchFixture.town
    var index = SearchFixture.index
    var moved = town.households.removeFirst()
    moved.gridID = "g2"
    town.households.append(moved)  // now the last household of the town
    index.update(household: moved, in: town)
    #expect(names("zxh", in: index) == ["周晓辉", "邹锡华"])
  }

  @Test func updateLearnsANewGridAndVillage() {
    var town = SearchFixture.town
    var index = SearchFixture.index
    town.villages.append(Village(id: "v3", name: "新桥村"))
    town.grids.append(Grid(id: "g3", villageID: "v3", name: "第1网格"))
    let added = Household(
      id: "h20", gridID: "g3", number: "0001", address: "三江镇新桥村1组1号",
      persons: [Person(id: "p30", name: "覃小明", relation: Person.headRelation)])
    town.households.append(added)
    index.update(household: added, in: town)
    let hit = index.search("qinxiaoming").first
    #expect(hit?.personID == "p30")
    #expect(hit?.detail == "新桥村 第1网格 0001 三江镇新桥村1组1号")
    #expect(index.search("xinqiao").first?.villageID == "v3")
  }

  @Test func removeTakesAHouseholdOut() {
    var index = SearchFixture.index
    index.remove(householdID: "h02")
    #expect(!names("sxx", in: index).contains("单雄信"))
    #expect(index.search(SearchFixture.shanID).isEmpty)
    #expect(index.search("0013").isEmpty)
    #expect(index.search("3组13号").isEmpty)
    index.remove(householdID: "h02")  // twice: nothing happens
    index.remove(householdID: "nope")
    #expect(names("zxh", in: index) == ["邹锡华", "周晓辉"])
  }

  // MARK: A generated town

  @Test func everyDemoPersonIsFoundByFullPinyinAndName() {
    let town = DemoFixtures.town2000
    let index = TownSearch(town)
    // The fast path for names of Chinese characters gives what Pinyin.syllables(ofName:) gives.
    for household in town.households.prefix(80) {
      for person in household.persons {
        let full = Pinyin.syllables(ofName: person.name).joined()
        let byPinyin = index.search(full, limit: 1_000)
        #expect(
          byPinyin.contains { $0.personID == person.id && $0.score == TownSearch.Score.exact })
        let byName = index.search(person.name, limit: 1_000)
        #expect(
          byName.contains { $0.personID == person.id && $0.householdID == household.id })
      }
    }
  }
}

/// 场所 found by name (its pinyin and initials too), 责任人 and address.
@Suite struct PremisesSearchTests {
  static let index: TownSearch = {
    var town = SearchFixture.town
    town.premises = [
      Premises(
        id: "c00001", gridID: "g1", name: "向记百货", kind: .business, businessKind: .shop,
        address: "三江镇龙潭村老街5号", responsiblePerson: "向红", responsiblePhone: "13907451111"),
      Premises(
        id: "c00002", gridID: "g2", name: "龙潭村村部", kind: .office, address: "龙潭村1组",
        responsiblePerson: "单雄飞"),
    ]
    return TownSearch(town)
  }()

  func premises(_ query: String, in index: TownSearch = Self.index) -> [SearchHit] {
    index.search(query).filter { $0.kind == .premises }
  }

  @Test func byNamePinyinAndInitials() throws {
    for query in ["向记百货", "向记", "百货", "xiangjibaihuo", "xjbh", "xiangji"] {
      let hit = try #require(premises(query).first, "\(query)")
      #expect(hit.premisesID == "c00001", "\(query)")
      #expect(hit.title == "向记百货（商店）")
      #expect(hit.gridID == "g1")
    }
    #expect(premises("xjbh").first?.score == TownSearch.Score.initials)
    #expect(premises("向记百货").first?.matched == "场所名称")
  }

  @Test func byResponsiblePersonAndAddress() throws {
    let byPerson = try #require(premises("单雄飞").first)
    #expect(byPerson.premisesID == "c00002")
    #expect(byPerson.matched == "责任人")
    #expect(byPerson.detail.contains("责任人 单雄飞"))
    #expect(premises("sxf").first?.premisesID == "c00002")
    let byAddress = try #require(premises("老街5号").first)
    #expect(byAddress.premisesID == "c00001")
    #expect(byAddress.matched == "地址")
    // The phone is never in a hit.
    #expect(!premises("向红").contains { $0.detail.contains("13907451111") })
  }

  @Test func setPremisesFollowsAChangeAndAnArchive() {
    var index = Self.index
    index.setPremises([
      Premises(id: "c00001", gridID: "g2", name: "向记超市", kind: .business, businessKind: .shop)
    ])
    #expect(premises("百货", in: index).isEmpty)
    #expect(premises("超市", in: index).first?.gridID == "g2")
    #expect(premises("村部", in: index).isEmpty)
  }
}
