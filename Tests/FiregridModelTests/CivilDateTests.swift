import FiregridModel
import Testing

struct CivilDateTests {
  @Test func exactlyReadsOnlyTheStoredForm() {
    #expect(CivilDate(exactly: "2024-02-29") == CivilDate(year: 2024, month: 2, day: 29))
    #expect(CivilDate(exactly: "2026-11-29") == CivilDate(year: 2026, month: 11, day: 29))
    // Spellings the general parser accepts are refused: a date has one name.
    for text in ["2026/11/29", "20261129", "2026-1-29", "26-11-29"] {
      #expect(CivilDate(text) != nil, "\(text)")
      #expect(CivilDate(exactly: text) == nil, "\(text)")
    }
    for text in ["2026-02-29", "2026-11-31", "2026-13-01", "2026-11-2x", ""] {
      #expect(CivilDate(exactly: text) == nil, "\(text)")
    }
  }

  @Test func dayNumbersAndWeekStartsAgreeAcrossYears() {
    let start = CivilDate(year: 2023, month: 12, day: 25)
    #expect(start.weekday == 1)
    for offset in 0..<800 {
      let date = start.adding(days: offset)
      #expect(CivilDate(dayNumber: date.dayNumber) == date)
      #expect(date.weekStart.weekday == 1)
      #expect(date.weekStart.days(until: date) == offset % 7)
    }
  }
}
