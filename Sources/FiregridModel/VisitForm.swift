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

    public init(
      id: String, label: String, deadlineDays: Int? = nil, hint: String? = nil,
      onlyForVulnerable: Bool? = nil
    ) {
      self.id = id
      self.label = label
      self.deadlineDays = deadlineDays
      self.hint = hint
      self.onlyForVulnerable = onlyForVulnerable
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
  public var sections: [Section]

  public init(
    id: String, formVersion: Int = 1, title: String, attachment: String, sections: [Section]
  ) {
    self.id = id
    self.formVersion = formVersion
    self.title = title
    self.attachment = attachment
    self.sections = sections
  }

  private enum CodingKeys: String, CodingKey {
    case id, formVersion, title, attachment, sections
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      id: try c.decode(String.self, forKey: .id),
      formVersion: try c.decodeIfPresent(Int.self, forKey: .formVersion) ?? 1,
      title: try c.decode(String.self, forKey: .title),
      attachment: try c.decode(String.self, forKey: .attachment),
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
    switch (answer, kind) {
    case (.notApplicable, _): return "不适用"
    case (.yes, .check): return "是"
    case (.no, .check): return "否"
    case (.yes, .hazard): return "无隐患"
    case (.no, .hazard): return "有隐患"
    case (.yes, .action): return "已做"
    case (.no, .action): return "未做"
    }
  }
}
