import FiregridModel
import TerminalUI

/// The roster's edit forms, as data: which fields, in which order, with which checks; and how
/// the typed values become a record. The model (`RosterEdit`) decides whether the record is
/// accepted; the form only collects and pre-checks.
public struct EditSession {
  public enum Purpose: Equatable {
    case village(id: String?)
    case grid(villageID: String, id: String?)
    case household(gridID: String, id: String?)
    case person(householdID: String, id: String?)
    case move(householdID: String)
    case visitor(id: String?)
    case assignGrid(gridID: String)
  }

  var purpose: Purpose
  var form: Form
  /// For choice fields whose options stand for records: option index → record id ("" = none).
  var choiceIDs: [String: [String]] = [:]

  // MARK: Building the forms

  static func village(_ village: Village?) -> EditSession {
    let fields = [
      FormField(
        id: "name", label: EditText.villageName, kind: .text(maxLength: 16), required: true,
        requiredMessage: ModelText.editVillageNameRequired),
      FormField(id: "liaison", label: EditText.liaison, kind: .text(maxLength: 20)),
      FormField(
        id: "phone", label: EditText.liaisonPhone, kind: .text(maxLength: 20),
        validate: PhoneNumber.validate),
    ]
    let values = [
      "name": village?.name ?? "", "liaison": village?.liaison ?? "",
      "phone": village?.liaisonPhone ?? "",
    ]
    let title = village == nil ? EditText.addVillage : EditText.editVillage
    return EditSession(
      purpose: .village(id: village?.id), form: Form(title: title, fields: fields, values: values))
  }

  static func grid(_ grid: Grid?, villageID: String, index: RosterIndex) -> EditSession {
    let residents = grid.map { index.households(in: $0.id) } ?? []
    var leaderOptions = [EditText.noneChosen]
    var leaderIDs = [""]
    for household in residents {
      for person in household.persons {
        leaderOptions.append("\(person.name)（\(household.number)）")
        leaderIDs.append(person.id)
      }
    }
    let fields = [
      FormField(
        id: "name", label: EditText.gridName, kind: .text(maxLength: 12), required: true,
        requiredMessage: ModelText.editGridNameRequired, hint: EditText.gridNameHint),
      FormField(
        id: "leader", label: EditText.gridLeader, kind: .choice(leaderOptions),
        hint: EditText.gridLeaderHint),
      FormField(id: "wechat", label: EditText.wechat, kind: .text(maxLength: 40)),
      FormField(
        id: "volunteers", label: EditText.volunteers, kind: .text(maxLength: 60),
        hint: EditText.volunteersHint),
    ]
    let leaderIndex = grid?.gridLeaderID.flatMap { leaderIDs.firstIndex(of: $0) } ?? 0
    let nextNumber = index.grids(in: villageID).count + 1
    let villageName = index.villageByID[villageID]?.name ?? ""
    let name = grid?.name ?? ModelText.gridName(nextNumber)
    let values = [
      "name": name,
      "leader": leaderOptions[leaderIndex],
      "wechat": grid?.wechatGroup ?? ModelText.wechatGroupName(village: villageName, grid: name),
      "volunteers": grid?.volunteers.joined(separator: "、") ?? "",
    ]
    var session = EditSession(
      purpose: .grid(villageID: villageID, id: grid?.id),
      form: Form(
        title: grid == nil ? EditText.addGrid : EditText.editGrid, fields: fields, values: values))
    session.choiceIDs["leader"] = leaderIDs
    return session
  }

  static func household(_ household: Household?, gridID: String, index: RosterIndex)
    -> EditSession
  {
    var visitorOptions = [EditText.noneChosen]
    var visitorIDs = [""]
    for visitor in index.data.visitors {
      visitorOptions.append("\(visitor.name)（\(visitor.role.label)）")
      visitorIDs.append(visitor.id)
    }
    // A new household gets the next free 户号 of the village and the grid's usual visitor.
    let villageID = index.gridByID[gridID]?.villageID ?? ""
    let numbers = index.households(inVillage: villageID).compactMap { Int($0.number) }
    let nextNumber = String((numbers.max() ?? 0) + 1)
    let usualVisitor = index.households(in: gridID).last?.visitorID
    let visitorID = household?.visitorID ?? usualVisitor
    let fields = [
      FormField(
        id: "number", label: EditText.number, kind: .text(maxLength: 8), required: true,
        requiredMessage: ModelText.editNumberRequired),
      FormField(id: "address", label: EditText.address, kind: .text(maxLength: 80)),
      FormField(id: "visitor", label: EditText.visitor, kind: .choice(visitorOptions)),
    ]
    let values = [
      "number": household?.number
        ?? String(repeating: "0", count: max(0, 4 - nextNumber.count)) + nextNumber,
      "address": household?.address ?? "",
      "visitor": visitorOptions[visitorID.flatMap { visitorIDs.firstIndex(of: $0) } ?? 0],
    ]
    var session = EditSession(
      purpose: .household(gridID: gridID, id: household?.id),
      form: Form(
        title: household == nil ? EditText.addHousehold : EditText.editHousehold, fields: fields,
        values: values))
    session.choiceIDs["visitor"] = visitorIDs
    return session
  }

  static let sexOptions = [EditText.sexFromID, Sex.male.label, Sex.female.label]

  static func person(_ person: Person?, householdID: String, isFirst: Bool) -> EditSession {
    var relations = ModelText.relations
    if let relation = person?.relation, !relations.contains(relation) {
      relations.append(relation)
    }
    var fields = [
      FormField(
        id: "name", label: EditText.personName, kind: .text(maxLength: 20), required: true,
        requiredMessage: ModelText.editPersonNameRequired),
      FormField(id: "relation", label: EditText.relation, kind: .choice(relations)),
      FormField(
        id: "idNumber", label: EditText.idNumber, kind: .text(maxLength: 18),
        hint: EditText.idNumberHint,
        validate: { IDNumber.validate($0)?.message }),
      FormField(id: "sex", label: EditText.sex, kind: .choice(sexOptions)),
      FormField(
        id: "phone", label: EditText.phone, kind: .text(maxLength: 20),
        validate: PhoneNumber.validate),
      FormField(
        id: "groups", label: EditText.groups, kind: .text(maxLength: 30), hint: EditText.groupsHint,
        validate: { GroupCodes.parse($0) == nil ? EditText.groupsInvalid : nil }),
    ]
    let defaultRelation = isFirst ? Person.headRelation : ModelText.relationSpouse
    var values = [
      "name": person?.name ?? "",
      "relation": person?.relation ?? defaultRelation,
      "idNumber": person?.idNumber ?? "",
      "sex": person?.sex?.label ?? EditText.sexFromID,
      "phone": person?.phone ?? "",
      "groups": person.map { GroupCodes.format($0.groups) } ?? "",
    ]
    // The 独居老人 facts (附件7): shown as soon as 独居老人 is among the groups typed, and
    // always for a person who has them already (so they are seen before they are changed).
    let hasCare = person?.elderlyCare != nil
    fields += ElderlyCareFields.fields.map { field in
      var field = field
      field.visibleWhen = FormField.Condition(fieldID: "groups") { text in
        hasCare || GroupCodes.parse(text)?.contains(.elderlyLivingAlone) == true
      }
      return field
    }
    values.merge(ElderlyCareFields.values(person?.elderlyCare), uniquingKeysWith: { $1 })
    return EditSession(
      purpose: .person(householdID: householdID, id: person?.id),
      form: Form(
        title: person == nil ? EditText.addPerson : EditText.editPerson, fields: fields,
        values: values))
  }

  static func move(_ household: Household, index: RosterIndex) -> EditSession {
    var options: [String] = []
    var ids: [String] = []
    for village in index.data.villages {
      for grid in index.grids(in: village.id) where grid.id != household.gridID {
        options.append("\(village.name)\(grid.name)（\(index.households(in: grid.id).count)户）")
        ids.append(grid.id)
      }
    }
    let fields = [
      FormField(id: "grid", label: EditText.moveTo, kind: .choice(options), hint: EditText.moveHint)
    ]
    var session = EditSession(
      purpose: .move(householdID: household.id),
      form: Form(title: EditText.moveTitle(household.number), fields: fields))
    session.choiceIDs["grid"] = ids
    return session
  }

  static func visitor(_ visitor: Visitor?) -> EditSession {
    let roles = VisitorRole.allCases.map(\.label)
    let fields = [
      FormField(
        id: "name", label: EditText.visitorName, kind: .text(maxLength: 20), required: true,
        requiredMessage: ModelText.editVisitorNameRequired),
      FormField(id: "role", label: EditText.visitorRole, kind: .choice(roles)),
      FormField(
        id: "phone", label: EditText.phone, kind: .text(maxLength: 20),
        validate: PhoneNumber.validate),
    ]
    let values = [
      "name": visitor?.name ?? "", "role": (visitor?.role ?? .townCadre).label,
      "phone": visitor?.phone ?? "",
    ]
    return EditSession(
      purpose: .visitor(id: visitor?.id),
      form: Form(
        title: visitor == nil ? EditText.addVisitor : EditText.editVisitor, fields: fields,
        values: values))
  }

  static func assignGrid(_ grid: Grid, index: RosterIndex) -> EditSession {
    let options = index.data.visitors.map { "\($0.name)（\($0.role.label)）" }
    let fields = [
      FormField(id: "visitor", label: EditText.visitor, kind: .choice(options))
    ]
    var session = EditSession(
      purpose: .assignGrid(gridID: grid.id),
      form: Form(title: EditText.assignTitle(grid.name), fields: fields))
    session.choiceIDs["visitor"] = index.data.visitors.map(\.id)
    return session
  }

  // MARK: Turning values into an edit

  func chosenID(_ field: String) -> String? {
    guard let ids = choiceIDs[field], case .choice(let options)? = kind(of: field),
      let index = options.firstIndex(of: form.value(field)), index < ids.count
    else { return nil }
    return ids[index].isEmpty ? nil : ids[index]
  }

  private func kind(of field: String) -> FormField.Kind? {
    form.fields.first { $0.id == field }?.kind
  }

  /// The model's verdict on the typed values.
  func outcome(_ values: [String: String], town: TownData) throws(RosterEdit.Refusal)
    -> RosterEdit.Outcome
  {
    switch purpose {
    case .village(let id):
      var village = id.flatMap { town.village(id: $0) } ?? Village(id: "", name: "")
      village.name = values["name"] ?? ""
      village.liaison = values["liaison"] ?? ""
      village.liaisonPhone = values["phone"] ?? ""
      return try RosterEdit.saveVillage(village, in: town)
    case .grid(let villageID, let id):
      var grid = id.flatMap { town.grid(id: $0) } ?? Grid(id: "", villageID: villageID, name: "")
      grid.name = values["name"] ?? ""
      grid.gridLeaderID = chosenID("leader")
      grid.wechatGroup = values["wechat"] ?? ""
      grid.volunteers = (values["volunteers"] ?? "").split(whereSeparator: { "、,， ".contains($0) })
        .map(String.init)
      return try RosterEdit.saveGrid(grid, in: town)
    case .household(let gridID, let id):
      var household =
        id.flatMap { town.household(id: $0) }
        ?? Household(id: "", gridID: gridID, number: "", address: "")
      household.number = values["number"] ?? ""
      household.address = values["address"] ?? ""
      household.visitorID = chosenID("visitor")
      return try RosterEdit.saveHousehold(household, in: town)
    case .person(let householdID, let id):
      var person =
        id.flatMap { personID in
          town.household(id: householdID)?.persons.first { $0.id == personID }
        } ?? Person(id: "", name: "", relation: "")
      person.name = values["name"] ?? ""
      person.relation = values["relation"] ?? ""
      person.idNumber = values["idNumber"] ?? ""
      person.phone = values["phone"] ?? ""
      let sex = values["sex"] ?? ""
      person.sex = Sex.allCases.first { $0.label == sex } ?? person.sex
      person.groups = GroupCodes.parse(values["groups"] ?? "") ?? person.groups
      if let care = ElderlyCareFields.care(values) {
        person.elderlyCare = care.isEmpty ? nil : care
      }
      return try RosterEdit.savePerson(person, inHousehold: householdID, in: town)
    case .move(let householdID):
      guard let gridID = chosenID("grid") else { throw RosterEdit.Refusal(EditText.noOtherGrid) }
      return try RosterEdit.moveHousehold(id: householdID, toGrid: gridID, in: town)
    case .visitor(let id):
      var visitor =
        id.flatMap { town.visitor(id: $0) } ?? Visitor(id: "", name: "", role: .townCadre)
      visitor.name = values["name"] ?? ""
      let role = values["role"] ?? ""
      visitor.role = VisitorRole.allCases.first { $0.label == role } ?? visitor.role
      visitor.phone = values["phone"] ?? ""
      return try RosterEdit.saveVisitor(visitor, in: town)
    case .assignGrid(let gridID):
      guard let visitorID = chosenID("visitor") else {
        throw RosterEdit.Refusal(EditText.noVisitorsYet)
      }
      return try RosterEdit.assignVisitor(visitorID, toGrid: gridID, in: town)
    }
  }
}

/// The 独居老人 fields of the person form, their values and the `ElderlyCare` typed in them.
enum ElderlyCareFields {
  static let choices = [ReportText.careNotAsked, ReportText.careYes, ReportText.careNo]
  static let selfCareChoices =
    [ReportText.careNotAsked] + ElderlyCare.SelfCare.allCases.map(\.label)

  static func optionalPhone(_ text: String) -> String? {
    text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : PhoneNumber.validate(text)
  }

  static let fields: [FormField] = [
    FormField(id: "care", label: ReportText.careHeading, kind: .heading),
    FormField(
      id: "care.guardianName", label: ReportText.careGuardianName, kind: .text(maxLength: 20)),
    FormField(
      id: "care.guardianRelation", label: ReportText.careGuardianRelation,
      kind: .text(maxLength: 10)),
    FormField(
      id: "care.guardianPhone", label: ReportText.careGuardianPhone, kind: .text(maxLength: 20),
      validate: optionalPhone),
    FormField(id: "care.selfCare", label: ReportText.careSelfCare, kind: .choice(selfCareChoices)),
    FormField(
      id: "care.livingSituation", label: ReportText.careLivingSituation,
      kind: .text(maxLength: 40)),
    FormField(id: "care.helperName", label: ReportText.careHelperName, kind: .text(maxLength: 20)),
    FormField(
      id: "care.helperPhone", label: ReportText.careHelperPhone, kind: .text(maxLength: 20),
      validate: optionalPhone),
    FormField(
      id: "care.visitFrequency", label: ReportText.careVisitFrequency, kind: .text(maxLength: 20),
      hint: ReportText.careVisitFrequencyHint),
    FormField(id: "care.smokeAlarm", label: ReportText.careSmokeAlarm, kind: .choice(choices)),
    FormField(id: "care.extinguisher", label: ReportText.careExtinguisher, kind: .choice(choices)),
    FormField(id: "care.notes", label: ReportText.careNotes, kind: .text(maxLength: 60)),
  ]

  static func values(_ care: ElderlyCare?) -> [String: String] {
    let care = care ?? ElderlyCare()
    func choice(_ value: Bool?) -> String {
      value.map { $0 ? ReportText.careYes : ReportText.careNo } ?? ReportText.careNotAsked
    }
    return [
      "care.guardianName": care.guardianName, "care.guardianRelation": care.guardianRelation,
      "care.guardianPhone": care.guardianPhone,
      "care.selfCare": care.selfCare?.label ?? ReportText.careNotAsked,
      "care.livingSituation": care.livingSituation, "care.helperName": care.helperName,
      "care.helperPhone": care.helperPhone, "care.visitFrequency": care.visitFrequency,
      "care.smokeAlarm": choice(care.smokeAlarm), "care.extinguisher": choice(care.extinguisher),
      "care.notes": care.notes,
    ]
  }

  /// The care typed in the form; nil when the form did not have the fields.
  static func care(_ values: [String: String]) -> ElderlyCare? {
    guard values["care.guardianName"] != nil else { return nil }
    func text(_ key: String) -> String {
      (values["care.\(key)"] ?? "").trimmingCharacters(in: .whitespaces)
    }
    func yesNo(_ key: String) -> Bool? {
      switch text(key) {
      case ReportText.careYes: return true
      case ReportText.careNo: return false
      default: return nil
      }
    }
    let selfCare = text("selfCare")
    return ElderlyCare(
      guardianName: text("guardianName"), guardianRelation: text("guardianRelation"),
      guardianPhone: text("guardianPhone"),
      selfCare: ElderlyCare.SelfCare.allCases.first { $0.label == selfCare },
      livingSituation: text("livingSituation"), helperName: text("helperName"),
      helperPhone: text("helperPhone"), visitFrequency: text("visitFrequency"),
      smokeAlarm: yesNo("smokeAlarm"), extinguisher: yesNo("extinguisher"),
      notes: text("notes"))
  }
}

/// Vulnerable groups typed fast: a digit per group (1 孤寡老人 … 7 五保户) or the names,
/// separated by spaces, 、 or commas.
enum GroupCodes {
  static func parse(_ text: String) -> [VulnerableGroup]? {
    var groups: [VulnerableGroup] = []
    let parts = text.split(whereSeparator: { " 、,，".contains($0) })
    for part in parts {
      let token = String(part)
      if token.allSatisfy(\.isNumber) {
        // "16" means 1 and 6: each digit is one group.
        for digit in token {
          guard let n = Int(String(digit)), (1...VulnerableGroup.allCases.count).contains(n)
          else { return nil }
          groups.append(VulnerableGroup.allCases[n - 1])
        }
      } else if let group = VulnerableGroup.allCases.first(where: {
        $0.label == token || $0.shortLabel == token
      }) {
        groups.append(group)
      } else {
        return nil
      }
    }
    var seen = Set<VulnerableGroup>()
    return groups.filter { seen.insert($0).inserted }
  }

  static func format(_ groups: [VulnerableGroup]) -> String {
    groups.map(\.label).joined(separator: "、")
  }
}
