import FiregridModel
import Foundation

/// Reads a household file (`households/<id>.json`, 一户一档) straight from its bytes into the
/// model, like `VisitFileReader` does for visit files: JSONDecoder's keyed containers (every
/// person's eight keys, its enums) were a quarter of a season's open, and the shape is one this
/// program writes itself (`DataFolder.householdImage`).
///
/// It takes exactly the JSON grammar (any white space, any key order, every string escape) for
/// the keys of `HouseholdFile`, `Household`, `Person` and `ElderlyCare`, optional keys absent
/// as JSONDecoder reads them (`savedBy`/`savedAt` "", `sex`, `visitorID`, `elderlyCare` and
/// each care fact nil or ""), and returns nil on anything else — an unknown key, a null, a
/// number where a string belongs, an unknown group or sex, a key written twice, invalid UTF-8
/// — so the caller decodes the file with `StrictJSON` and JSONDecoder instead, which either
/// reads it or says where it is broken in the words it always used. A repeated key therefore
/// never reaches a result here: the reader gives up on it, and `StrictJSON` refuses the file.
enum HouseholdFileReader {
  /// The file, or nil when it is not in the shape this reader takes.
  static func read(_ data: Data) -> HouseholdFile? {
    data.withUnsafeBytes { raw in
      var json = JSONCursor(raw.bindMemory(to: UInt8.self))
      guard let file = file(&json), json.isAtEnd() else { return nil }
      return file
    }
  }

  private static let fileKeys = JSONWords(["schemaVersion", "savedBy", "savedAt", "household"])
  private static let householdKeys = JSONWords([
    "id", "gridID", "number", "address", "persons", "visitorID",
  ])
  private static let personKeys = JSONWords([
    "id", "name", "relation", "sex", "idNumber", "phone", "groups", "elderlyCare",
  ])
  private static let careKeys = JSONWords([
    "guardianName", "guardianRelation", "guardianPhone", "selfCare", "livingSituation",
    "helperName", "helperPhone", "visitFrequency", "smokeAlarm", "extinguisher", "notes",
  ])
  private static let sexes = JSONWords(Sex.allCases.map(\.rawValue))
  private static let groups = JSONWords(VulnerableGroup.allCases.map(\.rawValue))
  private static let selfCares = JSONWords(ElderlyCare.SelfCare.allCases.map(\.rawValue))

  private static func file(_ json: inout JSONCursor) -> HouseholdFile? {
    var schemaVersion: Int?
    var savedBy = ""
    var savedAt = ""
    var household: Household?
    let read = json.object(fileKeys) { json, key in
      switch key {
      case 0:
        schemaVersion = json.integer()
        return schemaVersion != nil
      case 1:
        guard let text = json.string() else { return false }
        savedBy = text
      case 2:
        guard let text = json.string() else { return false }
        savedAt = text
      default:
        household = Self.household(&json)
        return household != nil
      }
      return true
    }
    guard read, let schemaVersion, let household else { return nil }
    return HouseholdFile(
      schemaVersion: schemaVersion, savedBy: savedBy, savedAt: savedAt, household: household)
  }

  private static func household(_ json: inout JSONCursor) -> Household? {
    var id: String?
    var gridID: String?
    var number: String?
    var address: String?
    var persons: [Person]?
    var visitorID: String?
    let read = json.object(householdKeys) { json, key in
      switch key {
      case 0:
        id = json.string()
        return id != nil
      case 1:
        gridID = json.string()
        return gridID != nil
      case 2:
        number = json.string()
        return number != nil
      case 3:
        address = json.string()
        return address != nil
      case 4:
        persons = json.array(Self.person)
        return persons != nil
      default:
        visitorID = json.string()
        return visitorID != nil
      }
    }
    guard read, let id, let gridID, let number, let address, let persons else { return nil }
    return Household(
      id: id, gridID: gridID, number: number, address: address, persons: persons,
      visitorID: visitorID)
  }

  private static func person(_ json: inout JSONCursor) -> Person? {
    var id: String?
    var name: String?
    var relation: String?
    var sex: Sex?
    var idNumber: String?
    var phone: String?
    var groups: [VulnerableGroup]?
    var elderlyCare: ElderlyCare?
    let read = json.object(personKeys) { json, key in
      switch key {
      case 0:
        id = json.string()
        return id != nil
      case 1:
        name = json.string()
        return name != nil
      case 2:
        relation = json.string()
        return relation != nil
      case 3:
        guard let index = json.oneOf(Self.sexes) else { return false }
        sex = Sex.allCases[index]
        return true
      case 4:
        idNumber = json.string()
        return idNumber != nil
      case 5:
        phone = json.string()
        return phone != nil
      case 6:
        groups = json.array { json in
          json.oneOf(Self.groups).map { VulnerableGroup.allCases[$0] }
        }
        return groups != nil
      default:
        elderlyCare = Self.elderlyCare(&json)
        return elderlyCare != nil
      }
    }
    guard read, let id, let name, let relation, let idNumber, let phone, let groups else {
      return nil
    }
    return Person(
      id: id, name: name, relation: relation, sex: sex, idNumber: idNumber, phone: phone,
      groups: groups, elderlyCare: elderlyCare)
  }

  private static func elderlyCare(_ json: inout JSONCursor) -> ElderlyCare? {
    var care = ElderlyCare()
    let read = json.object(careKeys) { json, key in
      switch key {
      case 3:
        guard let index = json.oneOf(Self.selfCares) else { return false }
        care.selfCare = ElderlyCare.SelfCare.allCases[index]
      case 8:
        guard let value = json.bool() else { return false }
        care.smokeAlarm = value
      case 9:
        guard let value = json.bool() else { return false }
        care.extinguisher = value
      default:
        guard let text = json.string() else { return false }
        switch key {
        case 0: care.guardianName = text
        case 1: care.guardianRelation = text
        case 2: care.guardianPhone = text
        case 4: care.livingSituation = text
        case 5: care.helperName = text
        case 6: care.helperPhone = text
        case 7: care.visitFrequency = text
        default: care.notes = text
        }
      }
      return true
    }
    return read ? care : nil
  }
}

/// Reads a grid's contact-log file (`contacts/<grid>.json`) straight from its bytes, as
/// `HouseholdFileReader` reads household files: the keys of `ContactFile` and `ContactLog`,
/// every one of them present (their decoding requires them all), dates in their stored form;
/// nil on anything else, and JSONDecoder decides. Contact files were 7% of a season's open
/// through JSONDecoder.
enum ContactFileReader {
  static func read(_ data: Data) -> ContactFile? {
    data.withUnsafeBytes { raw in
      var json = JSONCursor(raw.bindMemory(to: UInt8.self))
      guard let file = file(&json), json.isAtEnd() else { return nil }
      return file
    }
  }

  private static let fileKeys = JSONWords(["schemaVersion", "savedBy", "savedAt", "gridID", "logs"])
  private static let logKeys = JSONWords([
    "gridID", "week", "contacted", "riskReport", "recordedOn",
  ])

  private static func file(_ json: inout JSONCursor) -> ContactFile? {
    var schemaVersion: Int?
    var savedBy: String?
    var savedAt: String?
    var gridID: String?
    var logs: [ContactLog]?
    let read = json.object(fileKeys) { json, key in
      switch key {
      case 0:
        schemaVersion = json.integer()
        return schemaVersion != nil
      case 1:
        savedBy = json.string()
        return savedBy != nil
      case 2:
        savedAt = json.string()
        return savedAt != nil
      case 3:
        gridID = json.string()
        return gridID != nil
      default:
        logs = json.array(Self.log)
        return logs != nil
      }
    }
    guard read, let schemaVersion, let savedBy, let savedAt, let gridID, let logs else {
      return nil
    }
    return ContactFile(
      schemaVersion: schemaVersion, savedBy: savedBy, savedAt: savedAt, gridID: gridID,
      logs: logs)
  }

  private static func log(_ json: inout JSONCursor) -> ContactLog? {
    var gridID: String?
    var week: CivilDate?
    var contacted: Bool?
    var riskReport: String?
    var recordedOn: CivilDate?
    let read = json.object(logKeys) { json, key in
      switch key {
      case 0:
        gridID = json.string()
        return gridID != nil
      case 1:
        week = json.date()
        return week != nil
      case 2:
        contacted = json.bool()
        return contacted != nil
      case 3:
        riskReport = json.string()
        return riskReport != nil
      default:
        recordedOn = json.date()
        return recordedOn != nil
      }
    }
    guard read, let gridID, let week, let contacted, let riskReport, let recordedOn else {
      return nil
    }
    // The stored week as it is, as the synthesized decoding sets it (the initializer would
    // move it to its Monday).
    var log = ContactLog(
      gridID: gridID, week: week, contacted: contacted, riskReport: riskReport,
      recordedOn: recordedOn)
    log.week = week
    return log
  }
}
