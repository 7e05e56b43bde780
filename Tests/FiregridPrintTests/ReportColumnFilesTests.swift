import FiregridModel
import FiregridResources
import Foundation
import Testing

/// The report column files of `Resources/Data/reports`, as `ResourceFiles` loads them. Here
/// because this is the test target that links `FiregridResources`.
@Suite struct ReportColumnFilesTests {
  @Test func theStatisticsFileLoadsWithEveryColumnKnown() throws {
    let columns = try ResourceFiles.reportColumns(named: "statistics")
    #expect(columns.report == "statistics")
    #expect(columns.columns.first?.id == "village")
    #expect(columns.columns.count == 22)
    #expect(!columns.sources.isEmpty)
    // No premises columns: the roster has no offices or businesses to count.
    #expect(!columns.columns.contains { $0.id.lowercased().contains("premises") })
    let town = TownData(town: Town(name: "三江镇"), villages: [Village(id: "v1", name: "龙潭村")])
    let campaign = Campaign.winter(startingIn: 2024)
    let report = try Reports.statistics(
      town: town, scope: .campaign(campaign), columns: columns,
      day: CivilDate(year: 2024, month: 12, day: 20))
    #expect(report.tables[0].rows.count == 1)
    #expect(report.tables[0].total?.count == 22)
  }

  static func message(_ json: String) -> String {
    do {
      _ = try ResourceFiles.reportColumns(Data(json.utf8), name: "reports/test.json")
      return ""
    } catch {
      return "\(error)"
    }
  }

  @Test func aFileWithAnUnknownColumnOrFormatIsRefusedInChinese() {
    let unknown = """
      {"format":"firegrid.report-columns","version":1,"report":"statistics","title":"统计表",
       "sources":[],"columns":[{"id":"premisesInspected","label":"场所检查数","kind":"count","width":6}]}
      """
    #expect(
      Self.message(unknown)
        == "reports/test.json：统计表列定义中有程序不认识的列：premisesInspected（场所检查数）")
    let format = #"{"format":"firegrid.visit-form","version":1}"#
    #expect(Self.message(format) == "reports/test.json：不认识的格式 firegrid.visit-form 版本 1")
  }
}
