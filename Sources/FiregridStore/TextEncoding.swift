import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The text encodings a spreadsheet file comes in, detected rather than asked: a clerk does not
/// know what "encoding" means, and Excel on Chinese Windows writes GB18030 (GBK) for "CSV",
/// UTF-8 with a byte-order mark for "CSV UTF-8", and UTF-16 for "Unicode 文本".
///
/// Detection: a byte-order mark decides (UTF-8, UTF-16 LE/BE); else bytes that are valid UTF-8
/// are UTF-8; else GB18030 (a superset of GBK and GB2312). Plain ASCII is valid in all of them.
///
/// Conversions go through iconv(3) (glibc's GB18030 module), which names the first byte it
/// cannot convert, so a file that is neither UTF-8 nor GB18030 is refused with its line number
/// instead of being read as garbage. (Foundation on Linux converts GB18030 too; iconv is used
/// because it reports where a conversion fails.)
public enum TextEncoding: String, CaseIterable, Sendable {
  case utf8
  case gb18030
  case utf16LittleEndian
  case utf16BigEndian

  /// What the user reads: "UTF-8", "GB18030".
  public var label: String {
    switch self {
    case .utf8: return "UTF-8"
    case .gb18030: return "GB18030"
    case .utf16LittleEndian: return "UTF-16LE"
    case .utf16BigEndian: return "UTF-16BE"
    }
  }

  /// The name iconv knows the encoding by.
  var iconvName: String {
    switch self {
    case .utf8: return "UTF-8"
    case .gb18030: return "GB18030"
    case .utf16LittleEndian: return "UTF-16LE"
    case .utf16BigEndian: return "UTF-16BE"
    }
  }

  static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// Text decoded from bytes, with what was detected.
  public struct Decoded: Equatable, Sendable {
    /// The text as UTF-8 bytes, without a byte-order mark.
    public var utf8: [UInt8]
    public var encoding: TextEncoding
    public var hadByteOrderMark: Bool

    public var text: String { String(decoding: utf8, as: UTF8.self) }
  }

  /// What went wrong decoding or encoding. `message` is what the user reads (Chinese).
  public enum Problem: Error, Equatable, Sendable {
    /// Bytes that are not valid in the detected encoding, at this 1-based line of the file.
    case undecodable(encoding: TextEncoding, line: Int)
    /// A character the target encoding cannot hold (never for GB18030 or UTF-8).
    case unencodable(encoding: TextEncoding, line: Int)
    /// iconv has no converter for this encoding on this system.
    case unsupported(encoding: TextEncoding)

    public var message: String {
      switch self {
      case .undecodable(let encoding, let line):
        return TextEncodingText.undecodable(encoding.label, line)
      case .unencodable(let encoding, let line):
        return TextEncodingText.unencodable(encoding.label, line)
      case .unsupported(let encoding): return TextEncodingText.unsupported(encoding.label)
      }
    }
  }

  /// Detects the encoding of `bytes` and decodes them to UTF-8 (see the type's comment).
  public static func decode(_ bytes: [UInt8]) throws(Problem) -> Decoded {
    if bytes.starts(with: utf8BOM) {
      let body = Array(bytes[utf8BOM.count...])
      guard let bad = firstInvalidUTF8(body) else {
        return Decoded(utf8: body, encoding: .utf8, hadByteOrderMark: true)
      }
      throw Problem.undecodable(encoding: .utf8, line: line(of: bad, in: body))
    }
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      let encoding: TextEncoding = bytes[0] == 0xFF ? .utf16LittleEndian : .utf16BigEndian
      let utf8 = try convert(Array(bytes[2...]), from: encoding, to: .utf8)
      return Decoded(utf8: utf8, encoding: encoding, hadByteOrderMark: true)
    }
    if firstInvalidUTF8(bytes) == nil {
      return Decoded(utf8: bytes, encoding: .utf8, hadByteOrderMark: false)
    }
    let utf8 = try convert(bytes, from: .gb18030, to: .utf8)
    return Decoded(utf8: utf8, encoding: .gb18030, hadByteOrderMark: false)
  }

  /// `text` in `encoding`, with a byte-order mark first when `byteOrderMark` is true (UTF-8 and
  /// UTF-16 only; GB18030 has none that Excel understands).
  public static func encode(_ text: String, as encoding: TextEncoding, byteOrderMark: Bool)
    throws(Problem) -> [UInt8]
  {
    let utf8 = Array(text.utf8)
    switch encoding {
    case .utf8:
      return byteOrderMark ? utf8BOM + utf8 : utf8
    case .gb18030:
      return try convert(utf8, from: .utf8, to: .gb18030)
    case .utf16LittleEndian:
      return (byteOrderMark ? [0xFF, 0xFE] : []) + (try convert(utf8, from: .utf8, to: encoding))
    case .utf16BigEndian:
      return (byteOrderMark ? [0xFE, 0xFF] : []) + (try convert(utf8, from: .utf8, to: encoding))
    }
  }

  /// The offset of the first byte that does not start or continue a valid UTF-8 sequence;
  /// nil when all of `bytes` is valid UTF-8.
  static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    // The common case, checked by the standard library's fast validator.
    if String(validating: bytes, as: UTF8.self) != nil { return nil }
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        offset += UTF8.width(scalar)
      case .emptyInput:
        return nil
      case .error:
        return offset
      }
    }
  }

  /// 1-based line of the byte at `offset`.
  static func line(of offset: Int, in bytes: [UInt8]) -> Int {
    var line = 1
    for byte in bytes[..<min(offset, bytes.count)] where byte == 0x0A { line += 1 }
    return line
  }

  /// Converts with iconv(3); throws with the line of the first byte it cannot convert.
  static func convert(_ input: [UInt8], from source: TextEncoding, to target: TextEncoding)
    throws(Problem) -> [UInt8]
  {
    let converter = iconv_open(target.iconvName, source.iconvName)
    guard let converter, converter != iconv_t(bitPattern: -1) else {
      throw Problem.unsupported(encoding: source == .utf8 ? target : source)
    }
    defer { iconv_close(converter) }
    if input.isEmpty { return [] }
    // Never more than twice the input between these encodings; grown on E2BIG all the same.
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    var written = 0
    var failedAt: Int?
    var input = input
    input.withUnsafeMutableBytes { inputBuffer in
      var inPointer = inputBuffer.baseAddress!.assumingMemoryBound(to: CChar.self)
      var inLeft = inputBuffer.count
      while inLeft > 0 {
        let status = output.withUnsafeMutableBytes { outputBuffer -> Int in
          var outPointer: UnsafeMutablePointer<CChar>? = outputBuffer.baseAddress!
            .advanced(by: written).assumingMemoryBound(to: CChar.self)
          var outLeft = outputBuffer.count - written
          var inOptional: UnsafeMutablePointer<CChar>? = inPointer
          let result = iconv(converter, &inOptional, &inLeft, &outPointer, &outLeft)
          inPointer = inOptional!
          written = outputBuffer.count - outLeft
          return result
        }
        if status != -1 { break }
        if errno == E2BIG {
          output += [UInt8](repeating: 0, count: output.count)
          continue
        }
        // EILSEQ (an invalid sequence) or EINVAL (a sequence cut off at the end).
        failedAt = inputBuffer.count - inLeft
        break
      }
    }
    if let failedAt {
      // In UTF-8 and GB18030 a 0x0A byte is always a line feed; UTF-16 is not counted.
      let line = source == .utf8 || source == .gb18030 ? line(of: failedAt, in: input) : 1
      if source == .utf8 { throw Problem.unencodable(encoding: target, line: line) }
      throw Problem.undecodable(encoding: source, line: line)
    }
    output.removeSubrange(written...)
    return output
  }
}

/// The encodings' user-facing text.
enum TextEncodingText {
  static func undecodable(_ encoding: String, _ line: Int) -> String {
    "文件第\(line)行有无法识别的字符：既不是 UTF-8 也不是 GB18030（GBK）编码（按 \(encoding) 读取失败）。"
      + "请在 Excel 中另存为 CSV（逗号分隔）或 CSV UTF-8 后再导入。"
  }
  static func unencodable(_ encoding: String, _ line: Int) -> String {
    "第\(line)行有 \(encoding) 编码无法表示的字符，请改用 UTF-8 导出。"
  }
  static func unsupported(_ encoding: String) -> String {
    "本机的 iconv 不支持 \(encoding) 编码（glibc 的 gconv 模块缺失）。"
  }
}
