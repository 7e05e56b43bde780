import FiregridModel
import TerminalUI

/// The premises' forms (add, edit, move to another grid), as data for the form engine, and
/// how the typed values become a `Premises`. `PremisesRules` decides whether it may be saved.
struct PremisesSession {
  enum Purpose: Equatable {
    case edit(gridID: String, id: String?)
    case move(premisesID: String)
  }

  var purpose: Purpose
  var form: Form
  /// For choice fields whose options stand for records: option index → record id ("" = none).
  var choiceIDs: [String: [String]] = [:]

  static let nameField = "name"
  static let kindField = "kind"
  static let businessField = "business"
  static let addressField = "address"
  static let personField = "person"
  static let phoneField = "phone"
  static let floorsField = "floors"
  static let areaField = "area"
  static let sleepField = "sleep"
  static let sleepersField = "sleepers"
  static let householdField = "household"
  static let visitorField = "visitor"
  static let gridField = "grid"

  static let sleepOptions: [FormField.KeyedOption] = [
    .init(key: "y", value: "y", label: PremisesScreenText.sleepYes),
    .init(key: "n", value: "n", label: PremisesScreenText.sleepNo),
    .init(key: "-", value: "-", label: PremisesScreenText.sleepUnknown),
  ]

  /// A whole number in `range`, or empty.
  static func number(_ range: ClosedRange<Int>, _ message: String) -> @Sendable (String) -> String?
  {
    { text in Int(text).map { range.contains($0) } == true ? nil : message }
  }

  /// The household living there, by its 户号 in the village ("3" finds 0003).
  static func household(number text: String, in households: [Household]) -> Household? {
    let typed = text.trimmingCharacters(in: .whitespaces)
    guard !typed.isEmpty else { return nil }
    return households.first { $0.number == typed }
      ?? Int(typed).flatMap { typedNumber in households.first { Int($0.number) == typedNumber } }
  }

  /// The form of a new premises in `gridID` (nil `premises`) or of one to change.
  static func edit(_ premises: Premises?, gridID: String, index: RosterIndex) -> PremisesSession {
    let gridID = premises?.gridID ?? gridID
    let grid = index.gridByID[gridID]
    let villageHouseholds = grid.map { index.households(inVillage: $0.villageID) } ?? []
    var visitorOptions = [EditText.noneChosen]
    var visitorIDs = [""]
    for visitor in index.data.visitors {
      visitorOptions.append("\(visitor.name)（\(visitor.role.label)）")
      visitorIDs.append(visitor.id)
    }
    // A new premises is offered the grid's usual visitor: its last premises', else its last
    // household's.
    let usualVisitor =
      index.premises(in: gridID).last?.visitorID ?? index.households(in: gridID).last?.visitorID
    let visitorID = premises == nil ? usualVisitor : premises?.visitorID
    let kinds = PremisesKind.allCases.map(\.label)
    let businesses = BusinessKind.allCases.map(\.label)
    let numbers = Set(villageHouseholds.map(\.number))
    let fields = [
      FormField(
        id: nameField, label: PremisesScreenText.fieldName, kind: .text(maxLength: 30),
        required: true, requiredMessage: PremisesScreenText.nameRequired,
        hint: PremisesScreenText.nameHint),
      FormField(
        id: kindField, label: PremisesScreenText.fieldKind, kind: .choice(kinds),
        hint: PremisesScreenText.kindHint),
      FormField(
        id: businessField, label: PremisesScreenText.fieldBusiness, kind: .choice(businesses),
        visibleWhen: FormField.Condition(
          fieldID: kindField, values: [PremisesKind.business.label, PremisesKind.mixedUse.label])),
      FormField(
        id: addressField, label: PremisesScreenText.fieldAddress, kind: .text(maxLength: 80)),
      FormField(id: personField, label: PremisesScreenText.fieldPerson, kind: .text(maxLength: 20)),
      FormField(
        id: phoneField, label: EditText.phone, kind: .text(maxLength: 20),
        validate: PhoneNumber.validate),
      FormField(
        id: floorsField, label: PremisesScreenText.fieldFloors, kind: .text(maxLength: 2),
        validate: number(PremisesRules.floorRange, PremisesScreenText.floorsInvalid)),
      FormField(
        id: areaField, label: PremisesScreenText.fieldArea, kind: .text(maxLength: 6),
        validate: number(PremisesRules.floorAreaRange, PremisesScreenText.areaInvalid)),
      FormField(
        id: sleepField, label: PremisesScreenText.fieldSleep, kind: .keyed(sleepOptions),
        hint: PremisesScreenText.sleepHint),
      FormField(
        id: sleepersField, label: PremisesScreenText.fieldSleepers, kind: .text(maxLength: 4),
        visibleWhen: FormField.Condition(fieldID: sleepField, values: ["y"]),
        validate: number(0...9999, PremisesScreenText.sleepersInvalid)),
      FormField(
        id: householdField, label: PremisesScreenText.fieldHousehold, kind: .text(maxLength: 8),
        hint: PremisesScreenText.householdHint,
        validate: { text in
          numbers.contains(text)
            || Int(text).map { typed in numbers.contains { Int($0) == typed } }
              == true
            ? nil : PremisesScreenText.householdUnknown(text)
        }),
      FormField(id: visitorField, label: EditText.visitor, kind: .choice(visitorOptions)),
    ]
    var values: [String: String] = [
      nameField: premises?.name ?? "",
      kindField: (premises?.kind ?? .business).label,
      businessField: (premises?.businessKind ?? .shop).label,
      addressField: premises?.address ?? "",
      personField: premises?.responsiblePerson ?? "",
      phoneField: premises?.responsiblePhone ?? "",
      floorsField: premises?.floors.map { "\($0)" } ?? "",
      areaField: premises?.floorArea.map { "\($0)" } ?? "",
      sleepField: premises?.peopleSleep.map { $0 ? "y" : "n" } ?? "",
      sleepersField: premises?.sleepers.map { "\($0)" } ?? "",
      householdField: premises?.householdID.flatMap { index.householdByID[$0]?.number } ?? "",
      visitorField: visitorOptions[visitorID.flatMap { visitorIDs.firstIndex(of: $0) } ?? 0],
    ]
    if premises?.peopleSleep == nil, premises != nil { values[sleepField] = "-" }
    let place = index.place(ofGrid: gridID)
    var form = Form(
      title: premises.map { PremisesScreenText.editTitle($0.name) }
        ?? PremisesScreenText.addTitle(place.village, place.grid),
      fields: fields, values: values)
    form.markClean()
    var session = PremisesSession(purpose: .edit(gridID: gridID, id: premises?.id), form: form)
    session.choiceIDs[visitorField] = visitorIDs
    return session
  }

  /// `M`: which grid the premises moves to.
  static func move(_ premises: Premises, index: RosterIndex) -> PremisesSession {
    var options: [String] = []
    var ids: [String] = []
    for village in index.data.villages {
      for grid in index.grids(in: village.id) where grid.id != premises.gridID {
        options.append("\(village.name)\(grid.name)")
        ids.append(grid.id)
      }
    }
    let fields = [
      FormField(
        id: gridField, label: EditText.moveTo, kind: .choice(options), hint: EditText.moveHint)
    ]
    var session = PremisesSession(
      purpose: .move(premisesID: premises.id),
      form: Form(title: PremisesScreenText.moveTitle(premises.name), fields: fields))
    session.choiceIDs[gridField] = ids
    return session
  }

  func chosenID(_ field: String) -> String? {
    guard let ids = choiceIDs[field],
      case .choice(let options)? = form.fields.first(where: { $0.id == field })?.kind,
      let index = options.firstIndex(of: form.value(field)), index < ids.count
    else { return nil }
    return ids[index].isEmpty ? nil : ids[index]
  }

  /// The premises the values describe, or why it cannot be saved (`PremisesRules`, and a
  /// move with nowhere to go).
  func premises(from values: [String: String], town: TownData) -> (Premises?, [String]) {
    switch purpose {
    case .move(let premisesID):
      guard var premises = town.premises(id: premisesID) else { return (nil, []) }
      guard let gridID = chosenID(Self.gridField) else {
        return (nil, [PremisesScreenText.noOtherGrid])
      }
      premises.gridID = gridID
      let problems = PremisesRules.problems(premises, in: town)
      return problems.isEmpty ? (premises, []) : (nil, problems)
    case .edit(let gridID, let id):
      var premises =
        id.flatMap { town.premises(id: $0) }
        ?? Premises(id: PremisesRules.nextID(in: town), gridID: gridID, name: "", kind: .business)
      func text(_ field: String) -> String {
        (values[field] ?? "").trimmingCharacters(in: .whitespaces)
      }
      premises.name = text(Self.nameField)
      premises.kind = PremisesKind.allCases.first { $0.label == text(Self.kindField) } ?? .business
      premises.businessKind =
        premises.kind == .office
        ? nil : BusinessKind.allCases.first { $0.label == text(Self.businessField) }
      premises.address = text(Self.addressField)
      premises.responsiblePerson = text(Self.personField)
      let phone = text(Self.phoneField)
      premises.responsiblePhone = phone.isEmpty ? "" : PhoneNumber.normalized(phone)
      premises.floors = Int(text(Self.floorsField))
      premises.floorArea = Int(text(Self.areaField))
      switch text(Self.sleepField) {
      case "y": premises.peopleSleep = true
      case "n": premises.peopleSleep = false
      default: premises.peopleSleep = nil
      }
      premises.sleepers = premises.peopleSleep == true ? Int(text(Self.sleepersField)) : nil
      let villageID = town.grid(id: premises.gridID)?.villageID ?? ""
      premises.householdID =
        Self.household(
          number: text(Self.householdField), in: town.households(inVillage: villageID))?.id
      premises.visitorID = chosenID(Self.visitorField)
      let problems = PremisesRules.problems(premises, in: town)
      return problems.isEmpty ? (premises, []) : (nil, problems)
    }
  }
}

/// A premises' form over the roster: Ctrl-S saves when `PremisesRules` finds nothing wrong;
/// what it finds is listed on the form, and nothing is saved.
struct PremisesEditOverlay: Overlay {
  var session: PremisesSession
  /// What `PremisesRules` refused at the last Ctrl-S.
  var problems: [String] = []

  var isDirty: Bool { session.form.isDirty }
  var takesText: Bool { true }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    if FormKeys.standard.action(for: key) == .cancel {
      return FormKeys.leave(session.form, returningTo: self)
    }
    guard case .submitted(let values) = session.form.handle(key) else { return [] }
    let (premises, problems) = session.premises(from: values, town: context.index.data)
    self.problems = problems
    guard let premises else {
      return problems.first.map { [.error($0)] } ?? []
    }
    return [.run(.savePremises([premises], select: premises.id, message: EditText.saved))]
  }

  func bindings(in context: AppContext) -> [KeyBinding] {
    // The move form is one field: nothing to go back to.
    guard session.form.fields.count == 1 else { return FormKeys.standard.bindings }
    return FormKeys.standard.entries.filter { $0.action != .previous }.map(\.binding)
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let body = area.body
    let shown = problems.prefix(3)
    let formArea = body.splitBottom(shown.count).0
    let cursor = FormKeys.render(session.form, into: &buffer, body: formArea)
    for (offset, problem) in shown.enumerated() {
      buffer.write(
        problem, x: body.x + 4, y: formArea.maxY + offset, maxWidth: body.width - 8,
        style: .error)
    }
    return cursor
  }
}

extension RosterScreen {
  /// a, e, x, M on a premises level: its form, or the question before archiving it.
  func startPremisesEdit(_ action: Action, index: RosterIndex) -> [Message] {
    let premises = premisesInView.flatMap { index.premisesByID[$0] }
    switch (action, current.level) {
    case (.add, .premisesList(let scope)):
      let gridID: String
      switch scope {
      case .grid(let id): gridID = id
      case .village(let villageID):
        // A village's list adds to the selected premises' grid, else the village's first.
        guard
          let id = premises?.gridID ?? index.grids(in: villageID).first?.id
        else { return [.error(PremisesScreenText.noGridYet)] }
        gridID = id
      }
      return [.present(PremisesEditOverlay(session: .edit(nil, gridID: gridID, index: index)))]
    case (.edit, _):
      guard let premises else { return [] }
      return [
        .present(
          PremisesEditOverlay(session: .edit(premises, gridID: premises.gridID, index: index)))
      ]
    case (.moveHousehold, _):
      guard let premises else { return [] }
      return [.present(PremisesEditOverlay(session: .move(premises, index: index)))]
    case (.delete, _):
      guard let premises else { return [] }
      let open = index.data.inspectionRecord(of: premises.id).hazards.filter { $0.closedOn == nil }
      let named = open.map {
        "\(forms.label(of: $0, in: index.data.inspectionRecord(of: premises.id)))：\($0.description)"
      }
      return [
        .present(
          ConfirmOverlay(
            title: PremisesScreenText.archiveTitle,
            message: PremisesScreenText.archiveQuestion(premises.name, openHazards: named),
            then: [.run(.archivePremises(id: premises.id))]))
      ]
    default:
      return []
    }
  }
}

extension PremisesScreenText {
  static let fieldName = "场所名称"
  static let nameRequired = "请填写场所名称"
  static let nameHint = "如 向记百货、龙潭村村部"
  static let fieldKind = "场所类别"
  static let kindHint = "左右键选择：办公场所（附件4）、生产经营性场所（附件5）、多合一场所（住宿与经营在一起）"
  static let fieldBusiness = "经营类别"
  static let fieldAddress = "地址"
  static let fieldPerson = "责任人"
  static let fieldFloors = "层数"
  static let floorsInvalid = "层数应为 1–99 的整数"
  static let fieldArea = "建筑面积（㎡）"
  static let areaInvalid = "建筑面积应为 1–100000 的整数（平方米）"
  static let fieldSleep = "是否住人"
  static let sleepHint = "y 是  n 否  - 不清楚"
  static let sleepYes = "是"
  static let sleepNo = "否"
  static let sleepUnknown = "不清楚"
  static let fieldSleepers = "住宿人数"
  static let sleepersInvalid = "住宿人数应为整数"
  static let fieldHousehold = "所在户（户号）"
  static let householdHint = "住在这里的一户（前店后宅）的户号，本村（社区）的；可不填"
  static func householdUnknown(_ number: String) -> String { "本村（社区）没有户号 \(number)" }
  static func addTitle(_ village: String, _ grid: String) -> String { "新增场所（\(village) \(grid)）" }
  static func editTitle(_ name: String) -> String { "修改场所 \(name)" }
  static func moveTitle(_ name: String) -> String { "把场所 \(name) 移到其他网格" }
  static let noOtherGrid = "没有其他网格可移入"
  static let noGridYet = "本村尚无网格：请先新增网格"
  static let archiveTitle = "归档场所"
  static func archiveQuestion(_ name: String, openHazards: [String]) -> String {
    "把场所「\(name)」移出名册？\n它的检查记录一并移入 archive 文件夹保存，不会删除。"
      + (openHazards.isEmpty
        ? "" : "\n尚有未销号隐患 \(openHazards.count) 处：" + openHazards.joined(separator: "；"))
  }
  static func archived(_ name: String) -> String { "已归档场所 \(name)。" }
}

/// `I` on a premises list: which spreadsheet of premises to import.
struct PremisesImportFileOverlay: Overlay {
  var form = Form(
    title: PremisesScreenText.importFormTitle,
    fields: [
      FormField(
        id: ImportText.pathField, label: PremisesScreenText.importPath, kind: .text(maxLength: 120),
        required: true, requiredMessage: PremisesScreenText.importPathRequired,
        hint: PremisesScreenText.importHint)
    ])
  var isDirty: Bool { form.isDirty }
  var takesText: Bool { true }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    if FormKeys.standard.action(for: key) == .cancel { return [.dismiss] }
    guard case .submitted(let values) = form.handle(key) else { return [] }
    return [.run(.planPremisesImport(path: values[ImportText.pathField] ?? ""))]
  }

  func bindings(in context: AppContext) -> [KeyBinding] {
    FormKeys.standard.entries.filter { $0.action != .previous }.map(\.binding)
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let body = area.body
    buffer.fill(body, style: .plain)
    let cursor = form.render(into: &buffer, area: body.inset(dx: 4, dy: 1))
    buffer.write(EditText.saveKeys, x: body.x + 4, y: body.maxY - 1, style: .muted)
    return cursor
  }
}

extension PremisesScreenText {
  static let importFormTitle = "导入场所（Excel/WPS 的 .xlsx，或 CSV）"
  static let importPath = "文件路径"
  static let importPathRequired = "请填写要导入的文件路径"
  static let importHint =
    "每处场所一行，表头：村（社区）、网格、场所名称、类别、经营类别、地址、责任人、联系电话、层数、建筑面积、是否住人、住宿人数、所在户号、走访人"
  static let busyImport = "正在读取场所表格…"
  static let importNotAvailable = "本程序不能读取场所表格"
  static let importTitle = "导入场所"
  static func importSummary(
    file: String, added: Int, offices: Int, businesses: Int, mixedUse: Int, unchanged: Int
  ) -> String {
    "\(file)：新增 \(added) 处场所（办公 \(offices)、经营 \(businesses)、多合一 \(mixedUse)）"
      + (unchanged > 0 ? "，\(unchanged) 处已在名册上，跳过" : "") + "。"
  }
  static let importQuestion = "导入吗？"
  static func imported(_ n: Int, _ file: String) -> String { "已从 \(file) 导入 \(n) 处场所。" }
}
