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
struct HouseholdFileReader {
  private var json: JSONCursor

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { json = JSONCursor(bytes) }

  /// The file, or nil when it is not in the shape this reader takes.
  static func read(_ data: Data) -> HouseholdFile? {
    data.withUnsafeBytes { raw in
      var reader = HouseholdFileReader(raw.bindMemory(to: UInt8.self))
      return reader.file()
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

  /// Reads `{ key : value , … }`, handing each key's index in `keys` to `value`, which reads
  /// the value; false (give up) on an unknown or repeated key, or when `value` gives up.
  private mutating func object(
    _ keys: JSONWords, _ value: (inout HouseholdFileReader, Int) -> Bool
  ) -> Bool {
    guard json.consume(0x7B) else { return false }  // {
    if json.consume(0x7D) { return true }
    var seen: UInt32 = 0  // a bit per index of `keys`
    repeat {
      guard let key = json.oneOf(keys), seen & 1 << key == 0, json.consume(0x3A) else {
        return false
      }
      seen |= 1 << key
      guard value(&self, key) else { return false }
    } while json.consume(0x2C)
    return json.consume(0x7D)
  }

  private mutating func file() -> HouseholdFile? {
    var schemaVersion: Int?
    var savedBy = ""
    var savedAt = ""
    var household: Household?
    let read = object(Self.fileKeys) { reader, key in
      switch key {
      case 0:
        schemaVersion = reader.json.integer()
        return schemaVersion != nil
      case 1:
        guard let text = reader.json.string() else { return false }
        savedBy = text
      case 2:
        guard let text = reader.json.string() else { return false }
        savedAt = text
      default:
        household = reader.household()
        return household != nil
      }
      return true
    }
    json.skipWhitespace()
    guard read, json.index == json.bytes.count, let schemaVersion, let household else {
      return nil
    }
    return HouseholdFile(
      schemaVersion: schemaVersion, savedBy: savedBy, savedAt: savedAt, household: household)
  }

  private mutating func household() -> Household? {
    var id: String?
    var gridID: String?
    var number: String?
    var address: String?
    var persons: [Person]?
    var visitorID: String?
    let read = object(Self.householdKeys) { reader, key in
      switch key {
      case 0:
        id = reader.json.string()
        return id != nil
      case 1:
        gridID = reader.json.string()
        return gridID != nil
      case 2:
        number = reader.json.string()
        return number != nil
      case 3:
        address = reader.json.string()
        return address != nil
      case 4:
        persons = reader.persons()
        return persons != nil
      default:
        visitorID = reader.json.string()
        return visitorID != nil
      }
    }
    guard read, let id, let gridID, let number, let address, let persons else { return nil }
    return Household(
      id: id, gridID: gridID, number: number, address: address, persons: persons,
      visitorID: visitorID)
  }

  private mutating func persons() -> [Person]? {
    guard json.consume(0x5B) else { return nil }
    var persons: [Person] = []
    if json.consume(0x5D) { return persons }
    repeat {
      guard let person = person() else { return nil }
      persons.append(person)
    } while json.consume(0x2C)
    return json.consume(0x5D) ? persons : nil
  }

  private mutating func person() -> Person? {
    var id: String?
    var name: String?
    var relation: String?
    var sex: Sex?
    var idNumber: String?
    var phone: String?
    var groups: [VulnerableGroup]?
    var elderlyCare: ElderlyCare?
    let read = object(Self.personKeys) { reader, key in
      switch key {
      case 0:
        id = reader.json.string()
        return id != nil
      case 1:
        name = reader.json.string()
        return name != nil
      case 2:
        relation = reader.json.string()
        return relation != nil
      case 3:
        guard let index = reader.json.oneOf(Self.sexes) else { return false }
        sex = Sex.allCases[index]
        return true
      case 4:
        idNumber = reader.json.string()
        return idNumber != nil
      case 5:
        phone = reader.json.string()
        return phone != nil
      case 6:
        groups = reader.groups()
        return groups != nil
      default:
        elderlyCare = reader.elderlyCare()
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

  private mutating func groups() -> [VulnerableGroup]? {
    guard json.consume(0x5B) else { return nil }
    var groups: [VulnerableGroup] = []
    if json.consume(0x5D) { return groups }
    repeat {
      guard let index = json.oneOf(Self.groups) else { return nil }
      groups.append(VulnerableGroup.allCases[index])
    } while json.consume(0x2C)
    return json.consume(0x5D) ? groups : nil
  }

  private mutating func elderlyCare() -> ElderlyCare? {
    var care = ElderlyCare()
    let read = object(Self.careKeys) { reader, key in
      switch key {
      case 3:
        guard let index = reader.json.oneOf(Self.selfCares) else { return false }
        care.selfCare = ElderlyCare.SelfCare.allCases[index]
      case 8:
        guard let value = reader.json.bool() else { return false }
        care.smokeAlarm = value
      case 9:
        guard let value = reader.json.bool() else { return false }
        care.extinguisher = value
      default:
        guard let text = reader.json.string() else { return false }
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
