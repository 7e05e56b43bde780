import Foundation
import Testing

@testable import FiregridModel

@Suite struct PinyinTests {
  @Test(
    "names: surname first, polyphonic surnames from the table",
    arguments: [
      ("邹锡华", ["zou", "xi", "hua"]),
      ("单雄信", ["shan", "xiong", "xin"]),  // not dan
      ("曾国藩", ["zeng", "guo", "fan"]),  // not ceng
      ("解缙", ["xie", "jin"]),  // not jie
      ("仇英", ["qiu", "ying"]),  // not chou
      ("区志坚", ["ou", "zhi", "jian"]),  // not qu
      ("查良镛", ["zha", "liang", "yong"]),  // not cha
      ("翟志刚", ["zhai", "zhi", "gang"]),  // not di
      ("朴树", ["piao", "shu"]),  // not pu
      ("覃晓", ["qin", "xiao"]),  // not tan
      ("乐嘉", ["yue", "jia"]),  // not le
      ("欧阳修", ["ou", "yang", "xiu"]),
      ("尉迟恭", ["yu", "chi", "gong"]),  // not wei chi
      ("万俟卨", ["mo", "qi", "xie"]),  // not wan qi
      ("长孙无忌", ["zhang", "sun", "wu", "ji"]),
      ("单于", ["chan", "yu"]),  // the compound surname, not 单 + 于
      ("单", ["shan"]),  // a surname alone
      ("吕芳", ["lu", "fang"]),  // ü written u
      ("邹 锡华", ["zou", "xi", "hua"]),  // spaces ignored
      ("　邹锡华　", ["zou", "xi", "hua"]),  // ideographic spaces
      ("Tom", ["tom"]),
      ("", []),
    ])
  func name(name: String, syllables: [String]) {
    #expect(Pinyin.syllables(ofName: name) == syllables)
  }

  @Test(
    "any text: no surname rule, digits and letters are syllables",
    arguments: [
      ("龙潭村3组12号", ["long", "tan", "cun", "3", "zu", "12", "hao"]),
      ("单雄信", ["dan", "xiong", "xin"]),  // the transform's reading: no surname rule here
      ("三江社区江滨路12号", ["san", "jiang", "she", "qu", "jiang", "bin", "lu", "12", "hao"]),
      ("龙潭村（２）", ["long", "tan", "cun", "2"]),  // full-width digits folded, brackets dropped
      ("A栋3-2", ["a", "dong", "3", "2"]),
      ("Café", ["cafe"]),
      ("", []),
    ])
  func text(text: String, syllables: [String]) {
    #expect(Pinyin.syllables(of: text) == syllables)
  }

  @Test func everySurnameTableEntryIsOneOrTwoCharacters() {
    for surname in Pinyin.surnames.keys {
      #expect(Pinyin.isHan(surname))
    }
    for (surname, readings) in Pinyin.compoundSurnames {
      #expect(surname.count == 2)
      #expect(readings.count == 2)
      #expect(readings.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isLowercase } })
    }
  }

  @Test func readingsAreLowercaseASCII() {
    for name in ["邹锡华", "欧阳修", "龙潭村", "吕芳", "〇"] {
      for syllable in Pinyin.syllables(of: name) {
        #expect(!syllable.isEmpty)
        #expect(syllable.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) })
      }
    }
  }
}
