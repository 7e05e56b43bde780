/// 随机抽查 — the households inspectors re-visit, drawn so that anyone can draw the same list
/// again from the numbers printed on the check sheet (round, households per village, seed) and
/// the same roster.
public enum SpotCheckSampling {
  /// Seeds are 0 … 99,999,999: eight digits, short enough to read out and type.
  public static let maximumSeed = 99_999_999

  /// Why a sample cannot be drawn with these numbers (in Chinese), or nil when it can.
  public static func check(perVillage: Int, seed: Int) -> String? {
    if perVillage < 1 { return SupervisionText.perVillageTooSmall }
    if seed < 0 || seed > maximumSeed { return SupervisionText.seedOutOfRange(maximumSeed) }
    return nil
  }

  /// Households drawn for round `round`: `perVillage` from each village (all of a village
  /// when it has fewer), villages in roster order; within a village stratified by visitor
  /// (households without a visitor are a stratum of their own), households with a
  /// vulnerable member weighted up (weight 3 vs 1), without replacement. Same seed, round,
  /// count and roster → same list; another seed → (almost always) another list.
  ///
  /// The algorithm, exactly (a re-implementation must follow it step by step to give the
  /// same list):
  ///
  /// 1. One generator for the whole draw: `SplitMix64(seed: UInt64(round) << 32 | UInt64(seed))`
  ///    (the round is mixed in so that one seed reused for every round does not check the
  ///    same households each time). Its `next(below:)` (Lemire's method) is the only source
  ///    of randomness; the standard library's shuffles and `random` are never used.
  /// 2. For each village in roster order: its households in roster order (grids in roster
  ///    order, households in roster order). With K = `perVillage` ≥ that count, all of them,
  ///    in roster order, and no number is drawn. Otherwise:
  /// 3. Strata: the households grouped by visitor id, households without a visitor being one
  ///    stratum; strata ordered by their first household in roster order.
  /// 4. Allocation, as even as the strata's sizes allow: every stratum starts at 0 and K
  ///    draws remain. Repeat while draws remain: the open strata are those whose allocation
  ///    is below their size, in stratum order; when the remaining draws r ≥ the number of
  ///    open strata m, each open stratum gets one more; otherwise r of the open strata get
  ///    one more each, chosen by `sample(r, of: m)` (a partial Fisher–Yates: for i in 0..<r,
  ///    swap position i with i + `next(below: m - i)`; the first r positions are the chosen).
  /// 5. Draws: for each stratum in stratum order, its allocation a: a times, the households
  ///    of the stratum not yet drawn, in roster order, with weights 3 (a member in a
  ///    vulnerable group) or 1; t = `next(below: total weight)`; the household drawn is the
  ///    first whose running sum of weights exceeds t; it is removed.
  /// 6. The village's households in the order drawn (stratum by stratum); the villages' lists
  ///    one after another.
  public static func draw(round: Int, perVillage: Int, seed: Int, town: TownData) -> [String] {
    var random = SplitMix64(
      seed: UInt64(truncatingIfNeeded: round) << 32 | UInt64(truncatingIfNeeded: seed))
    var result: [String] = []
    for village in town.villages {
      let households = town.households(inVillage: village.id)
      guard perVillage < households.count else {
        result += households.map(\.id)
        continue
      }
      let strata = strata(of: households)
      let allocation = allocate(max(0, perVillage), over: strata.map(\.count), &random)
      for (stratum, count) in zip(strata, allocation) {
        result += weightedDraw(count, from: stratum, weight: householdWeight, &random).map(\.id)
      }
    }
    return result
  }

  /// Premises drawn for round `round` on request: `perVillage` of each village's premises (all
  /// when it has fewer), by the same steps as `draw` with three differences, so the households'
  /// list is the same whether premises are asked for or not:
  ///
  /// 1. Its own generator: `SplitMix64(seed: (UInt64(round) << 32 | UInt64(seed)) ^
  ///    premisesStreamSalt)`.
  /// 3. Strata are the premises' kinds (办公场所, 生产经营性场所, 多合一场所), ordered by their
  ///    first premises in roster order.
  /// 5. A premises where people sleep (`peopleSleep == true`) weighs 3, any other 1.
  public static func drawPremises(round: Int, perVillage: Int, seed: Int, town: TownData)
    -> [String]
  {
    guard perVillage > 0 else { return [] }
    var random = SplitMix64(
      seed: (UInt64(truncatingIfNeeded: round) << 32 | UInt64(truncatingIfNeeded: seed))
        ^ premisesStreamSalt)
    var result: [String] = []
    for village in town.villages {
      let premises = town.premises(inVillage: village.id)
      guard perVillage < premises.count else {
        result += premises.map(\.id)
        continue
      }
      var order: [PremisesKind] = []
      var groups: [PremisesKind: [Premises]] = [:]
      for place in premises {
        if groups[place.kind] == nil { order.append(place.kind) }
        groups[place.kind, default: []].append(place)
      }
      let strata = order.map { groups[$0] ?? [] }
      let allocation = allocate(perVillage, over: strata.map(\.count), &random)
      for (stratum, count) in zip(strata, allocation) {
        result += weightedDraw(count, from: stratum, weight: premisesWeight, &random).map(\.id)
      }
    }
    return result
  }

  /// Mixed into the premises' generator seed: a stream of its own (the golden-ratio constant
  /// SplitMix64 steps by, chosen only for being fixed and written down).
  public static let premisesStreamSalt: UInt64 = 0x9E37_79B9_7F4A_7C15

  static func householdWeight(_ household: Household) -> Int {
    household.hasVulnerableMember ? vulnerableWeight : 1
  }

  static func premisesWeight(_ premises: Premises) -> Int {
    premises.peopleSleep == true ? vulnerableWeight : 1
  }

  /// Households grouped by visitor (nil is a stratum), strata in order of first appearance.
  static func strata(of households: [Household]) -> [[Household]] {
    var order: [String?] = []
    var groups: [String?: [Household]] = [:]
    for household in households {
      if groups[household.visitorID] == nil { order.append(household.visitorID) }
      groups[household.visitorID, default: []].append(household)
    }
    return order.map { groups[$0] ?? [] }
  }

  /// Step 4 of `draw`: `count` draws over strata of `sizes`, one round at a time.
  static func allocate(_ count: Int, over sizes: [Int], _ random: inout SplitMix64) -> [Int] {
    var allocation = Array(repeating: 0, count: sizes.count)
    var remaining = count
    while remaining > 0 {
      let open = sizes.indices.filter { allocation[$0] < sizes[$0] }
      guard !open.isEmpty else { break }
      if remaining >= open.count {
        for index in open { allocation[index] += 1 }
        remaining -= open.count
      } else {
        for chosen in random.sample(remaining, of: open.count) { allocation[open[chosen]] += 1 }
        remaining = 0
      }
    }
    return allocation
  }

  /// Step 5 of `draw`: `count` items of `stratum` without replacement, weighted.
  static func weightedDraw<Item>(
    _ count: Int, from stratum: [Item], weight: (Item) -> Int, _ random: inout SplitMix64
  ) -> [Item] {
    var left = stratum
    var drawn: [Item] = []
    for _ in 0..<min(count, left.count) {
      let weights = left.map(weight)
      let target = random.next(below: weights.reduce(0, +))
      var sum = 0
      var pick = left.count - 1
      for (index, weight) in weights.enumerated() {
        sum += weight
        if sum > target {
          pick = index
          break
        }
      }
      drawn.append(left.remove(at: pick))
    }
    return drawn
  }

  /// A household with a member in a vulnerable group is three times as likely to be drawn.
  public static let vulnerableWeight = 3
}
