import FiregridModel
import Foundation
import TerminalUI

/// What carries from one paper form to the next in a stack: the date and the visitor.
public struct VisitCarry: Equatable, Sendable {
  public var date: CivilDate?
  public var visitorID: String?
  public init(date: CivilDate? = nil, visitorID: String? = nil) {
    self.date = date
    self.visitorID = visitorID
  }
}

/// A paper form typed in for one subject — a household's residential form (附件6), or a
/// premises' (场所) office or business form (附件4, 附件5) — built from the form definition in
/// `Resources/Data/forms/` and rendered by the form engine: field order follows the paper, each
/// tick box is one key (y/n/-, y always the good answer; `Y` the rest of the section), a
/// choice is one digit (its options), a hazard's description and deadline appear only when
/// 有隐患 is chosen, and the subject's unclosed hazards get a 复查 row each. `entry(from:)` turns
/// the submitted values into a `VisitEntry` for the subject's `VisitRecord`.
public struct VisitSession {
  /// The household's or the premises' id: whose record the entry is applied to.
  public let subjectID: String
  /// Whether this is a premises' inspection (its record is `TownData.premisesRecords`), not a
  /// household's visit.
  public let isPremises: Bool
  /// The household's id, for the household forms' callers: `subjectID`.
  public var householdID: String { subjectID }
  public let gridID: String
  var form: Form
  let definition: VisitForm
  /// Visitor choice option → visitor id ("" = not on the roster).
  let visitorIDs: [String]
  /// Hazards offered for 复查, in form order.
  let reviewHazardIDs: [String]
  /// The saved visit this form corrects (its record without it is what the form applies to).
  public let replacing: String?
  /// The dates the form's date field accepts (the campaign's, up to today).
  let dateRange: TypedDate.Range
  /// The visitor responsible for the subject (nil: nobody yet); anyone else is a 代访.
  let responsibleVisitorID: String?

  static let dateField = "date"
  static let visitorField = "visitor"
  static let metField = "met"
  static let outsideNameField = "visitor.name"
  static let outsideRoleField = "visitor.role"
  static let signedField = "signed"
  static let notesField = "notes"
  static func descriptionField(_ itemID: String) -> String { "\(itemID).description" }
  static func daysField(_ itemID: String) -> String { "\(itemID).days" }
  static func reviewField(_ hazardID: String) -> String { "review.\(hazardID)" }
  static func reviewDaysField(_ hazardID: String) -> String { "review.\(hazardID).days" }

  static func options(_ kind: VisitForm.SectionKind) -> [FormField.KeyedOption] {
    Answer.judgements.map {
      FormField.KeyedOption(
        key: Character($0.rawValue), value: $0.rawValue, label: $0.label(for: kind))
    }
  }

  /// A choice item's options: its digit keys, stored as the answer (`Answer.option1`…).
  static func choiceOptions(_ item: VisitForm.Item) -> [FormField.KeyedOption] {
    (item.options ?? []).compactMap { option in
      option.key.first.map {
        FormField.KeyedOption(key: $0, value: option.key, label: option.label)
      }
    }
  }

  static let reviewOptions: [FormField.KeyedOption] = [
    .init(key: "y", value: "rectified", label: VisitText.reviewRectified),
    .init(key: "n", value: "notRectified", label: VisitText.reviewNotRectified),
    .init(key: "e", value: "extend", label: VisitText.reviewExtend),
    .init(key: "-", value: "skip", label: VisitText.reviewSkipped),
  ]

  static let signedOptions: [FormField.KeyedOption] = [
    .init(key: "y", value: "y", label: VisitText.signedYes),
    .init(key: "n", value: "n", label: VisitText.signedNo),
  ]

  /// The form for `household`, with the date and visitor carried from the previous form (the
  /// household's own visitor and today when there is none), and the focus on the first tick
  /// box, since the header is usually right already. House facts (a `choice` section) are
  /// offered as the household's last visit answered them: they rarely change.
  /// With `correcting`, the form is that saved visit, filled in as it was typed (answers,
  /// findings with their days, 复查 outcomes), to be corrected and saved in its place; the
  /// caller has checked that `VisitRules.remove` accepts taking it back.
  /// With `pastWinter`, the paper is an earlier winter's (补录, chosen with Y): its dates are
  /// that winter's, and the title says so.
  static func make(
    household: Household, index: RosterIndex, definition: VisitForm,
    forms: FormRegistry? = nil, carry: VisitCarry,
    today: CivilDate, correcting: Visit? = nil, pastWinter: Campaign? = nil
  ) -> VisitSession {
    let grid = index.gridByID[household.gridID]
    let isVulnerable = household.hasVulnerableMember
    let responsibleName = household.visitorID.flatMap { id in
      index.data.visitors.first { $0.id == id }?.name
    }
    let subject = Subject(
      id: household.id, gridID: household.gridID, isPremises: false,
      record: index.data.visitRecord(of: household.id), visitorID: household.visitorID,
      localVisitorIDs: Set(
        grid.map { index.households(inVillage: $0.villageID).compactMap(\.visitorID) } ?? []),
      personsMet: household.head?.name ?? "",
      asks: { $0.onlyForVulnerable != true || isVulnerable },
      title: VisitText.formTitle(
        attachment: definition.attachment, index.villageName(ofGrid: grid), grid?.name ?? "",
        household.number, household.head?.name ?? ""),
      labels: .household(responsible: responsibleName))
    return make(
      subject, index: index, definition: definition, forms: forms, carry: carry, today: today,
      correcting: correcting, pastWinter: pastWinter)
  }

  /// The inspection form of `premises` on `definition` (its office or business form): the
  /// header is the date, the inspector (检查人, the premises' visitor offered) and 负责人在场 (its
  /// responsible person offered); the items are those `applies(to:business:)` its kind (the
  /// 多合一 items only for a 多合一 place); its unclosed hazards get a 复查 row each; then
  /// 负责人签字 and notes. Otherwise as `make(household:…)`: carry, correction, earlier winter.
  static func make(
    premises: Premises, index: RosterIndex, definition: VisitForm, forms: FormRegistry? = nil,
    carry: VisitCarry, today: CivilDate, correcting: Visit? = nil, pastWinter: Campaign? = nil
  ) -> VisitSession {
    let town = index.data
    let grid = index.gridByID[premises.gridID]
    let responsibleName = premises.visitorID.flatMap { id in
      town.visitors.first { $0.id == id }?.name
    }
    var local = Set<String>()
    if let villageID = grid?.villageID {
      local.formUnion(index.households(inVillage: villageID).compactMap(\.visitorID))
      local.formUnion(town.premises(inVillage: villageID).compactMap(\.visitorID))
    }
    let subject = Subject(
      id: premises.id, gridID: premises.gridID, isPremises: true,
      record: town.inspectionRecord(of: premises.id), visitorID: premises.visitorID,
      localVisitorIDs: local, personsMet: premises.responsiblePerson,
      asks: { $0.applies(to: premises.kind, business: premises.businessKind) },
      title: VisitText.premisesFormTitle(
        attachment: definition.attachment, index.villageName(ofGrid: grid), grid?.name ?? "",
        premises.name,
        premises.kind.label + (premises.businessKind.map { "·\($0.label)" } ?? "")),
      labels: .premises(responsible: responsibleName))
    return make(
      subject, index: index, definition: definition, forms: forms, carry: carry, today: today,
      correcting: correcting, pastWinter: pastWinter)
  }

  /// What differs between a household's form and a premises' form.
  private struct Subject {
    var id: String
    var gridID: String
    var isPremises: Bool
    /// Its visits (inspections) and hazards as saved.
    var record: VisitRecord
    /// The visitor responsible for it.
    var visitorID: String?
    /// Visitors who cover its village: offered first.
    var localVisitorIDs: Set<String>
    /// Offered as 见面人员 / 负责人在场.
    var personsMet: String
    /// Whether the subject is asked an item.
    var asks: (VisitForm.Item) -> Bool
    var title: String
    var labels: Labels
  }

  /// The header's and the close's words.
  private struct Labels {
    var date: String
    var visitor: String
    var visitorHint: String
    var met: String
    var metHint: String
    var signed: String
    static func household(responsible: String?) -> Labels {
      Labels(
        date: VisitText.date, visitor: VisitText.visitor,
        visitorHint: VisitText.visitorHint(responsible: responsible), met: VisitText.personsMet,
        metHint: VisitText.personsMetHint, signed: VisitText.signed)
    }
    static func premises(responsible: String?) -> Labels {
      Labels(
        date: VisitText.inspectionDate, visitor: VisitText.inspector,
        visitorHint: VisitText.inspectorHint(responsible: responsible),
        met: VisitText.responsiblePresent, metHint: VisitText.responsiblePresentHint,
        signed: VisitText.responsibleSigned)
    }
  }

  private static func make(
    _ subject: Subject, index: RosterIndex, definition: VisitForm, forms: FormRegistry?,
    carry: VisitCarry, today: CivilDate, correcting: Visit?, pastWinter: Campaign?
  ) -> VisitSession {
    let town = index.data
    let campaign = pastWinter ?? town.campaign(on: today)
    var range = TypedDate.Range.visit(in: campaign, today: today)
    if let pastWinter {
      range.latest = min(today, pastWinter.lastDay)
      range.latestIsToday = range.latest == today
    }
    let dates = range
    // The carried date only within the winter being entered (never another winter's).
    let carriedDate = carry.date.flatMap { date -> CivilDate? in
      guard let earliest = dates.earliest, let latest = dates.latest else { return nil }
      return earliest <= date && date <= latest ? date : nil
    }
    let defaultDate = carriedDate ?? min(today, pastWinter?.rounds.last?.end ?? today)
    let saved = subject.record
    // The record the form applies to: without the visit being corrected.
    let base = correcting.flatMap { try? VisitRules.remove(visitID: $0.id, from: saved) } ?? saved
    var visitorOptions: [String] = []
    var visitorIDs: [String] = []
    var visitorKeys: [String] = []
    let names = Dictionary(grouping: town.visitors, by: \.name)
    // The visitors who cover this village come first: ←/→ from the offered one reaches them.
    let local = subject.localVisitorIDs
    let ordered =
      town.visitors.filter { local.contains($0.id) }
      + town.visitors.filter { !local.contains($0.id) }
    for visitor in ordered {
      let repeated = (names[visitor.name]?.count ?? 0) > 1
      visitorOptions.append(repeated ? "\(visitor.name)（\(visitor.phone.suffix(4))）" : visitor.name)
      visitorIDs.append(visitor.id)
      visitorKeys.append(String(Pinyin.syllables(ofName: visitor.name).compactMap(\.first)))
    }
    visitorOptions.append(VisitText.visitorNotOnRoster)
    visitorIDs.append("")
    visitorKeys.append("")
    // The subject's own visitor; the previous form's only for one nobody is responsible for
    // yet (a paper stack is carried, never into someone else's household or premises).
    let visitorID = subject.visitorID ?? carry.visitorID ?? ""
    let visitorOption = visitorIDs.firstIndex(of: visitorID).map { visitorOptions[$0] }
    let labels = subject.labels

    var visitorChoice = FormField(
      id: visitorField, label: labels.visitor, kind: .choice(visitorOptions),
      hint: labels.visitorHint)
    visitorChoice.choiceSearchKeys = visitorKeys
    var fields: [FormField] = [
      FormField(id: "heading.header", label: VisitText.headingHeader, kind: .heading),
      FormField(
        id: dateField, label: labels.date, kind: .text(maxLength: 10), required: true,
        requiredMessage: VisitText.dateRequired, hint: VisitText.dateHint,
        validate: { VisitDates.parse($0, in: dates).error }),
      visitorChoice,
      // 名册外人员: who it was, asked, so a visit always names its visitor.
      FormField(
        id: outsideNameField, label: VisitText.outsideName, kind: .text(maxLength: 20),
        required: true, requiredMessage: VisitText.outsideNameRequired,
        hint: VisitText.outsideNameHint,
        visibleWhen: FormField.Condition(
          fieldID: visitorField, values: [VisitText.visitorNotOnRoster])),
      FormField(
        id: outsideRoleField, label: VisitText.outsideRole,
        kind: .choice(VisitorRole.allCases.map(\.label)),
        visibleWhen: FormField.Condition(
          fieldID: visitorField, values: [VisitText.visitorNotOnRoster])),
      FormField(
        id: metField, label: labels.met, kind: .text(maxLength: 20), hint: labels.metHint),
    ]
    var values: [String: String] = [
      dateField: defaultDate.description,
      metField: subject.personsMet,
    ]
    if let visitorOption { values[visitorField] = visitorOption }

    let sections = definition.sections.map { section in
      var asked = section
      asked.items.removeAll { !subject.asks($0) }
      return asked
    }
    // 复查 of earlier hazards comes right after the hazard checks, as on the return visit.
    let reviewAfter =
      sections.lastIndex { $0.kind == .hazard && !$0.items.isEmpty } ?? sections.count - 1
    var reviewHazardIDs: [String] = []
    var itemFieldIDs: [String] = []
    for (position, section) in sections.enumerated() {
      if !section.items.isEmpty {
        fields.append(FormField(id: "heading.\(section.id)", label: section.title, kind: .heading))
      }
      for item in section.items {
        itemFieldIDs.append(item.id)
        guard section.kind != .choice else {
          let options = choiceOptions(item)
          fields.append(
            FormField(
              id: item.id, label: item.label, kind: .keyed(options), required: true,
              requiredMessage: VisitText.choiceRequired(options.map { String($0.key) }),
              hint: item.hint ?? ""))
          // House facts rarely change: offered as the last visit that answered them gave them.
          if let answer = base.visits.last(where: { $0.answers[item.id]?.isOption == true })?
            .answers[item.id], options.contains(where: { $0.value == answer.rawValue })
          {
            values[item.id] = answer.rawValue
          }
          continue
        }
        fields.append(
          FormField(
            id: item.id, label: item.label, kind: .keyed(options(section.kind)), required: true,
            requiredMessage: VisitText.answerRequired, hint: item.hint ?? "",
            goodValue: Answer.yes.rawValue))
        guard section.kind == .hazard else { continue }
        let revealed = FormField.Condition(fieldID: item.id, values: [Answer.no.rawValue])
        fields.append(
          FormField(
            id: descriptionField(item.id), label: VisitText.hazardDescription,
            kind: .text(maxLength: 200), required: true,
            requiredMessage: VisitText.hazardDescriptionRequired, hint: item.hint ?? "",
            visibleWhen: revealed))
        fields.append(
          FormField(
            id: daysField(item.id), label: VisitText.deadlineDays, kind: .text(maxLength: 3),
            required: true, requiredMessage: VisitText.deadlineDaysRequired,
            hint: VisitText.deadlineDaysHint, visibleWhen: revealed,
            validate: { VisitDates.days($0, allowZero: true) }))
        values[daysField(item.id)] = "\(item.deadlineDays ?? 7)"
      }
      guard position == reviewAfter else { continue }
      let open = base.hazards.filter { $0.closedOn == nil }
      if !open.isEmpty {
        fields.append(
          FormField(id: "heading.review", label: VisitText.headingReview, kind: .heading))
      }
      for hazard in open {
        reviewHazardIDs.append(hazard.id)
        let state = hazard.state(on: today)
        fields.append(
          FormField(
            id: reviewField(hazard.id),
            label: VisitText.reviewLabel(
              forms?.label(of: hazard, in: base) ?? definition.label(of: hazard.checkID)),
            kind: .keyed(reviewOptions), required: true,
            requiredMessage: VisitText.answerRequired,
            hint: VisitText.reviewHint(
              hazard.description, hazard.foundOn, hazard.deadline, state.label)))
        fields.append(
          FormField(
            id: reviewDaysField(hazard.id), label: VisitText.extendDays,
            kind: .text(maxLength: 3), required: true,
            requiredMessage: VisitText.deadlineDaysRequired,
            visibleWhen: FormField.Condition(
              fieldID: reviewField(hazard.id), values: ["extend"]),
            validate: { VisitDates.days($0, allowZero: false) }))
        values[reviewDaysField(hazard.id)] = "7"
      }
    }
    fields.append(FormField(id: "heading.close", label: VisitText.headingClose, kind: .heading))
    fields.append(
      FormField(
        id: signedField, label: labels.signed, kind: .keyed(signedOptions), required: true,
        requiredMessage: VisitText.answerRequired, goodValue: "y"))
    fields.append(
      FormField(id: notesField, label: VisitText.notes, kind: .text(maxLength: 200)))

    if let visit = correcting {
      values.merge(
        correctionValues(
          visit, saved: saved, visitorOptions: visitorOptions, visitorIDs: visitorIDs)
      ) { _, new in new }
    }
    // Said on the form, so a paper already typed this round is noticed before it is typed again.
    var status = ""
    if correcting == nil, let round = town.campaign(on: today).workingRound(on: today),
      let earlier = saved.visits.last(where: { round.contains($0.date) })
    {
      status =
        subject.isPremises
        ? VisitText.alreadyInspected(earlier.date) : VisitText.alreadyVisited(earlier.date)
    }
    var form = Form(
      title: (pastWinter.map { VisitText.pastWinterTitle($0.name) } ?? "")
        + (correcting.map { VisitText.correctionTitle($0.id) } ?? "") + subject.title + status,
      fields: fields, values: values)
    // The first tick box still to answer (house facts may be filled already).
    if let first = itemFieldIDs.first(where: { form.value($0).isEmpty }) ?? itemFieldIDs.first {
      form.focusField(first)
    }
    form.markClean()
    return VisitSession(
      subjectID: subject.id, isPremises: subject.isPremises, gridID: subject.gridID, form: form,
      definition: definition, visitorIDs: visitorIDs, reviewHazardIDs: reviewHazardIDs,
      replacing: correcting?.id, dateRange: dates, responsibleVisitorID: subject.visitorID)
  }

  /// The form's values for a saved visit: what was typed from its paper.
  private static func correctionValues(
    _ visit: Visit, saved: VisitRecord, visitorOptions: [String], visitorIDs: [String]
  ) -> [String: String] {
    var values: [String: String] = [
      dateField: visit.date.description, metField: visit.personsMet, notesField: visit.notes,
      signedField: visit.signed ? "y" : "n",
    ]
    let visitorIndex = visitorIDs.firstIndex(of: visit.visitorID ?? "")
    values[visitorField] = visitorIndex.map { visitorOptions[$0] }
    for (id, answer) in visit.answers { values[id] = answer.rawValue }
    for hazard in saved.hazards where hazard.foundInVisit == visit.id {
      values[descriptionField(hazard.checkID)] = hazard.description
      let days = hazard.events.first?.deadline.map { visit.date.days(until: $0) } ?? 0
      values[daysField(hazard.checkID)] = "\(days)"
    }
    for hazard in saved.hazards {
      for event in hazard.events where event.visitID == visit.id && hazard.foundInVisit != visit.id
      {
        switch event.kind {
        case .verified: values[reviewField(hazard.id)] = "rectified"
        case .notRectified: values[reviewField(hazard.id)] = "notRectified"
        case .extended:
          values[reviewField(hazard.id)] = "extend"
          values[reviewDaysField(hazard.id)] =
            "\(event.deadline.map { visit.date.days(until: $0) } ?? 7)"
        default: break
        }
      }
    }
    return values
  }

  /// The field a refusal is about, for the cursor (and its message) to go there.
  func fieldID(for subject: VisitRules.Refusal.Subject) -> String {
    switch subject {
    case .date: return Self.dateField
    case .visitor:
      return form.value(Self.visitorField) == VisitText.visitorNotOnRoster
        ? Self.outsideNameField : Self.visitorField
    case .finding(let checkID): return Self.descriptionField(checkID)
    case .review(let hazardID): return Self.reviewField(hazardID)
    }
  }

  /// The visitor the form names when 名册外人员 is chosen: a new one, with the next id; nil
  /// for a visitor on the roster. A name already on the roster is refused (choose them).
  func outsideVisitor(from values: [String: String], existing: [Visitor]) throws(VisitRules.Refusal)
    -> Visitor?
  {
    guard values[Self.visitorField] == VisitText.visitorNotOnRoster else { return nil }
    let name = (values[Self.outsideNameField] ?? "").trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty else {
      throw VisitRules.Refusal(VisitText.outsideNameRequired, about: .visitor)
    }
    if existing.contains(where: { $0.name == name }) {
      throw VisitRules.Refusal(VisitText.outsideNameOnRoster(name), about: .visitor)
    }
    let role =
      VisitorRole.allCases.first { $0.label == values[Self.outsideRoleField] } ?? .townCadre
    return Visitor(
      id: RosterEdit.nextID(prefix: "u", width: 3, existing: existing.map(\.id)), name: name,
      role: role)
  }

  /// The entry the submitted values describe. The form engine already checked each field;
  /// the model checks the whole (`VisitRules.record`).
  func entry(from values: [String: String], today: CivilDate) throws(VisitRules.Refusal)
    -> VisitEntry
  {
    guard let date = VisitDates.parse(values[Self.dateField] ?? "", in: dateRange).date else {
      throw VisitRules.Refusal(VisitText.dateRequired, about: .date)
    }
    var visitorID: String?
    if case .choice(let options)? = form.fields.first(where: { $0.id == Self.visitorField })?.kind,
      let chosen = options.firstIndex(of: values[Self.visitorField] ?? ""),
      !visitorIDs[chosen].isEmpty
    {
      visitorID = visitorIDs[chosen]
    }
    var answers: [String: Answer] = [:]
    var findings: [VisitEntry.Finding] = []
    for section in definition.sections {
      for item in section.items {
        guard let raw = values[item.id], let answer = Answer(rawValue: raw) else { continue }
        answers[item.id] = answer
        if section.kind == .hazard && answer == .no {
          findings.append(
            VisitEntry.Finding(
              checkID: item.id, description: values[Self.descriptionField(item.id)] ?? "",
              deadlineDays: Int(values[Self.daysField(item.id)] ?? "") ?? 0))
        }
      }
    }
    var reviews: [VisitEntry.Review] = []
    for hazardID in reviewHazardIDs {
      switch values[Self.reviewField(hazardID)] {
      case "rectified": reviews.append(.init(hazardID: hazardID, outcome: .rectified))
      case "notRectified": reviews.append(.init(hazardID: hazardID, outcome: .notRectified))
      case "extend":
        let days = Int(values[Self.reviewDaysField(hazardID)] ?? "") ?? 7
        reviews.append(.init(hazardID: hazardID, outcome: .extended(days: days)))
      default: break
      }
    }
    let standIn = visitorID.flatMap { chosen in
      responsibleVisitorID.flatMap { $0 == chosen ? nil : $0 }
    }
    return VisitEntry(
      householdID: subjectID, date: date, visitorID: visitorID,
      personsMet: values[Self.metField] ?? "", answers: answers, findings: findings,
      reviews: reviews, notes: values[Self.notesField] ?? "",
      signed: values[Self.signedField] == "y", standInFor: standIn)
  }
}

/// Dates and day counts as a clerk types them from paper (dates: `TypedDate`, the one parser).
enum VisitDates {
  static func parse(_ text: String, in range: TypedDate.Range) -> (date: CivilDate?, error: String?)
  {
    switch TypedDate.parse(text, in: range) {
    case .success(let date): return (date, nil)
    case .failure(let problem): return (nil, problem.message)
    }
  }

  /// A whole number of days, 0 allowed for 当场整改; at most 90.
  static func days(_ text: String, allowZero: Bool) -> String? {
    guard let days = Int(text), days >= (allowZero ? 0 : 1), days <= 90 else {
      return allowZero ? VisitText.daysInvalidZero : VisitText.daysInvalid
    }
    return nil
  }
}
