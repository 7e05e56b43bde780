import FiregridModel

/// 户档案 on paper, for the household's file: who lives there (ID numbers and phones masked:
/// the file does not need them in full), every visit with its answers (items down, visit dates
/// across, each visit read with the form it was entered with), the visits one per line with
/// the visitor and whether the head signed, and every hazard with its events. One or two A4
/// pages; its own 第 n 页 共 m 页.
struct HouseholdHistory {
  var facts: HouseholdFacts
  var household: Household
  var record: VisitRecord
  /// A visit's campaign name (2026—2027年度冬春), to keep winters apart.
  var campaignName: (CivilDate) -> String
  var visitorName: (String?) -> String
  var forms: FormRegistry

  /// At most this many visits side by side in one answer grid; more make another grid.
  static let visitsPerGrid = 10

  init(household: Household, facts: HouseholdFacts, town: TownData, forms: FormRegistry) {
    self.household = household
    self.facts = facts
    self.forms = forms
    record = town.visitRecord(of: household.id)
    let visitors = Dictionary(
      town.visitors.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    visitorName = { id in id.flatMap { visitors[$0] } ?? "" }
    campaignName = { town.campaign(on: $0).name }
  }

  static let titleFont = Font.sans(15, bold: true)
  static let lineFont = Font.serif(9.5)
  static let headingFont = Font.sans(10.5, bold: true)

  var document: FlowDocument {
    var blocks: [FlowBlock] = [
      .newPage(.a4),
      .text(PrintText.historyTitle(facts.label), font: Self.titleFont, alignment: .center),
      .text(
        PrintText.historyHousehold(facts.headName, facts.address, facts.personCount),
        font: Self.lineFont, before: 8),
      .text(
        PrintText.historyPeople(
          facts.visitorName.isEmpty ? PrintText.notAssigned : facts.visitorName,
          facts.gridLeaderName.isEmpty ? PrintText.notAssigned : facts.gridLeaderName,
          facts.liaisonName.isEmpty ? PrintText.notAssigned : facts.liaisonName),
        font: Self.lineFont, before: 2),
      heading(PrintText.historyMembers),
      .table(members),
    ]
    if record.visits.isEmpty {
      blocks.append(.text(PrintText.historyNoVisits, font: Self.lineFont, before: 4))
    }
    // One winter at a time, so a grid never mixes two campaigns' dates.
    var campaigns: [(name: String, visits: [Visit])] = []
    for visit in record.visits.sorted(by: { ($0.date, $0.id) < ($1.date, $1.id) }) {
      let name = campaignName(visit.date)
      if campaigns.last?.name == name {
        campaigns[campaigns.count - 1].visits.append(visit)
      } else {
        campaigns.append((name, [visit]))
      }
    }
    for campaign in campaigns {
      blocks.append(heading(PrintText.historyAnswers(campaign.name)))
      for start in stride(from: 0, to: campaign.visits.count, by: Self.visitsPerGrid) {
        let chunk = Array(
          campaign.visits[start..<min(start + Self.visitsPerGrid, campaign.visits.count)])
        blocks.append(.table(answerGrid(chunk, name: PrintText.historyAnswers(campaign.name))))
      }
      blocks.append(heading(PrintText.historyVisits(campaign.name)))
      blocks.append(
        .table(visitList(campaign.visits, name: PrintText.historyVisits(campaign.name))))
    }
    blocks.append(heading(PrintText.historyHazards))
    if record.hazards.isEmpty {
      blocks.append(.text(PrintText.historyNoHazards, font: Self.lineFont, before: 2))
    } else {
      blocks.append(.table(hazards))
    }
    return FlowDocument(blocks: blocks, footerLabel: PrintText.historyTitle(facts.label))
  }

  private func heading(_ text: String) -> FlowBlock {
    .text(text, font: Self.headingFont, before: 10)
  }

  private var members: FlowTable {
    FlowTable(
      columns: [
        .init(id: "name", label: PrintText.memberName, width: 10),
        .init(id: "relation", label: PrintText.memberRelation, width: 10),
        .init(id: "sex", label: PrintText.memberSex, width: 5),
        .init(id: "id", label: PrintText.memberID, kind: .code, width: 20),
        .init(id: "phone", label: PrintText.phone, kind: .code, width: 14),
      ],
      rows: household.persons.map { person in
        [
          .text(person.name), .text(person.relation), .text(person.sex?.label ?? ""),
          .text(IDNumber.masked(person.idNumber)), .text(PhoneNumber.masked(person.phone)),
        ]
      }, name: PrintText.historyMembers)
  }

  /// Items down, visits across. Rows are the newest form's items, then any item only an older
  /// visit's form had; a visit's column shows its answers read with its own form, and is empty
  /// for an item its form did not have.
  func answerGrid(_ visits: [Visit], name: String) -> FlowTable {
    let definitions = visits.map { forms.definition(for: $0) }
    var rows: [VisitForm.Item] = []
    var seen = Set<String>()
    for form in [forms.current(FormRegistry.residentialID)] + definitions {
      for section in form?.sections ?? [] {
        for item in section.items where seen.insert(item.id).inserted { rows.append(item) }
      }
    }
    // Only the items some shown visit's form has.
    let asked = Set(
      definitions.compactMap { $0 }.flatMap { $0.sections.flatMap(\.items).map(\.id) })
    rows.removeAll { !asked.contains($0.id) }
    var columns = [ReportTable.Column(id: "item", label: PrintText.historyItem, width: 30)]
    for (visit, form) in zip(visits, definitions) {
      let version = form.map { PrintText.formVersionLabel($0.formVersion) } ?? "?"
      columns.append(.init(id: visit.id, label: "\(visit.date.monthDay)\n\(version)", width: 8))
    }
    let cells: [[ReportTable.Cell]] = rows.map { item in
      var row: [ReportTable.Cell] = [.text(item.label)]
      for (visit, form) in zip(visits, definitions) {
        guard let (asked, kind) = form?.item(id: item.id), let answer = visit.answers[item.id]
        else {
          row.append(.empty)
          continue
        }
        // A choice reads as its option's words (砖木), from the visit's own form.
        let option = asked.options?.first { $0.key == answer.rawValue }?.label
        row.append(
          .text(kind == .choice ? option ?? answer.rawValue : PrintText.shortAnswer(answer, kind)))
      }
      return row
    }
    return FlowTable(columns: columns, rows: cells, total: nil, name: name)
  }

  private func visitList(_ visits: [Visit], name: String) -> FlowTable {
    FlowTable(
      columns: [
        .init(id: "date", label: PrintText.visitDate, kind: .code, width: 11),
        .init(id: "id", label: PrintText.visitID, kind: .code, width: 14),
        .init(id: "visitor", label: PrintText.visitor, width: 14),
        .init(id: "met", label: PrintText.personsMet, width: 12),
        .init(id: "form", label: PrintText.formVersion, width: 7),
        .init(id: "signed", label: PrintText.signature, width: 8),
        .init(id: "notes", label: PrintText.notes, width: 22),
      ],
      rows: visits.map { visit in
        var visitor = visitorName(visit.visitorID)
        if let responsible = visit.standInFor {
          visitor = PrintText.standIn(
            visitor,
            for: visitorName(responsible).isEmpty
              ? responsible : visitorName(responsible))
        }
        let form = forms.definition(for: visit)
        var notes = visit.notes
        if form == nil { notes = PrintText.formMissing(visit.formID) + notes }
        return [
          .text(visit.date.description), .text(visit.id), .text(visitor), .text(visit.personsMet),
          .text(form.map { PrintText.formVersionLabel($0.formVersion) } ?? visit.formID),
          .text(visit.signed ? PrintText.signed : PrintText.unsigned), .text(notes),
        ]
      }, name: name)
  }

  private var hazards: FlowTable {
    FlowTable(
      columns: [
        .init(id: "item", label: PrintText.hazardItem, width: 14),
        .init(id: "description", label: PrintText.hazardDescription, width: 22),
        .init(id: "found", label: PrintText.hazardFound, kind: .code, width: 11),
        .init(id: "deadline", label: PrintText.hazardDeadline, kind: .code, width: 11),
        .init(id: "status", label: PrintText.hazardStatus, width: 10),
        .init(id: "events", label: PrintText.hazardEvents, width: 30),
      ],
      rows: record.hazards.map { hazard in
        let events = hazard.events.map { event in
          var text = "\(event.date) \(event.kind.label)"
          if let deadline = event.deadline { text += "（期限 \(deadline)）" }
          if !event.note.isEmpty { text += " \(event.note)" }
          return text
        }
        return [
          .text(forms.label(of: hazard, in: record)), .text(hazard.description),
          .text(hazard.foundOn.description), .text(hazard.deadline.description),
          .text(hazard.closedOn.map { PrintText.hazardClosed($0) } ?? PrintText.hazardOpen),
          .text(events.joined(separator: "；")),
        ]
      }, name: PrintText.historyHazards)
  }
}
