import Foundation

/// Refuses JSON in which an object repeats a key, at any depth.
///
/// JSON leaves a repeated key to the reader, and Foundation's JSONDecoder (no strict mode)
/// silently keeps one of the values: a stray second `"visits": []` hid a household's every
/// visit, and the direct visit-file reader could keep a different copy than JSONDecoder. A file
/// with a repeated key is therefore damaged — reported, never read, never overwritten — the
/// same way whichever reader meets it.
///
/// Keys are compared as JSONDecoder would see them: after their escapes are decoded, as Swift
/// strings (`"vi\u0073its"` repeats `"visits"`). Plain ASCII keys, all this program writes, are
/// compared byte for byte, with no allocation but one small reused stack of key positions.
/// It ran on every file at open (on the 10,000-household demo folder, release build, 2 cores,
/// it scanned the 11,208 town, household and contact files, 12 MB, in 14 ms of one core).
/// Now visit, household and contact files in the shape this program writes are checked in
/// their direct readers' own pass (`VisitFileReader`, `HouseholdFileReader`,
/// `ContactFileReader`: a repeat is reported there or makes them give up), and this runs on
/// the rest and on whatever those give up on.
enum StrictJSON {
  /// A key written twice in one object: the second one, where it is.
  struct DuplicateKey: Equatable, Sendable {
    var key: String
    /// 1-based line of the second occurrence.
    var line: Int

    init(key: String, line: Int) {
      self.key = key
      self.line = line
    }

    /// The key found again at byte `offset` of `bytes`.
    init(key: String, at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
      var line = 1
      for byte in bytes[..<offset] where byte == 0x0A { line += 1 }
      self.init(key: key, line: line)
    }

    /// What the clerk reads after the file's name.
    var detail: String { StoreText.duplicateKey(line: line, key: key) }
  }

  /// The first repeated key of the document, or nil. Bytes that are not JSON give nil too:
  /// the decoder that reads them next says where they break.
  static func duplicateKey(in data: Data) -> DuplicateKey? {
    data.withUnsafeBytes { raw in duplicateKey(in: raw.bindMemory(to: UInt8.self)) }
  }

  static func duplicateKey(in bytes: ArraySlice<UInt8>) -> DuplicateKey? {
    bytes.withUnsafeBufferPointer { duplicateKey(in: $0) }
  }

  static func duplicateKey(in bytes: UnsafeBufferPointer<UInt8>) -> DuplicateKey? {
    if case .duplicate(let duplicate) = scanValue(in: bytes, from: 0) { return duplicate }
    return nil
  }

  /// Throws `unreadable` naming the repeated key and its line.
  static func check(_ data: Data, path: String) throws(StoreError) {
    if let duplicate = duplicateKey(in: data) {
      throw StoreError.unreadable(path: path, detail: duplicate.detail)
    }
  }

  /// Decodes after the check: for the small files (backups being restored, audit.head,
  /// local.json, the lock holder) that have no reader of their own.
  static func decode<T: Decodable>(
    _ type: T.Type, from data: Data, path: String, with decoder: JSONDecoder = JSONDecoder()
  ) throws -> T {
    try check(data, path: path)
    return try decoder.decode(type, from: data)
  }

  /// What `scanValue` found.
  enum Scan: Equatable {
    /// The value is free of repeated keys and ends before this byte offset.
    case end(Int)
    case duplicate(DuplicateKey)
    /// Not an object or array, or cut short, or its brackets do not match.
    case malformed
  }

  /// Scans the object or array that starts at `start` (after white space) without decoding
  /// it: where it ends, or its first repeated key.
  static func scanValue(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Scan {
    var scanner = Scanner(bytes: bytes, index: start)
    return scanner.scan()
  }
}

extension StoreText {
  static func duplicateKey(line: Int, key: String) -> String { "第\(line)行：字段「\(key)」重复" }
}

/// The byte walk behind `StrictJSON`: a stack of open containers and the keys of the open
/// objects. Grammar is not checked beyond what finding keys needs; the decoder does that.
private struct Scanner {
  /// A key's bytes between its quotes; `plain` when they are ASCII without escapes.
  struct Key {
    var start: Int
    var end: Int
    var plain: Bool
  }

  /// An open object (its keys are `keys[firstKey...]`) or array (`firstKey` -1).
  struct Frame {
    var firstKey: Int
    /// Built once an object has many keys, so a huge object is not compared pairwise.
    var seen: Set<String>?
  }

  /// Beyond this many keys an object's keys are hashed instead of compared with each other.
  static let pairwiseLimit = 24

  let bytes: UnsafeBufferPointer<UInt8>
  var index: Int
  var keys: [Key] = []
  var frames: [Frame] = []

  init(bytes: UnsafeBufferPointer<UInt8>, index: Int) {
    self.bytes = bytes
    self.index = index
  }

  mutating func scan() -> StrictJSON.Scan {
    while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    guard index < bytes.count, bytes[index] == 0x7B || bytes[index] == 0x5B else {
      return .malformed
    }
    var expectingKey = false
    while index < bytes.count {
      switch bytes[index] {
      case 0x22:  // "
        let start = index + 1
        guard let plain = skipString() else { return .malformed }
        if expectingKey {
          expectingKey = false
          let key = Key(start: start, end: index - 1, plain: plain)
          if let duplicate = add(key) { return .duplicate(duplicate) }
        }
      case 0x7B:  // {
        frames.append(Frame(firstKey: keys.count))
        expectingKey = true
        index += 1
      case 0x5B:  // [
        // Never a key next, even where one was due (`{[`, malformed): a string in an array
        // is no key, and taking it for one looked up keys before the array's (a crash).
        frames.append(Frame(firstKey: -1))
        expectingKey = false
        index += 1
      case 0x7D, 0x5D:  // } ]
        guard let frame = frames.popLast(), (frame.firstKey >= 0) == (bytes[index] == 0x7D) else {
          return .malformed
        }
        if frame.firstKey >= 0 { keys.removeLast(keys.count - frame.firstKey) }
        expectingKey = false
        index += 1
        if frames.isEmpty { return .end(index) }
      case 0x2C:  // ,
        expectingKey = frames[frames.count - 1].firstKey >= 0
        index += 1
      default:  // white space, colons, numbers, literals
        index += 1
      }
    }
    return .malformed
  }

  private static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }

  /// From an opening quote to just past the closing one; whether the text was plain ASCII.
  private mutating func skipString() -> Bool? {
    index += 1
    var plain = true
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x22 {
        index += 1
        return plain
      }
      if byte == 0x5C {
        plain = false
        index += 2
        continue
      }
      if byte >= 0x80 { plain = false }
      index += 1
    }
    return nil
  }

  /// Adds a key to the innermost object; the duplicate if the object already has it.
  private mutating func add(_ key: Key) -> StrictJSON.DuplicateKey? {
    let frame = frames.count - 1
    let first = frames[frame].firstKey
    if keys.count - first < Self.pairwiseLimit {
      for other in keys[first...] where same(other, key) { return duplicate(key) }
    } else {
      if frames[frame].seen == nil {
        frames[frame].seen = Set(keys[first...].compactMap { text($0) })
      }
      if let text = text(key), frames[frame].seen?.insert(text).inserted == false {
        return duplicate(key)
      }
    }
    keys.append(key)
    return nil
  }

  private func duplicate(_ key: Key) -> StrictJSON.DuplicateKey {
    StrictJSON.DuplicateKey(key: text(key) ?? "", at: key.start - 1, in: bytes)
  }

  private func same(_ a: Key, _ b: Key) -> Bool {
    if a.plain && b.plain {
      let count = a.end - a.start
      guard b.end - b.start == count else { return false }
      guard let base = bytes.baseAddress else { return true }
      return memcmp(base + a.start, base + b.start, count) == 0
    }
    guard let left = text(a), let right = text(b) else { return false }
    return left == right
  }

  /// The key as a string, escapes decoded; nil when they are invalid (the decoder refuses
  /// the file anyway).
  private func text(_ key: Key) -> String? {
    let raw = UnsafeBufferPointer(rebasing: bytes[key.start..<key.end])
    if key.plain { return String(decoding: raw, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var at = 0
    while at < raw.count {
      let byte = raw[at]
      at += 1
      guard byte == 0x5C else {
        out.append(byte)
        continue
      }
      guard JSONEscape.decode(raw, at: &at, into: &out) else { return nil }
    }
    return out.withUnsafeBufferPointer { UTF8Text.string($0) }
  }
}
