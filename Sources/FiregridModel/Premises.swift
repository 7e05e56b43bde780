/// 场所 — a place inspected on its own paper form, besides homes (the seed's 附件4 办公场所 and
/// 附件5 生产经营性场所, and the notice's 多合一 places, 附件1 point 7): a village office, a school,
/// a clinic, a shop, a workshop, a 农家乐. Belongs to a grid like a household, has a visitor
/// responsible for inspecting it, and may be where a household lives (前店后宅).
public struct Premises: Codable, Equatable, Identifiable, Sendable {
  /// "c00001": 场所 (changsuo), five digits.
  public var id: String
  public var gridID: String
  /// e.g. 龙潭村村部, 向记百货
  public var name: String
  public var kind: PremisesKind
  /// For 生产经营性场所 and 多合一场所: what business; nil for an office.
  public var businessKind: BusinessKind?
  public var address: String
  /// 责任人 and their phone (personal data: masked where not needed).
  public var responsiblePerson: String
  public var responsiblePhone: String
  /// 层数, nil when not known.
  public var floors: Int?
  /// 建筑面积 in ㎡, nil when not known.
  public var floorArea: Int?
  /// Whether anyone sleeps there (nil: not asked), and how many.
  public var peopleSleep: Bool?
  public var sleepers: Int?
  /// The household that lives there (a 前店后宅 home is both), by household id.
  public var householdID: String?
  /// 走访人 responsible for inspecting it.
  public var visitorID: String?

  public init(
    id: String, gridID: String, name: String, kind: PremisesKind,
    businessKind: BusinessKind? = nil, address: String = "", responsiblePerson: String = "",
    responsiblePhone: String = "", floors: Int? = nil, floorArea: Int? = nil,
    peopleSleep: Bool? = nil, sleepers: Int? = nil, householdID: String? = nil,
    visitorID: String? = nil
  ) {
    self.id = id
    self.gridID = gridID
    self.name = name
    self.kind = kind
    self.businessKind = businessKind
    self.address = address
    self.responsiblePerson = responsiblePerson
    self.responsiblePhone = responsiblePhone
    self.floors = floors
    self.floorArea = floorArea
    self.peopleSleep = peopleSleep
    self.sleepers = sleepers
    self.householdID = householdID
    self.visitorID = visitorID
  }

  /// The paper form it is inspected on.
  public var formSubject: FormSubject { kind == .office ? .office : .business }
}

/// 场所类别, as the seed names the forms.
public enum PremisesKind: String, Codable, CaseIterable, Sendable {
  /// 办公场所 (附件4): village offices, schools, clinics.
  case office
  /// 生产经营性场所 (附件5): shops, workshops, the 九小场所.
  case business
  /// 多合一场所: living and production or business under one roof (附件1 point 7); inspected
  /// on the business form with its 多合一 items.
  case mixedUse

  public var label: String {
    switch self {
    case .office: return "办公场所"
    case .business: return "生产经营性场所"
    case .mixedUse: return "多合一场所"
    }
  }
}

/// 经营类别 of a business or 多合一 place.
public enum BusinessKind: String, Codable, CaseIterable, Sendable {
  /// 商店
  case shop
  /// 餐饮
  case restaurant
  /// 作坊
  case workshop
  /// 农家乐
  case farmStay
  /// 小旅馆
  case smallHotel
  /// 其他
  case other

  public var label: String {
    switch self {
    case .shop: return "商店"
    case .restaurant: return "餐饮"
    case .workshop: return "作坊"
    case .farmStay: return "农家乐"
    case .smallHotel: return "小旅馆"
    case .other: return "其他"
    }
  }
}

/// Which paper form a definition is for (`VisitForm.subject`).
public enum FormSubject: String, Codable, CaseIterable, Sendable {
  /// 居民住房消防安全排查表 (附件6)
  case household
  /// 办公场所消防安全排查表 (附件4)
  case office
  /// 生产经营性场所消防安全排查表 (附件5), with its 多合一 items
  case business
}

extension TownData {
  public func premises(id: String) -> Premises? { premises.first { $0.id == id } }

  /// Premises of a grid, in roster order.
  public func premises(inGrid gridID: String) -> [Premises] {
    premises.filter { $0.gridID == gridID }
  }

  /// Premises of a village, in roster order.
  public func premises(inVillage villageID: String) -> [Premises] {
    let gridIDs = Set(grids(inVillage: villageID).map(\.id))
    return premises.filter { gridIDs.contains($0.gridID) }
  }

  /// A premises' inspections and hazards, empty when never inspected.
  public func inspectionRecord(of premisesID: String) -> VisitRecord {
    premisesRecords[premisesID] ?? VisitRecord(householdID: premisesID)
  }
}
