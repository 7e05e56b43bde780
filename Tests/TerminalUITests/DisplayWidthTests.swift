import Foundation
import Testing

@testable import TerminalUI

/// libc's `wcwidth`, which Glibc does not export to Swift (wchar_t is a 32-bit int on Linux).
// swift-format-ignore: AlwaysUseLowerCamelCase
@_silgen_name("wcwidth") func c_wcwidth(_ c: Int32) -> Int32

/// Checks our width table against libc in a UTF-8 locale. Serialized: the locale is global.
@Suite(.serialized) struct DisplayWidthTests {
  init() {
    let locale = setlocale(LC_ALL, "C.UTF-8")
    precondition(locale != nil, "the C.UTF-8 locale is needed to compare with wcwidth")
  }

  private func libc(_ scalar: Unicode.Scalar) -> Int {
    Int(c_wcwidth(Int32(bitPattern: scalar.value)))
  }

  @Test func charactersWeUseMatchLibc() {
    let text = "消防网格三江镇龙潭村第网格户主邹锡华单曾解仇区查翟朴覃乐，。、（）：０１２"
    for scalar in text.unicodeScalars {
      #expect(libc(scalar) == 2, "libc width of \(scalar)")
      #expect(DisplayWidth.of(scalar) == libc(scalar), "width of \(scalar)")
    }
    let ascii = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_./:*[]<>"
    for scalar in ascii.unicodeScalars {
      #expect(DisplayWidth.of(scalar) == 1)
      #expect(DisplayWidth.of(scalar) == libc(scalar), "width of \(scalar)")
    }
    let acute: Unicode.Scalar = "\u{0301}"
    #expect(libc(acute) == 0)
    #expect(DisplayWidth.of(acute) == 0)
  }

  @Test func cjkUnifiedIdeographsMatchLibc() {
    var mismatches: [UInt32] = []
    for value in UInt32(0x4E00)...0x9FFF {
      let scalar = Unicode.Scalar(value)!
      if DisplayWidth.of(scalar) != libc(scalar) { mismatches.append(value) }
    }
    let hex = mismatches.prefix(20).map { String($0, radix: 16) }
    #expect(mismatches.isEmpty, "differ from libc: \(hex)")
  }

  @Test func fullwidthFormsMatchLibc() {
    for value in UInt32(0xFF01)...0xFF5E {
      let scalar = Unicode.Scalar(value)!
      #expect(DisplayWidth.of(scalar) == 2)
      #expect(DisplayWidth.of(scalar) == libc(scalar), "width of U+\(String(value, radix: 16))")
    }
  }

  @Test func stringWidthPrefixAndFitted() {
    #expect("邹锡华".displayWidth == 6)
    #expect("第3网格".displayWidth == 7)
    #expect("e\u{0301}".displayWidth == 1)
    #expect("邹锡华".prefix(columns: 5) == "邹锡")
    #expect("邹锡华".prefix(columns: 0) == "")
    #expect("邹锡".fitted(columns: 6) == "邹锡  ")
    #expect("邹锡华单".fitted(columns: 6).displayWidth == 6)
    #expect("邹锡华单".fitted(columns: 6) == "邹锡..")
    #expect("邹锡华单".fitted(columns: 5, ellipsis: false) == "邹锡 ")
    #expect("12".fittedRight(columns: 4) == "  12")
  }

  @Test func wrappingAndTrimming() {
    #expect("消防网格三江镇".wrapped(columns: 6) == ["消防网", "格三江", "镇"])
    #expect("消防网格".wrapped(columns: 5) == ["消防", "网格"])
    #expect("一\n\n二".wrapped(columns: 10) == ["一", "", "二"])
    #expect("  邹锡华\u{3000} ".trimmedWhitespace == "邹锡华")
    #expect("   ".trimmedWhitespace == "")
  }
}
