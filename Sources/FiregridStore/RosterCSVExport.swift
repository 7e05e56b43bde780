import FiregridModel
import Foundation

extension RosterCSV {
  /// The roster as CSV text: the header, then one row per person in roster order (villages,
  /// their grids, the grids' households, the members as stored), CRLF line ends (RFC 4180),
  /// cells quoted only when they hold a comma, a quote or a line break.
  ///
  /// 网格长 is written on every row of the grid: the leader's name, or 姓名（身份证号） when
  /// another resident of the grid has the same name, so that importing the file finds the same
  /// person. 重点人群 are the labels joined with 、. Households whose grid or village is
  /// missing cannot be placed in a row and are left out (`unplaceableHouseholds`; `firegrid
  /// check` reports them).
  public static func export(_ town: TownData) -> String {
    let delimiter = ","
    var lines: [String] = [Column.allCases.map { quoted($0.header) }.joined(separator: delimiter)]
    lines.reserveCapacity(town.households.count * 4 + 1)
    var householdsByGrid: [String: [Household]] = [:]
    for household in town.households {
      householdsByGrid[household.gridID, default: []].append(household)
    }
    var gridsByVillage: [String: [Grid]] = [:]
    for grid in town.grids { gridsByVillage[grid.villageID, default: []].append(grid) }
    for village in town.villages {
      for grid in gridsByVillage[village.id] ?? [] {
        let households = householdsByGrid[grid.id] ?? []
        let leader = leaderCell(grid, residents: households.flatMap(\.persons))
        for household in households {
          for person in household.persons {
            let care = person.elderlyCare ?? ElderlyCare()
            var cells: [String] = []
            cells.reserveCapacity(Column.allCases.count)
            for column in Column.allCases {
              switch column {
              case .village: cells.append(village.name)
              case .grid: cells.append(grid.name)
              case .gridLeader: cells.append(leader)
              case .householdNumber: cells.append(household.number)
              case .name: cells.append(person.name)
              case .relation: cells.append(person.relation)
              case .sex: cells.append(person.sex?.label ?? "")
              case .idNumber: cells.append(person.idNumber)
              case .phone: cells.append(person.phone)
              case .address: cells.append(household.address)
              case .groups: cells.append(person.groups.map(\.label).joined(separator: "、"))
              case .guardianName: cells.append(care.guardianName)
              case .guardianRelation: cells.append(care.guardianRelation)
              case .guardianPhone: cells.append(care.guardianPhone)
              case .selfCare: cells.append(care.selfCare?.label ?? "")
              case .livingSituation: cells.append(care.livingSituation)
              case .helperName: cells.append(care.helperName)
              case .helperPhone: cells.append(care.helperPhone)
              case .visitFrequency: cells.append(care.visitFrequency)
              case .smokeAlarm: cells.append(yesNoCell(care.smokeAlarm))
              case .extinguisher: cells.append(yesNoCell(care.extinguisher))
              case .careNotes: cells.append(care.notes)
              }
            }
            lines.append(cells.map(quoted).joined(separator: delimiter))
          }
        }
      }
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  /// 有 / 无 / "" (not asked).
  static func yesNoCell(_ value: Bool?) -> String {
    switch value {
    case true?: return "有"
    case false?: return "无"
    case nil: return ""
    }
  }

  /// Households `export` leaves out because their grid, or the grid's village, is missing.
  public static func unplaceableHouseholds(_ town: TownData) -> [Household] {
    let villageIDs = Set(town.villages.map(\.id))
    let placedGrids = Set(town.grids.filter { villageIDs.contains($0.villageID) }.map(\.id))
    return town.households.filter { !placedGrids.contains($0.gridID) }
  }

  /// Export text as file bytes: UTF-8 with a byte-order mark (so Excel opens it as UTF-8), or
  /// GB18030 for old Excel versions that read CSV only in the system's code page.
  public static func encode(_ text: String, as encoding: TextEncoding) throws(TextEncoding.Problem)
    -> [UInt8]
  {
    try TextEncoding.encode(text, as: encoding, byteOrderMark: encoding != .gb18030)
  }

  /// The 网格长 cell of a grid: the leader's name, with the ID number when the name is not
  /// unique among the grid's residents; "" when the grid has no leader living in it.
  static func leaderCell(_ grid: Grid, residents: [Person]) -> String {
    guard let id = grid.gridLeaderID, let leader = residents.first(where: { $0.id == id }) else {
      return ""
    }
    let sameName = residents.lazy.filter { $0.name == leader.name }.count
    if sameName > 1, !leader.idNumber.isEmpty { return "\(leader.name)（\(leader.idNumber)）" }
    return leader.name
  }

  /// A cell as CSV: quoted (with doubled quotes) when it holds a delimiter, a quote or a line
  /// break, or starts or ends with a space.
  static func quoted(_ cell: String) -> String {
    var needsQuotes = false
    for byte in cell.utf8
    where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
      || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    {
      needsQuotes = true
      break
    }
    if let first = cell.first, let last = cell.last, first.isWhitespace || last.isWhitespace {
      needsQuotes = true
    }
    guard needsQuotes else { return cell }
    return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
