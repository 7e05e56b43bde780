import Foundation
import Testing

@testable import FiregridModel

@Suite struct IDNumberTests {
  @Test(
    "valid numbers, as typed",
    arguments: [
      ("431224198001010016", "431224198001010016"),  // check digit 6
      ("11010519491231002X", "11010519491231002X"),  // GB 11643 example, check X
      ("11010519491231002x", "11010519491231002X"),  // lowercase x
      ("11010519491231002Ｘ", "11010519491231002X"),  // full-width X
      ("４３１２２４１９８００１０１００１６", "431224198001010016"),  // full-width digits
      (" 431224 19800101 0016　", "431224198001010016"),  // spaces and ideographic space
      ("431224200002290021", "431224200002290021"),  // 29 Feb 2000: 2000 is a leap year
    ])
  func valid(raw: String, normalized: String) {
    #expect(IDNumber.validate(raw) == nil)
    #expect(IDNumber.isValid(raw))
    #expect(IDNumber.normalized(raw) == normalized)
  }

  @Test(
    "invalid numbers and the problem reported",
    arguments: [
      ("", IDNumberProblem.empty),
      ("   ", .empty),
      ("43122419800101001", .wrongLength(17)),
      ("4312241980010100166", .wrongLength(19)),
      ("43122419800101A016", .invalidCharacters),
      ("4312241980010100X6", .invalidCharacters),
      ("43122419800101001-6", .invalidCharacters),
      ("031224198001010016", .badRegion),
      ("431224199902300010", .badBirthDate),  // 30 Feb 1999
      ("431224190002290010", .badBirthDate),  // 29 Feb 1900: 1900 is not a leap year
      ("431224198013010010", .badBirthDate),  // month 13
      ("431224198004310010", .badBirthDate),  // 31 April
      ("431224189912310010", .badBirthDate),  // before 1900
      ("431224198001010017", .badCheckDigit(expected: "6")),
      ("110105194912310021", .badCheckDigit(expected: "X")),
      ("11010519491231002６", .badCheckDigit(expected: "X")),
    ])
  func invalid(raw: String, problem: IDNumberProblem) {
    #expect(IDNumber.validate(raw) == problem)
    #expect(!IDNumber.isValid(raw))
  }

  @Test(
    "messages in Chinese",
    arguments: [
      (IDNumberProblem.empty, "请填写身份证号"),
      (.wrongLength(17), "身份证号应为18位，现在是17位"),
      (.invalidCharacters, "身份证号前17位应为数字，末位为数字或X"),
      (.badRegion, "身份证号前6位地区码无效"),
      (.badBirthDate, "出生日期无效"),
      (.badCheckDigit(expected: "X"), "校验码错误，应为X"),
      (.badCheckDigit(expected: "6"), "校验码错误，应为6"),
    ])
  func message(problem: IDNumberProblem, text: String) {
    #expect(problem.message == text)
  }

  @Test(
    "check digit of the first 17 digits",
    arguments: [
      ("11010519491231002", Character?("X")),
      ("43122419800101001", "6"),
      ("43122420000229002", "1"),
      ("４３１２２４１９８００１０１００１", "6"),
      ("4312241980010100", nil),
      ("431224198001010016", nil),
      ("1101051949123100A", nil),
      ("", nil),
    ])
  func checkDigit(first17: String, expected: Character?) {
    #expect(IDNumber.checkDigit(for: first17) == expected)
  }

  @Test func birthDateAndSex() {
    #expect(
      IDNumber.birthDate(of: "11010519491231002X") == DateComponents(year: 1949, month: 12, day: 31)
    )
    #expect(
      IDNumber.birthCivilDate(of: "431224200002290021")
        == CivilDate(year: 2000, month: 2, day: 29))
    #expect(IDNumber.birthDate(of: "431224199902300010") == nil)
    #expect(IDNumber.birthDate(of: "4312241980") == nil)
    #expect(IDNumber.sex(of: "431224198001010016") == .male)  // 17th digit 1
    #expect(IDNumber.sex(of: "11010519491231002X") == .female)  // 17th digit 2
    #expect(IDNumber.sex(of: "１１０１０５１９４９１２３１００２ｘ") == .female)
    #expect(IDNumber.sex(of: "43122419800101") == nil)
  }

  @Test(
    "age in whole years on a date",
    arguments: [
      (CivilDate(year: 2024, month: 2, day: 28), Int?(23)),
      (CivilDate(year: 2024, month: 2, day: 29), 24),
      (CivilDate(year: 2023, month: 2, day: 28), 22),
      (CivilDate(year: 2023, month: 3, day: 1), 23),
      (CivilDate(year: 2000, month: 2, day: 29), 0),
      (CivilDate(year: 2000, month: 2, day: 28), nil),
    ])
  func age(today: CivilDate, expected: Int?) {
    #expect(IDNumber.age(of: "431224200002290021", on: today) == expected)
  }

  @Test(
    "masked for display",
    arguments: [
      ("11010519491231002X", "110105********002X"),
      ("11010519491231002x", "110105********002X"),
      ("431224198001010016", "431224********0016"),
      ("", ""),
      ("1234", "****"),
      ("12345678", "****5678"),
    ])
  func masked(id: String, expected: String) {
    #expect(IDNumber.masked(id) == expected)
  }

  @Test func makeBuildsValidNumbers() throws {
    let birth = CivilDate(year: 1962, month: 7, day: 9)
    let man = try #require(IDNumber.make(region: "431224", birth: birth, sequence: 37))
    let woman = try #require(IDNumber.make(region: "431224", birth: birth, sequence: 998))
    #expect(man.hasPrefix("43122419620709037"))
    #expect(IDNumber.validate(man) == nil)
    #expect(IDNumber.validate(woman) == nil)
    #expect(IDNumber.sex(of: man) == .male)
    #expect(IDNumber.sex(of: woman) == .female)
    #expect(IDNumber.make(region: "031224", birth: birth, sequence: 1) == nil)
    #expect(IDNumber.make(region: "43122", birth: birth, sequence: 1) == nil)
    #expect(IDNumber.make(region: "431224", birth: birth, sequence: 1000) == nil)
    let bad = CivilDate(year: 1999, month: 2, day: 29)
    #expect(IDNumber.make(region: "431224", birth: bad, sequence: 1) == nil)
  }

  /// `validate` and `normalized` work on the UTF-8 bytes of ASCII text without allocating; they
  /// must answer exactly as character by character, for valid numbers and for every kind of
  /// broken one: every ASCII byte put in, replacing or dropped at random places, x and X,
  /// white space ("\r\n" is one character), wrong dates and years, region 0, full-width and
  /// combining characters (those take the character path, mixed with ASCII faults).
  @Test func bytesAnswerAsCharactersDo() throws {
    var random = SplitMix64(seed: 17)
    var numbers: [String] = ["", " ", "\r\n", "x", "X", "0", "\u{1C}\u{1D}\u{1E}\u{1F}\u{85}"]
    for _ in 0..<3_000 {
      let birth = CivilDate(
        year: random.next(in: 1880...2120), month: random.next(in: 0...13),
        day: random.next(in: 0...32))
      let region = String(random.next(in: 0...999_999)).leftPadded(to: 6)
      if let made = IDNumber.make(region: region, birth: birth, sequence: random.next(in: 0...999))
      {
        numbers.append(made)
      } else {
        // The date or region `make` refuses, with any check character.
        let digits =
          "\(region)\(String(birth.year).leftPadded(to: 4))"
          + "\(String(birth.month).leftPadded(to: 2))\(String(birth.day).leftPadded(to: 2))"
          + "\(random.next(in: 100...999))"
        numbers.append(digits + String("0123456789Xx".randomElement(using: &random)!))
      }
    }
    let pieces =
      (0..<128).map { String(UnicodeScalar(UInt8($0))) } + [
        "\r\n", "\u{3000}", "４", "Ｘ", "ｘ", "\u{301}", "\u{A0}", "\u{2028}", "－", "中", "🔥",
      ]
    var broken: [String] = []
    for number in numbers {
      var characters = Array(number)
      for _ in 0..<random.next(in: 1...3) {
        let at = random.next(below: characters.count + 1)
        let piece = Character(pieces[random.next(below: pieces.count)])
        switch random.next(below: 4) {
        case 0: characters.insert(piece, at: at)
        case 1 where at < characters.count: characters[at] = piece
        case 2 where at < characters.count: characters.remove(at: at)
        default: characters.insert(contentsOf: " x", at: at)
        }
      }
      broken.append(String(characters))
    }
    var problems = Set<String>()
    for text in numbers + broken {
      let fast = IDNumber.validate(text)
      #expect(fast == IDNumber.validateByCharacters(text), "\(Array(text.unicodeScalars))")
      #expect(IDNumber.normalized(text) == IDNumber.normalizedByCharacters(text), "\(text)")
      problems.insert(fast.map { "\($0)" } ?? "valid")
    }
    // Every answer was met, each with a check character's kind.
    #expect(problems.contains("valid"))
    for kind in [
      "empty", "wrongLength", "invalidCharacters", "badRegion", "badBirthDate", "badCheckDigit",
    ] {
      #expect(problems.contains { $0.hasPrefix(kind) }, "\(kind)")
    }
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
