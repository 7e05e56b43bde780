/// Every form definition visits have been entered with, found again from the `formID` a visit
/// carries: a visit is shown, corrected and printed with the form it was entered with, while new
/// visits use the newest version.
///
/// The scheme: a definition is a paper form's `id` (residential-2024) and its `formVersion`
/// (1, 2, …). A visit's `formID` is the bare `id` for version 1 and `id@N` for version N ≥ 2.
/// Visits saved before forms had versions carry the bare id, so they read as version 1 with
/// nothing rewritten. A changed paper form is a new version of the same id (a new file beside
/// the old one, which stays for the visits entered with it); a different paper form gets a new
/// id. Pure: the definitions are read from files by `ResourceFiles.formRegistry()`.
public struct FormRegistry: Equatable, Sendable {
  /// The residential form (附件6), the form new visits are entered with; its id is stored in
  /// every visit since 2024, so it never changes.
  public static let residentialID = "residential-2024"
  /// 办公场所消防安全排查表 (附件4).
  public static let officeID = "office-2024"
  /// 生产经营性场所消防安全排查表 (附件5), with the 多合一 items.
  public static let businessID = "business-2024"

  /// The form id new inspections of `subject` are entered on.
  public static func formID(for subject: FormSubject) -> String {
    switch subject {
    case .household: return residentialID
    case .office: return officeID
    case .business: return businessID
    }
  }

  /// Two definitions with the same id and version: which one a visit meant cannot be known.
  public struct Duplicate: Error, Equatable, Sendable {
    public var formID: String
    /// Where the two are in the list given to `init`, so a loader can name their files.
    public var first: Int
    public var second: Int
    public var message: String { ModelText.formDuplicated(formID) }
  }

  /// By id, then version.
  public let forms: [VisitForm]
  private let byFormID: [String: VisitForm]

  public init(_ forms: [VisitForm]) throws(Duplicate) {
    var byFormID: [String: VisitForm] = [:]
    var positions: [String: Int] = [:]
    for (position, form) in forms.enumerated() {
      if let first = positions[form.formID] {
        throw Duplicate(formID: form.formID, first: first, second: position)
      }
      positions[form.formID] = position
      byFormID[form.formID] = form
    }
    self.byFormID = byFormID
    self.forms = forms.sorted { ($0.id, $0.formVersion) < ($1.id, $1.formVersion) }
  }

  /// What a visit entered with version `version` of form `id` stores as its `formID`.
  public static func formID(id: String, version: Int) -> String {
    version == 1 ? id : "\(id)@\(version)"
  }

  /// The form id and version a stored `formID` names; a bare id is version 1.
  public static func parse(formID: String) -> (id: String, version: Int) {
    if let at = formID.lastIndex(of: "@") {
      let digits = formID[formID.index(after: at)...]
      // Only a plain positive number is a version; anything else stays part of the id (and
      // then matches no form, since form ids cannot contain "@").
      if let version = Int(digits), version >= 1, String(version) == digits {
        return (String(formID[..<at]), version)
      }
    }
    return (formID, 1)
  }

  public func definition(id: String, version: Int) -> VisitForm? {
    byFormID[Self.formID(id: id, version: version)]
  }

  /// The definition a stored `formID` names; nil when none is loaded. Never another version
  /// in its place: its items may differ.
  public func definition(formID: String) -> VisitForm? {
    let (id, version) = Self.parse(formID: formID)
    return definition(id: id, version: version)
  }

  /// The definition `visit` was entered with; nil when it is not loaded (a newer program's
  /// form, or a file removed): the caller says so rather than showing another form.
  public func definition(for visit: Visit) -> VisitForm? { definition(formID: visit.formID) }

  /// The newest version of form `id`.
  public func current(_ id: String) -> VisitForm? {
    forms.last { $0.id == id }
  }

  /// The newest residential form: the one new visits are entered with.
  public var current: VisitForm? { current(Self.residentialID) }

  /// The newest form for `subject`: what a new visit or inspection is entered on.
  public func current(for subject: FormSubject) -> VisitForm? {
    current(Self.formID(for: subject))
  }

  /// The label of a hazard's check on the form of the visit that found it. Without that form,
  /// the newest residential form's label (item ids are never reused for another meaning), else
  /// the check id itself.
  public func label(of hazard: Hazard, in record: VisitRecord) -> String {
    let visit = record.visits.first { $0.id == hazard.foundInVisit }
    if let form = visit.flatMap(definition(for:)), form.item(id: hazard.checkID) != nil {
      return form.label(of: hazard.checkID)
    }
    return current?.label(of: hazard.checkID) ?? hazard.checkID
  }
}

extension ModelText {
  static func formDuplicated(_ formID: String) -> String {
    let (id, version) = FormRegistry.parse(formID: formID)
    return "走访表 \(id) 第\(version)版有两份定义，无法确定走访记录用的是哪一份"
  }
  /// For a visit whose form is not loaded, shown instead of its answers.
  public static func formUnknown(_ formID: String) -> String {
    "找不到这次走访所用的走访表（\(formID)）：可能是更新版本的程序录入的，或其定义文件已被删除"
  }
}
