/// 居民住房消防安全排查表 (附件6) as data: its sections and items in the paper's order. Each
/// definition is a file in `Resources/Data/forms/`; the app renders it with the form engine,
/// so a changed paper form is a new file, not new screen code.
///
/// A definition is its `id` and its `formVersion`; visits name it by `formID` and
/// `FormRegistry` finds it again from there (the scheme is described on `FormRegistry`).
public struct VisitForm: Codable, Equatable, Sendable {
  /// How a section's items are answered.
  public enum SectionKind: String, Codable, Sendable {
    /// 三清三关: 是 / 否 / 不适用.
    case check
    /// 隐患排查: 无隐患 / 有隐患 (with a description and a deadline) / 不适用.
    case hazard
    /// 宣传措施: 已做 / 未做 / 不适用.
    case action
    /// Facts chosen from the item's `options` (房屋结构 木 / 砖木 / 砖混, 层数), one digit key each;
    /// no answer is the good one, so a new paper takes the last visit's as offered.
    case choice
  }

  /// One option of a `choice` item: its digit key ("1"…"9", what the visit stores) and label.
  public struct ChoiceOption: Codable, Equatable, Sendable {
    public var key: String
    public var label: String
    public init(key: String, label: String) {
      self.key = key
      self.label = label
    }
  }

  /// A line of the paper's header filled from the subject's record (场所名称, 责任人, 层数 …):
  /// `id` names the record's field (`PremisesHeader` in the form engine), `label` is the
  /// paper's wording.
  public struct HeaderField: Codable, Equatable, Sendable {
    public var id: String
    public var label: String
    public init(id: String, label: String) {
      self.id = id
      self.label = label
    }
  }

  public struct Item: Codable, Equatable, Sendable {
    /// Stable key stored in visits; never reused for another meaning.
    public var id: String
    public var label: String
    /// For hazard checks: days given to rectify by default (0 = 当场整改, on the spot).
    public var deadlineDays: Int?
    /// What to look for, shown while the item has focus.
    public var hint: String?
    /// Asked only when the household has a member in a vulnerable group.
    public var onlyForVulnerable: Bool?
    /// Asked only of premises of these kinds: `BusinessKind` raw values, or "mixedUse" for
    /// the 多合一 items; nil = every subject of the form.
    public var appliesTo: [String]?
    /// The options of a `choice` item.
    public var options: [ChoiceOption]?

    public init(
      id: String, label: String, deadlineDays: Int? = nil, hint: String? = nil,
      onlyForVulnerable: Bool? = nil, appliesTo: [String]? = nil, options: [ChoiceOption]? = nil
    ) {
      self.id = id
      self.label = label
      self.deadlineDays = deadlineDays
      self.hint = hint
      self.onlyForVulnerable = onlyForVulnerable
      self.appliesTo = appliesTo
      self.options = options
    }

    /// Whether a premises of `kind` (and `business`) is asked this item.
    public func applies(to kind: PremisesKind, business: BusinessKind?) -> Bool {
      guard let appliesTo else { return true }
      if kind == .mixedUse, appliesTo.contains(PremisesKind.mixedUse.rawValue) { return true }
      return business.map { appliesTo.contains($0.rawValue) } ?? false
    }
  }

  public struct Section: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var kind: SectionKind
    public var items: [Item]

    public init(id: String, title: String, kind: SectionKind, items: [Item]) {
      self.id = id
      self.title = title
      self.kind = kind
      self.items = items
    }
  }

  /// The paper form, e.g. residential-2024; the same for every version of it.
  public var id: String
  /// Which version of the paper form, from 1. JSON key `formVersion`, 1 when absent: the
  /// file's own `version` is already the file format's.
  public var formVersion: Int
  public var title: String
  /// e.g. 附件6
  public var attachment: String
  /// What it inspects: homes (the default), offices or businesses.
  public var subject: FormSubject
  /// The paper's header lines filled from the subject's record (premises forms).
  public var header: [HeaderField]
  /// Where its items come from, with dates: what the town followed.
  public var sources: [String]
  public var sections: [Section]

  public init(
    id: String, formVersion: Int = 1, title: String, attachment: String,
    subject: FormSubject = .household, header: [HeaderField] = [], sources: [String] = [],
    sections: [Section]
  ) {
    self.id = id
    self.formVersion = formVersion
    self.title = title
    self.attachment = attachment
    self.subject = subject
    self.header = header
    self.sources = sources
    self.sections = sections
  }

  private enum CodingKeys: String, CodingKey {
    case id, formVersion, title, attachment, subject, header, sources, sections
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      id: try c.decode(String.self, forKey: .id),
      formVersion: try c.decodeIfPresent(Int.self, forKey: .formVersion) ?? 1,
      title: try c.decode(String.self, forKey: .title),
      attachment: try c.decode(String.self, forKey: .attachment),
      subject: try c.decodeIfPresent(FormSubject.self, forKey: .subject) ?? .household,
      header: try c.decodeIfPresent([HeaderField].self, forKey: .header) ?? [],
      sources: try c.decodeIfPresent([String].self, forKey: .sources) ?? [],
      sections: try c.decode([Section].self, forKey: .sections))
  }

  /// What a visit entered with this definition stores in `Visit.formID`.
  public var formID: String { FormRegistry.formID(id: id, version: formVersion) }

  public func items(of kind: SectionKind) -> [Item] {
    sections.filter { $0.kind == kind }.flatMap(\.items)
  }

  /// The item with `id` and the kind of its section.
  public func item(id: String) -> (item: Item, kind: SectionKind)? {
    for section in sections {
      if let item = section.items.first(where: { $0.id == id }) { return (item, section.kind) }
    }
    return nil
  }

  /// The label of item `id`, or the id itself for an item no longer on the form.
  public func label(of id: String) -> String { item(id: id)?.item.label ?? id }

  /// How `answer` to item `id` reads: a choice's option label (砖木, 2层), else the words of
  /// the item's section kind (是 / 无隐患 / 已做 / 不适用); the raw key for an item or an option
  /// the form does not have.
  public func answerLabel(_ answer: Answer, item id: String) -> String {
    guard let (item, kind) = item(id: id) else { return answer.rawValue }
    if kind == .choice || answer.isOption {
      return item.options?.first { $0.key == answer.rawValue }?.label ?? answer.rawValue
    }
    return answer.label(for: kind)
  }

  /// The items a premises of `kind` (and `business`) is asked, section by section.
  public func sections(for kind: PremisesKind, business: BusinessKind?) -> [Section] {
    sections.map { section in
      var section = section
      section.items.removeAll { !$0.applies(to: kind, business: business) }
      return section
    }
  }

  /// The header ids a premises form may name, each a field of `Premises`.
  public static let headerIDs = [
    "name", "kind", "address", "responsiblePerson", "responsiblePhone", "floors", "floorArea",
    "sleepers",
  ]

  /// The value of header line `id` for `premises` ("" when not known); nil for an id that is not
  /// one of `headerIDs`.
  public static func headerValue(_ id: String, of premises: Premises) -> String? {
    switch id {
    case "name": return premises.name
    case "kind":
      return premises.kind.label + (premises.businessKind.map { "（\($0.label)）" } ?? "")
    case "address": return premises.address
    case "responsiblePerson": return premises.responsiblePerson
    case "responsiblePhone": return premises.responsiblePhone
    case "floors": return premises.floors.map(String.init) ?? ""
    case "floorArea": return premises.floorArea.map(String.init) ?? ""
    case "sleepers":
      return premises.sleepers.map(String.init) ?? (premises.peopleSleep == false ? "0" : "")
    default: return nil
    }
  }

  /// What `appliesTo` may hold: a `BusinessKind` raw value, or "mixedUse" for 多合一 items.
  public static let appliesToValues =
    BusinessKind.allCases.map(\.rawValue) + [PremisesKind.mixedUse.rawValue]

  /// Checks what a hand-edited definition could get wrong; empty when usable. Each problem
  /// names where it is (第2节 隐患排查 第3项 clutter), so the file can be put right.
  public var problems: [String] {
    var result: [String] = []
    // "@" separates the version in a visit's formID; spaces would not survive a hand edit.
    if id.isEmpty || id.contains(where: { $0 == "@" || $0.isWhitespace }) {
      result.append(ModelText.formBadID(id))
    }
    if formVersion < 1 { result.append(ModelText.formBadVersion(id, formVersion)) }
    if title.allSatisfy(\.isWhitespace) { result.append(ModelText.formNoTitle) }
    // A form the program knows by id inspects what the program asks it for.
    if let known = FormSubject.allCases.first(where: { FormRegistry.formID(for: $0) == id }),
      known != subject
    {
      result.append(ModelText.formWrongSubject(id, subject.rawValue, known.rawValue))
    }
    result += headerProblems
    var seenSections: Set<String> = []
    var seenItems: Set<String> = []
    for (s, section) in sections.enumerated() {
      let place = ModelText.formSectionPlace(s + 1, section.title)
      if section.id.isEmpty || !seenSections.insert(section.id).inserted {
        result.append(place + ModelText.formSectionBadID(section.id))
      }
      if section.title.allSatisfy(\.isWhitespace) {
        result.append(place + ModelText.formLabelEmpty)
      }
      if section.items.isEmpty { result.append(place + ModelText.formSectionEmpty) }
      for (i, item) in section.items.enumerated() {
        let at = ModelText.formItemPlace(s + 1, section.title, i + 1, item.id)
        if !seenItems.insert(item.id).inserted {
          result.append(ModelText.formItemRepeated(item.id))
        }
        result += itemProblems(item, in: section).map { at + $0 }
      }
    }
    return result
  }

  private var headerProblems: [String] {
    var result: [String] = []
    if subject == .household, !header.isEmpty { result.append(ModelText.formHouseholdHeader) }
    var seen: Set<String> = []
    for (n, line) in header.enumerated() {
      let place = ModelText.formHeaderPlace(n + 1, line.id)
      if !Self.headerIDs.contains(line.id) {
        result.append(place + ModelText.formHeaderUnknown(line.id, Self.headerIDs))
      } else if !seen.insert(line.id).inserted {
        result.append(place + ModelText.formHeaderRepeated)
      }
      if line.label.allSatisfy(\.isWhitespace) {
        result.append(place + ModelText.formLabelEmpty)
      }
    }
    return result
  }

  private func itemProblems(_ item: Item, in section: Section) -> [String] {
    var result: [String] = []
    // "=" and " " would break a visit's packed answers, "." the form's derived field ids.
    if item.id.isEmpty || item.id.contains(where: { $0 == "=" || $0 == "." || $0.isWhitespace }) {
      result.append(ModelText.formItemBadID(item.id))
    }
    if item.label.allSatisfy(\.isWhitespace) {
      result.append(ModelText.formLabelEmpty)
    }
    if section.kind == .hazard, (item.deadlineDays ?? 0) < 0 {
      result.append(ModelText.formItemBadDeadline)
    }
    if section.kind == .choice {
      let options = item.options ?? []
      if options.isEmpty { result.append(ModelText.formChoiceNoOptions) }
      var keys: Set<String> = []
      for option in options {
        if option.key.count != 1 || !("1"..."9").contains(option.key) {
          result.append(ModelText.formChoiceBadKey(option.key))
        } else if !keys.insert(option.key).inserted {
          result.append(ModelText.formChoiceRepeatedKey(option.key))
        }
        if option.label.allSatisfy(\.isWhitespace) {
          result.append(ModelText.formChoiceNoLabel(option.key))
        }
      }
    } else if item.options != nil {
      result.append(ModelText.formOptionsOutsideChoice(section.kind.rawValue))
    }
    if let appliesTo = item.appliesTo {
      switch subject {
      case .household, .office:
        // No kind of home or office is told apart: the item would be asked of all or none.
        result.append(ModelText.formAppliesToCannotApply(subject.rawValue))
      case .business:
        if appliesTo.isEmpty { result.append(ModelText.formAppliesToEmpty) }
        for value in appliesTo where !Self.appliesToValues.contains(value) {
          result.append(ModelText.formAppliesToUnknown(value, Self.appliesToValues))
        }
      }
    }
    if item.onlyForVulnerable == true, subject != .household {
      result.append(ModelText.formVulnerableOnPremises)
    }
    return result
  }
}

/// One answer on the paper form. Key `y` always means the good answer (是 / 无隐患 / 已做), so
/// an all-clear form is a column of `y`.
public enum Answer: String, Codable, CaseIterable, Sendable {
  case yes = "y"
  case no = "n"
  case notApplicable = "-"
  /// A `choice` item's option, by its digit key.
  case option1 = "1"
  case option2 = "2"
  case option3 = "3"
  case option4 = "4"
  case option5 = "5"
  case option6 = "6"
  case option7 = "7"
  case option8 = "8"
  case option9 = "9"

  /// The answers of a tick box (check, hazard, action items): y, n, -.
  public static let judgements: [Answer] = [.yes, .no, .notApplicable]

  public var isOption: Bool { !Self.judgements.contains(self) }

  /// The words for this answer in a section of `kind`.
  public func label(for kind: VisitForm.SectionKind) -> String {
    ModelText.answerLabel(self, kind)
  }
}

extension ModelText {
  static func formBadID(_ id: String) -> String { "走访表编号不能为空，也不能含空格或 @：\(id)" }
  static func formBadVersion(_ id: String, _ version: Int) -> String {
    "走访表 \(id) 的版本号应为正整数，现为 \(version)"
  }
  static func formItemRepeated(_ id: String) -> String { "走访表项目编号重复：\(id)" }
  static func formItemBadID(_ id: String) -> String { "走访表项目编号不能含空格或等号：\(id)" }
  static let formItemBadDeadline = "整改期限天数（deadlineDays）不能为负"
  static let formNoTitle = "缺少表名（title）"
  static func formWrongSubject(_ id: String, _ subject: String, _ expected: String) -> String {
    "\(id) 的 subject 应为 \(expected)，现为 \(subject)"
  }
  static func formSectionPlace(_ n: Int, _ title: String) -> String { "第\(n)节 \(title)：" }
  static func formItemPlace(_ n: Int, _ title: String, _ m: Int, _ id: String) -> String {
    "第\(n)节 \(title) 第\(m)项 \(id)："
  }
  static func formHeaderPlace(_ n: Int, _ id: String) -> String { "表头第\(n)行 \(id)：" }
  static func formSectionBadID(_ id: String) -> String { "节的编号为空或重复：\(id)" }
  static let formSectionEmpty = "没有项目"
  static let formLabelEmpty = "名称（label）为空"
  static let formHouseholdHeader = "居民住房表的表头由名册填写，不能另设 header"
  static func formHeaderUnknown(_ id: String, _ known: [String]) -> String {
    "不认识的表头项 \(id)（可用：\(known.joined(separator: "、"))）"
  }
  static let formHeaderRepeated = "表头项重复"
  static let formChoiceNoOptions = "选择项没有选项（options）"
  static func formChoiceBadKey(_ key: String) -> String { "选项键 \(key) 应为 1 到 9 中的一个数字" }
  static func formChoiceRepeatedKey(_ key: String) -> String { "选项键 \(key) 重复" }
  static func formChoiceNoLabel(_ key: String) -> String { "选项 \(key) 的名称为空" }
  static func formOptionsOutsideChoice(_ kind: String) -> String {
    "只有 choice 节的项目才有选项（options），此节是 \(kind)"
  }
  static func formAppliesToCannotApply(_ subject: String) -> String {
    "appliesTo 只用于生产经营性场所表（business），\(subject) 表的项目不分场所类别"
  }
  static let formAppliesToEmpty = "appliesTo 为空：没有场所会被问到"
  static func formAppliesToUnknown(_ value: String, _ known: [String]) -> String {
    "appliesTo 中不认识的类别 \(value)（可用：\(known.joined(separator: "、"))）"
  }
  static let formVulnerableOnPremises = "onlyForVulnerable 只用于居民住房表（场所没有重点人群成员）"

  public static func answerLabel(_ answer: Answer, _ kind: VisitForm.SectionKind) -> String {
    // A choice's words are its item's (`VisitForm.Item.options`); without the item, the key.
    if answer.isOption || kind == .choice { return answer.rawValue }
    switch (answer, kind) {
    case (.notApplicable, _): return "不适用"
    case (.yes, .check): return "是"
    case (.no, .check): return "否"
    case (.yes, .hazard): return "无隐患"
    case (.no, .hazard): return "有隐患"
    case (.yes, .action): return "已做"
    case (.no, .action): return "未做"
    default: return answer.rawValue
    }
  }
}
