import FiregridModel
import FiregridRepository
import FiregridResources
import FiregridStore
import TerminalUI

/// Why a household's visit record is being written, so the state knows what to do after.
public enum VisitSaveReason: Equatable, Sendable {
  /// A paper form was entered; `next` opens the grid's next household's form afterwards.
  case visit(visitID: String, next: Bool)
  /// An office entry on a hazard.
  case hazardUpdate(hazardID: String)
  /// The last visit saved was taken back.
  case undo(visitID: String)
}

/// 敲门走访 and 隐患整改: the keys of the two sections and of their overlays (the visit form,
/// the contact and hazard forms, the history), and what happens when the runner has saved.
extension AppState {
  /// The form definition shipped in the resources; an empty form if it cannot be read (the
  /// sections then say so instead of offering a form that cannot be saved).
  static let standardVisitForm: VisitForm =
    (try? ResourceFiles.residentialForm())
    ?? VisitForm(id: "", title: VisitText.formMissing, attachment: "", sections: [])

  private var pageSizeForLists: Int { max(1, contentRows - 3) }

  /// Keys of sections 2 and 3 that are theirs; returns whether the key was used.
  mutating func handleWork(_ key: Key) -> Bool {
    let context = workContext
    var screen = section == 1 ? visits : hazards
    let wasFiltering = screen.filtering
    let outcome = screen.handle(key, context: context, pageSize: pageSizeForLists)
    section == 1 ? setWorkScreens(visits: screen) : setWorkScreens(hazards: screen)
    if wasFiltering { return true }
    switch outcome {
    case .handled: return true
    case .message(let text):
      show(text)
      return true
    case .openHousehold(let householdID):
      openVisitForm(householdID: householdID)
      return true
    case .openHazard(let hazardID):
      openHistory(householdID: owningHousehold(ofHazard: hazardID))
      return true
    case .ignored:
      break
    }
    let level = screen.current.level
    switch key {
    case .character("u"), .character("p"), .character("w"), .character("v"), .character("R"):
      guard section == 1 else { return false }
      let target: WorkScreen.Level
      switch key {
      case .character("u"): target = .pending
      case .character("p"): target = .progress
      case .character("w"): target = .contacts
      case .character("R"): target = .risks
      default: target = .villages
      }
      var visits = self.visits
      if visits.current.level != target { visits.push(target, context: context) }
      setWorkScreens(visits: visits)
      return true
    case .character("a"):
      guard section == 2 else { return false }
      let target: WorkScreen.Level = level == .hazardsDue ? .hazardsOpen : .hazardsDue
      setWorkScreens(hazards: WorkScreen(level: target, context: context))
      return true
    case .character("h"):
      let householdID =
        level.listsHazards
        ? screen.selectedID.map { owningHousehold(ofHazard: $0) }
        : (level.listsHouseholds ? screen.selectedID : nil)
      guard let householdID else { return false }
      openHistory(householdID: householdID)
      return true
    case .character("c"):
      guard section == 1, let gridID = screen.selectedGridID(index: index),
        let grid = index.gridByID[gridID]
      else { return false }
      guard requireWritable() else { return true }
      setOverlay(
        .campaignForm(
          .contact(
            grid: grid, villageName: index.villageName(ofGrid: grid), campaign: context.campaign,
            logs: index.data.contactLogs[gridID] ?? [], today: today)))
      return true
    case .character("n"), .character("r"), .character("e"):
      guard section == 2, let hazardID = screen.selectedID,
        let hazard = hazard(id: hazardID)
      else { return false }
      if key == .character("n") {
        openVisitForm(householdID: hazard.householdID)
        return true
      }
      guard requireWritable() else { return true }
      let purpose: CampaignFormSession.Purpose =
        key == .character("r") ? .reportRectified(hazardID: hazardID) : .extend(hazardID: hazardID)
      setOverlay(
        .campaignForm(
          .hazard(
            purpose, hazard: hazard, label: visitForm.label(of: hazard.checkID),
            campaign: index.data.campaign(on: today), today: today)
        ))
      return true
    case .character("U"):
      guard section == 1 else { return false }
      guard let last = lastSavedVisit else {
        show(VisitText.nothingToUndo, isError: true)
        return true
      }
      guard requireWritable() else { return true }
      setOverlay(
        .confirmUndoVisit(
          ConfirmDialog(
            title: VisitText.undoTitle, message: VisitText.undoQuestion(last.visitID),
            confirmLabel: AppText.confirmYes, cancelLabel: AppText.confirmNo),
          householdID: last.householdID, visitID: last.visitID))
      return true
    default:
      return false
    }
  }

  private mutating func requireWritable() -> Bool {
    guard readOnlyHolder == nil else {
      show(EditText.readOnlyNoEdit, isError: true)
      return false
    }
    return true
  }

  private func owningHousehold(ofHazard hazardID: String) -> String {
    // Hazard ids are "<household id>-z<n>".
    String(
      hazardID[..<(hazardID.range(of: "-z", options: .backwards)?.lowerBound ?? hazardID.endIndex)])
  }

  private func hazard(id: String) -> Hazard? {
    index.data.visitRecords[owningHousehold(ofHazard: id)]?.hazards.first { $0.id == id }
  }

  mutating func openVisitForm(householdID: String) {
    guard let household = index.householdByID[householdID] else { return }
    guard !visitForm.sections.isEmpty else {
      show(VisitText.formMissing, isError: true)
      return
    }
    guard requireWritable() else { return }
    if damagedFiles.contains(where: { $0.path == DataFolder.visitRecordPath(householdID) }) {
      show(VisitText.recordDamaged, isError: true)
      return
    }
    setOverlay(
      .visit(
        VisitSession.make(
          household: household, index: index, definition: visitForm, carry: carry, today: today,
          pastWinter: pastWinter)))
  }

  mutating func openHistory(householdID: String) {
    queuedEffects.append(.openHistory(householdID: householdID))
  }

  /// The runner read the audit entries: show the history page.
  public mutating func historyLoaded(householdID: String, auditEntries: [AuditEntry]) {
    setOverlay(
      .history(
        HistoryScreen(householdID: householdID, auditEntries: auditEntries, context: workContext)))
  }

  /// The earlier winter a date is in (a correction of last winter's paper keeps its dates),
  /// nil for today's winter.
  func pastWinterOf(_ date: CivilDate) -> Campaign? {
    let winter = index.data.campaign(on: date)
    return winter.firstDay < index.data.campaign(on: today).firstDay ? winter : nil
  }

  /// What E and X do with the visit chosen.
  public enum VisitAction: Equatable, Sendable {
    case correct
    case takeBack
  }

  /// The chooser of which visit E corrects or X takes back (newest first).
  public struct VisitChoice: Equatable {
    var form: Form
    let ids: [String]
    let action: VisitAction
    let history: HistoryScreen

    public static func == (a: VisitChoice, b: VisitChoice) -> Bool {
      a.ids == b.ids && a.action == b.action && a.form.values == b.form.values
        && a.history == b.history
    }
  }

  /// Opens the correction form of `visitID`, or asks before taking it back; a visit whose
  /// hazards a later visit re-inspected says which, so that one is dealt with first.
  mutating func act(
    _ action: VisitAction, on visitID: String, householdID: String, history: HistoryScreen
  ) -> [Effect] {
    let record = index.data.visitRecord(of: householdID)
    guard let household = index.householdByID[householdID],
      let visit = record.visits.first(where: { $0.id == visitID })
    else { return [] }
    do {
      _ = try VisitRules.remove(visitID: visitID, from: record)
    } catch {
      setOverlay(.history(history))
      show(error.message, isError: true)
      return []
    }
    switch action {
    case .correct:
      setOverlay(
        .visit(
          VisitSession.make(
            household: household, index: index, definition: visitForm, carry: carry,
            today: today, correcting: visit,
            pastWinter: pastWinter ?? pastWinterOf(visit.date))))
    case .takeBack:
      setOverlay(
        .confirmUndoVisit(
          ConfirmDialog(
            title: VisitText.undoTitle, message: VisitText.undoQuestion(visitID),
            confirmLabel: AppText.confirmYes, cancelLabel: AppText.confirmNo),
          householdID: householdID, visitID: visitID))
    }
    return []
  }

  // MARK: Overlays

  mutating func handleCampaignOverlay(_ overlay: Overlay, _ key: Key) -> [Effect] {
    switch overlay {
    case .visit(var session):
      if key == .escape {
        setOverlay(
          session.form.isDirty
            ? .confirmDiscardVisit(
              ConfirmDialog(
                title: EditText.discardTitle, message: EditText.discardQuestion,
                confirmLabel: AppText.confirmYes, cancelLabel: AppText.confirmNo), session) : nil)
        return []
      }
      let outcome = session.form.handle(key)
      setOverlay(.visit(session))
      guard case .submitted(let values) = outcome else { return [] }
      do {
        var entry = try session.entry(from: values, today: today)
        // 名册外人员: the name and role typed become a visitor, saved with the visit.
        let newVisitor = try session.outsideVisitor(from: values, existing: index.data.visitors)
        if let newVisitor {
          entry.visitorID = newVisitor.id
          entry.standInFor = session.responsibleVisitorID
        }
        var base = index.data.visitRecord(of: session.householdID)
        // A correction takes the saved visit back and records the corrected paper in one
        // write, under the same visit id.
        if let replacing = session.replacing {
          base = try VisitRules.remove(visitID: replacing, from: base)
        }
        let (record, visit) = try VisitRules.record(
          entry, in: base, form: visitForm, today: today, id: session.replacing)
        let reason = VisitSaveReason.visit(visitID: visit.id, next: session.replacing == nil)
        let save: Effect =
          newVisitor.map { .saveVisitWithNewVisitor(record, $0, reason) }
          ?? .saveVisitRecord(record, reason)
        // Someone else than the household's visitor: said, and confirmed with one key.
        if let responsible = entry.standInFor, let visitorID = entry.visitorID {
          var visitors = index.visitorByID
          if let newVisitor { visitors[newVisitor.id] = newVisitor }
          setOverlay(
            .confirmStandIn(
              ConfirmDialog(
                title: VisitText.standInTitle,
                message: VisitText.standInQuestion(
                  visitors[visitorID]?.name ?? visitorID, visitors[responsible]?.name ?? responsible
                ),
                confirmLabel: AppText.confirmYes, cancelLabel: AppText.confirmNo),
              session, save))
          return []
        }
        return [save]
      } catch {
        // The cursor goes to what the refusal is about, so the next keys land there (and
        // not, say, in 备注 where Ctrl-S was pressed).
        if let subject = error.subject {
          let field = session.fieldID(for: subject)
          session.form.focusField(field)
          session.form.setError(error.message, for: field)
          setOverlay(.visit(session))
        }
        show(error.message, isError: true)
        return []
      }
    case .confirmDiscardVisit(let dialog, let session):
      switch dialog.handle(key) {
      case .confirmed: setOverlay(nil)
      case .cancelled: setOverlay(.visit(session))
      case .pending: break
      }
      return []
    case .campaignForm(var session):
      if key == .escape {
        setOverlay(nil)
        return []
      }
      let outcome = session.form.handle(key)
      setOverlay(.campaignForm(session))
      guard case .submitted(let values) = outcome else { return [] }
      switch session.purpose {
      case .contact(let gridID):
        guard let log = session.contactLog(from: values, gridID: gridID, today: today) else {
          return []
        }
        // The week already holds an entry: changing it is an edit, shown before → after.
        if let earlier = (index.data.contactLogs[gridID] ?? []).first(where: { $0.week == log.week }
        ),
          earlier.contacted != log.contacted || earlier.riskReport != log.riskReport
        {
          setOverlay(
            .confirmContactChange(
              ConfirmDialog(
                title: VisitText.contactChangeTitle(log.week),
                message: VisitText.contactChange(from: earlier, to: log),
                confirmLabel: AppText.confirmYes, cancelLabel: AppText.confirmNo),
              log, session))
          return []
        }
        return [.saveContactLog(log)]
      case .reportRectified(let hazardID), .extend(let hazardID):
        guard let event = session.hazardEvent(from: values, today: today) else { return [] }
        do {
          let record = try VisitRules.update(
            hazardID: hazardID, in: index.data.visitRecord(of: owningHousehold(ofHazard: hazardID)),
            event: event, today: today)
          return [.saveVisitRecord(record, .hazardUpdate(hazardID: hazardID))]
        } catch {
          show(error.message, isError: true)
          return []
        }
      }
    case .history(var screen):
      // E corrects and X takes back any of the household's visits: with more than one, the
      // clerk picks which (newest offered first).
      if key == .character("E") || key == .character("X") {
        guard requireWritable() else { return [] }
        let visits = index.data.visitRecord(of: screen.householdID).visits
        guard !visits.isEmpty else {
          show(
            key == .character("E") ? VisitText.nothingToCorrect : VisitText.nothingToUndo,
            isError: true)
          return []
        }
        let action: VisitAction = key == .character("E") ? .correct : .takeBack
        if visits.count == 1 {
          return act(action, on: visits[0].id, householdID: screen.householdID, history: screen)
        }
        let labels = visits.reversed().map { visit in
          VisitText.visitChoice(visit, visitor: index.visitorByID[visit.visitorID ?? ""]?.name)
        }
        var form = Form(
          title: action == .correct ? VisitText.chooseCorrect : VisitText.chooseTakeBack,
          fields: [FormField(id: "visit", label: VisitText.whichVisit, kind: .choice(labels))])
        form.markClean()
        setOverlay(
          .chooseVisit(
            VisitChoice(
              form: form, ids: visits.reversed().map(\.id), action: action, history: screen)))
        return []
      }
      if key == .character("P") {
        printHouseholdFile(householdID: screen.householdID)
        return []
      }
      let wasRevealed = screen.reveal
      if key == .character("m"), !wasRevealed, readOnlyHolder != nil {
        show(AppText.revealNeedsAudit, isError: true)
        return []
      }
      switch screen.handle(key, context: workContext, pageSize: max(1, contentRows - 2)) {
      case .close: setOverlay(nil)
      case .handled: setOverlay(.history(screen))
      case .message(let text):
        setOverlay(.history(screen))
        show(text)
      }
      // Personal data shown in full is an audit line: who looked at whose, when.
      if screen.reveal, !wasRevealed {
        return [.recordAccess(record: "household/\(screen.householdID)")]
      }
      return []
    case .chooseVisit(var choice):
      if key == .escape {
        setOverlay(.history(choice.history))
        return []
      }
      let outcome = choice.form.handle(key == .enter ? .control("s") : key)
      guard case .submitted(let values) = outcome else {
        setOverlay(.chooseVisit(choice))
        return []
      }
      guard case .choice(let labels)? = choice.form.fields.first?.kind,
        let chosen = labels.firstIndex(of: values["visit"] ?? "")
      else { return [] }
      return act(
        choice.action, on: choice.ids[chosen], householdID: choice.history.householdID,
        history: choice.history)
    case .confirmStandIn(let dialog, var session, let save):
      switch dialog.handle(key) {
      case .confirmed: return [save]
      case .cancelled:
        session.form.focusField(VisitSession.visitorField)
        setOverlay(.visit(session))
      case .pending: break
      }
      return []
    case .confirmContactChange(let dialog, let log, let session):
      switch dialog.handle(key) {
      case .confirmed: return [.saveContactLog(log)]
      case .cancelled: setOverlay(.campaignForm(session))
      case .pending: break
      }
      return []
    case .confirmUndoVisit(let dialog, let householdID, let visitID):
      switch dialog.handle(key) {
      case .confirmed:
        setOverlay(nil)
        do {
          let record = try VisitRules.remove(
            visitID: visitID, from: index.data.visitRecord(of: householdID))
          return [.saveVisitRecord(record, .undo(visitID: visitID))]
        } catch {
          show(error.message, isError: true)
        }
      case .cancelled: setOverlay(nil)
      case .pending: break
      }
      return []
    default:
      return []
    }
  }

  // MARK: After the runner saved

  /// A household's visit record was written: show it everywhere, carry the date and visitor,
  /// and open the grid's next household's form (Ctrl-S on a stack of paper forms).
  /// A visitor typed on a visit form (名册外人员) was added to the roster with the visit.
  public mutating func visitorAdded(_ visitor: Visitor) {
    var index = self.index
    index.addVisitor(visitor)
    setVisitState(index: index)
  }

  public mutating func visitRecordSaved(_ record: VisitRecord, reason: VisitSaveReason) {
    var index = self.index
    index.setVisitRecord(record)
    setVisitState(index: index)
    reloadWork()
    switch reason {
    case .visit(let visitID, let next):
      let visit = record.visits.first { $0.id == visitID }
      setVisitState(
        carry: VisitCarry(date: visit?.date, visitorID: visit?.visitorID),
        lastSavedVisit: .some((record.householdID, visitID)))
      let household = index.householdByID[record.householdID]
      let found = record.hazards.filter { $0.foundInVisit == visitID }.count
      let saved = VisitText.visitSaved(household?.number ?? "", household?.head?.name ?? "", found)
      guard next, let household else {
        setOverlay(nil)
        show(saved)
        return
      }
      let grid = index.households(in: household.gridID)
      let position = grid.firstIndex { $0.id == household.id } ?? grid.count
      var work = visits
      if grid.indices.contains(position + 1) {
        let nextHousehold = grid[position + 1]
        work.select(nextHousehold.id)
        setWorkScreens(visits: work)
        openVisitForm(householdID: nextHousehold.id)
        show(saved + VisitText.nextHousehold(nextHousehold.number))
      } else {
        setOverlay(nil)
        show(saved + VisitText.gridFinished)
      }
    case .hazardUpdate:
      setOverlay(nil)
      show(EditText.saved)
    case .undo(let visitID):
      setVisitState(lastSavedVisit: .some(nil))
      show(VisitText.undone(visitID))
    }
  }

  /// A grid's contact log was written.
  public mutating func contactLogsSaved(_ logs: [ContactLog], gridID: String) {
    var index = self.index
    index.setContactLogs(logs, gridID: gridID)
    setVisitState(index: index)
    reloadWork()
    setOverlay(nil)
    show(EditText.saved)
  }

  /// The runner stored this winter's campaign.
  public mutating func campaignsSaved(_ campaigns: [Campaign]) {
    var index = self.index
    index.setCampaigns(campaigns)
    setVisitState(index: index)
  }

  mutating func reloadWork() {
    let context = workContext
    var visits = self.visits
    var hazards = self.hazards
    visits.reload(context: context)
    hazards.reload(context: context)
    setWorkScreens(visits: visits, hazards: hazards)
  }

  // MARK: Key bindings

  static func workBindings(level: WorkScreen.Level, filtering: Bool) -> [KeyBinding] {
    if filtering {
      return [
        KeyBinding([.enter], "Enter", AppText.keyAccept),
        KeyBinding([.escape], "Esc", AppText.keyClear),
      ]
    }
    var list = [
      KeyBinding([.up, .down, .character("j"), .character("k")], "j/k", AppText.keyMove),
      KeyBinding([.enter], "Enter", VisitText.keyOpen(level)),
      KeyBinding([.character("Y")], "Y", VisitText.keyWinter, inBar: false),
      KeyBinding([.escape], "Esc", AppText.keyBack),
      KeyBinding([.character("f")], "f", AppText.keySearch, inBar: false),
    ]
    if level.listsHouseholds || level.listsHazards {
      list.append(
        KeyBinding([.character("h")], "h", VisitText.keyHistory, inBar: level.listsHouseholds))
    }
    if level.listsHazards {
      list.append(KeyBinding([.character("n")], "n", VisitText.keyReinspect))
      list.append(KeyBinding([.character("r")], "r", VisitText.keyReported))
      list.append(KeyBinding([.character("e")], "e", VisitText.keyExtend))
      list.append(
        KeyBinding(
          [.character("a")], "a",
          level == .hazardsDue ? VisitText.keyAllOpen : VisitText.keyDueOnly))
    } else {
      list.append(KeyBinding([.character("u")], "u", VisitText.keyPending))
      list.append(KeyBinding([.character("v")], "v", VisitText.keyVillages, inBar: false))
      list.append(KeyBinding([.character("p")], "p", VisitText.keyProgress, inBar: false))
      list.append(KeyBinding([.character("w")], "w", VisitText.keyContactsMissing, inBar: false))
      list.append(KeyBinding([.character("R")], "R", VisitText.keyRisks, inBar: false))
      list.append(KeyBinding([.character("c")], "c", VisitText.keyContact, inBar: false))
      list.append(KeyBinding([.character("U")], "U", VisitText.keyUndo, inBar: false))
    }
    return list
  }

  static let visitFormBindings: [KeyBinding] = [
    KeyBinding([.character("y")], "y/n/-", VisitText.keyAnswer),
    KeyBinding([.tab, .down], "Tab", AppText.keyNextField),
    KeyBinding([.backTab, .up], "Shift-Tab", AppText.keyPrevField),
    KeyBinding([.control("s")], "Ctrl-S", VisitText.keySaveNext),
    KeyBinding([.escape], "Esc", AppText.keyCancel),
  ]

  static let historyBindings: [KeyBinding] = [
    KeyBinding([.up, .down], "j/k", AppText.keyMove),
    KeyBinding([.pageUp, .pageDown], "PgUp/PgDn", AppText.keyPage),
    KeyBinding([.character("m")], "m", AppText.keyReveal),
    KeyBinding([.character("E")], "E", VisitText.keyCorrectLatest),
    KeyBinding([.character("X")], "X", VisitText.keyUndoLatest),
    KeyBinding([.character("P")], "P", VisitText.keyPrintFile),
    KeyBinding([.escape], "Esc", AppText.keyBack),
  ]
}
