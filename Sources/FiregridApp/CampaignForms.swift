import FiregridModel
import TerminalUI

/// The small forms of the campaign besides the visit: a grid's weekly contact, and an office
/// entry on a hazard (reported put right, or a new deadline). Data for the form engine, and
/// how the typed values become model values.
public struct CampaignFormSession {
  public enum Purpose: Equatable {
    /// 微信电话联络 of a grid for one week.
    case contact(gridID: String)
    /// The household says the hazard is put right: it awaits 复查.
    case reportRectified(hazardID: String)
    /// A new deadline for the hazard.
    case extend(hazardID: String)
  }

  public let purpose: Purpose
  var form: Form
  /// The dates the form's date field accepts.
  let dates: TypedDate.Range

  static let weekField = "week"
  static let contactedField = "contacted"
  static let riskField = "risk"
  static let dateField = "date"
  static let noteField = "note"

  /// The form of a grid's weekly contact for the last week that has ended; when that week
  /// already holds an entry, the form starts from it and its title says what it holds.
  static func contact(
    grid: Grid, villageName: String, campaign: Campaign, logs: [ContactLog], today: CivilDate
  ) -> CampaignFormSession {
    let week = campaign.contactWeeks(endedBy: today).last ?? today.weekStart
    // A week is named by any of its days, from the week the first round starts in.
    var weekDates = TypedDate.Range.visit(in: campaign, today: today)
    weekDates.earliest = weekDates.earliest?.weekStart
    let dates = weekDates
    let fields = [
      FormField(
        id: weekField, label: VisitText.contactWeek, kind: .text(maxLength: 10), required: true,
        requiredMessage: VisitText.dateRequired, hint: VisitText.contactWeekHint,
        validate: { VisitDates.parse($0, in: dates).error }),
      FormField(
        id: contactedField, label: VisitText.contacted,
        kind: .keyed([
          .init(key: "y", value: "y", label: VisitText.contactDone),
          .init(key: "n", value: "n", label: VisitText.contactNotDone),
        ]), required: true, requiredMessage: VisitText.answerRequired),
      FormField(
        id: riskField, label: VisitText.riskReport, kind: .text(maxLength: 200),
        hint: VisitText.riskReportHint),
    ]
    var values = [weekField: week.description]
    var title = VisitText.contactTitle(villageName, grid.name)
    if let earlier = logs.first(where: { $0.week == week }) {
      values[contactedField] = earlier.contacted ? "y" : "n"
      values[riskField] = earlier.riskReport
      title += VisitText.contactAlreadyRecorded(earlier.contacted, earlier.riskReport)
    }
    var form = Form(title: title, fields: fields, values: values)
    form.focusField(contactedField)
    form.markClean()
    return CampaignFormSession(purpose: .contact(gridID: grid.id), form: form, dates: dates)
  }

  static func hazard(
    _ purpose: Purpose, hazard: Hazard, label: String, campaign: Campaign, today: CivilDate
  ) -> CampaignFormSession {
    let isExtension: Bool
    if case .extend = purpose { isExtension = true } else { isExtension = false }
    // A report of rectification: from the finding to today. A new deadline: from today on.
    let dates =
      isExtension
      ? TypedDate.Range.deadline(from: today, in: campaign)
      : TypedDate.Range(
        earliest: hazard.foundOn, latest: today,
        winterStartYear: campaign.deploymentDeadline.year, latestIsToday: true)
    let fields = [
      FormField(
        id: dateField, label: isExtension ? VisitText.newDeadline : VisitText.reportDate,
        kind: .text(maxLength: 10), required: true, requiredMessage: VisitText.dateRequired,
        hint: isExtension ? VisitText.newDeadlineHint : VisitText.dateHint,
        validate: { VisitDates.parse($0, in: dates).error }),
      FormField(id: noteField, label: VisitText.note, kind: .text(maxLength: 200)),
    ]
    let date = isExtension ? max(today, hazard.deadline).adding(days: 7) : today
    let title =
      isExtension
      ? VisitText.extendTitle(label, hazard.description, hazard.deadline)
      : VisitText.reportTitle(label, hazard.description)
    var form = Form(title: title, fields: fields, values: [dateField: date.description])
    form.markClean()
    return CampaignFormSession(purpose: purpose, form: form, dates: dates)
  }

  /// The contact log the values describe.
  func contactLog(from values: [String: String], gridID: String, today: CivilDate) -> ContactLog? {
    guard let week = VisitDates.parse(values[Self.weekField] ?? "", in: dates).date else {
      return nil
    }
    return ContactLog(
      gridID: gridID, week: week, contacted: values[Self.contactedField] == "y",
      riskReport: values[Self.riskField] ?? "", recordedOn: today)
  }

  /// The hazard event the values describe.
  func hazardEvent(from values: [String: String], today: CivilDate) -> HazardEvent? {
    let note = values[Self.noteField] ?? ""
    switch purpose {
    case .reportRectified:
      guard let date = VisitDates.parse(values[Self.dateField] ?? "", in: dates).date else {
        return nil
      }
      return HazardEvent(kind: .reportedRectified, date: date, note: note)
    case .extend:
      guard let deadline = VisitDates.parse(values[Self.dateField] ?? "", in: dates).date else {
        return nil
      }
      return HazardEvent(kind: .extended, date: today, deadline: deadline, note: note)
    case .contact:
      return nil
    }
  }
}
