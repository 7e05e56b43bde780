import FiregridModel
import FiregridRepository
import TerminalUI

/// 户档案 for inspectors: one household on one scrolling page — members and their flags,
/// every visit with its answers over time (a grid of items × visit dates, then one line per
/// visit), every hazard with its events, the grid's weekly contact, and the audit entries of
/// the household, its visits and its hazards (who entered or changed what, when). ID numbers,
/// phones and health flags are masked until `m`.
struct HistoryScreen {
  let householdID: String
  /// The household's audit entries, read by the runner when the screen opened.
  let auditEntries: [HistoryEntry]
  private(set) var lines: [(text: String, style: Style)] = []
  private(set) var offset = 0
  private(set) var reveal = false

  init(householdID: String, auditEntries: [HistoryEntry], context: WorkContext) {
    self.householdID = householdID
    self.auditEntries = auditEntries
    lines = Self.lines(householdID, audit: auditEntries, context: context, reveal: false)
  }

  /// Moves the page: j/k a line, PgUp/PgDn (or space) a page, g/G the ends.
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

  /// `m`: ID numbers, phones and health flags in full, or masked again.
  mutating func toggleReveal(context: WorkContext) {
    reveal.toggle()
    lines = Self.lines(householdID, audit: auditEntries, context: context, reveal: reveal)
  }

  func render(into buffer: inout ScreenBuffer, area: Rect) {
    buffer.fill(area, style: .plain)
    let (body, footer) = area.splitBottom(1)
    for (row, line) in lines.dropFirst(offset).prefix(body.height).enumerated() {
      buffer.write(
        line.text, x: body.x + 1, y: body.y + row, maxWidth: body.width - 2, style: line.style)
    }
    let position =
      "\(min(lines.count, offset + 1))-\(min(lines.count, offset + body.height))/\(lines.count)"
    buffer.write(VisitText.historyFooter, x: footer.x + 1, y: footer.y, style: .muted)
    buffer.write(
      position, x: footer.maxX - position.displayWidth - 1, y: footer.y, style: .muted)
  }

  // MARK: The page

  static func lines(
    _ householdID: String, audit: [HistoryEntry], context: WorkContext, reveal: Bool
  ) -> [(text: String, style: Style)] {
    let index = context.index
    let forms = context.forms
    guard let household = index.householdByID[householdID] else {
      return [(VisitText.householdGone, .error)]
    }
    var out: [(text: String, style: Style)] = []
    func heading(_ text: String) {
      if !out.isEmpty { out.append(("", .plain)) }
      out.append((text, .title))
    }
    let grid = index.gridByID[household.gridID]
    out.append(
      (
        VisitText.historyTitle(
          index.villageName(ofGrid: grid), grid?.name ?? "", household.number,
          household.head?.name ?? ""), .title
      ))
    out.append(
      (
        VisitText.historyHousehold(
          household.address, index.visitorName(household) ?? AppText.none,
          grid.flatMap { index.gridLeader($0)?.name } ?? AppText.none), .plain
      ))

    heading(VisitText.historyMembers(household.persons.count))
    for person in household.persons {
      let age = IDNumber.age(of: person.idNumber, on: context.today).map {
        "\($0)\(AppText.yearsOld)"
      }
      let parts = [
        person.name, person.relation, person.sex?.label ?? "", age ?? "",
        reveal ? person.idNumber : IDNumber.masked(person.idNumber),
        reveal ? person.phone : PhoneNumber.masked(person.phone),
        RosterScreen.groupSummary(person.groups, reveal: reveal),
      ].filter { !$0.isEmpty }
      out.append(("  " + parts.joined(separator: "  "), person.groups.isEmpty ? .plain : .warning))
    }

    let record = index.data.visitRecord(of: householdID)
    // The winter being worked on (Y chooses another): its visits, and how many are in
    // other winters, so dates in the grid never mix winters.
    let winterVisits = record.visits.filter { context.campaign.covers($0.date) }
    let otherWinters = record.visits.count - winterVisits.count
    heading(VisitText.historyVisits(winterVisits.count) + " " + context.campaign.name)
    if otherWinters > 0 { out.append(("  " + VisitText.otherWinterVisits(otherWinters), .muted)) }
    if winterVisits.isEmpty {
      out.append(("  " + VisitText.noVisitsYet, .muted))
    } else {
      out += answerGrid(winterVisits, forms: forms)
      out.append(("", .plain))
      for visit in winterVisits.reversed() {
        var visitor = index.visitorByID[visit.visitorID ?? ""]?.name ?? VisitText.visitorNotOnRoster
        if let responsible = visit.standInFor {
          visitor +=
            "（" + VisitText.standInLabel(index.visitorByID[responsible]?.name ?? responsible)
            + "）"
        }
        // Each visit is read with the form it was entered on.
        guard let form = forms.definition(for: visit) else {
          out.append(("  \(visit.date)  " + ModelText.formUnknown(visit.formID), .error))
          continue
        }
        let problems = form.sections.flatMap { section in
          section.items.filter { visit.answers[$0.id] == .no }.map {
            "\($0.label)\(Answer.no.label(for: section.kind))"
          }
        }
        let summary = problems.isEmpty ? VisitText.allClear : problems.joined(separator: "、")
        var text = "  \(visit.date)  \(visitor)  \(VisitText.met(visit.personsMet))  \(summary)"
        // House facts (房屋结构 砖木 …) in the option's words.
        let facts = form.items(of: .choice).compactMap { item in
          visit.answers[item.id].map { "\(item.label) \(form.answerLabel($0, item: item.id))" }
        }
        if !facts.isEmpty { text += "  " + facts.joined(separator: "、") }
        if !visit.signed { text += "  " + VisitText.notSigned }
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

    // 督查's spot checks of the household, each against the visit records.
    let checks = index.data.supervision.spotChecks(ofHousehold: householdID)
    if !checks.isEmpty {
      heading(VisitText.historySpotChecks(checks.count))
      for check in checks.reversed() {
        let comparison = Supervision.compare(check, campaign: context.campaign, town: index.data)
        let flags = comparison.flags.map { $0.label(form: forms.current) }
        out.append(
          (
            "  " + VisitText.spotCheckLine(check.date, check.round, check.inspector, flags),
            comparison.contradictsRecords ? .error : .plain
          ))
      }
    }

    let logs = index.data.contactLogs[household.gridID] ?? []
    heading(VisitText.historyContacts(grid?.name ?? ""))
    if logs.isEmpty { out.append(("  " + VisitText.noContacts, .muted)) }
    for log in logs.reversed() {
      out.append(
        (
          "  " + VisitText.contactLine(log.week, log.contacted, log.riskReport),
          log.contacted ? .plain : .warning
        ))
    }

    heading(VisitText.historyAudit(audit.count))
    if audit.isEmpty { out.append(("  " + VisitText.noAudit, .muted)) }
    for entry in audit.reversed() {
      out.append(("  " + auditLine(entry, reveal: reveal), .plain))
    }
    return out
  }

  /// Items down, visits across (latest on the right), answers as 是/否/有/无/- and a
  /// choice's option label (砖木, 2层). Rows are the current form's items (the residential
  /// form's, or `current`: a premises' form), then any item only an older version had; each
  /// answer is read with the form its visit was entered on.
  /// A premises' items are longer: it passes a wider `labelWidth` and fewer `maxVisits`.
  static func answerGrid(
    _ visits: [Visit], forms: FormRegistry, current: VisitForm? = nil, labelWidth: Int = 14,
    maxVisits: Int = 9
  ) -> [(text: String, style: Style)] {
    let shown = Array(visits.suffix(maxVisits))
    let definitions = shown.map { forms.definition(for: $0) }
    var rows: [(item: VisitForm.Item, kind: VisitForm.SectionKind)] = []
    var seen = Set<String>()
    for form in [current ?? forms.current] + definitions {
      for section in form?.sections ?? [] {
        for item in section.items where seen.insert(item.id).inserted {
          rows.append((item, section.kind))
        }
      }
    }
    var out: [(text: String, style: Style)] = []
    var header = "  " + VisitText.itemColumn.fitted(columns: labelWidth, ellipsis: false)
    for visit in shown { header += " " + visit.date.monthDay }
    out.append((header, .bold))
    for (item, kind) in rows {
      var line = "  " + item.label.fitted(columns: labelWidth, ellipsis: true)
      var hasNo = false
      for (visit, form) in zip(shown, definitions) {
        let answer = visit.answers[item.id]
        if answer == .no { hasNo = true }
        let ownKind = form?.sections.first { $0.items.contains { $0.id == item.id } }?.kind ?? kind
        let mark =
          answer.map { answer in
            ownKind == .choice || answer.isOption
              ? (form ?? current ?? forms.current)?.answerLabel(answer, item: item.id)
                ?? answer.rawValue
              : VisitText.shortAnswer(answer, ownKind)
          }
          ?? " "
        line += " " + mark.fitted(columns: 5, ellipsis: mark.displayWidth > 5)
      }
      out.append((line, hasNo ? .warning : .plain))
    }
    return out
  }

  /// "12-03 10:22 王文书 录入走访 h1-v1" in words, personal values masked unless revealed.
  static func auditLine(_ entry: HistoryEntry, reveal: Bool) -> String {
    let time = entry.time.prefix(16).replacingOccurrences(of: "T", with: " ")
    let change = entry.change
    let what: String
    let parts = change.record.split(separator: "/", maxSplits: 1).map(String.init)
    let id = parts.count > 1 ? parts[1] : change.record
    switch parts.first {
    case "visit":
      what =
        change.after == nil
        ? VisitText.auditVisitRemoved(id)
        : (change.before == nil ? VisitText.auditVisitAdded(id) : VisitText.auditVisitChanged(id))
    case "spotcheck":
      if change.field == "*" {
        what =
          change.after == nil
          ? VisitText.auditSpotCheckRemoved(id) : VisitText.auditSpotCheckAdded(id)
      } else {
        what = VisitText.auditSpotCheckChanged(
          id, change.field, change.before ?? "", change.after ?? "")
      }
    case "hazard":
      if change.field == "*" {
        what =
          change.after == nil ? VisitText.auditHazardRemoved(id) : VisitText.auditHazardAdded(id)
      } else {
        let kind = change.after.flatMap { eventKind(in: $0) }
        what = VisitText.auditHazardEvent(id, kind?.label ?? change.field)
      }
    default:
      let sensitive = ["idNumber", "phone", "groups"].contains { change.field.hasSuffix($0) }
      if change.field == "*" {
        what =
          change.before == nil ? VisitText.auditHouseholdAdded : VisitText.auditHouseholdRemoved
      } else if sensitive && !reveal {
        what = VisitText.auditFieldChangedMasked(change.field)
      } else {
        what = VisitText.auditFieldChanged(change.field, change.before ?? "", change.after ?? "")
      }
    }
    return "\(time)  \(entry.operatorName)  \(what)"
  }

  private static func eventKind(in json: String) -> HazardEvent.Kind? {
    HazardEvent.Kind.allCases.first { json.contains("\"kind\":\"\($0.rawValue)\"") }
  }
}
