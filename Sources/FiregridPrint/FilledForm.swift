import FiregridModel

/// A saved visit as the printed form needs it: the answers, and under each hazard check the
/// hazards found on that visit with their deadline and their latest event.
struct FilledForm: Equatable {
  struct FoundHazard: Equatable {
    var description: String
    var deadline: CivilDate
    /// The latest event after it was found (e.g. 复查已整改，销号 12-10); empty while open.
    var status: String
  }

  var visitID: String
  /// The form definition the visit was entered with, which the page is drawn from.
  var formID: String
  /// The household's id, or the premises' for an inspection.
  var subjectID: String
  /// An inspection of premises (from `TownData.premisesRecords`).
  var isPremises: Bool
  var date: CivilDate
  var visitorName: String
  var personsMet: String
  var answers: [String: Answer]
  /// Hazard check id → the hazards found there, in the order found.
  var hazards: [String: [FoundHazard]]
  var notes: String
  var signed: Bool
  /// e.g. 第3轮（12-16至12-31）, the round the visit fell in.
  var round: String?

  /// The visit with `id` from the town's records, households' (h000001-v2) or premises'
  /// (c00001-v1), or nil when there is none.
  init?(visitID id: String, town: TownData) {
    // The record is named by the id before "-v"; a record elsewhere is looked for after.
    let owner = id.range(of: "-v", options: .backwards).map { String(id[..<$0.lowerBound]) }
    for (records, isPremises) in [(town.visitRecords, false), (town.premisesRecords, true)] {
      if let owner, let record = records[owner],
        let visit = record.visits.first(where: { $0.id == id })
      {
        self.init(visit: visit, record: record, town: town, isPremises: isPremises)
        return
      }
    }
    for (records, isPremises) in [(town.visitRecords, false), (town.premisesRecords, true)] {
      if let record = records.values.first(where: { $0.visits.contains { $0.id == id } }),
        let visit = record.visits.first(where: { $0.id == id })
      {
        self.init(visit: visit, record: record, town: town, isPremises: isPremises)
        return
      }
    }
    return nil
  }

  init(visit: Visit, record: VisitRecord, town: TownData, isPremises: Bool = false) {
    visitID = visit.id
    formID = visit.formID
    subjectID = visit.householdID
    self.isPremises = isPremises
    date = visit.date
    visitorName = town.visitor(id: visit.visitorID)?.name ?? ""
    personsMet = visit.personsMet
    answers = visit.answers
    var hazards: [String: [FoundHazard]] = [:]
    for hazard in record.hazards where hazard.foundInVisit == visit.id {
      let last = hazard.events.count > 1 ? hazard.events.last : nil
      let status = last.map { "\($0.kind.label) \($0.date.monthDay)" } ?? ""
      hazards[hazard.checkID, default: []].append(
        FoundHazard(
          description: hazard.description,
          deadline: hazard.events.first?.deadline ?? hazard.deadline, status: status))
    }
    // A return visit's 复查 of earlier hazards, in their rows: what this paper recorded.
    for hazard in record.hazards where hazard.foundInVisit != visit.id {
      for event in hazard.events where event.visitID == visit.id {
        hazards[hazard.checkID, default: []].append(
          FoundHazard(
            description: PrintText.reviewed(hazard.description, hazard.foundOn),
            deadline: event.deadline ?? hazard.deadline,
            status: "\(event.kind.label) \(event.date.monthDay)"))
      }
    }
    self.hazards = hazards
    notes = visit.notes
    signed = visit.signed
    round = town.campaign(on: visit.date).round(on: visit.date)?.label
  }
}

extension FilledForm {
  /// A household's (or premises') hazards still open, by check, for the pre-printed form of
  /// its next visit: the visitor sees what to re-inspect and writes the outcome in 复查情况.
  static func dueForReview(_ record: VisitRecord?) -> [String: [FoundHazard]] {
    var due: [String: [FoundHazard]] = [:]
    for hazard in record?.hazards ?? [] where hazard.closedOn == nil {
      due[hazard.checkID, default: []].append(
        FoundHazard(
          description: PrintText.toReview(hazard.description, hazard.foundOn),
          deadline: hazard.deadline, status: ""))
    }
    return due
  }
}
