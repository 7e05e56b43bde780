import FiregridModel
import FiregridRepository
import TerminalUI

/// 场所档案 (`h` on a premises): one premises on one scrolling page — its facts, every
/// inspection of the winter with its answers (a grid of the form's items × dates, then one
/// line per inspection), every hazard with its events, and the audit lines of the premises,
/// its inspections and hazards. The responsible person's phone is masked until `m`.
struct PremisesHistoryScreen {
  let premisesID: String
  /// The premises' audit entries, read by the runner when the screen opened.
  let auditEntries: [HistoryEntry]
  private(set) var lines: [(text: String, style: Style)] = []
  private(set) var offset = 0
  private(set) var reveal = false

  init(premisesID: String, auditEntries: [HistoryEntry], context: WorkContext) {
    self.premisesID = premisesID
    self.auditEntries = auditEntries
    lines = Self.lines(premisesID, audit: auditEntries, context: context, reveal: false)
  }

  mutating func scroll(_ key: Key, pageSize: Int) {
    let last = max(0, lines.count - pageSize)
    switch key {
    case .down, .character("j"): offset = min(last, offset + 1)
    case .up, .character("k"): offset = max(0, offset - 1)
    case .pageDown, .character(" "): offset = min(last, offset + pageSize)
    case .pageUp: offset = max(0, offset - pageSize)
    case .home, .character("g"): offset = 0
    case .end, .character("G"): offset = last
    default: break
    }
  }

  static func lines(
    _ premisesID: String, audit: [HistoryEntry], context: WorkContext, reveal: Bool
  ) -> [(text: String, style: Style)] {
    let index = context.index
    let forms = context.forms
    guard let premises = index.premisesByID[premisesID] else {
      return [(PremisesScreenText.premisesGone, .error)]
    }
    var out: [(text: String, style: Style)] = []
    func heading(_ text: String) {
      if !out.isEmpty { out.append(("", .plain)) }
      out.append((text, .title))
    }
    let (village, grid) = index.place(ofGrid: premises.gridID)
    out.append(
      (
        PremisesScreenText.historyTitle(
          village, grid, premises.name, PremisesScreenText.kindLong(premises)), .title
      ))
    for line in RosterScreen.premisesInfo(
      premises, index: index, today: context.today, reveal: reveal
    ).dropFirst().dropLast() {
      out.append((line, .plain))
    }

    let record = index.data.inspectionRecord(of: premisesID)
    let winterVisits = record.visits.filter { context.campaign.covers($0.date) }
    let otherWinters = record.visits.count - winterVisits.count
    heading(PremisesScreenText.historyInspections(winterVisits.count) + " " + context.campaign.name)
    if otherWinters > 0 { out.append(("  " + VisitText.otherWinterVisits(otherWinters), .muted)) }
    if winterVisits.isEmpty {
      out.append(("  " + PremisesScreenText.noInspectionsYet, .muted))
    } else {
      out += HistoryScreen.answerGrid(
        winterVisits, forms: forms, current: forms.current(for: premises.formSubject),
        labelWidth: 24, maxVisits: 8)
      out.append(("", .plain))
      for visit in winterVisits.reversed() {
        var visitor = index.visitorByID[visit.visitorID ?? ""]?.name ?? VisitText.visitorNotOnRoster
        if let responsible = visit.standInFor {
          visitor +=
            "（" + PremisesScreenText.standIn(index.visitorByID[responsible]?.name ?? responsible)
            + "）"
        }
        guard let form = forms.definition(for: visit) else {
          out.append(("  \(visit.date)  " + ModelText.formUnknown(visit.formID), .error))
          continue
        }
        let problems = form.sections.flatMap { section in
          section.items.filter { visit.answers[$0.id] == .no }.map {
            "\($0.label)\(section.kind == .hazard ? "" : Answer.no.label(for: section.kind))"
          }
        }
        let summary = problems.isEmpty ? VisitText.allClear : problems.joined(separator: "、")
        var text = "  \(visit.date)  \(visitor)  \(summary)"
        if !visit.signed { text += "  " + PremisesScreenText.notSigned }
        if !visit.notes.isEmpty { text += "  " + VisitText.notesLabel(visit.notes) }
        out.append((text, problems.isEmpty ? .plain : .warning))
      }
    }

    heading(VisitText.historyHazards(record.hazards.count))
    if record.hazards.isEmpty { out.append(("  " + VisitText.noHazards, .muted)) }
    for hazard in record.hazards {
      let state = hazard.state(on: context.today)
      out.append(
        (
          "  \(forms.label(of: hazard, in: record))：\(hazard.description)  "
            + VisitText.hazardLine(hazard.foundOn, hazard.deadline, state.label),
          state == .overdue ? .error : (state == .closed ? .plain : .warning)
        ))
      for event in hazard.events {
        var text = "      \(event.date)  \(event.kind.label)"
        if let deadline = event.deadline { text += VisitText.deadlineSuffix(deadline) }
        if !event.note.isEmpty { text += "  \(event.note)" }
        if let visitID = event.visitID { text += "  [\(visitID)]" }
        out.append((text, .muted))
      }
    }

    heading(VisitText.historyAudit(audit.count))
    if audit.isEmpty { out.append(("  " + VisitText.noAudit, .muted)) }
    for entry in audit.reversed() {
      out.append(("  " + auditLine(entry, reveal: reveal), .plain))
    }
    return out
  }

  /// An audit line of a premises or its inspections, in words; a hazard's as the household's.
  static func auditLine(_ entry: HistoryEntry, reveal: Bool) -> String {
    let change = entry.change
    let parts = change.record.split(separator: "/", maxSplits: 1).map(String.init)
    let id = parts.count > 1 ? parts[1] : change.record
    let what: String
    switch parts.first {
    case "inspection":
      what =
        change.after == nil
        ? PremisesScreenText.auditInspectionRemoved(id)
        : (change.before == nil
          ? PremisesScreenText.auditInspectionAdded(id)
          : PremisesScreenText.auditInspectionChanged(id))
    case "premises":
      let field = PremisesScreenText.fieldLabel(change.field)
      if change.field == "*" {
        what =
          change.before == nil
          ? PremisesScreenText.auditPremisesAdded : PremisesScreenText.auditPremisesRemoved
      } else if change.field == "responsiblePhone" && !reveal {
        what = VisitText.auditFieldChangedMasked(field)
      } else {
        what = VisitText.auditFieldChanged(field, change.before ?? "", change.after ?? "")
      }
    default:
      return HistoryScreen.auditLine(entry, reveal: reveal)
    }
    let time = entry.time.prefix(16).replacingOccurrences(of: "T", with: " ")
    return "\(time)  \(entry.operatorName)  \(what)"
  }
}

extension PremisesHistoryScreen: Overlay {
  enum Action { case scroll, reveal, correct, takeBack, close }

  static let keymap = Keymap<Action>([
    (ListKeys.move, .scroll),
    (
      KeyBinding([.pageUp, .pageDown, .character(" ")], "PgUp/PgDn", AppText.keyPage), .scroll
    ),
    (KeyBinding([.character("m")], "m", AppText.keyReveal), .reveal),
    (KeyBinding([.character("E")], "E", PremisesScreenText.keyCorrect), .correct),
    (KeyBinding([.character("X")], "X", PremisesScreenText.keyTakeBack), .takeBack),
    (KeyBinding([.escape, .character("q"), .character("h")], "Esc", AppText.keyBack), .close),
    (ListKeys.firstLast, .scroll),
  ])

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    switch Self.keymap.action(for: key) {
    case nil: return []
    case .close?: return [.dismiss]
    case .scroll?:
      scroll(key, pageSize: max(1, context.contentRows - 2))
      return []
    case .reveal?:
      if !reveal, !context.isWritable { return [.error(AppText.revealNeedsAudit)] }
      reveal.toggle()
      lines = Self.lines(
        premisesID, audit: auditEntries, context: context.workContext, reveal: reveal)
      guard reveal else { return [.info(AppText.revealHint)] }
      return [
        .info(AppText.revealedWarning), .run(.recordAccess(record: "premises/\(premisesID)")),
      ]
    case .correct?, .takeBack?:
      if let refused = context.refusesChanges { return [refused] }
      let correct = key == .character("E")
      let visits = context.index.data.inspectionRecord(of: premisesID).visits
      guard !visits.isEmpty else {
        return [
          .error(correct ? PremisesScreenText.nothingToCorrect : PremisesScreenText.nothingToUndo)
        ]
      }
      let action: VisitAction = correct ? .correct : .takeBack
      if visits.count == 1 {
        return ChooseVisitOverlay.act(
          action, on: visits[0].id, subjectID: premisesID, back: self, in: context)
      }
      return [
        .present(
          ChooseVisitOverlay(
            visits: visits, action: action, subjectID: premisesID, back: self, context))
      ]
    }
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let area = area.body
    buffer.fill(area, style: .plain)
    let (body, footer) = area.splitBottom(1)
    for (row, line) in lines.dropFirst(offset).prefix(body.height).enumerated() {
      buffer.write(
        line.text, x: body.x + 1, y: body.y + row, maxWidth: body.width - 2, style: line.style)
    }
    let position =
      "\(min(lines.count, offset + 1))-\(min(lines.count, offset + body.height))/\(lines.count)"
    buffer.write(PremisesScreenText.historyFooter, x: footer.x + 1, y: footer.y, style: .muted)
    buffer.write(
      position, x: footer.maxX - position.displayWidth - 1, y: footer.y, style: .muted)
    return nil
  }
}

extension PremisesScreenText {
  static let premisesGone = "该场所已不在名册中。"
  static func historyTitle(_ village: String, _ grid: String, _ name: String, _ kind: String)
    -> String
  {
    "场所档案  \(village) \(grid) \(name)（\(kind)）"
  }
  static func historyInspections(_ n: Int) -> String { "检查记录（\(n) 次）" }
  static let noInspectionsYet = "尚无检查记录。"
  static func standIn(_ responsible: String) -> String { "代 \(responsible) 检查" }
  static let notSigned = "负责人未签字"
  static let historyFooter = "负责人电话已隐藏，按 m 显示"
  static let keyCorrect = "修改一次检查"
  static let keyTakeBack = "撤销一次检查"
  static let nothingToCorrect = "该场所尚无检查记录"
  static let nothingToUndo = "没有可撤销的检查"
  static func auditInspectionAdded(_ id: String) -> String { "录入检查 \(id)" }
  static func auditInspectionChanged(_ id: String) -> String { "修改检查 \(id)" }
  static func auditInspectionRemoved(_ id: String) -> String { "撤销检查 \(id)" }
  static let auditPremisesAdded = "建档"
  static let auditPremisesRemoved = "归档"

  /// The premises' fields as the audit log names them, in words.
  static func fieldLabel(_ field: String) -> String {
    switch field {
    case "gridID": return "网格"
    case "name": return fieldName
    case "kind": return fieldKind
    case "businessKind": return fieldBusiness
    case "address": return fieldAddress
    case "responsiblePerson": return fieldPerson
    case "responsiblePhone": return EditText.phone
    case "floors": return fieldFloors
    case "floorArea": return fieldArea
    case "peopleSleep": return fieldSleep
    case "sleepers": return fieldSleepers
    case "householdID": return "所在户"
    case "visitorID": return EditText.visitor
    default: return field
    }
  }
}

extension PremisesScreenText {
  static let inspectorNotOnRoster = "场所检查请选名册上的检查人；名册外人员请先在走访人名单（V）中新增"
  static let formMissing = "缺少场所排查表定义（Resources/Data/forms/），无法录入检查"
  static let recordDamaged = "该场所的检查档案文件损坏，请先按 D 从备份恢复"
  static func inspectionSaved(_ name: String, _ hazards: Int) -> String {
    "已保存 \(name) 的检查" + (hazards > 0 ? "，发现隐患 \(hazards) 处" : "") + "（U 撤销）"
  }
  static func nextPremises(_ name: String) -> String { "；下一处 \(name)" }
  static let gridFinished = "；本网格的场所已录到最后一处"
  static func undone(_ id: String) -> String { "已撤销检查 \(id)" }
}
