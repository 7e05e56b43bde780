import FiregridModel
import TerminalUI

/// 场所 in the roster: the premises list of a village or a grid (`P`), and one premises — its
/// facts, the household living there, its inspections and open hazards. Levels of
/// `RosterScreen`'s stack; their keys are in `RosterScreen.keymap`.
extension RosterScreen {
  /// Whose premises a list shows.
  enum PremisesScope: Equatable {
    case village(String)
    case grid(String)
  }

  /// The premises a premises level is about: the one shown, or the selected row's.
  var premisesInView: String? {
    switch current.level {
    case .onePremises(let premisesID): return premisesID
    case .premisesList: return selectedID
    default: return nil
    }
  }

  static func premisesListFrame(
    _ scope: PremisesScope, index: RosterIndex, today: CivilDate, reveal: Bool
  ) -> (columns: [TableColumn], rows: [[String]], ids: [String], styles: [Int: Style]) {
    let list: [Premises]
    switch scope {
    case .village(let villageID): list = index.premises(inVillage: villageID)
    case .grid(let gridID): list = index.premises(in: gridID)
    }
    let round = index.data.campaign(on: today).workingRound(on: today)
    var rows: [[String]] = []
    var ids: [String] = []
    var styles: [Int: Style] = [:]
    for premises in list {
      let record = index.data.premisesRecords[premises.id]
      let inRound = round.flatMap { round in record?.visits.last { round.contains($0.date) } }
      let open = record?.openHazards(on: today).count ?? 0
      if open > 0 { styles[rows.count] = .warning }
      rows.append([
        premises.name, PremisesScreenText.kindShort(premises),
        index.gridByID[premises.gridID]?.name ?? "", premises.responsiblePerson,
        reveal ? premises.responsiblePhone : PhoneNumber.masked(premises.responsiblePhone),
        premises.floors.map { "\($0)" } ?? "", PremisesScreenText.sleeping(premises),
        premises.visitorID.flatMap { index.visitorByID[$0]?.name } ?? AppText.none,
        inRound.map { PremisesScreenText.inspectedOn($0.date) }
          ?? (round == nil ? "" : PremisesScreenText.notInspected),
      ])
      ids.append(premises.id)
    }
    return (
      [
        TableColumn(PremisesScreenText.columnName, width: 12),
        TableColumn(PremisesScreenText.columnKind, width: 10),
        TableColumn(AppText.columnGrid, width: 7),
        TableColumn(PremisesScreenText.columnResponsible, width: 6),
        TableColumn(PremisesScreenText.columnPhone, width: 11),
        TableColumn(PremisesScreenText.columnFloors, width: 4, alignment: .right),
        TableColumn(PremisesScreenText.columnSleeping, width: 4),
        TableColumn(AppText.columnVisitor, width: 6),
        TableColumn(PremisesScreenText.columnThisRound, width: 10),
      ], rows, ids, styles
    )
  }

  /// One premises' table: its inspections (newest first), then its open hazards.
  static func onePremisesFrame(
    _ premisesID: String, index: RosterIndex, forms: FormRegistry, today: CivilDate
  ) -> (columns: [TableColumn], rows: [[String]], ids: [String], styles: [Int: Style]) {
    let record = index.data.inspectionRecord(of: premisesID)
    var rows: [[String]] = []
    var ids: [String] = []
    var styles: [Int: Style] = [:]
    for visit in record.visits.reversed() {
      let found = record.hazards.filter { $0.foundInVisit == visit.id }.count
      rows.append([
        visit.date.description, PremisesScreenText.rowInspection,
        (visit.visitorID.flatMap { index.visitorByID[$0]?.name } ?? VisitText.visitorNotOnRoster)
          + "  " + (found == 0 ? VisitText.allClear : PremisesScreenText.hazardsFound(found)),
        visit.signed ? "" : VisitText.notSigned,
      ])
      ids.append(visit.id)
    }
    for hazard in record.openHazards(on: today) {
      let state = hazard.state(on: today)
      styles[rows.count] = state == .overdue ? .error : .warning
      rows.append([
        hazard.foundOn.description, PremisesScreenText.rowHazard,
        "\(forms.label(of: hazard, in: record))：\(hazard.description)",
        PremisesScreenText.hazardState(state.label, hazard.deadline),
      ])
      ids.append(hazard.id)
    }
    return (
      [
        TableColumn(PremisesScreenText.columnDate, width: 10),
        TableColumn(PremisesScreenText.columnWhat, width: 4),
        TableColumn(PremisesScreenText.columnDetail, width: 42),
        TableColumn(VisitText.columnState, width: 16),
      ], rows, ids, styles
    )
  }

  /// The lines over one premises' table: what it is, who answers for it, who lives there.
  static func premisesInfo(
    _ premises: Premises, index: RosterIndex, today: CivilDate, reveal: Bool
  ) -> [String] {
    let (village, grid) = index.place(ofGrid: premises.gridID)
    let household = premises.householdID.flatMap { index.householdByID[$0] }
    let phone =
      reveal ? premises.responsiblePhone : PhoneNumber.masked(premises.responsiblePhone)
    let round = index.data.campaign(on: today).workingRound(on: today)
    let record = index.data.inspectionRecord(of: premises.id)
    let inRound = round.flatMap { round in record.visits.last { round.contains($0.date) } }
    return [
      PremisesScreenText.infoKind(PremisesScreenText.kindLong(premises), village + grid),
      PremisesScreenText.infoAddress(premises.address, premises.responsiblePerson, phone),
      PremisesScreenText.infoBuilding(
        premises.floors, premises.floorArea, PremisesScreenText.sleepingLong(premises),
        household.map { "\($0.number) \($0.head?.name ?? "")" },
        premises.visitorID.flatMap { index.visitorByID[$0]?.name } ?? AppText.none),
      PremisesScreenText.infoRound(
        inRound?.date, record.openHazards(on: today).count),
    ]
  }
}

/// The words of 场所 in the roster, the forms and the lists.
enum PremisesScreenText {
  static let key = "场所"
  static let keyInspect = "录入检查"
  static let keyHistory = "场所档案"
  static let keyArchive = "归档"
  static let keyMove = "移到其他网格"
  static let keyImport = "导入场所"
  static let keyPending = "场所检查"
  static let keySaveNext = "保存并录下一处"
  static func statsPremises(_ offices: Int, _ businesses: Int, _ mixedUse: Int) -> String {
    "场所（办公\(offices) 经营\(businesses) 多合一\(mixedUse)）"
  }
  static let statsInspectedInRound = "本轮已检查场所"
  static let statsHazardsOpen = "场所隐患未销号"
  static let columnHeadOrPremises = "户主/场所"
  static let columnLastInspection = "上次检查"
  static let neverInspected = "从未检查"
  static func titlePending(_ round: String) -> String { "本轮未检查的场所（住人的在前）  \(round)" }

  static let columnName = "名称"
  static let columnKind = "类别"
  static let columnResponsible = "责任人"
  static let columnPhone = "电话"
  static let columnFloors = "层数"
  static let columnSleeping = "住人"
  static let columnThisRound = "本轮"
  static let columnDate = "日期"
  static let columnWhat = "事项"
  static let columnDetail = "内容"

  static let rowInspection = "检查"
  static let rowHazard = "隐患"
  static let notInspected = "未查"
  static func inspectedOn(_ date: CivilDate) -> String { "已查 \(date.monthDay)" }
  static func hazardsFound(_ n: Int) -> String { "发现隐患 \(n) 处" }
  static func hazardState(_ state: String, _ deadline: CivilDate) -> String {
    "\(state) 限\(deadline.monthDay)"
  }

  static func listTitle(_ place: String) -> String { "\(place)场所" }
  static let noPremises = "尚无场所。按 a 新增，或按 I 导入场所表格。"
  static let noInspections = "尚无检查记录。按 Enter 或 n 录入检查。"

  /// 类别 in a list: the business kind (商店), 多合一 and its business, or 办公.
  static func kindShort(_ premises: Premises) -> String {
    switch premises.kind {
    case .office: return "办公"
    case .business: return premises.businessKind?.label ?? "经营"
    case .mixedUse: return "多合一" + (premises.businessKind?.label ?? "")
    }
  }

  /// 生产经营性场所·商店
  static func kindLong(_ premises: Premises) -> String {
    premises.kind.label + (premises.businessKind.map { "·\($0.label)" } ?? "")
  }

  static func sleeping(_ premises: Premises) -> String {
    switch premises.peopleSleep {
    case true?: return premises.sleepers.map { "\($0)人" } ?? "是"
    case false?: return "否"
    case nil: return ""
    }
  }

  static func sleepingLong(_ premises: Premises) -> String {
    switch premises.peopleSleep {
    case true?: return premises.sleepers.map { "是（\($0)人）" } ?? "是"
    case false?: return "否"
    case nil: return "未问"
    }
  }

  static func infoKind(_ kind: String, _ place: String) -> String { "类别 \(kind)   网格 \(place)" }
  static func infoAddress(_ address: String, _ person: String, _ phone: String) -> String {
    "地址 \(address.isEmpty ? "-" : address)   责任人 \(person.isEmpty ? "-" : person)"
      + (phone.isEmpty ? "" : " \(phone)")
  }
  static func infoBuilding(
    _ floors: Int?, _ area: Int?, _ sleeping: String, _ household: String?, _ visitor: String
  ) -> String {
    "层数 \(floors.map { "\($0)" } ?? "-")   面积 \(area.map { "\($0)㎡" } ?? "-")   住人 \(sleeping)"
      + "   所在户 \(household ?? "-")   走访人 \(visitor)"
  }
  static func infoRound(_ inspected: CivilDate?, _ open: Int) -> String {
    (inspected.map { "本轮 \($0.monthDay) 已检查" } ?? "本轮未检查")
      + (open > 0 ? "，未销号隐患 \(open) 处" : "") + "   Enter/n 录入检查  h 场所档案"
  }
}
