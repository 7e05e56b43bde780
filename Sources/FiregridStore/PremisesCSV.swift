import FiregridModel
import FiregridSheets
import Foundation

/// Premises (场所) as a spreadsheet, one row per premises, both ways, with the roster's
/// reading underneath (`RosterCSV.parse` for CSV bytes in any encoding Excel or WPS writes,
/// `RosterXLSX.table` for a workbook's sheet, the same cell cleaning and row numbers):
///
/// - `plan(_:into:)`: a table + the town as it is → `ImportPlan` (the premises it adds, every
///   rejected row with each of its problems); pure, reads no files;
/// - `export(_:)`: the town's premises as CSV text in roster order; `workbook(_:)` the same
///   cells as an .xlsx sheet.
///
/// Columns (`Column`), in the order the export writes them:
///
///     村（社区）,网格,场所名称,类别,经营类别,地址,责任人,联系电话,层数,建筑面积,是否住人,住宿人数,
///     所在户号,走访人
///
/// 类别 is 办公场所 / 生产经营性场所 / 多合一场所; 经营类别 商店 / 餐饮 / 作坊 / 农家乐 / 小旅馆 /
/// 其他 (empty for an office); 是否住人 是 / 否 / empty (not asked); 所在户号 the 户号, in the
/// same village, of the household that lives there; 走访人 a visitor's name on the roster.
public enum PremisesCSV {
  // MARK: Columns

  public enum Column: String, CaseIterable, Sendable {
    case village
    case grid
    case name
    case kind
    case businessKind
    case address
    case responsiblePerson
    case responsiblePhone
    case floors
    case floorArea
    case peopleSleep
    case sleepers
    case householdNumber
    case visitor

    /// The header the export writes.
    public var header: String {
      switch self {
      case .village: return "村（社区）"
      case .grid: return "网格"
      case .name: return "场所名称"
      case .kind: return "类别"
      case .businessKind: return "经营类别"
      case .address: return "地址"
      case .responsiblePerson: return "责任人"
      case .responsiblePhone: return "联系电话"
      case .floors: return "层数"
      case .floorArea: return "建筑面积"
      case .peopleSleep: return "是否住人"
      case .sleepers: return "住宿人数"
      case .householdNumber: return "所在户号"
      case .visitor: return "走访人"
      }
    }

    /// Other headers accepted for this column (besides `header`), before folding.
    public var aliases: [String] {
      switch self {
      case .village: return RosterCSV.Column.village.aliases
      case .grid: return RosterCSV.Column.grid.aliases
      case .name: return ["场所", "名称", "单位名称", "店名", "场所名"]
      case .kind: return ["场所类别", "场所类型", "类型"]
      case .businessKind: return ["经营类型", "行业", "业态"]
      case .address: return ["场所地址", "详细地址", "住址"]
      case .responsiblePerson: return ["负责人", "消防安全责任人", "经营者", "业主"]
      case .responsiblePhone: return ["电话", "手机", "手机号", "联系方式", "责任人电话", "负责人电话"]
      case .floors: return ["楼层数", "建筑层数"]
      case .floorArea: return ["建筑面积(㎡)", "建筑面积(平方米)", "面积", "面积(㎡)"]
      case .peopleSleep: return ["住人", "是否有人住宿", "是否住宿"]
      case .sleepers: return ["住宿人员", "住人数", "夜间住宿人数"]
      case .householdNumber: return ["户号", "住户户号"]
      case .visitor: return ["走访责任人", "检查人", "包保人"]
      }
    }

    /// The columns a row cannot do without.
    public static let required: [Column] = [.village, .grid, .name, .kind]

    /// Code-like cells (kept as text in a workbook; spaces and apostrophes dropped on import).
    static let codes: Set<Column> = [.responsiblePhone, .householdNumber]
    /// Whole numbers (numbers in a workbook).
    static let numbers: Set<Column> = [.floors, .floorArea, .sleepers]

    /// Folded header → column, for every header and alias.
    static let byHeader: [String: Column] = {
      var table: [String: Column] = [:]
      for column in allCases {
        for text in [column.header] + column.aliases {
          table[RosterCSV.headerKey(text)] = column
        }
      }
      return table
    }()
  }

  /// 类别 cells: the labels, and the short words sheets use for them.
  static func kind(_ raw: String) -> PremisesKind? {
    switch raw {
    case "办公场所", "办公", "办公类", "机关单位", "办公场所(附件4)": return .office
    case "生产经营性场所", "生产经营场所", "经营性场所", "生产经营", "经营", "九小场所": return .business
    case "多合一场所", "多合一", "三合一", "三合一场所", "多合一(住人)": return .mixedUse
    default: return nil
    }
  }

  /// 经营类别 cells: the labels and a few common words for them; nil for an empty cell,
  /// `known` false for other text.
  static func businessKind(_ raw: String) -> (known: Bool, value: BusinessKind?) {
    if raw.isEmpty { return (true, nil) }
    if let kind = BusinessKind.allCases.first(where: { $0.label == raw }) { return (true, kind) }
    switch raw {
    case "商铺", "小卖部", "超市", "便利店", "百货": return (true, .shop)
    case "饭店", "餐馆", "小餐馆", "饮食": return (true, .restaurant)
    case "加工作坊", "小作坊", "加工厂": return (true, .workshop)
    case "农庄": return (true, .farmStay)
    case "旅馆", "宾馆", "民宿", "客栈", "小宾馆": return (true, .smallHotel)
    default: return (false, nil)
    }
  }

  /// A whole number cell (层数, 建筑面积, 住宿人数): nil for an empty cell, `known` false for
  /// text that is not one. Excel's "120.0" and a trailing ㎡ are accepted.
  static func wholeNumber(_ raw: String) -> (known: Bool, value: Int?) {
    var text = raw
    for unit in ["平方米", "㎡", "m2", "m²", "层", "人"] where text.hasSuffix(unit) {
      text = String(text.dropLast(unit.count)).trimmingCharacters(in: .whitespaces)
    }
    if text.isEmpty { return (raw.isEmpty, nil) }
    if let value = Int(text) { return (true, value) }
    if let value = Double(text), value == value.rounded(), abs(value) < 1e9 {
      return (true, Int(value))
    }
    return (false, nil)
  }

  /// Where each column is in the table.
  public struct Header: Equatable, Sendable {
    /// The spreadsheet row of the header (1 unless title rows come first).
    public var row: Int
    public var index: [Column: Int]
    /// Headers that are not premises columns (序号, 备注 ...): not imported.
    public var ignored: [String]
  }

  /// The first of the first ten rows that names 场所名称 and at least two other columns.
  static func findHeader(_ table: RosterCSV.Table) -> Result<Header, RosterCSV.RowProblem> {
    for (offset, cells) in table.rows.prefix(10).enumerated() {
      var index: [Column: Int] = [:]
      var ignored: [String] = []
      for (position, cell) in cells.enumerated() {
        let key = RosterCSV.headerKey(cell)
        guard !key.isEmpty else { continue }
        guard let column = Column.byHeader[key] else {
          ignored.append(cell.trimmingCharacters(in: .whitespaces))
          continue
        }
        if let earlier = index[column] {
          return .failure(
            RosterCSV.RowProblem(
              row: offset + 1,
              message: RosterCSVText.duplicateColumn(column.header, earlier + 1, position + 1)))
        }
        index[column] = position
      }
      guard index[.name] != nil, index.count >= 3 else { continue }
      let missing = Column.required.filter { index[$0] == nil }
      if !missing.isEmpty {
        return .failure(
          RosterCSV.RowProblem(
            row: offset + 1, message: RosterCSVText.missingColumns(missing.map(\.header))))
      }
      return .success(Header(row: offset + 1, index: index, ignored: ignored))
    }
    return .failure(RosterCSV.RowProblem(row: 1, message: PremisesCSVText.noHeader))
  }

  // MARK: Import

  /// What importing a table would do: the premises it adds, and every row it rejects. Nothing
  /// may be written unless `problems` is empty (all or nothing).
  public struct ImportPlan: Sendable {
    /// The town after the import: the town given, plus the new premises.
    public var town: TownData
    /// Premises not in the town yet, in the order of the file, with their new ids.
    public var newPremises: [Premises] = []
    /// Rows of premises already in the town exactly as the file has them: skipped.
    public var unchanged = 0
    /// Rejected rows, by row number; a row may have several problems.
    public var problems: [RosterCSV.RowProblem] = []
    public var ignoredColumns: [String] = []
    public var headerRow = 1
    /// Rows read after the header, blank rows not counted.
    public var dataRows = 0

    public var isAccepted: Bool { problems.isEmpty }
    public var rejectedRowCount: Int { Set(problems.map(\.row)).count }
    public var hasChanges: Bool { !newPremises.isEmpty }
  }

  /// Checks every row of `table` against `town` and plans the premises to add.
  ///
  /// A row names its village and grid by name (both must be on the roster: a premises sheet
  /// places premises, it does not make grids), the household living there by its 户号 in that
  /// village, and the visitor by name. Premises are matched by village and name: one already
  /// in the town is skipped when identical and rejected when it differs (an import adds, it
  /// does not edit). Every rule of `PremisesRules` applies; a name twice in one village of the
  /// file is rejected at its second row. New ids continue `PremisesRules.nextID`.
  public static func plan(_ table: RosterCSV.Table, into town: TownData) -> ImportPlan {
    var plan = ImportPlan(town: town)
    let header: Header
    switch findHeader(table) {
    case .success(let found): header = found
    case .failure(let problem):
      plan.problems = [problem]
      return plan
    }
    plan.headerRow = header.row
    plan.ignoredColumns = header.ignored

    let villagesByName = Dictionary(
      town.villages.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    var gridsByVillage: [String: [String: Grid]] = [:]
    for grid in town.grids { gridsByVillage[grid.villageID, default: [:]][grid.name] = grid }
    let villageOfGrid = Dictionary(
      town.grids.map { ($0.id, $0.villageID) }, uniquingKeysWith: { a, _ in a })
    var householdsByVillage: [String: [String: String]] = [:]
    for household in town.households {
      guard let villageID = villageOfGrid[household.gridID] else { continue }
      householdsByVillage[villageID, default: [:]][household.number] = household.id
    }
    let visitorsByName = Dictionary(grouping: town.visitors, by: \.name)
    var existingByVillage: [String: [String: Premises]] = [:]
    for premises in town.premises {
      guard let villageID = villageOfGrid[premises.gridID] else { continue }
      existingByVillage[villageID, default: [:]][premises.name] = premises
    }
    var seenInFile: [String: [String: Int]] = [:]
    var next = PremisesRules.nextID(in: town)

    for (offset, cells) in table.rows.enumerated().dropFirst(header.row) {
      let row = offset + 1
      func cell(_ column: Column) -> String {
        guard let position = header.index[column], position < cells.count else { return "" }
        return Column.codes.contains(column)
          ? RosterCSV.code(cells[position]) : RosterCSV.cleaned(cells[position])
      }
      guard Column.allCases.contains(where: { !cell($0).isEmpty }) else { continue }
      plan.dataRows += 1
      var problems: [String] = []
      let missing = Column.required.filter { cell($0).isEmpty }
      if !missing.isEmpty { problems.append(RosterCSVText.missingValues(missing.map(\.header))) }

      let villageName = cell(.village)
      let village = villagesByName[villageName]
      var grid: Grid?
      if let village {
        grid = gridsByVillage[village.id]?[cell(.grid)]
        if grid == nil, !cell(.grid).isEmpty {
          problems.append(PremisesCSVText.unknownGrid(villageName, cell(.grid)))
        }
      } else if !villageName.isEmpty {
        problems.append(PremisesCSVText.unknownVillage(villageName))
      }
      let kind = kind(cell(.kind))
      if kind == nil, !cell(.kind).isEmpty {
        problems.append(PremisesCSVText.unknownKind(cell(.kind)))
      }
      let business = businessKind(cell(.businessKind))
      if !business.known {
        problems.append(PremisesCSVText.unknownBusinessKind(cell(.businessKind)))
      }
      var numbers: [Column: Int] = [:]
      for column in [Column.floors, .floorArea, .sleepers] {
        let parsed = wholeNumber(cell(column))
        if !parsed.known {
          problems.append(PremisesCSVText.notANumber(column.header, cell(column)))
        }
        numbers[column] = parsed.value
      }
      let sleep = RosterCSV.yesNo(cell(.peopleSleep))
      if !sleep.known { problems.append(PremisesCSVText.unknownYesNo(cell(.peopleSleep))) }
      var householdID: String?
      let number = cell(.householdNumber)
      if !number.isEmpty, let village {
        householdID = householdsByVillage[village.id]?[number]
        if householdID == nil {
          problems.append(PremisesCSVText.unknownHousehold(villageName, number))
        }
      }
      var visitorID: String?
      let visitorName = cell(.visitor)
      if !visitorName.isEmpty {
        let matches = visitorsByName[visitorName] ?? []
        if matches.count == 1 {
          visitorID = matches[0].id
        } else if matches.isEmpty {
          problems.append(PremisesCSVText.unknownVisitor(visitorName))
        } else {
          problems.append(PremisesCSVText.ambiguousVisitor(visitorName, matches.count))
        }
      }
      let phone = cell(.responsiblePhone)
      guard problems.isEmpty, let grid, let kind else {
        plan.problems += problems.map { RosterCSV.RowProblem(row: row, message: $0) }
        continue
      }
      var premises = Premises(
        id: "", gridID: grid.id, name: cell(.name), kind: kind, businessKind: business.value,
        address: cell(.address), responsiblePerson: cell(.responsiblePerson),
        responsiblePhone: phone.isEmpty ? "" : PhoneNumber.normalized(phone),
        floors: numbers[.floors], floorArea: numbers[.floorArea], peopleSleep: sleep.value,
        sleepers: numbers[.sleepers], householdID: householdID, visitorID: visitorID)
      if let first = seenInFile[grid.villageID]?[premises.name] {
        plan.problems.append(
          RosterCSV.RowProblem(
            row: row, message: PremisesCSVText.sameNameInFile(premises.name, first)))
        continue
      }
      seenInFile[grid.villageID, default: [:]][premises.name] = row
      if let existing = existingByVillage[grid.villageID]?[premises.name] {
        premises.id = existing.id
        var stored = existing
        if !stored.responsiblePhone.isEmpty {
          stored.responsiblePhone = PhoneNumber.normalized(stored.responsiblePhone)
        }
        if premises == stored {
          plan.unchanged += 1
        } else {
          plan.problems.append(
            RosterCSV.RowProblem(
              row: row,
              message: PremisesCSVText.differs(
                premises.name, existing.id, differences(stored, premises))))
        }
        continue
      }
      premises.id = next
      let ruleProblems = PremisesRules.problems(premises, in: town)
      guard ruleProblems.isEmpty else {
        plan.problems += ruleProblems.map { RosterCSV.RowProblem(row: row, message: $0) }
        continue
      }
      plan.newPremises.append(premises)
      next = RosterEdit.nextID(prefix: "c", width: 5, existing: [next])
    }
    if plan.dataRows == 0, plan.problems.isEmpty {
      plan.problems.append(
        RosterCSV.RowProblem(row: header.row + 1, message: RosterCSVText.noDataRows))
    }
    if plan.isAccepted { plan.town.premises += plan.newPremises }
    return plan
  }

  /// The headers of the columns that differ between two premises.
  static func differences(_ old: Premises, _ new: Premises) -> [String] {
    var columns: [Column] = []
    if old.gridID != new.gridID { columns.append(.grid) }
    if old.kind != new.kind { columns.append(.kind) }
    if old.businessKind != new.businessKind { columns.append(.businessKind) }
    if old.address != new.address { columns.append(.address) }
    if old.responsiblePerson != new.responsiblePerson { columns.append(.responsiblePerson) }
    if old.responsiblePhone != new.responsiblePhone { columns.append(.responsiblePhone) }
    if old.floors != new.floors { columns.append(.floors) }
    if old.floorArea != new.floorArea { columns.append(.floorArea) }
    if old.peopleSleep != new.peopleSleep { columns.append(.peopleSleep) }
    if old.sleepers != new.sleepers { columns.append(.sleepers) }
    if old.householdID != new.householdID { columns.append(.householdNumber) }
    if old.visitorID != new.visitorID { columns.append(.visitor) }
    return columns.map(\.header)
  }

  // MARK: Export

  /// The premises' rows (cells, header first) in roster order: villages, their grids, each
  /// grid's premises as stored. Premises whose grid or village is missing are left out
  /// (`unplaceable`; `firegrid check` reports them).
  public static func rows(_ town: TownData) -> [[String]] {
    var rows = [Column.allCases.map(\.header)]
    var premisesByGrid: [String: [Premises]] = [:]
    for premises in town.premises { premisesByGrid[premises.gridID, default: []].append(premises) }
    var gridsByVillage: [String: [Grid]] = [:]
    for grid in town.grids { gridsByVillage[grid.villageID, default: []].append(grid) }
    let numbers = Dictionary(
      town.households.map { ($0.id, $0.number) }, uniquingKeysWith: { a, _ in a })
    let visitors = Dictionary(
      town.visitors.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    for village in town.villages {
      for grid in gridsByVillage[village.id] ?? [] {
        for premises in premisesByGrid[grid.id] ?? [] {
          rows.append(
            Column.allCases.map { column in
              switch column {
              case .village: return village.name
              case .grid: return grid.name
              case .name: return premises.name
              case .kind: return premises.kind.label
              case .businessKind: return premises.businessKind?.label ?? ""
              case .address: return premises.address
              case .responsiblePerson: return premises.responsiblePerson
              case .responsiblePhone: return premises.responsiblePhone
              case .floors: return premises.floors.map(String.init) ?? ""
              case .floorArea: return premises.floorArea.map(String.init) ?? ""
              case .peopleSleep: return premises.peopleSleep.map { $0 ? "是" : "否" } ?? ""
              case .sleepers: return premises.sleepers.map(String.init) ?? ""
              case .householdNumber: return premises.householdID.flatMap { numbers[$0] } ?? ""
              case .visitor: return premises.visitorID.flatMap { visitors[$0] } ?? ""
              }
            })
        }
      }
    }
    return rows
  }

  /// The premises as CSV text (`rows`), CRLF line ends, cells quoted only when needed.
  public static func export(_ town: TownData) -> String {
    rows(town).map { $0.map(RosterCSV.quoted).joined(separator: ",") }.joined(separator: "\r\n")
      + "\r\n"
  }

  /// Premises `export` leaves out because their grid, or the grid's village, is missing.
  public static func unplaceable(_ town: TownData) -> [Premises] {
    let villageIDs = Set(town.villages.map(\.id))
    let placedGrids = Set(town.grids.filter { villageIDs.contains($0.villageID) }.map(\.id))
    return town.premises.filter { !placedGrids.contains($0.gridID) }
  }

  /// The sheet the workbook export writes.
  public static let sheetName = "场所"

  /// The premises as a workbook: the cells of `rows`, 联系电话 and 所在户号 as text, 层数,
  /// 建筑面积 and 住宿人数 as numbers, the header bold and frozen.
  public static func workbook(_ town: TownData) -> Workbook {
    let rows = rows(town)
    let columns = Column.allCases
    var cells: [[Workbook.Cell]] = [rows[0].map { .text($0) }]
    for row in rows.dropFirst() {
      cells.append(
        zip(columns, row).map { column, text in
          if text.isEmpty { return .empty }
          if Column.codes.contains(column) { return .code(text) }
          if Column.numbers.contains(column), let value = Double(text) { return .number(value) }
          return .text(text)
        })
    }
    let widths = columns.indices.map { index in
      let widest = rows.prefix(500).map { RosterXLSX.displayWidth($0[index]) }.max()
      return Double(min(max(widest ?? 0, 4), 40) + 2)
    }
    return Workbook(sheets: [
      Workbook.Sheet(
        name: sheetName, rows: cells, columnWidths: widths, headerRow: 0, frozenRows: 1)
    ])
  }
}

/// The premises import's words.
enum PremisesCSVText {
  static var noHeader: String {
    "找不到表头：前10行中没有一行含有「场所名称」等列名。第一行应为："
      + PremisesCSV.Column.allCases.map(\.header).joined(separator: ",")
  }
  static func unknownVillage(_ name: String) -> String {
    "村（社区）「\(name)」不在名册上：请先导入花名册或在程序中添加"
  }
  static func unknownGrid(_ village: String, _ grid: String) -> String {
    "网格「\(grid)」不在「\(village)」的名册上"
  }
  static func unknownKind(_ value: String) -> String {
    "类别「\(value)」无法识别，应为 办公场所、生产经营性场所 或 多合一场所"
  }
  static func unknownBusinessKind(_ value: String) -> String {
    "经营类别「\(value)」无法识别，应为 "
      + BusinessKind.allCases.map(\.label).joined(separator: "、") + " 之一"
  }
  static func notANumber(_ header: String, _ value: String) -> String {
    "\(header)「\(value)」应为整数"
  }
  static func unknownYesNo(_ value: String) -> String { "是否住人「\(value)」无法识别，应为 是、否 或留空" }
  static func unknownHousehold(_ village: String, _ number: String) -> String {
    "所在户号 \(number) 在「\(village)」的名册上没有"
  }
  static func unknownVisitor(_ name: String) -> String { "走访人「\(name)」不在名册上" }
  static func ambiguousVisitor(_ name: String, _ count: Int) -> String {
    "名册上有 \(count) 名走访人叫「\(name)」，无法确定是哪一位：请导入后在程序中指定"
  }
  static func sameNameInFile(_ name: String, _ row: Int) -> String {
    "场所「\(name)」与第\(row)行同名（同一村（社区）的场所名称不能重复）"
  }
  static func differs(_ name: String, _ id: String, _ columns: [String]) -> String {
    "本村（社区）已有场所「\(name)」（\(id)），与表中不同（\(columns.joined(separator: "、"))）："
      + "导入只新增，不修改已有场所；请在程序中修改"
  }
  static func auditSummary(_ source: String, added: Int) -> String {
    "导入场所 \(source)：新增 \(added) 处"
  }
}

/// Imports a premises spreadsheet into a town's data folder: planned against the town as it is
/// (`PremisesCSV.plan`), written only when no row is rejected — all or nothing, as one change
/// in the journal (`TownStore.savePremises(_:importedFrom:)`). A rejected file or a dry run
/// touches nothing in the folder, not even the lock file.
public enum PremisesImport {
  /// What `run` did.
  public struct Outcome: Sendable {
    public var plan: PremisesCSV.ImportPlan
    /// Whether anything was written.
    public var wrote: Bool
  }

  public static func run(
    table: RosterCSV.Table, into folder: DataFolder, operatorName: String, dryRun: Bool,
    source: String, clock: TownStore.Clock = .system
  ) throws(RosterImport.Failure) -> Outcome {
    switch folder.state {
    case .foreign: throw .foreignFolder(path: folder.url.path)
    case .empty: throw .store(.noTown(path: folder.url.path))
    case .town: break
    }
    func planned(_ town: TownData, damaged: [DamagedFile]) throws(RosterImport.Failure)
      -> PremisesCSV.ImportPlan
    {
      // Damaged households or premises: duplicates and 户号 cannot be checked against them.
      if !damaged.isEmpty { throw .damagedFiles(damaged.map(\.relativePath)) }
      return PremisesCSV.plan(table, into: town)
    }
    let report: LoadReport
    do {
      report = try folder.loadReport()
    } catch {
      throw .store(error)
    }
    let checked = try planned(report.town, damaged: report.damaged)
    guard checked.isAccepted, checked.hasChanges, !dryRun else {
      return Outcome(plan: checked, wrote: false)
    }
    let store: TownStore
    do {
      store = try TownStore.open(folder: folder, operatorName: operatorName, clock: clock)
    } catch {
      throw .store(error)
    }
    defer { store.close() }
    if case .readOnly(let holder) = store.folderAccess { throw .store(.readOnly(holder: holder)) }
    // Planned again under the lock, against the town as the store loaded it.
    let plan = try planned(store.town, damaged: store.damagedFiles)
    guard plan.isAccepted, plan.hasChanges else { return Outcome(plan: plan, wrote: false) }
    do {
      try store.savePremises(plan.newPremises, importedFrom: source)
    } catch {
      throw .store(error)
    }
    return Outcome(plan: plan, wrote: true)
  }
}
