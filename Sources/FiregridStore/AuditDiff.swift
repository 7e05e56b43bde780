import FiregridModel
import FiregridRepository
import Foundation

/// Field-level differences between two versions of a record, as `AuditChange`s, in a fixed order.
///
/// How values are rendered (stable across wording changes of the user-facing catalog; the
/// history screen turns codes into labels when it shows them):
/// - text fields as they are; an optional that is nil (`sex`, `visitorID`, `gridLeaderID`) as nil;
/// - enums by raw value (`sex` "male"/"female", `role` "townCadre", ...): map back with
///   `VulnerableGroup(rawValue:)?.label` and friends;
/// - lists (`groups`, `volunteers`) joined with "、", groups by raw value in stored order
///   ("elderlyLivingAlone、disabled"); an empty list is "" (not nil);
/// - a whole record ("*": created or deleted) or a whole member ("persons[p0000002]": added or
///   removed) as its compact JSON with sorted keys, so nothing is lost and the history screen
///   can decode it back into the model type (`JSONDecoder().decode(Household.self, ...)`).
///
/// Field names are the model's property names: "gridID", "number", "address", "visitorID",
/// "persons[<person id>].name" / ".relation" / ".sex" / ".idNumber" / ".phone" / ".groups" /
/// ".elderlyCare" (compact JSON with sorted keys, nil when never entered),
/// and "persons" (before/after: member ids joined with "、") when only the order of members
/// changed. Order of changes: the record's own fields in declaration order, then each member in
/// the new order (added, or its changed fields), then removed members in the old order, then
/// the members' order.
///
/// A record whose id changed is reported as the old one deleted and the new one created.
public enum AuditDiff {
  /// nil old = created ("*", nil, JSON), nil new = deleted ("*", JSON, nil).
  public static func changes(from old: Household?, to new: Household?) -> [AuditChange] {
    diff(kind: "household", old, new, id: \.id) { old, new, out in
      out.field("gridID", old.gridID, new.gridID)
      out.field("number", old.number, new.number)
      out.field("address", old.address, new.address)
      out.field("visitorID", old.visitorID, new.visitorID)
      persons(old.persons, new.persons, into: &out)
    }
  }

  public static func changes(from old: Village?, to new: Village?) -> [AuditChange] {
    diff(kind: "village", old, new, id: \.id) { old, new, out in
      out.field("name", old.name, new.name)
      out.field("liaison", old.liaison, new.liaison)
      out.field("liaisonPhone", old.liaisonPhone, new.liaisonPhone)
    }
  }

  public static func changes(from old: Grid?, to new: Grid?) -> [AuditChange] {
    diff(kind: "grid", old, new, id: \.id) { old, new, out in
      out.field("villageID", old.villageID, new.villageID)
      out.field("name", old.name, new.name)
      out.field("gridLeaderID", old.gridLeaderID, new.gridLeaderID)
      out.field("wechatGroup", old.wechatGroup, new.wechatGroup)
      out.field("volunteers", list(old.volunteers), list(new.volunteers))
    }
  }

  public static func changes(from old: Visitor?, to new: Visitor?) -> [AuditChange] {
    diff(kind: "visitor", old, new, id: \.id) { old, new, out in
      out.field("name", old.name, new.name)
      out.field("role", old.role.rawValue, new.role.rawValue)
      out.field("phone", old.phone, new.phone)
    }
  }

  /// Record "town".
  public static func changes(from old: Town, to new: Town) -> [AuditChange] {
    guard old != new else { return [] }
    var out = Collector(record: "town")
    out.field("name", old.name, new.name)
    out.field("county", old.county, new.county)
    out.field("countyCode", old.countyCode, new.countyCode)
    return out.changes
  }

  /// A household's visit record: each visit added or removed ("visit/<id>", "*", JSON), each
  /// hazard added or removed ("hazard/<id>", "*", JSON), and each hazard event added
  /// ("hazard/<id>", "events[<n>]", nil, JSON of the event) or removed (JSON, nil). A visit
  /// or hazard changed in place (a correction) is its old JSON and its new JSON under "*".
  public static func changes(from old: VisitRecord?, to new: VisitRecord) -> [AuditChange] {
    changes(from: old, to: new, visitRecord: "visit")
  }

  /// The record name of a premises' inspections ("inspection/c00001-v1"); its hazards are
  /// "hazard/c00001-z1", told from a household's by the id.
  public static let inspectionRecord = "inspection"

  /// A visit record whose visits are named `visitRecord` ("visit", or "inspection" for a
  /// premises' inspections), as `changes(from:to:)` above.
  public static func changes(from old: VisitRecord?, to new: VisitRecord, visitRecord: String)
    -> [AuditChange]
  {
    var result: [AuditChange] = []
    let oldVisits = Dictionary(
      (old?.visits ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let newVisitIDs = Set(new.visits.map(\.id))
    for visit in new.visits where oldVisits[visit.id] != visit {
      result.append(
        AuditChange(
          record: "\(visitRecord)/\(visit.id)", field: "*",
          before: oldVisits[visit.id].map { json($0) },
          after: json(visit)))
    }
    for visit in old?.visits ?? [] where !newVisitIDs.contains(visit.id) {
      result.append(
        AuditChange(
          record: "\(visitRecord)/\(visit.id)", field: "*", before: json(visit), after: nil))
    }
    let oldHazards = Dictionary(
      (old?.hazards ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let newHazardIDs = Set(new.hazards.map(\.id))
    for hazard in new.hazards {
      let record = "hazard/\(hazard.id)"
      guard let before = oldHazards[hazard.id] else {
        result.append(AuditChange(record: record, field: "*", before: nil, after: json(hazard)))
        continue
      }
      guard before != hazard else { continue }
      var unchanged = before
      unchanged.events = hazard.events
      let onlyEventsAppendedOrRemoved =
        unchanged == hazard
        && (hazard.events.starts(with: before.events) || before.events.starts(with: hazard.events))
      guard onlyEventsAppendedOrRemoved else {
        result.append(
          AuditChange(record: record, field: "*", before: json(before), after: json(hazard)))
        continue
      }
      for index in before.events.count..<max(before.events.count, hazard.events.count) {
        result.append(
          AuditChange(
            record: record, field: "events[\(index)]", before: nil,
            after: json(hazard.events[index])))
      }
      for index in hazard.events.count..<max(hazard.events.count, before.events.count) {
        result.append(
          AuditChange(
            record: record, field: "events[\(index)]", before: json(before.events[index]),
            after: nil))
      }
    }
    for hazard in old?.hazards ?? [] where !newHazardIDs.contains(hazard.id) {
      result.append(
        AuditChange(record: "hazard/\(hazard.id)", field: "*", before: json(hazard), after: nil))
    }
    return result
  }

  /// A premises ("premises/<id>"): "gridID", "name", "kind" and "businessKind" by raw value
  /// ("office", "shop"…; nil for none), "address", "responsiblePerson", "responsiblePhone",
  /// "floors", "floorArea", "sleepers" as numbers in words (nil when not known), "peopleSleep"
  /// "true"/"false" (nil: not asked), "householdID", "visitorID".
  public static func changes(from old: Premises?, to new: Premises?) -> [AuditChange] {
    diff(kind: "premises", old, new, id: \.id) { old, new, out in
      out.field("gridID", old.gridID, new.gridID)
      out.field("name", old.name, new.name)
      out.field("kind", old.kind.rawValue, new.kind.rawValue)
      out.field("businessKind", old.businessKind?.rawValue, new.businessKind?.rawValue)
      out.field("address", old.address, new.address)
      out.field("responsiblePerson", old.responsiblePerson, new.responsiblePerson)
      out.field("responsiblePhone", old.responsiblePhone, new.responsiblePhone)
      out.field("floors", old.floors.map(String.init), new.floors.map(String.init))
      out.field("floorArea", old.floorArea.map(String.init), new.floorArea.map(String.init))
      out.field(
        "peopleSleep", old.peopleSleep.map { String($0) }, new.peopleSleep.map { String($0) })
      out.field("sleepers", old.sleepers.map(String.init), new.sleepers.map(String.init))
      out.field("householdID", old.householdID, new.householdID)
      out.field("visitorID", old.visitorID, new.visitorID)
    }
  }

  /// One week of a grid's contact log ("contact/<grid id>", "<week>", JSON before/after).
  public static func changes(from old: ContactLog?, to new: ContactLog) -> [AuditChange] {
    guard old != new else { return [] }
    return [
      AuditChange(
        record: "contact/\(new.gridID)", field: new.week.description, before: old.map { json($0) },
        after: json(new))
    ]
  }

  /// A campaign added or changed ("campaign/<name>", "*").
  public static func changes(from old: Campaign?, to new: Campaign) -> [AuditChange] {
    guard old != new else { return [] }
    return [
      AuditChange(
        record: "campaign/\(new.name)", field: "*", before: old.map { json($0) }, after: json(new))
    ]
  }

  // MARK: Supervision (督查)

  /// The town's supervision records going from `old` to `new`: each deployment, sample, spot
  /// check and notice in the new order (added, or its changed fields), then those removed in
  /// the old order; deployments first, then samples, spot checks and notices. The order of a
  /// list alone is not a change (the records are kept in order of entry).
  public static func changes(from old: SupervisionData, to new: SupervisionData) -> [AuditChange] {
    var result = byID(old.deployments, new.deployments, changes(from:to:))
    result += byID(old.samples, new.samples, changes(from:to:))
    result += byID(old.spotChecks, new.spotChecks, changes(from:to:))
    result += byID(old.notices, new.notices, changes(from:to:))
    return result
  }

  /// A village's deployment ("deployment/<village id>"): "linkLeader", and its meeting —
  /// recorded or taken back as a whole ("meeting", compact JSON), or field by field
  /// ("meeting.date" as YYYY-MM-DD, ".place", ".chairedBy", ".attendees" joined with "、",
  /// ".liaison", ".recorder", ".notes").
  public static func changes(from old: VillageDeployment?, to new: VillageDeployment?)
    -> [AuditChange]
  {
    diff(kind: "deployment", old, new, id: \.villageID) { old, new, out in
      out.field("linkLeader", old.linkLeader, new.linkLeader)
      switch (old.meeting, new.meeting) {
      case (nil, nil):
        break
      case (let before?, let after?):
        out.field("meeting.date", before.date.description, after.date.description)
        out.field("meeting.place", before.place, after.place)
        out.field("meeting.chairedBy", before.chairedBy, after.chairedBy)
        out.field("meeting.attendees", list(before.attendees), list(after.attendees))
        out.field("meeting.liaison", before.liaison, after.liaison)
        out.field("meeting.recorder", before.recorder, after.recorder)
        out.field("meeting.notes", before.notes, after.notes)
      case (let before, let after):
        out.field("meeting", before.map { json($0) }, after.map { json($0) })
      }
    }
  }

  /// A spot-check sample ("sample/<id>"): drawn ("*", nil, JSON) or removed. Samples are never
  /// edited (the seed, round and roster fix the households); one changed all the same is its
  /// old JSON and its new JSON under "*", so nothing is lost.
  public static func changes(from old: SpotCheckSample?, to new: SpotCheckSample?)
    -> [AuditChange]
  {
    whole(kind: "sample", old, new, id: \.id)
  }

  /// A spot check ("spotcheck/<household id>-c<n>"): "householdID", "sampleID" (nil outside
  /// a sample), "round", "date", "inspector", "answers" (packed like a visit's: "id=a" sorted
  /// by item id, joined with spaces), "missedHazards", "notes", "formID", "recordedVisitIDs"
  /// (joined with "、").
  public static func changes(from old: SpotCheck?, to new: SpotCheck?) -> [AuditChange] {
    diff(kind: "spotcheck", old, new, id: \.id) { old, new, out in
      out.field("householdID", old.householdID, new.householdID)
      out.field("sampleID", old.sampleID, new.sampleID)
      out.field("round", String(old.round), String(new.round))
      out.field("date", old.date.description, new.date.description)
      out.field("inspector", old.inspector, new.inspector)
      out.field("answers", packed(old.answers), packed(new.answers))
      out.field("missedHazards", old.missedHazards, new.missedHazards)
      out.field("notes", old.notes, new.notes)
      out.field("formID", old.formID, new.formID)
      out.field("recordedVisitIDs", list(old.recordedVisitIDs), list(new.recordedVisitIDs))
    }
  }

  /// A notice issued ("notice/<id>"): "kind" by raw value ("criticism", "admonition"),
  /// "number", "issuedOn", "campaign", "round", and "persons" as compact JSON of the whole list.
  public static func changes(from old: IssuedNotice?, to new: IssuedNotice?) -> [AuditChange] {
    diff(kind: "notice", old, new, id: \.id) { old, new, out in
      out.field("kind", old.kind.rawValue, new.kind.rawValue)
      out.field("number", old.number, new.number)
      out.field("issuedOn", old.issuedOn.description, new.issuedOn.description)
      out.field("campaign", old.campaign, new.campaign)
      out.field("round", String(old.round), String(new.round))
      out.field("persons", json(old.persons), json(new.persons))
    }
  }

  /// The separator of rendered lists.
  public static let listSeparator = "、"

  // MARK: Helpers

  private struct Collector {
    let record: String
    var changes: [AuditChange] = []

    mutating func field(_ name: String, _ before: String?, _ after: String?) {
      guard before != after else { return }
      changes.append(AuditChange(record: record, field: name, before: before, after: after))
    }
  }

  private static func diff<T: Encodable & Equatable>(
    kind: String, _ old: T?, _ new: T?, id: (T) -> String,
    fields: (T, T, inout Collector) -> Void
  ) -> [AuditChange] {
    switch (old, new) {
    case (nil, nil):
      return []
    case (nil, let new?):
      return [AuditChange(record: "\(kind)/\(id(new))", field: "*", before: nil, after: json(new))]
    case (let old?, nil):
      return [AuditChange(record: "\(kind)/\(id(old))", field: "*", before: json(old), after: nil)]
    case (let old?, let new?):
      guard id(old) == id(new) else {
        return diff(kind: kind, old, nil, id: id, fields: fields)
          + diff(kind: kind, nil, new, id: id, fields: fields)
      }
      guard old != new else { return [] }
      var out = Collector(record: "\(kind)/\(id(new))")
      fields(old, new, &out)
      return out.changes
    }
  }

  /// A record that is only ever added or removed whole: "*" with its JSON; changed in place,
  /// its old JSON and its new JSON.
  private static func whole<T: Encodable & Equatable>(
    kind: String, _ old: T?, _ new: T?, id: (T) -> String
  ) -> [AuditChange] {
    if let old, let new, id(old) == id(new) {
      guard old != new else { return [] }
      return [
        AuditChange(record: "\(kind)/\(id(new))", field: "*", before: json(old), after: json(new))
      ]
    }
    return diff(kind: kind, old, new, id: id) { _, _, _ in }
  }

  /// Each record of `new` against the one of `old` with its id (added or changed), then each
  /// of `old` no longer in `new` (removed). Against a repeated id of `old`, its first record.
  static func byID<T: Identifiable>(
    _ old: [T], _ new: [T], _ changes: (T?, T?) -> [AuditChange]
  ) -> [AuditChange] where T.ID == String {
    let before = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let after = Dictionary(new.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var result: [AuditChange] = []
    for item in new { result += changes(before[item.id], item) }
    for item in old where after[item.id] == nil { result += changes(item, nil) }
    return result
  }

  /// Answers packed as a visit stores them: "id=a" sorted by item id, joined with spaces.
  private static func packed(_ answers: [String: Answer]) -> String {
    answers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" }
      .joined(separator: " ")
  }

  private static func persons(_ old: [Person], _ new: [Person], into out: inout Collector) {
    let oldKeys = keys(old)
    let newKeys = keys(new)
    let oldByKey = Dictionary(uniqueKeysWithValues: zip(oldKeys, old))
    let newKeySet = Set(newKeys)
    for (key, person) in zip(newKeys, new) {
      let prefix = "persons[\(key)]"
      guard let before = oldByKey[key] else {
        out.field(prefix, nil, json(person))
        continue
      }
      out.field("\(prefix).name", before.name, person.name)
      out.field("\(prefix).relation", before.relation, person.relation)
      out.field("\(prefix).sex", before.sex?.rawValue, person.sex?.rawValue)
      out.field("\(prefix).idNumber", before.idNumber, person.idNumber)
      out.field("\(prefix).phone", before.phone, person.phone)
      out.field(
        "\(prefix).groups", list(before.groups.map(\.rawValue)), list(person.groups.map(\.rawValue))
      )
      out.field(
        "\(prefix).elderlyCare", before.elderlyCare.map { json($0) },
        person.elderlyCare.map { json($0) })
    }
    for (key, person) in zip(oldKeys, old) where !newKeySet.contains(key) {
      out.field("persons[\(key)]", json(person), nil)
    }
    let oldKeySet = Set(oldKeys)
    let oldOrder = oldKeys.filter { newKeySet.contains($0) }
    let newOrder = newKeys.filter { oldKeySet.contains($0) }
    out.field("persons", list(oldOrder), list(newOrder))
  }

  /// Member ids as keys; a repeated id (which validation should never let through) becomes
  /// "id#2", "id#3" so no member is silently left out of the diff.
  private static func keys(_ persons: [Person]) -> [String] {
    var seen: [String: Int] = [:]
    return persons.map { person in
      let count = (seen[person.id] ?? 0) + 1
      seen[person.id] = count
      return count == 1 ? person.id : "\(person.id)#\(count)"
    }
  }

  private static func list(_ items: [String]) -> String {
    items.joined(separator: listSeparator)
  }

  /// Compact JSON with sorted keys; "" if the value cannot be encoded (never for model types).
  static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "" }
    return String(decoding: data, as: UTF8.self)
  }
}
