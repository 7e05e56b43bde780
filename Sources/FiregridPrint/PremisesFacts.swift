import FiregridModel

/// What a premises' form says about it, looked up once: the header lines of its paper form
/// (`VisitForm.header`) and where it is. The responsible person's phone is printed in full:
/// the paper is how the visitor reaches them.
struct PremisesFacts: Equatable {
  var premisesID: String
  var name: String
  var kind: PremisesKind
  var businessKind: BusinessKind?
  var address: String
  var responsiblePerson: String
  var responsiblePhone: String
  var floors: Int?
  var floorArea: Int?
  var peopleSleep: Bool?
  var sleepers: Int?
  var villageName: String
  var gridName: String
  var visitorName: String

  init(premises: Premises, town: TownData) {
    premisesID = premises.id
    name = premises.name
    kind = premises.kind
    businessKind = premises.businessKind
    address = premises.address
    responsiblePerson = premises.responsiblePerson
    responsiblePhone = premises.responsiblePhone
    floors = premises.floors
    floorArea = premises.floorArea
    peopleSleep = premises.peopleSleep
    sleepers = premises.sleepers
    let grid = town.grid(id: premises.gridID)
    villageName = grid.flatMap { town.village(id: $0.villageID) }?.name ?? ""
    gridName = grid?.name ?? ""
    visitorName = town.visitor(id: premises.visitorID)?.name ?? ""
  }

  /// 多合一场所（商店）, 生产经营性场所（餐饮）, 办公场所.
  var kindLabel: String { PrintText.premisesKind(kind.label, businessKind?.label) }

  /// The value of header line `id` (`VisitForm.HeaderField.id`); "" when not known, for the
  /// visitor to write in.
  func value(of id: String) -> String {
    switch id {
    case "name": return name
    case "kind": return kindLabel
    case "address": return address
    case "responsiblePerson": return responsiblePerson
    case "responsiblePhone": return responsiblePhone
    case "floors": return floors.map(String.init) ?? ""
    case "floorArea": return floorArea.map(String.init) ?? ""
    case "sleepers":
      switch peopleSleep {
      case .none: return ""
      case .some(false): return PrintText.nobodySleeps
      case .some(true): return sleepers.map(String.init) ?? PrintText.somebodySleeps
      }
    default: return ""
    }
  }
}
