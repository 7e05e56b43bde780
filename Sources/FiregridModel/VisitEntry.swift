import Foundation

/// What a clerk typed from one paper form (附件6), before it becomes a `Visit`: the visit's
/// fields, the hazards found (with the days given to rectify), and the 复查 of hazards found
/// earlier. `VisitRules.record` checks it and applies it to the household's `VisitRecord`.
public struct VisitEntry: Equatable, Sendable {
  /// 有隐患 on one hazard check.
  public struct Finding: Equatable, Sendable {
    public var checkID: String
    public var description: String
    /// Days to rectify from the visit date; 0 = put right on the spot (当场整改).
    public var deadlineDays: Int

    public init(checkID: String, description: String, deadlineDays: Int) {
      self.checkID = checkID
      self.description = description
      self.deadlineDays = deadlineDays
    }
  }

  /// 复查 of an earlier hazard on this visit.
  public struct Review: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable {
      /// 已整改: verified and closed.
      case rectified
      /// 未整改: the deadline stands.
      case notRectified
      /// 未整改, given `days` more from the visit date.
      case extended(days: Int)
    }
    public var hazardID: String
    public var outcome: Outcome
    public var note: String

    public init(hazardID: String, outcome: Outcome, note: String = "") {
      self.hazardID = hazardID
      self.outcome = outcome
      self.note = note
    }
  }

  public var householdID: String
  public var date: CivilDate
  public var visitorID: String?
  public var personsMet: String
  public var answers: [String: Answer]
  public var findings: [Finding]
  public var reviews: [Review]
  public var notes: String
  public var signed: Bool
  /// 代访: the responsible visitor this visit was made for by `visitorID` (see `Visit`).
  public var standInFor: String?

  public init(
    householdID: String, date: CivilDate, visitorID: String?, personsMet: String,
    answers: [String: Answer], findings: [Finding] = [], reviews: [Review] = [],
    notes: String = "", signed: Bool = true, standInFor: String? = nil
  ) {
    self.standInFor = standInFor
    self.householdID = householdID
    self.date = date
    self.visitorID = visitorID
    self.personsMet = personsMet
    self.answers = answers
    self.findings = findings
    self.reviews = reviews
    self.notes = notes
    self.signed = signed
  }
}

/// Rules for visits and hazards: pure functions from a record and what was entered to the new
/// record, or a reason in Chinese why not. `today` is always passed in.
public enum VisitRules {
  /// Why an entry was refused.
  public struct Refusal: Error, Equatable, Sendable {
    /// What on the paper the refusal is about, so the form can put the cursor there.
    public enum Subject: Equatable, Sendable {
      case date
      case visitor
      /// The finding of a hazard check (its description or days).
      case finding(checkID: String)
      /// The 复查 row of a hazard.
      case review(hazardID: String)
    }
    public var message: String
    public var subject: Subject?
    public init(_ message: String, about subject: Subject? = nil) {
      self.message = message
      self.subject = subject
    }
  }

  /// Applies one paper form, entered with definition `form` (the visit keeps its `formID`):
  /// appends the visit, creates a hazard for each finding (closed at once when put right on
  /// the spot), and records each 复查. Returns the new record and the visit as saved.
  /// With `id`, the visit keeps that id (a correction of a visit taken back first) and its
  /// place among the household's visits by date.
  public static func record(
    _ entry: VisitEntry, in record: VisitRecord, form: VisitForm, today: CivilDate,
    id: String? = nil
  ) throws(Refusal) -> (record: VisitRecord, visit: Visit) {
    guard entry.householdID == record.householdID else {
      throw Refusal(ModelText.visitWrongHousehold)
    }
    guard entry.date <= today else {
      throw Refusal(ModelText.visitDateInFuture(today), about: .date)
    }
    if let twin = record.visits.first(where: {
      $0.date == entry.date && $0.visitorID == entry.visitorID
    }) {
      throw Refusal(ModelText.visitDuplicate(twin.date, twin.id), about: .date)
    }
    for (id, answer) in entry.answers {
      guard let (item, kind) = form.item(id: id) else {
        throw Refusal(ModelText.visitUnknownItem(id))
      }
      // A tick box takes y, n or -; a choice one of its own options' keys.
      let allowed =
        kind == .choice
        ? (item.options ?? []).contains { $0.key == answer.rawValue }
        : Answer.judgements.contains(answer)
      guard allowed else { throw Refusal(ModelText.visitAnswerNotOffered(item.label)) }
      let found = entry.findings.contains { $0.checkID == id }
      if kind == .hazard, (answer == .no) != found {
        throw Refusal(
          ModelText.visitFindingMismatch(form.label(of: id)), about: .finding(checkID: id))
      }
    }
    for finding in entry.findings {
      guard !finding.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw Refusal(
          ModelText.hazardNeedsDescription(form.label(of: finding.checkID)),
          about: .finding(checkID: finding.checkID))
      }
      guard finding.deadlineDays >= 0 else {
        throw Refusal(ModelText.hazardNegativeDays, about: .finding(checkID: finding.checkID))
      }
    }

    var result = record
    var visit = Visit(
      id: id ?? record.nextVisitID(), householdID: record.householdID, date: entry.date,
      visitorID: entry.visitorID,
      personsMet: entry.personsMet.trimmingCharacters(in: .whitespacesAndNewlines),
      answers: entry.answers, notes: entry.notes.trimmingCharacters(in: .whitespacesAndNewlines),
      signed: entry.signed,
      formID: form.formID)
    visit.standInFor = entry.standInFor

    for review in entry.reviews {
      guard let index = result.hazards.firstIndex(where: { $0.id == review.hazardID }) else {
        throw Refusal(ModelText.hazardUnknown(review.hazardID))
      }
      let hazard = result.hazards[index]
      guard hazard.closedOn == nil else {
        throw Refusal(
          ModelText.hazardAlreadyClosed(form.label(of: hazard.checkID)),
          about: .review(hazardID: hazard.id))
      }
      guard hazard.foundOn <= entry.date else {
        throw Refusal(ModelText.reviewBeforeFound(hazard.foundOn), about: .date)
      }
      result.hazards[index].events.append(
        reviewEvent(review, date: entry.date, visitID: visit.id))
    }

    for (offset, finding) in entry.findings.enumerated() {
      let deadline = entry.date.adding(days: finding.deadlineDays)
      var events = [
        HazardEvent(kind: .found, date: entry.date, visitID: visit.id, deadline: deadline)
      ]
      if finding.deadlineDays == 0 {
        events.append(HazardEvent(kind: .rectifiedOnSpot, date: entry.date, visitID: visit.id))
      }
      result.hazards.append(
        Hazard(
          id: record.nextHazardID(offset: offset), householdID: record.householdID,
          checkID: finding.checkID,
          description: finding.description.trimmingCharacters(in: .whitespacesAndNewlines),
          events: events))
    }

    // Keep visits by date; a form typed late goes where its date puts it.
    let insertAt = result.visits.lastIndex(where: { $0.date <= visit.date }).map { $0 + 1 } ?? 0
    result.visits.insert(visit, at: insertAt)
    result.hazards.sort { $0.foundOn < $1.foundOn }
    return (result, visit)
  }

  private static func reviewEvent(_ review: VisitEntry.Review, date: CivilDate, visitID: String)
    -> HazardEvent
  {
    switch review.outcome {
    case .rectified:
      return HazardEvent(kind: .verified, date: date, visitID: visitID, note: review.note)
    case .notRectified:
      return HazardEvent(kind: .notRectified, date: date, visitID: visitID, note: review.note)
    case .extended(let days):
      return HazardEvent(
        kind: .extended, date: date, visitID: visitID, deadline: date.adding(days: max(0, days)),
        note: review.note)
    }
  }

  /// An office entry on a hazard without a visit: the household reported it put right, or the
  /// deadline was changed. Closing needs a 复查 visit.
  public static func update(
    hazardID: String, in record: VisitRecord, event: HazardEvent, today: CivilDate
  ) throws(Refusal) -> VisitRecord {
    guard event.kind == .reportedRectified || event.kind == .extended else {
      throw Refusal(ModelText.hazardOfficeEventNotAllowed)
    }
    guard let index = record.hazards.firstIndex(where: { $0.id == hazardID }) else {
      throw Refusal(ModelText.hazardUnknown(hazardID))
    }
    let hazard = record.hazards[index]
    guard hazard.closedOn == nil else { throw Refusal(ModelText.hazardAlreadyClosedPlain) }
    guard event.date <= today else { throw Refusal(ModelText.visitDateInFuture(today)) }
    if event.kind == .extended {
      guard let deadline = event.deadline, deadline >= event.date else {
        throw Refusal(ModelText.extensionBeforeToday)
      }
    }
    var result = record
    result.hazards[index].events.append(event)
    return result
  }

  /// Takes back a visit typed by mistake (撤销): the visit, the events recorded on it, and the
  /// hazards it found. Refused when a later visit already re-inspected one of those hazards.
  public static func remove(visitID: String, from record: VisitRecord) throws(Refusal)
    -> VisitRecord
  {
    guard record.visits.contains(where: { $0.id == visitID }) else {
      throw Refusal(ModelText.visitUnknown(visitID))
    }
    var result = record
    // A hazard a later visit re-inspected would lose its finding: the clerk is told which
    // visit to deal with first.
    for hazard in record.hazards where hazard.foundInVisit == visitID {
      if let later = hazard.events.first(where: { $0.visitID != nil && $0.visitID != visitID }) {
        throw Refusal(
          ModelText.visitHasLaterReviews(hazard.description, later.date, later.visitID ?? ""))
      }
    }
    result.visits.removeAll { $0.id == visitID }
    result.hazards.removeAll { $0.foundInVisit == visitID }
    for index in result.hazards.indices {
      result.hazards[index].events.removeAll { $0.visitID == visitID }
    }
    return result
  }
}

extension ModelText {
  static let visitWrongHousehold = "走访记录与户不符"
  static func visitDateInFuture(_ today: CivilDate) -> String {
    "日期不能晚于今天（\(today)）"
  }
  static func visitDuplicate(_ date: CivilDate, _ id: String) -> String {
    "该户 \(date) 已有同一走访人的记录（\(id)），请勿重复录入"
  }
  static func visitUnknownItem(_ id: String) -> String { "走访表没有这一项：\(id)" }
  static func visitAnswerNotOffered(_ label: String) -> String { "「\(label)」的答案不在表上的选项里" }
  static func visitFindingMismatch(_ label: String) -> String {
    "“\(label)”的隐患记录与选择不一致"
  }
  static func hazardNeedsDescription(_ label: String) -> String { "请填写“\(label)”的隐患情况" }
  static let hazardNegativeDays = "整改期限天数不能为负"
  static func hazardUnknown(_ id: String) -> String { "找不到隐患 \(id)" }
  static func hazardAlreadyClosed(_ label: String) -> String { "“\(label)”隐患已销号，无需复查" }
  static let hazardAlreadyClosedPlain = "该隐患已销号"
  static func reviewBeforeFound(_ date: CivilDate) -> String {
    "复查日期不能早于发现日期（\(date)）"
  }
  static let hazardOfficeEventNotAllowed = "销号须经入户复查"
  static let extensionBeforeToday = "新的整改期限不能早于登记日期"
  static func visitUnknown(_ id: String) -> String { "找不到走访记录 \(id)" }
  static func visitHasLaterReviews(_ hazard: String, _ date: CivilDate, _ visitID: String)
    -> String
  {
    "这次走访发现的隐患（\(hazard)）已在 \(date) 的走访（\(visitID)）中复查：请先更正或撤销那次走访"
  }
}
