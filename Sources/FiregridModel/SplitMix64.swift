import Foundation

/// A small seeded random number generator (SplitMix64, Steele, Lea and Flood 2014) whose
/// output depends on the seed alone: the same seed gives the same sequence on every machine
/// and every Swift version. For reproducible demo data and reproducible random samples (an
/// inspector's list of households to re-visit can be drawn again from its seed).
///
/// Use the methods here rather than the standard library's `random(in:using:)` or
/// `shuffled(using:)` where the result must be reproducible: those algorithms belong to the
/// standard library and may change.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in 0..<bound (bound > 0), by Lemire's multiply-and-reject method.
  public mutating func next(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    let limit = UInt64(bound)
    var product = next().multipliedFullWidth(by: limit)
    if product.low < limit {
      let threshold = (0 &- limit) % limit
      while product.low < threshold {
        product = next().multipliedFullWidth(by: limit)
      }
    }
    return Int(product.high)
  }

  /// A uniform integer in `range`.
  public mutating func next(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + next(below: range.upperBound - range.lowerBound + 1)
  }

  /// A uniform number in 0..<1 with 53 random bits.
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// True with probability `probability`.
  public mutating func chance(_ probability: Double) -> Bool {
    nextUnit() < probability
  }

  /// An element of a non-empty array, uniformly.
  public mutating func element<T>(of array: [T]) -> T {
    array[next(below: array.count)]
  }

  /// Fisher–Yates shuffle in place.
  public mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for index in stride(from: array.count - 1, to: 0, by: -1) {
      array.swapAt(index, next(below: index + 1))
    }
  }

  /// `count` distinct indices of 0..<population (all of them when count >= population),
  /// in increasing order: a reproducible random sample.
  public mutating func sample(_ count: Int, of population: Int) -> [Int] {
    var indices = Array(0..<max(0, population))
    guard count < indices.count else { return indices }
    for index in 0..<max(0, count) {
      indices.swapAt(index, index + next(below: indices.count - index))
    }
    return indices.prefix(max(0, count)).sorted()
  }
}

/// Picks by integer weights in O(log n), reproducibly.
struct WeightedTable<Value> {
  let values: [Value]
  private let cumulative: [Int]

  /// `entries` must hold at least one positive weight; non-positive weights are never picked.
  init(_ entries: [(Value, Int)]) {
    var values: [Value] = []
    var cumulative: [Int] = []
    var total = 0
    for (value, weight) in entries where weight > 0 {
      total += weight
      values.append(value)
      cumulative.append(total)
    }
    self.values = values
    self.cumulative = cumulative
  }

  var isEmpty: Bool { values.isEmpty }

  func pick(_ random: inout SplitMix64) -> Value {
    let target = random.next(below: cumulative[cumulative.count - 1])
    var low = 0
    var high = cumulative.count - 1
    while low < high {
      let middle = (low + high) / 2
      if cumulative[middle] > target { high = middle } else { low = middle + 1 }
    }
    return values[low]
  }
}

extension WeightedTable: Sendable where Value: Sendable {}
