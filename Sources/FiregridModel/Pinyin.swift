import Foundation

/// Pinyin of Chinese names: Foundation's Mandarin transform (String.applyingTransform(
/// .mandarinToLatin, reverse: false) then .stripDiacritics) for given names, and a surname table
/// for polyphonic surnames read wrongly by it.
///
/// Each distinct character is transformed once and cached for the life of the process (the
/// transform costs ~50 µs a character on Linux; a town has a few hundred distinct characters),
/// so a name costs a few dictionary look-ups. Characters are read one at a time, with their
/// default reading: ICU's Han-Latin rules are per character anyway, and a name is not a phrase.
///
/// ü is written u (吕 → "lu", as `.stripDiacritics` gives it); `TownSearch` folds a typed v to u,
/// so "lv" and "lu" both find 吕.
public enum Pinyin {
  /// Syllables of a person's name, surname first, lowercase ASCII without tones: 邹锡华 →
  /// ["zou","xi","hua"], 单雄信 → ["shan","xiong","xin"], 欧阳修 → ["ou","yang","xiu"].
  ///
  /// A compound surname (复姓, `compoundSurnames`) is looked for first, then a single-character
  /// surname with a reading of its own (`surnames`); the rest is read like any text.
  public static func syllables(ofName name: String) -> [String] {
    let characters = Array(name.filter { !$0.isWhitespace }.map(TextFolding.halfWidth))
    var surname: [String] = []
    var rest = characters[...]
    if characters.count >= 2, let compound = compoundSurnames[String(characters[0..<2])] {
      surname = compound
      rest = characters[2...]
    } else if let first = characters.first, let single = surnames[first] {
      surname = [single]
      rest = characters[1...]
    }
    return surname + syllables(of: String(rest))
  }

  /// Syllables of any text (addresses, village names), no surname rule: 龙潭村3组12号 →
  /// ["long","tan","cun","3","zu","12","hao"]. Runs of ASCII letters and of digits are one
  /// syllable each; punctuation and spaces separate and are dropped.
  public static func syllables(of text: String) -> [String] {
    var result: [String] = []
    var run: [UInt8] = []
    var runIsDigits = false
    func flush() {
      if !run.isEmpty { result.append(String(decoding: run, as: UTF8.self)) }
      run.removeAll(keepingCapacity: true)
    }
    for raw in text {
      let character = TextFolding.halfWidth(raw)
      if let ascii = character.asciiValue {
        let lower = ascii | 0x20
        if ascii >= 0x30 && ascii <= 0x39 {
          if !runIsDigits { flush() }
          runIsDigits = true
          run.append(ascii)
        } else if lower >= 0x61 && lower <= 0x7A {
          if runIsDigits { flush() }
          runIsDigits = false
          run.append(lower)
        } else {
          flush()
        }
      } else if isHan(character) {
        flush()
        result += readings(of: character)
      } else if character.isLetter {
        // é, ü and other Latin letters with marks: the stripped letters join the ASCII run.
        if runIsDigits { flush() }
        runIsDigits = false
        for syllable in readings(of: character) { run += syllable.utf8 }
      } else {
        flush()
      }
    }
    flush()
    return result
  }

  // MARK: - Surnames

  /// 复姓 — compound surnames, with their readings as surnames: 尉迟 yuchi, 万俟 moqi, 长孙
  /// zhangsun, 单于 chanyu, 澹台 tantai, 乐正 yuezheng, 拓跋 tuoba differ from the per-character
  /// readings; the others are listed so that a name is split after them.
  static let compoundSurnames: [String: [String]] = [
    "尉迟": ["yu", "chi"], "万俟": ["mo", "qi"], "长孙": ["zhang", "sun"],
    "单于": ["chan", "yu"], "澹台": ["tan", "tai"], "乐正": ["yue", "zheng"],
    "拓跋": ["tuo", "ba"], "欧阳": ["ou", "yang"], "上官": ["shang", "guan"],
    "司马": ["si", "ma"], "东方": ["dong", "fang"], "皇甫": ["huang", "fu"],
    "公孙": ["gong", "sun"], "夏侯": ["xia", "hou"], "慕容": ["mu", "rong"],
    "司徒": ["si", "tu"], "宇文": ["yu", "wen"], "轩辕": ["xuan", "yuan"],
    "西门": ["xi", "men"], "南宫": ["nan", "gong"], "呼延": ["hu", "yan"],
    "端木": ["duan", "mu"], "百里": ["bai", "li"], "申屠": ["shen", "tu"],
    "淳于": ["chun", "yu"], "钟离": ["zhong", "li"], "宗政": ["zong", "zheng"],
    "濮阳": ["pu", "yang"], "太叔": ["tai", "shu"], "公羊": ["gong", "yang"],
    "赫连": ["he", "lian"], "鲜于": ["xian", "yu"], "闾丘": ["lu", "qiu"],
    "司空": ["si", "kong"], "第五": ["di", "wu"], "左丘": ["zuo", "qiu"],
    "梁丘": ["liang", "qiu"], "东郭": ["dong", "guo"], "公冶": ["gong", "ye"],
    "羊舌": ["yang", "she"], "微生": ["wei", "sheng"], "亓官": ["qi", "guan"],
    "仉督": ["zhang", "du"], "司寇": ["si", "kou"], "子车": ["zi", "che"],
    "颛孙": ["zhuan", "sun"], "巫马": ["wu", "ma"], "公西": ["gong", "xi"],
    "漆雕": ["qi", "diao"], "壤驷": ["rang", "si"], "公良": ["gong", "liang"],
    "段干": ["duan", "gan"], "宰父": ["zai", "fu"], "谷梁": ["gu", "liang"],
    "东门": ["dong", "men"], "令狐": ["ling", "hu"], "诸葛": ["zhu", "ge"],
    "夹谷": ["jia", "gu"], "独孤": ["du", "gu"], "即墨": ["ji", "mo"],
    "哥舒": ["ge", "shu"],
  ]

  /// Single-character surnames whose reading as a surname is not the transform's default
  /// (its reading is in the comment): 单 shan (dan), 曾 zeng (ceng), 解 xie (jie), 仇 qiu
  /// (chou), 区 ou (qu), 查 zha (cha), 翟 zhai (di), 朴 piao (pu), 覃 qin (tan), 乐 yue (le).
  /// A name that is only a surname (单, 欧阳) is read as a surname too.
  static let surnames: [Character: String] = [
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha",
    "翟": "zhai", "朴": "piao", "覃": "qin", "乐": "yue",
    "盖": "ge",  // gai
    "召": "shao",  // zhao
    "缪": "miao",  // mou
    "繁": "po",  // fan
    "员": "yun",  // yuan
    "种": "chong",  // zhong
    "秘": "bi",  // mi
    "句": "gou",  // ju
    "折": "she",  // zhe
    "祭": "zhai",  // ji
    "黑": "he",  // hei
    "长": "chang",  // zhang
    "都": "du",  // dou
    "乜": "nie",  // mie
    "能": "nai",  // neng
    "藏": "zang",  // cang
    "卜": "bu",  // bo
    "薄": "bo",  // bao
    "重": "chong",  // zhong
    "蕃": "pi",  // bo
    "粘": "nian",  // zhan
    "洗": "xian",  // xi
  ]

  /// `compoundSurnames` keyed by their two scalars (first << 32 | second), for `TownSearch`.
  static let compoundSurnamesByScalars: [UInt64: [String]] = {
    var result: [UInt64: [String]] = [:]
    for (surname, readings) in compoundSurnames {
      let scalars = Array(surname.unicodeScalars)
      result[UInt64(scalars[0].value) << 32 | UInt64(scalars[1].value)] = readings
    }
    return result
  }()

  /// `surnames` keyed by their scalar, for `TownSearch`.
  static let surnamesByScalar: [UInt32: String] = {
    var result: [UInt32: String] = [:]
    for (surname, reading) in surnames { result[surname.unicodeScalars.first!.value] = reading }
    return result
  }()

  // MARK: - Characters

  /// Chinese characters (CJK unified ideographs, their extensions and compatibility forms) and
  /// 〇.
  static func isHan(_ character: Character) -> Bool {
    guard let scalar = character.unicodeScalars.first else { return false }
    return isHan(scalar)
  }

  static func isHan(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isUnifiedIdeograph || scalar.value == 0x3007
      || (0xF900...0xFAFF).contains(scalar.value)
  }

  /// The transform's reading of one character, as lowercase ASCII syllables (a Chinese
  /// character has one; a mark-bearing Latin letter gives its base letter), cached.
  static func readings(of character: Character) -> [String] {
    let scalars = character.unicodeScalars
    let key = scalars.count == 1 ? scalars.first?.value : nil
    if let key, let cached = readingCache.value(for: key) { return cached }
    let latin =
      String(character).applyingTransform(.mandarinToLatin, reverse: false)
      .flatMap { $0.applyingTransform(.stripDiacritics, reverse: false) } ?? ""
    var result: [String] = []
    var run: [UInt8] = []
    for byte in latin.utf8 {
      let lower = byte | 0x20
      if byte < 0x80, (lower >= 0x61 && lower <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
        run.append(byte >= 0x30 && byte <= 0x39 ? byte : lower)
      } else if !run.isEmpty {
        result.append(String(decoding: run, as: UTF8.self))
        run.removeAll(keepingCapacity: true)
      }
    }
    if !run.isEmpty { result.append(String(decoding: run, as: UTF8.self)) }
    if let key { readingCache.store(result, for: key) }
    return result
  }
}

/// The process-wide cache of character readings, shared by every caller and thread.
private final class ReadingCache: @unchecked Sendable {
  // @unchecked: `readings` is only touched under `lock`.
  private let lock = NSLock()
  private var readings: [UInt32: [String]] = [:]

  func value(for key: UInt32) -> [String]? {
    lock.lock()
    defer { lock.unlock() }
    return readings[key]
  }

  func store(_ value: [String], for key: UInt32) {
    lock.lock()
    defer { lock.unlock() }
    readings[key] = value
  }
}

private let readingCache = ReadingCache()
