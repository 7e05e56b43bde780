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

/// The residential form (附件6) for one household, built from the form definition in
/// `Resources/Data/forms/` and rendered by the form engine: field order follows the
/// paper, each tick box is one key (y/n/-, y always the good answer), a hazard's description
/// and deadline appear only when 有隐患 is chosen, and the household's unclosed hazards get a
/// 复查 row each. `entry(from:)` turns the submitted values into a `VisitEntry`.
public struct VisitSession {
  public let householdID: String
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
  /// The visitor responsible for the household (nil: nobody yet); anyone else is a 代访.
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
  /// box, since the header is usually right already.
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
    let saved = town.visitRecord(of: household.id)
    // The record the form applies to: without the visit being corrected.
    let base = correcting.flatMap { try? VisitRules.remove(visitID: $0.id, from: saved) } ?? saved
    let isVulnerable = household.hasVulnerableMember
    var visitorOptions: [String] = []
    var visitorIDs: [String] = []
    var visitorKeys: [String] = []
    let names = Dictionary(grouping: town.visitors, by: \.name)
    // The visitors who cover this village come first: ←/→ from the offered one reaches them.
    let villageID = index.gridByID[household.gridID]?.villageID
    let local = Set(
      villageID.map { index.households(inVillage: $0).compactMap(\.visitorID) } ?? [])
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
    // The household's own visitor; the previous form's only for a household nobody is
    // responsible for yet (a paper stack is carried, never into someone else's household).
    let visitorID = household.visitorID ?? carry.visitorID ?? ""
    let visitorOption = visitorIDs.firstIndex(of: visitorID).map { visitorOptions[$0] }
    let responsibleName = household.visitorID.flatMap { id in
      town.visitors.first { $0.id == id }?.name
    }

    var visitorChoice = FormField(
      id: visitorField, label: VisitText.visitor, kind: .choice(visitorOptions),
      hint: VisitText.visitorHint(responsible: responsibleName))
    visitorChoice.choiceSearchKeys = visitorKeys
    var fields: [FormField] = [
      FormField(id: "heading.header", label: VisitText.headingHeader, kind: .heading),
      FormField(
        id: dateField, label: VisitText.date, kind: .text(maxLength: 10), required: true,
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
        id: metField, label: VisitText.personsMet, kind: .text(maxLength: 20),
        hint: VisitText.personsMetHint),
    ]
    var values: [String: String] = [
      dateField: defaultDate.description,
      metField: household.head?.name ?? "",
    ]
    if let visitorOption { values[visitorField] = visitorOption }

    var reviewHazardIDs: [String] = []
    for section in definition.sections {
      fields.append(FormField(id: "heading.\(section.id)", label: section.title, kind: .heading))
      for item in section.items {
        if item.onlyForVulnerable == true && !isVulnerable { continue }
        fields.append(
          FormField(
            id: item.id, label: item.label, kind: .keyed(options(section.kind)), required: true,
            requiredMessage: VisitText.answerRequired, hint: item.hint ?? ""))
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
      // 复查 of earlier hazards comes right after the hazard checks, as on the return visit.
      if section.kind == .hazard {
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
    }
    fields.append(FormField(id: "heading.close", label: VisitText.headingClose, kind: .heading))
    fields.append(
      FormField(
        id: signedField, label: VisitText.signed, kind: .keyed(signedOptions), required: true,
        requiredMessage: VisitText.answerRequired))
    fields.append(
      FormField(id: notesField, label: VisitText.notes, kind: .text(maxLength: 200)))

    let grid = index.gridByID[household.gridID]
    let title = VisitText.formTitle(
      attachment: definition.attachment, index.villageName(ofGrid: grid),
      grid?.name ?? "", household.number, household.head?.name ?? "")
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
      status = VisitText.alreadyVisited(earlier.date)
    }
    var form = Form(
      title: (pastWinter.map { VisitText.pastWinterTitle($0.name) } ?? "")
        + (correcting.map { VisitText.correctionTitle($0.id) } ?? "") + title + status,
      fields: fields, values: values)
    if let first = definition.sections.first?.items.first { form.focusField(first.id) }
    form.markClean()
    return VisitSession(
      householdID: household.id, gridID: household.gridID, form: form, definition: definition,
      visitorIDs: visitorIDs, reviewHazardIDs: reviewHazardIDs, replacing: correcting?.id,
      dateRange: dates, responsibleVisitorID: household.visitorID)
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
      householdID: householdID, date: date, visitorID: visitorID,
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
