import Foundation

/// What one search result points at.
public struct SearchHit: Equatable, Sendable {
  public enum Kind: Sendable, Equatable { case person, household, village, grid, visitor, premises }
  public var kind: Kind
  /// Where Enter jumps (nil for village/grid/visitor hits).
  public var householdID: String?
  public var villageID: String?
  public var gridID: String?
  public var personID: String?
  /// The premises (场所) a premises hit is; Enter opens its premises list with it selected.
  public var premisesID: String?
  /// e.g. "邹锡华（户主）"
  public var title: String
  /// e.g. "龙潭村 第3网格 0012 三江镇龙潭村3组12号"; never a full ID number or phone.
  public var detail: String
  /// What matched, for display: "拼音首字母 zxh", "身份证尾号 1234", "电话尾号 5678", "姓名", "地址".
  public var matched: String
  /// Higher is better; see `TownSearch.Score`.
  public var score: Int

  public init(
    kind: Kind, householdID: String? = nil, villageID: String? = nil, gridID: String? = nil,
    personID: String? = nil, premisesID: String? = nil, title: String, detail: String,
    matched: String, score: Int
  ) {
    self.kind = kind
    self.premisesID = premisesID
    self.householdID = householdID
    self.villageID = villageID
    self.gridID = gridID
    self.personID = personID
    self.title = title
    self.detail = detail
    self.matched = matched
    self.score = score
  }
}

/// An index of one town's roster for search as you type: name, full pinyin and initials, ID
/// number (whole or last digits), phone, 户号, address, village, grid and visitor; and 场所 by
/// name (its pinyin and initials too), 责任人 and address.
///
/// Keys are computed once per record (lowercase UTF-8 bytes: folded name and address, joined
/// pinyin with its syllable boundaries, initials, normalized ID number, phone digits); a
/// keystroke is one linear scan over them with byte comparisons and a bounded top-`limit` list.
/// Release build, 10,000 demo households (35,404 persons): build ≈ 150 ms (≈ 60 ms once the
/// character readings are cached), a keystroke p50 ≈ 0.5 ms, p95 ≈ 1 ms, an update ≈ 25 µs.
/// Nothing here reads the clock or files.
///
/// How a query is read (full-width folded, spaces ignored, case-insensitive):
/// - digits, dashes and a final x: 户号 (leading zeros optional), and with 3 digits or more the
///   last digits of an ID number or phone, or the whole of either;
/// - ASCII letters only: pinyin from the surname on, as initials (zxh), whole syllables
///   (zouxihua, zouxi, zou) or a mix (zouxh, zxhua); a typed v stands for ü (lv → 吕);
/// - anything else: names (exact, prefix, contains), then addresses, villages and grids.
public struct TownSearch: Sendable {
  /// The tiers of `SearchHit.score`; ties keep roster order.
  public enum Score {
    /// Whole name, whole pinyin, whole ID number or phone, 户号, whole village or grid name.
    public static let exact = 1000
    /// Pinyin initials of the whole name (zxh for 邹锡华).
    public static let initials = 900
    /// Every syllable typed, some of them cut short (zouxh, zxhua).
    public static let mixed = 850
    /// The last 3 or more digits of an ID number or phone.
    public static let suffix = 800
    /// The name, or its pinyin or initials, begins with the query.
    public static let prefix = 700
    /// The name contains the query.
    public static let contains = 500
    /// The address, village or grid name contains the query.
    public static let place = 300
  }

  private var villages: [VillageEntry] = []
  private var grids: [GridEntry] = []
  private var visitors: [VisitorEntry] = []
  /// 场所, in roster order (a town has tens or hundreds: rebuilt whole when they change).
  private var premises: [PremisesEntry] = []
  private var villageIndex: [String: Int] = [:]
  private var gridIndex: [String: Int] = [:]
  /// Households by slot, in the order they were indexed (an edit adds a new slot and retires
  /// the old one); nil where retired.
  private var households: [HouseholdEntry?] = []
  private var householdKeys = HouseholdKeys()
  private var slotOfHousehold: [String: Int] = [:]
  /// Persons by row, like households.
  private var persons: [PersonEntry] = []
  private var personKeys = PersonKeys()
  private var keyMaker = KeyMaker()

  /// The gap between the roster keys of neighbouring households at build time, so that a
  /// household added between two others gets a key between theirs.
  private static let keySpacing = 1 << 20

  public init(_ town: TownData) {
    for village in town.villages { upsert(village) }
    for grid in town.grids { upsert(grid) }
    for (index, visitor) in town.visitors.enumerated() {
      visitors.append(VisitorEntry(visitor, order: index, keys: &keyMaker))
    }
    households.reserveCapacity(town.households.count)
    persons.reserveCapacity(town.households.count * 4)
    for (index, household) in town.households.enumerated()
    where slotOfHousehold[household.id] == nil {
      append(household, rosterKey: index * Self.keySpacing)
    }
    setPremises(town.premises)
  }

  /// Indexes the town's premises again (after one was added, changed, moved or archived).
  public mutating func setPremises(_ list: [Premises]) {
    premises = list.enumerated().map { PremisesEntry($1, order: $0, keys: &keyMaker) }
  }

  /// Updates the index after one household changed (added or edited), with the town it now
  /// belongs to (for its grid and village, and for where a new household stands in the
  /// roster). O(that household), plus one pass over the roster's ids when it is new or moved
  /// to another grid.
  public mutating func update(household: Household, in town: TownData) {
    if let grid = town.grid(id: household.gridID) {
      upsert(grid)
      if let village = town.village(id: grid.villageID) { upsert(village) }
    }
    var rosterKey: Int?
    if let slot = slotOfHousehold[household.id], let old = households[slot] {
      retire(slot: slot)
      // A household moved to another grid may have moved in the roster too.
      if old.gridID == household.gridID { rosterKey = householdKeys.rosterKey[slot] }
    }
    append(household, rosterKey: rosterKey ?? self.rosterKey(of: household.id, in: town))
  }

  /// Removes a household (deleted from the roster) from the index.
  public mutating func remove(householdID: String) {
    guard let slot = slotOfHousehold.removeValue(forKey: householdID) else { return }
    retire(slot: slot)
  }

  /// Results for a query typed so far, best first, at most `limit`. Empty query → [].
  public func search(_ query: String, limit: Int = 50) -> [SearchHit] {
    guard limit > 0, let parsed = Query(query) else { return [] }
    var best = BestCandidates(limit: limit)
    switch parsed {
    case .number(let number): collectNumber(number, into: &best)
    case .letters(let letters): collectPinyin(letters, into: &best)
    case .text(let text): collectText(text, into: &best)
    }
    return best.items.map { hit(for: $0, query: parsed) }
  }

  // MARK: - Building

  private mutating func append(_ household: Household, rosterKey: Int) {
    let slot = households.count
    slotOfHousehold[household.id] = slot
    var rows: [Int] = []
    rows.reserveCapacity(household.persons.count)
    let householdOrder = Self.order(rosterKey: rosterKey, member: nil)
    for (member, person) in household.persons.enumerated() {
      rows.append(persons.count)
      persons.append(PersonEntry(person, slot: slot))
      personKeys.append(
        person, order: Self.order(rosterKey: rosterKey, member: member), keys: &keyMaker)
    }
    households.append(HouseholdEntry(household, personRows: rows))
    householdKeys.append(household, rosterKey: rosterKey, order: householdOrder)
  }

  private mutating func retire(slot: Int) {
    guard let entry = households[slot] else { return }
    for row in entry.personRows { personKeys.alive[row] = false }
    householdKeys.alive[slot] = false
    households[slot] = nil
  }

  private static func order(rosterKey: Int, member: Int?) -> Int {
    Order.households + (rosterKey << 8) + (member.map { min($0, 254) + 1 } ?? 0)
  }

  private mutating func upsert(_ village: Village) {
    if let index = villageIndex[village.id] {
      let renamed = villages[index].village.name != village.name
      villages[index] = VillageEntry(village, order: villages[index].order, keys: &keyMaker)
      guard renamed else { return }
    } else {
      villageIndex[village.id] = villages.count
      villages.append(VillageEntry(village, order: villages.count, keys: &keyMaker))
    }
    for index in grids.indices where grids[index].grid.villageID == village.id {
      grids[index] = GridEntry(grids[index].grid, villageName: village.name, order: index)
    }
  }

  private mutating func upsert(_ grid: Grid) {
    let villageName = villageIndex[grid.villageID].map { villages[$0].village.name } ?? ""
    if let index = gridIndex[grid.id] {
      grids[index] = GridEntry(grid, villageName: villageName, order: index)
    } else {
      gridIndex[grid.id] = grids.count
      grids.append(GridEntry(grid, villageName: villageName, order: grids.count))
    }
  }

  /// A roster key between those of the nearest indexed households before and after `id` in
  /// `town.households`; when there is no room left, every key is given again from the roster.
  private mutating func rosterKey(of id: String, in town: TownData) -> Int {
    let roster = town.households
    guard let position = roster.firstIndex(where: { $0.id == id }) else {
      var last = -Self.keySpacing
      for slot in households.indices where householdKeys.alive[slot] {
        last = max(last, householdKeys.rosterKey[slot])
      }
      return last + Self.keySpacing
    }
    var before: Int?
    for household in roster[..<position].reversed() {
      before = key(of: household.id)
      if before != nil { break }
    }
    var after: Int?
    for household in roster[(position + 1)...] {
      after = key(of: household.id)
      if after != nil { break }
    }
    switch (before, after) {
    case (nil, nil): return 0
    case (let low?, nil): return low + Self.keySpacing
    case (nil, let high?): return high - Self.keySpacing
    case (let low?, let high?):
      if high - low >= 2 { return low + (high - low) / 2 }
      for (index, household) in roster.enumerated() {
        guard let slot = slotOfHousehold[household.id], let entry = households[slot] else {
          continue
        }
        let key = index * Self.keySpacing
        householdKeys.rosterKey[slot] = key
        householdKeys.order[slot] = Self.order(rosterKey: key, member: nil)
        for (member, row) in entry.personRows.enumerated() {
          personKeys.order[row] = Self.order(rosterKey: key, member: member)
        }
      }
      return position * Self.keySpacing
    }
  }

  private func key(of householdID: String) -> Int? {
    slotOfHousehold[householdID].map { householdKeys.rosterKey[$0] }
  }

  // MARK: - Matching

  private func collectNumber(_ number: NumberQuery, into best: inout BestCandidates) {
    let keys = householdKeys
    if !number.hasX {
      number.numberKey.withUnsafeBufferPointer { query in
        keys.number.withBuffers { bytes, offsets in
          for slot in 0..<keys.alive.count where keys.alive[slot] {
            if Bytes(bytes, offsets, slot).equals(query) {
              best.offer(
                Candidate(
                  score: Score.exact, order: keys.order[slot], target: .household(slot),
                  match: .householdNumber))
            }
          }
        }
      }
    }
    guard number.digits.count >= 3 else { return }
    let people = personKeys
    number.idKey.withUnsafeBufferPointer { idQuery in
      number.digits.withUnsafeBufferPointer { phoneQuery in
        people.id.withBuffers { ids, idOffsets in
          people.phone.withBuffers { phones, phoneOffsets in
            for row in 0..<people.alive.count where people.alive[row] {
              let id = Bytes(ids, idOffsets, row)
              let phone = Bytes(phones, phoneOffsets, row)
              if let (score, match) = Self.matchNumber(
                id: id, phone: phone, idQuery: idQuery, phoneQuery: number.hasX ? nil : phoneQuery)
              {
                best.offer(
                  Candidate(
                    score: score, order: people.order[row], target: .person(row), match: match))
              }
            }
          }
        }
      }
      guard !number.hasX else { return }
      number.digits.withUnsafeBufferPointer { phoneQuery in
        for (index, visitor) in visitors.enumerated() {
          visitor.phoneKey.withUnsafeBufferPointer { phone in
            if let (score, match) = Self.matchNumber(
              id: Bytes(nil, 0), phone: Bytes(phone), idQuery: idQuery, phoneQuery: phoneQuery)
            {
              best.offer(
                Candidate(
                  score: score, order: Order.visitors + visitor.order, target: .visitor(index),
                  match: match))
            }
          }
        }
      }
    }
  }

  private static func matchNumber(
    id: Bytes, phone: Bytes, idQuery: UnsafeBufferPointer<UInt8>,
    phoneQuery: UnsafeBufferPointer<UInt8>?
  ) -> (Int, Match)? {
    if id.equals(idQuery) { return (Score.exact, .idWhole) }
    if let phoneQuery, phone.equals(phoneQuery) { return (Score.exact, .phoneWhole) }
    if id.hasSuffix(idQuery) { return (Score.suffix, .idSuffix) }
    if let phoneQuery, phone.hasSuffix(phoneQuery) { return (Score.suffix, .phoneSuffix) }
    return nil
  }

  private func collectPinyin(_ letters: [UInt8], into best: inout BestCandidates) {
    letters.withUnsafeBufferPointer { query in
      for (index, village) in villages.enumerated() {
        if let (score, match) = village.pinyin.match(query) {
          best.offer(
            Candidate(
              score: score, order: Order.villages + village.order, target: .village(index),
              match: match))
        }
      }
      let people = personKeys
      let first = query[0]
      people.initials.withBuffers { initials, initialOffsets in
        people.full.withBuffers { full, fullOffsets in
          people.ends.withBuffers { ends, endOffsets in
            for row in 0..<people.alive.count {
              let start = Int(initialOffsets[row])
              guard start < Int(initialOffsets[row + 1]), initials[start] == first,
                people.alive[row]
              else { continue }
              let key = PinyinBytes(
                full: Bytes(full, fullOffsets, row),
                initials: Bytes(initials, initialOffsets, row),
                ends: Bytes(ends, endOffsets, row))
              if let (score, match) = key.match(query) {
                best.offer(
                  Candidate(
                    score: score, order: people.order[row], target: .person(row), match: match))
              }
            }
          }
        }
      }
      for (index, visitor) in visitors.enumerated() {
        if let (score, match) = visitor.pinyin.match(query) {
          best.offer(
            Candidate(
              score: score, order: Order.visitors + visitor.order, target: .visitor(index),
              match: match))
        }
      }
      for (index, entry) in premises.enumerated() {
        let order = Order.premises + entry.order
        if let (score, match) = entry.pinyin.match(query) {
          best.offer(Candidate(score: score, order: order, target: .premises(index), match: match))
        } else if let (score, _) = entry.responsiblePinyin.match(query) {
          best.offer(
            Candidate(score: score, order: order, target: .premises(index), match: .responsible))
        }
      }
    }
  }

  private func collectText(_ text: [UInt8], into best: inout BestCandidates) {
    text.withUnsafeBufferPointer { query in
      for (index, village) in villages.enumerated() {
        let name = village.nameKey
        let score: Int? =
          name == text
          ? Score.exact
          : hasPrefix(name, text) ? Score.prefix : contains(name, text) ? Score.place : nil
        if let score {
          best.offer(
            Candidate(
              score: score, order: Order.villages + village.order, target: .village(index),
              match: .villageName))
        }
      }
      for (index, grid) in grids.enumerated() {
        // Only a query that reaches into the grid's own name: 龙潭 finds the village, not
        // each of its grids; 第3网格 and 龙潭村第3 find grids.
        let score: Int?
        if grid.fullKey == text || grid.nameKey == text {
          score = Score.exact
        } else if contains(grid.nameKey, text) {
          score = Score.place
        } else if !contains(grid.villageKey, text), contains(grid.fullKey, text) {
          score = hasPrefix(grid.fullKey, text) ? Score.prefix : Score.place
        } else {
          score = nil
        }
        if let score {
          best.offer(
            Candidate(
              score: score, order: Order.grids + grid.order, target: .grid(index),
              match: .gridName))
        }
      }
      let keys = householdKeys
      keys.address.withBuffers { bytes, offsets in
        for slot in 0..<keys.alive.count where keys.alive[slot] {
          let address = Bytes(bytes, offsets, slot)
          if address.contains(query) {
            best.offer(
              Candidate(
                score: address.equals(query) ? Score.exact : Score.place,
                order: keys.order[slot], target: .household(slot), match: .address))
          }
        }
      }
      let people = personKeys
      people.name.withBuffers { bytes, offsets in
        for row in 0..<people.alive.count where people.alive[row] {
          if let score = Self.matchName(Bytes(bytes, offsets, row), query) {
            best.offer(
              Candidate(
                score: score, order: people.order[row], target: .person(row), match: .name))
          }
        }
      }
      for (index, visitor) in visitors.enumerated() {
        visitor.nameKey.withUnsafeBufferPointer { name in
          if let score = Self.matchName(Bytes(name), query) {
            best.offer(
              Candidate(
                score: score, order: Order.visitors + visitor.order, target: .visitor(index),
                match: .name))
          }
        }
      }
      for (index, entry) in premises.enumerated() {
        let order = Order.premises + entry.order
        let name = entry.nameKey.withUnsafeBufferPointer { Self.matchName(Bytes($0), query) }
        let responsible = entry.responsibleKey.withUnsafeBufferPointer {
          Self.matchName(Bytes($0), query)
        }
        if let name {
          best.offer(
            Candidate(score: name, order: order, target: .premises(index), match: .premisesName))
        } else if let responsible {
          best.offer(
            Candidate(
              score: responsible, order: order, target: .premises(index), match: .responsible))
        } else if contains(entry.addressKey, text) {
          best.offer(
            Candidate(
              score: entry.addressKey == text ? Score.exact : Score.place, order: order,
              target: .premises(index), match: .address))
        }
      }
    }
  }

  private static func matchName(_ name: Bytes, _ query: UnsafeBufferPointer<UInt8>) -> Int? {
    if name.equals(query) { return Score.exact }
    if name.hasPrefix(query) { return Score.prefix }
    if name.contains(query) { return Score.contains }
    return nil
  }

  // MARK: - Results

  private func hit(for candidate: Candidate, query: Query) -> SearchHit {
    switch candidate.target {
    case .person(let row):
      let person = persons[row]
      let entry = households[person.slot]!
      let matched = candidate.match.label(query, id: person.idNumber, phone: person.phone)
      return SearchHit(
        kind: .person, householdID: entry.id, villageID: villageID(ofGrid: entry.gridID),
        gridID: entry.gridID, personID: person.id,
        title: ModelText.searchPersonTitle(name: person.name, relation: person.relation),
        detail: householdDetail(entry), matched: matched, score: candidate.score)
    case .household(let slot):
      let entry = households[slot]!
      let matched = candidate.match.label(query, number: entry.number)
      return SearchHit(
        kind: .household, householdID: entry.id, villageID: villageID(ofGrid: entry.gridID),
        gridID: entry.gridID,
        title: ModelText.searchHouseholdTitle(head: entry.headName, number: entry.number),
        detail: householdDetail(entry), matched: matched, score: candidate.score)
    case .village(let index):
      let village = villages[index].village
      let matched = candidate.match.label(query)
      return SearchHit(
        kind: .village, villageID: village.id, title: village.name,
        detail: village.liaison.isEmpty ? "" : ModelText.searchVillageDetail(village.liaison),
        matched: matched, score: candidate.score)
    case .grid(let index):
      let grid = grids[index]
      let matched = candidate.match.label(query)
      return SearchHit(
        kind: .grid, villageID: grid.grid.villageID, gridID: grid.grid.id,
        title: grid.villageName + grid.grid.name, detail: grid.grid.wechatGroup,
        matched: matched, score: candidate.score)
    case .visitor(let index):
      let visitor = visitors[index].visitor
      let matched = candidate.match.label(query, phone: visitor.phone)
      let detail = [visitor.role.label, PhoneNumber.masked(visitor.phone)]
        .filter { !$0.isEmpty }.joined(separator: " ")
      return SearchHit(
        kind: .visitor, title: ModelText.searchVisitorTitle(visitor.name), detail: detail,
        matched: matched, score: candidate.score)
    case .premises(let index):
      let entry = premises[index]
      let grid = gridIndex[entry.premises.gridID].map { grids[$0] }
      let detail = [
        grid?.villageName ?? "", grid?.grid.name ?? "",
        entry.premises.responsiblePerson.isEmpty
          ? "" : ModelText.searchResponsible(entry.premises.responsiblePerson),
        entry.premises.address,
      ].filter { !$0.isEmpty }.joined(separator: " ")
      return SearchHit(
        kind: .premises, villageID: grid?.grid.villageID, gridID: entry.premises.gridID,
        premisesID: entry.premises.id,
        title: ModelText.searchPremisesTitle(
          entry.premises.name, kind: entry.premises.businessKind?.label ?? entry.premises.kind.label
        ), detail: detail, matched: candidate.match.label(query), score: candidate.score)
    }
  }

  private func villageID(ofGrid gridID: String) -> String? {
    gridIndex[gridID].map { grids[$0].grid.villageID }
  }

  /// 龙潭村 第3网格 0012 三江镇龙潭村3组12号
  private func householdDetail(_ entry: HouseholdEntry) -> String {
    let grid = gridIndex[entry.gridID].map { grids[$0] }
    return [grid?.villageName ?? "", grid?.grid.name ?? "", entry.number, entry.address]
      .filter { !$0.isEmpty }.joined(separator: " ")
  }
}

// MARK: - Text

extension ModelText {
  // MARK: 搜索 (TownSearch)

  /// 邹锡华（户主）
  public static func searchPersonTitle(name: String, relation: String) -> String {
    relation.isEmpty ? name : "\(name)（\(relation)）"
  }
  /// 邹锡华户, or 户号0012 for a household without members.
  public static func searchHouseholdTitle(head: String?, number: String) -> String {
    if let head, !head.isEmpty { return "\(head)户" }
    return "户号\(number)"
  }
  /// 李四（走访人）
  public static func searchVisitorTitle(_ name: String) -> String { "\(name)（走访人）" }
  /// 网格员 李四
  public static func searchVillageDetail(_ liaison: String) -> String { "网格员 \(liaison)" }

  /// 向记百货（商店）
  public static func searchPremisesTitle(_ name: String, kind: String) -> String {
    "\(name)（\(kind)）"
  }
  /// 责任人 向红
  public static func searchResponsible(_ name: String) -> String { "责任人 \(name)" }
  public static let searchMatchedPremisesName = "场所名称"
  public static let searchMatchedResponsible = "责任人"
  public static let searchMatchedName = "姓名"
  public static let searchMatchedAddress = "地址"
  public static let searchMatchedVillage = "村（社区）名"
  public static let searchMatchedGrid = "网格"
  /// 拼音 zouxi
  public static func searchMatchedPinyin(_ typed: String) -> String { "拼音 \(typed)" }
  /// 拼音首字母 zxh
  public static func searchMatchedInitials(_ typed: String) -> String { "拼音首字母 \(typed)" }
  /// 身份证号 431224********123X (masked)
  public static func searchMatchedIDNumber(_ masked: String) -> String { "身份证号 \(masked)" }
  /// 身份证尾号 1234
  public static func searchMatchedIDSuffix(_ shown: String) -> String { "身份证尾号 \(shown)" }
  /// 电话 138****5678 (masked)
  public static func searchMatchedPhone(_ masked: String) -> String { "电话 \(masked)" }
  /// 电话尾号 5678
  public static func searchMatchedPhoneSuffix(_ shown: String) -> String { "电话尾号 \(shown)" }
  /// 户号 0012
  public static func searchMatchedHouseholdNumber(_ number: String) -> String { "户号 \(number)" }
}

// MARK: - Query

/// A query as typed, folded and sorted into one of three kinds.
private enum Query {
  case number(NumberQuery)
  case letters([UInt8])
  case text([UInt8])

  init?(_ raw: String) {
    let compact = TextFolding.compact(raw).lowercased()
    guard !compact.isEmpty else { return nil }
    let bytes = Array(compact.utf8)
    let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
    let isLetter = { (byte: UInt8) in byte >= 0x61 && byte <= 0x7A }
    if let number = NumberQuery(bytes, isDigit: isDigit) {
      self = .number(number)
      return
    }
    let letters = bytes.filter { $0 != 0x27 }  // xi'an
    if !letters.isEmpty, letters.allSatisfy(isLetter) {
      self = .letters(letters.map { $0 == 0x76 ? 0x75 : $0 })  // v for ü
      return
    }
    self = .text(bytes)
  }

  /// What the clerk typed, for the `matched` label of pinyin hits.
  var typed: String {
    switch self {
    case .number(let number): return String(decoding: number.idKey, as: UTF8.self)
    case .letters(let bytes), .text(let bytes): return String(decoding: bytes, as: UTF8.self)
    }
  }
}

/// Digits with dashes removed and an optional final X (of an ID number).
private struct NumberQuery {
  var digits: [UInt8]
  var hasX: Bool
  /// The digits and the X: compared with normalized ID numbers.
  var idKey: [UInt8]
  /// The digits without leading zeros: compared with 户号.
  var numberKey: [UInt8]

  init?(_ bytes: [UInt8], isDigit: (UInt8) -> Bool) {
    var digits: [UInt8] = []
    var hasX = false
    for (index, byte) in bytes.enumerated() {
      if isDigit(byte) {
        digits.append(byte)
      } else if byte == 0x78, index == bytes.count - 1, !digits.isEmpty {
        hasX = true
      } else if byte != 0x2D {
        return nil
      }
    }
    guard !digits.isEmpty else { return nil }
    self.digits = digits
    self.hasX = hasX
    idKey = hasX ? digits + [0x58] : digits
    numberKey = TownSearch.withoutLeadingZeros(digits)
  }
}

// MARK: - Keys

/// One key per row, as lowercase UTF-8 bytes, in one flat array: row `i` is
/// `bytes[offsets[i]..<offsets[i + 1]]`. Rows are only appended.
private struct Column: Sendable {
  /// Starts with one unused byte so that the buffer is never empty.
  var bytes: [UInt8] = [0]
  var offsets: [Int32] = [1]

  mutating func append(_ key: [UInt8]) {
    bytes += key
    offsets.append(Int32(bytes.count))
  }

  func withBuffers<R>(_ body: (UnsafePointer<UInt8>, UnsafePointer<Int32>) -> R) -> R {
    bytes.withUnsafeBufferPointer { bytes in
      offsets.withUnsafeBufferPointer { offsets in body(bytes.baseAddress!, offsets.baseAddress!) }
    }
  }
}

/// The hot keys of households, by slot.
private struct HouseholdKeys: Sendable {
  var alive: [Bool] = []
  var rosterKey: [Int] = []
  var order: [Int] = []
  var address = Column()
  /// 户号 without leading zeros; empty when it is not all digits.
  var number = Column()

  mutating func append(_ household: Household, rosterKey: Int, order: Int) {
    alive.append(true)
    self.rosterKey.append(rosterKey)
    self.order.append(order)
    address.append(TownSearch.folded(household.address))
    let digits = Array(TextFolding.compact(household.number).utf8)
    let allDigits = !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    number.append(allDigits ? TownSearch.withoutLeadingZeros(digits) : [])
  }
}

/// The hot keys of persons, by row.
private struct PersonKeys: Sendable {
  var alive: [Bool] = []
  var order: [Int] = []
  var name = Column()
  /// Joined pinyin syllables, their initials, and where each syllable ends in `full`.
  var full = Column()
  var initials = Column()
  var ends = Column()
  /// Normalized ID number: digits and a final X.
  var id = Column()
  /// Phone digits, a mobile without +86.
  var phone = Column()

  mutating func append(_ person: Person, order: Int, keys: inout KeyMaker) {
    alive.append(true)
    self.order.append(order)
    name.append(TownSearch.folded(person.name))
    let pinyin = keys.pinyin(ofName: person.name)
    full.append(pinyin.full)
    initials.append(pinyin.initials)
    ends.append(pinyin.ends)
    id.append(TownSearch.idKey(person.idNumber))
    phone.append(TownSearch.phoneDigits(person.phone))
  }
}

/// Pinyin of a name as bytes: the joined syllables, their initials, and where each syllable
/// ends in `full` (names are short: a syllable end past 255 is cut off).
private struct PinyinKey: Sendable {
  var full: [UInt8] = []
  var initials: [UInt8] = []
  var ends: [UInt8] = []

  init() {}

  init(_ syllables: [String]) {
    for syllable in syllables { add(Array(syllable.utf8)) }
  }

  mutating func add(_ syllable: [UInt8]) {
    guard let first = syllable.first, full.count + syllable.count <= 255 else { return }
    full += syllable
    initials.append(first)
    ends.append(UInt8(full.count))
  }

  func match(_ query: UnsafeBufferPointer<UInt8>) -> (Int, Match)? {
    full.withUnsafeBufferPointer { full in
      initials.withUnsafeBufferPointer { initials in
        ends.withUnsafeBufferPointer { ends in
          PinyinBytes(full: Bytes(full), initials: Bytes(initials), ends: Bytes(ends))
            .match(query)
        }
      }
    }
  }
}

/// A `PinyinKey` seen in place.
private struct PinyinBytes {
  var full: Bytes
  var initials: Bytes
  var ends: Bytes

  /// Exact pinyin > initials of the whole name > every syllable begun > a prefix of either.
  func match(_ query: UnsafeBufferPointer<UInt8>) -> (Int, Match)? {
    guard initials.count > 0, initials[0] == query[0] else { return nil }
    if full.equals(query) { return (TownSearch.Score.exact, .pinyin) }
    if initials.equals(query) { return (TownSearch.Score.initials, .initials) }
    var budget = 256
    switch segments(query, 0, 0, &budget) {
    case .complete: return (TownSearch.Score.mixed, .pinyin)
    case .partial:
      return (TownSearch.Score.prefix, initials.hasPrefix(query) ? .initials : .pinyin)
    case .none: return nil
    }
  }

  /// Whether `query[q...]` reads as prefixes of the syllables from `syllable` on, one after
  /// another (each at least one letter): all syllables (complete) or the first few (partial).
  /// `budget` bounds the backtracking, which only a pathological name could exhaust.
  private func segments(
    _ query: UnsafeBufferPointer<UInt8>, _ q: Int, _ syllable: Int, _ budget: inout Int
  ) -> Coverage {
    if q == query.count { return syllable == ends.count ? .complete : .partial }
    budget -= 1
    if syllable == ends.count || budget < 0 { return .none }
    let start = syllable == 0 ? 0 : Int(ends[syllable - 1])
    let end = Int(ends[syllable])
    var best = Coverage.none
    var length = 0
    while start + length < end, q + length < query.count,
      full[start + length] == query[q + length]
    {
      length += 1
      switch segments(query, q + length, syllable + 1, &budget) {
      case .complete: return .complete
      case .partial: best = .partial
      case .none: break
      }
    }
    return best
  }
}

/// A key seen in place: a pointer and a length.
private struct Bytes {
  var base: UnsafePointer<UInt8>?
  var count: Int

  init(_ base: UnsafePointer<UInt8>?, _ count: Int) {
    self.base = base
    self.count = count
  }

  init(_ buffer: UnsafeBufferPointer<UInt8>) {
    self.init(buffer.baseAddress, buffer.count)
  }

  /// Row `row` of a `Column`.
  init(_ bytes: UnsafePointer<UInt8>, _ offsets: UnsafePointer<Int32>, _ row: Int) {
    let start = Int(offsets[row])
    self.init(bytes + start, Int(offsets[row + 1]) - start)
  }

  subscript(index: Int) -> UInt8 { base![index] }

  func equals(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
    count == other.count && (count == 0 || memcmp(base!, other.baseAddress!, count) == 0)
  }

  func hasPrefix(_ prefix: UnsafeBufferPointer<UInt8>) -> Bool {
    prefix.count <= count
      && (prefix.isEmpty || memcmp(base!, prefix.baseAddress!, prefix.count) == 0)
  }

  func hasSuffix(_ suffix: UnsafeBufferPointer<UInt8>) -> Bool {
    !suffix.isEmpty && suffix.count <= count
      && memcmp(base! + (count - suffix.count), suffix.baseAddress!, suffix.count) == 0
  }

  func contains(_ needle: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !needle.isEmpty, needle.count <= count, let base, let needleBase = needle.baseAddress
    else { return false }
    let first = needleBase[0]
    var index = 0
    let last = count - needle.count
    while index <= last {
      if base[index] == first, memcmp(base + index, needleBase, needle.count) == 0 {
        return true
      }
      index += 1
    }
    return false
  }
}

/// Computes keys, with the readings of the characters met so far (the transform costs
/// ~50 µs a character; a town has a few hundred distinct ones).
private struct KeyMaker: Sendable {
  /// Readings of single Chinese characters, nil for one the fast path leaves alone.
  private var readings: [UInt32: [[UInt8]]] = [:]

  /// The same syllables as `Pinyin.syllables(ofName:)`; names made only of Chinese characters
  /// (almost all) take a fast path on scalars.
  mutating func pinyin(ofName name: String) -> PinyinKey {
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(4)
    for scalar in name.unicodeScalars {
      guard Pinyin.isHan(scalar) else { return PinyinKey(Pinyin.syllables(ofName: name)) }
      scalars.append(scalar)
    }
    var key = PinyinKey()
    var rest = 0
    if scalars.count >= 2,
      let compound = Pinyin.compoundSurnamesByScalars[
        UInt64(scalars[0].value) << 32 | UInt64(scalars[1].value)]
    {
      for syllable in compound { key.add(Array(syllable.utf8)) }
      rest = 2
    } else if let first = scalars.first, let surname = Pinyin.surnamesByScalar[first.value] {
      key.add(Array(surname.utf8))
      rest = 1
    }
    for scalar in scalars[rest...] {
      for syllable in reading(scalar) { key.add(syllable) }
    }
    return key
  }

  mutating func pinyin(of text: String) -> PinyinKey {
    PinyinKey(Pinyin.syllables(of: text))
  }

  private mutating func reading(_ scalar: Unicode.Scalar) -> [[UInt8]] {
    if let cached = readings[scalar.value] { return cached }
    let reading = Pinyin.readings(of: Character(scalar)).map { Array($0.utf8) }
    readings[scalar.value] = reading
    return reading
  }
}

// MARK: - Entries

/// What a person hit shows; the keys are in `PersonKeys`.
private struct PersonEntry: Sendable {
  var id: String
  var name: String
  var relation: String
  var idNumber: String
  var phone: String
  var slot: Int

  init(_ person: Person, slot: Int) {
    id = person.id
    name = person.name
    relation = person.relation
    idNumber = person.idNumber
    phone = person.phone
    self.slot = slot
  }
}

/// What a household hit shows; the keys are in `HouseholdKeys`.
private struct HouseholdEntry: Sendable {
  var id: String
  var gridID: String
  var number: String
  var address: String
  var headName: String?
  var personRows: [Int]

  init(_ household: Household, personRows: [Int]) {
    id = household.id
    gridID = household.gridID
    number = household.number
    address = household.address
    headName = household.head?.name
    self.personRows = personRows
  }
}

private struct VillageEntry: Sendable {
  var village: Village
  var nameKey: [UInt8]
  var pinyin: PinyinKey
  var order: Int

  init(_ village: Village, order: Int, keys: inout KeyMaker) {
    self.village = village
    nameKey = TownSearch.folded(village.name)
    pinyin = keys.pinyin(of: village.name)
    self.order = order
  }
}

private struct GridEntry: Sendable {
  var grid: Grid
  var villageName: String
  var nameKey: [UInt8]
  var villageKey: [UInt8]
  /// Village and grid name: 龙潭村第3网格.
  var fullKey: [UInt8]
  var order: Int

  init(_ grid: Grid, villageName: String, order: Int) {
    self.grid = grid
    self.villageName = villageName
    nameKey = TownSearch.folded(grid.name)
    villageKey = TownSearch.folded(villageName)
    fullKey = villageKey + nameKey
    self.order = order
  }
}

private struct PremisesEntry: Sendable {
  var premises: Premises
  var nameKey: [UInt8]
  var pinyin: PinyinKey
  var responsibleKey: [UInt8]
  var responsiblePinyin: PinyinKey
  var addressKey: [UInt8]
  var order: Int

  init(_ premises: Premises, order: Int, keys: inout KeyMaker) {
    self.premises = premises
    nameKey = TownSearch.folded(premises.name)
    pinyin = keys.pinyin(of: premises.name)
    responsibleKey = TownSearch.folded(premises.responsiblePerson)
    responsiblePinyin =
      premises.responsiblePerson.isEmpty
      ? PinyinKey() : keys.pinyin(ofName: premises.responsiblePerson)
    addressKey = TownSearch.folded(premises.address)
    self.order = order
  }
}

private struct VisitorEntry: Sendable {
  var visitor: Visitor
  var nameKey: [UInt8]
  var pinyin: PinyinKey
  var phoneKey: [UInt8]
  var order: Int

  init(_ visitor: Visitor, order: Int, keys: inout KeyMaker) {
    self.visitor = visitor
    nameKey = TownSearch.folded(visitor.name)
    pinyin = keys.pinyin(ofName: visitor.name)
    phoneKey = TownSearch.phoneDigits(visitor.phone)
    self.order = order
  }
}

// MARK: - Key functions

extension TownSearch {
  /// Bases of the tie-break order: villages, grids, households with their members, visitors.
  fileprivate enum Order {
    static let villages = 0
    static let grids = 1 << 40
    static let households = 2 << 40
    static let premises = 2 << 60
    static let visitors = 3 << 60
  }

  /// Full-width folded, without whitespace, lowercase. Text of Chinese characters, digits and
  /// lowercase letters (almost all) is taken as it is.
  fileprivate static func folded(_ text: String) -> [UInt8] {
    for scalar in text.unicodeScalars {
      let value = scalar.value
      let plain =
        value < 0x80
        ? value > 0x20 && value != 0x7F && !(0x41...0x5A).contains(value)
        : (0x3400...0x9FFF).contains(value) || value >= 0x20000
      if !plain { return Array(TextFolding.compact(text).lowercased().utf8) }
    }
    return Array(text.utf8)
  }

  /// Normalized ID number: digits and an uppercase final X.
  fileprivate static func idKey(_ raw: String) -> [UInt8] {
    var bytes = Array(raw.utf8)
    if bytes.count == IDNumber.length,
      bytes.dropLast().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
    {
      if bytes[17] == 0x78 { bytes[17] = 0x58 }
      if bytes[17] == 0x58 || (bytes[17] >= 0x30 && bytes[17] <= 0x39) { return bytes }
    }
    return Array(IDNumber.normalized(raw).utf8)
  }

  /// The digits of a phone after `PhoneNumber.normalized(_:)` (a mobile without +86).
  fileprivate static func phoneDigits(_ phone: String) -> [UInt8] {
    let bytes = Array(phone.utf8)
    if bytes.count == 11, bytes[0] == 0x31, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
      return bytes
    }
    if bytes.isEmpty { return [] }
    return PhoneNumber.normalized(phone).utf8.filter { $0 >= 0x30 && $0 <= 0x39 }
  }

  fileprivate static func withoutLeadingZeros(_ digits: [UInt8]) -> [UInt8] {
    let trimmed = Array(digits.drop { $0 == 0x30 })
    return trimmed.isEmpty && !digits.isEmpty ? [0x30] : trimmed
  }
}

// MARK: - Candidates

private enum Target {
  case person(Int)
  case household(Int)
  case village(Int)
  case grid(Int)
  case visitor(Int)
  case premises(Int)
}

private enum Coverage {
  case none, partial, complete
}

private enum Match {
  case name, pinyin, initials, idWhole, idSuffix, phoneWhole, phoneSuffix, householdNumber
  case address, villageName, gridName, premisesName, responsible
}

private struct Candidate {
  var score: Int
  var order: Int
  var target: Target
  var match: Match

  func isBetter(than other: Candidate) -> Bool {
    score != other.score ? score > other.score : order < other.order
  }
}

/// The best `limit` candidates so far, best first.
private struct BestCandidates {
  let limit: Int
  var items: [Candidate] = []

  init(limit: Int) {
    self.limit = limit
    items.reserveCapacity(min(limit, 100) + 1)
  }

  mutating func offer(_ candidate: Candidate) {
    if items.count == limit, let worst = items.last, !candidate.isBetter(than: worst) { return }
    var low = 0
    var high = items.count
    while low < high {
      let middle = (low + high) / 2
      if items[middle].isBetter(than: candidate) { low = middle + 1 } else { high = middle }
    }
    items.insert(candidate, at: low)
    if items.count > limit { items.removeLast() }
  }
}

extension Match {
  /// The `matched` text; ID numbers and phones are masked, typed digits show their last 4.
  /// `id`, `phone` and `number` are the record's own values.
  fileprivate func label(
    _ query: Query, id: String = "", phone: String = "", number: String = ""
  ) -> String {
    switch self {
    case .name: return ModelText.searchMatchedName
    case .pinyin: return ModelText.searchMatchedPinyin(query.typed)
    case .initials: return ModelText.searchMatchedInitials(query.typed)
    case .idWhole: return ModelText.searchMatchedIDNumber(IDNumber.masked(id))
    case .idSuffix: return ModelText.searchMatchedIDSuffix(lastFour(query.typed))
    case .phoneWhole: return ModelText.searchMatchedPhone(PhoneNumber.masked(phone))
    case .phoneSuffix: return ModelText.searchMatchedPhoneSuffix(lastFour(query.typed))
    case .householdNumber: return ModelText.searchMatchedHouseholdNumber(number)
    case .address: return ModelText.searchMatchedAddress
    case .villageName: return ModelText.searchMatchedVillage
    case .gridName: return ModelText.searchMatchedGrid
    case .premisesName: return ModelText.searchMatchedPremisesName
    case .responsible: return ModelText.searchMatchedResponsible
    }
  }

  /// "1234" as typed; longer input shows stars and its last 4: "**1234".
  private func lastFour(_ typed: String) -> String {
    typed.count <= 4 ? typed : String(repeating: "*", count: typed.count - 4) + typed.suffix(4)
  }
}

// MARK: - Bytes of small keys

private func hasPrefix(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
  bytes.starts(with: prefix)
}

private func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
  bytes.withUnsafeBufferPointer { bytes in
    needle.withUnsafeBufferPointer { Bytes(bytes).contains($0) }
  }
}
