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

  /// Checks what a hand-edited definition could get wrong; empty when usable.
  public var problems: [String] {
    var result: [String] = []
    // "@" separates the version in a visit's formID; spaces would not survive a hand edit.
    if id.isEmpty || id.contains(where: { $0 == "@" || $0.isWhitespace }) {
      result.append(ModelText.formBadID(id))
    }
    if formVersion < 1 { result.append(ModelText.formBadVersion(id, formVersion)) }
    var seen: Set<String> = []
    for item in sections.flatMap(\.items) {
      if !seen.insert(item.id).inserted { result.append(ModelText.formItemRepeated(item.id)) }
      if item.id.contains(where: { $0 == "=" || $0 == " " }) {
        result.append(ModelText.formItemBadID(item.id))
      }
    }
    for item in items(of: .hazard) where (item.deadlineDays ?? 0) < 0 {
      result.append(ModelText.formItemBadDeadline(item.id))
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
  static func formItemBadDeadline(_ id: String) -> String { "整改期限天数不能为负：\(id)" }

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
