import FiregridModel
import FiregridRepository
import TerminalUI

/// The campaign's components: the residential form (附件6) of one household, the weekly
/// contact and hazard office forms, a household's history, and the choice of which visit to
/// correct or take back.

/// The residential form of one household: Ctrl-S saves and opens the grid's next household.
struct VisitOverlay: Overlay {
  var session: VisitSession

  var isDirty: Bool { session.form.isDirty }
  var takesText: Bool { true }
  /// Ctrl-S builds the record from the household's record as the town holds it then
  /// (`VisitRules.record` over `context.index`), never from a copy taken at opening.
  var savesOnTheTownAsItIsThen: Bool { true }

  static let keymap = FormKeys.keymap(save: VisitText.keySaveNext)
  /// A premises' form saves and opens the grid's next premises.
  static let premisesKeymap = FormKeys.keymap(save: PremisesScreenText.keySaveNext)

  func bindings(in context: AppContext) -> [KeyBinding] {
    [
      KeyBinding([.character("y")], "y/n/-", VisitText.keyAnswer),
      KeyBinding([.character(Form.sectionKey)], String(Form.sectionKey), VisitText.keySection),
    ] + (session.isPremises ? Self.premisesKeymap : Self.keymap).bindings
  }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    if Self.keymap.action(for: key) == .cancel {
      return FormKeys.leave(session.form, returningTo: self)
    }
    guard case .submitted(let values) = session.form.handle(key) else { return [] }
    let index = context.index
    do {
      var entry = try session.entry(from: values, today: context.today)
      // 名册外人员: the name and role typed become a visitor, saved with the visit.
      let newVisitor = try session.outsideVisitor(from: values, existing: index.data.visitors)
      if let newVisitor {
        // A premises' record is saved on its own: its inspector is chosen from the roster.
        if session.isPremises {
          session.form.focusField(VisitSession.visitorField)
          session.form.setError(
            PremisesScreenText.inspectorNotOnRoster, for: VisitSession.visitorField)
          return [.error(PremisesScreenText.inspectorNotOnRoster)]
        }
        entry.visitorID = newVisitor.id
        entry.standInFor = session.responsibleVisitorID
      }
      var base =
        session.isPremises
        ? index.data.inspectionRecord(of: session.subjectID)
        : index.data.visitRecord(of: session.subjectID)
      // A correction takes the saved visit back and records the corrected paper in one
      // write, under the same visit id.
      if let replacing = session.replacing {
        base = try VisitRules.remove(visitID: replacing, from: base)
      }
      let (record, visit) = try VisitRules.record(
        entry, in: base, form: session.definition, today: context.today, id: session.replacing)
      let reason = VisitSaveReason.visit(visitID: visit.id, next: session.replacing == nil)
      let save: Effect =
        session.isPremises
        ? .saveInspectionRecord(record, reason)
        : newVisitor.map { .saveVisitWithNewVisitor(record, $0, reason) }
          ?? .saveVisitRecord(record, reason)
      // Someone else than the household's visitor: said, and confirmed with one key.
      if let responsible = entry.standInFor, let visitorID = entry.visitorID {
        var visitors = index.visitorByID
        if let newVisitor { visitors[newVisitor.id] = newVisitor }
        var back = self
        back.session.form.focusField(VisitSession.visitorField)
        return [
          .present(
            ConfirmOverlay(
              title: VisitText.standInTitle,
              message: VisitText.standInQuestion(
                visitors[visitorID]?.name ?? visitorID, visitors[responsible]?.name ?? responsible),
              then: [.present(self), .run(save)], otherwise: [.present(back)]))
        ]
      }
      return [.run(save)]
    } catch {
      // The cursor goes to what the refusal is about, so the next keys land there (and
      // not, say, in 备注 where Ctrl-S was pressed).
      if let subject = error.subject {
        let field = session.fieldID(for: subject)
        session.form.focusField(field)
        session.form.setError(error.message, for: field)
      }
      return [.error(error.message)]
    }
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    buffer.fill(area.body, style: .plain)
    return session.form.render(into: &buffer, area: area.body.inset(dx: 2, dy: 0))
  }
}

/// A grid's weekly contact, or an office entry on a hazard (reported put right, new deadline).
struct CampaignFormOverlay: Overlay {
  var session: CampaignFormSession

  var isDirty: Bool { session.form.isDirty }
  var takesText: Bool { true }

  func bindings(in context: AppContext) -> [KeyBinding] { FormKeys.standard.bindings }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    if FormKeys.standard.action(for: key) == .cancel { return [.dismiss] }
    guard case .submitted(let values) = session.form.handle(key) else { return [] }
    let data = context.index.data
    switch session.purpose {
    case .contact(let gridID):
      guard let log = session.contactLog(from: values, gridID: gridID, today: context.today)
      else { return [] }
      // The week already holds an entry: changing it is an edit, shown before → after.
      if let earlier = (data.contactLogs[gridID] ?? []).first(where: { $0.week == log.week }),
        earlier.contacted != log.contacted || earlier.riskReport != log.riskReport
      {
        return [
          .present(
            ConfirmOverlay(
              title: VisitText.contactChangeTitle(log.week),
              message: VisitText.contactChange(from: earlier, to: log),
              then: [.present(self), .run(.saveContactLog(log))], otherwise: [.present(self)]))
        ]
      }
      return [.run(.saveContactLog(log))]
    case .reportRectified(let hazardID), .extend(let hazardID):
      guard let event = session.hazardEvent(from: values, today: context.today) else { return [] }
      do {
        let record = try VisitRules.update(
          hazardID: hazardID, in: data.record(ofHazard: hazardID), event: event,
          today: context.today)
        // A premises' hazard is in its inspections' record.
        if context.index.premisesByID[record.householdID] != nil {
          return [.run(.saveInspectionRecord(record, .hazardUpdate(hazardID: hazardID)))]
        }
        return [.run(.saveVisitRecord(record, .hazardUpdate(hazardID: hazardID)))]
      } catch {
        return [.error(error.message)]
      }
    }
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    FormKeys.render(session.form, into: &buffer, body: area.body)
  }
}

/// What E and X do with the visit chosen.
enum VisitAction: Equatable, Sendable {
  case correct
  case takeBack
}

extension HistoryScreen: Overlay {
  enum Action { case scroll, reveal, correct, takeBack, printFile, close }

  static let keymap = Keymap<Action>([
    (ListKeys.move, .scroll),
    (
      KeyBinding([.pageUp, .pageDown, .character(" ")], "PgUp/PgDn", AppText.keyPage), .scroll
    ),
    (KeyBinding([.character("m")], "m", AppText.keyReveal), .reveal),
    (KeyBinding([.character("E")], "E", VisitText.keyCorrectLatest), .correct),
    (KeyBinding([.character("X")], "X", VisitText.keyUndoLatest), .takeBack),
    (KeyBinding([.character("P")], "P", VisitText.keyPrintFile), .printFile),
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
      // Personal data shown in full is an audit line: who looked at whose, when.
      if !reveal, !context.isWritable { return [.error(AppText.revealNeedsAudit)] }
      toggleReveal(context: context.workContext)
      guard reveal else { return [.info(AppText.revealHint)] }
      return [
        .info(AppText.revealedWarning), .run(.recordAccess(record: "household/\(householdID)")),
      ]
    case .printFile?:
      return [.openPrintForm(preset: context.householdFileJob(householdID))]
    case .correct?, .takeBack?:
      // E corrects and X takes back any of the household's visits: with more than one, the
      // clerk picks which (newest offered first).
      if let refused = context.refusesChanges { return [refused] }
      let correct = key == .character("E")
      let visits = context.index.data.visitRecord(of: householdID).visits
      guard !visits.isEmpty else {
        return [.error(correct ? VisitText.nothingToCorrect : VisitText.nothingToUndo)]
      }
      let action: VisitAction = correct ? .correct : .takeBack
      if visits.count == 1 {
        return ChooseVisitOverlay.act(
          action, on: visits[0].id, subjectID: householdID, back: self, in: context)
      }
      return [
        .present(
          ChooseVisitOverlay(
            visits: visits, action: action, subjectID: householdID, back: self, context))
      ]
    }
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    render(into: &buffer, area: area.body)
    return nil
  }
}

/// The chooser of which visit E corrects or X takes back (newest first): a household's
/// visits, or a premises' inspections.
struct ChooseVisitOverlay: Overlay {
  var form: Form
  let ids: [String]
  let action: VisitAction
  /// The household or premises whose visits they are.
  let subjectID: String
  /// The history it was opened from, shown again on Esc.
  let back: any Overlay

  init(
    visits: [Visit], action: VisitAction, subjectID: String, back: any Overlay,
    _ context: AppContext
  ) {
    let labels = visits.reversed().map { visit in
      VisitText.visitChoice(visit, visitor: context.index.visitorByID[visit.visitorID ?? ""]?.name)
    }
    var form = Form(
      title: action == .correct ? VisitText.chooseCorrect : VisitText.chooseTakeBack,
      fields: [FormField(id: "visit", label: VisitText.whichVisit, kind: .choice(labels))])
    form.markClean()
    self.form = form
    ids = visits.reversed().map(\.id)
    self.action = action
    self.subjectID = subjectID
    self.back = back
  }

  enum Action { case choose, cancel, change }
  static let keymap = Keymap<Action>([
    (KeyBinding([.left, .right, .up, .down], "←/→", AppText.keyMove), .change),
    (KeyBinding([.enter, .control("s")], "Enter", VisitText.keyChooseVisit), .choose),
    (KeyBinding([.escape], "Esc", AppText.keyBack), .cancel),
  ])

  func bindings(in context: AppContext) -> [KeyBinding] { Self.keymap.bindings }
  var takesText: Bool { true }

  mutating func handle(_ key: Key, in context: AppContext) -> [Message] {
    switch Self.keymap.action(for: key) {
    case .cancel?: return [.present(back)]
    case .choose?:
      guard case .submitted(let values) = form.handle(.control("s")),
        case .choice(let labels)? = form.fields.first?.kind,
        let chosen = labels.firstIndex(of: values["visit"] ?? "")
      else { return [] }
      return Self.act(action, on: ids[chosen], subjectID: subjectID, back: back, in: context)
    case .change?, nil:
      _ = form.handle(key)
      return []
    }
  }

  /// Opens the correction form of `visitID`, or asks before taking it back; a visit whose
  /// hazards a later visit re-inspected says which, so that one is dealt with first.
  static func act(
    _ action: VisitAction, on visitID: String, subjectID: String, back: any Overlay,
    in context: AppContext
  ) -> [Message] {
    let index = context.index
    let premises = index.premisesByID[subjectID]
    let record =
      premises == nil
      ? index.data.visitRecord(of: subjectID) : index.data.inspectionRecord(of: subjectID)
    guard let visit = record.visits.first(where: { $0.id == visitID }) else { return [] }
    do {
      _ = try VisitRules.remove(visitID: visitID, from: record)
    } catch {
      return [.present(back), .error(error.message)]
    }
    switch action {
    case .correct:
      // The paper is corrected on the form it was entered on, whatever is current now.
      guard let definition = context.forms.definition(for: visit) else {
        return [.present(back), .error(ModelText.formUnknown(visit.formID))]
      }
      if let premises {
        return [
          .present(
            VisitOverlay(
              session: VisitSession.make(
                premises: premises, index: index, definition: definition, forms: context.forms,
                carry: context.carry, today: context.today, correcting: visit,
                pastWinter: context.pastWinter ?? context.pastWinter(of: visit.date))))
        ]
      }
      guard let household = index.householdByID[subjectID] else { return [] }
      return [
        .present(
          VisitOverlay(
            session: VisitSession.make(
              household: household, index: index, definition: definition, forms: context.forms,
              carry: context.carry, today: context.today, correcting: visit,
              pastWinter: context.pastWinter ?? context.pastWinter(of: visit.date))))
      ]
    case .takeBack:
      return [.present(UndoVisitOverlay.confirm(householdID: subjectID, visitID: visitID))]
    }
  }

  func render(into buffer: inout ScreenBuffer, area: RenderArea, context: AppContext) -> (
    x: Int, y: Int
  )? {
    let body = area.body
    buffer.fill(body, style: .plain)
    let box = Rect(
      x: body.x + 4, y: body.y + 2, width: max(0, body.width - 8), height: min(6, body.height))
    let cursor = form.render(into: &buffer, area: box.inset(dx: 2, dy: 1))
    buffer.write(VisitText.chooseVisitKeys, x: box.x + 2, y: box.maxY - 1, style: .muted)
    return cursor
  }
}

/// Taking back a saved visit, asked first.
enum UndoVisitOverlay {
  static func confirm(householdID: String, visitID: String) -> ConfirmOverlay {
    ConfirmOverlay(
      title: VisitText.undoTitle, message: VisitText.undoQuestion(visitID),
      then: [.takeBackVisit(householdID: householdID, visitID: visitID)])
  }
}
