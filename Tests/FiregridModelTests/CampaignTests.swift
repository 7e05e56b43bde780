import Testing

@testable import FiregridModel

struct CampaignTests {
  static func date(_ text: String) -> CivilDate { CivilDate(text)! }

  /// The seed's winter (2024-25): which round runs on a date, and the phase.
  @Test(
    arguments: [
      ("2024-11-18", nil, Campaign.Phase.deployment),
      ("2024-11-19", nil, .deployment),
      ("2024-11-20", 1, .action),
      ("2024-11-30", 1, .action),
      ("2024-12-01", 2, .action),
      ("2024-12-15", 2, .action),
      ("2024-12-16", 3, .action),
      ("2024-12-31", 3, .action),
      ("2025-01-01", 4, .action),
      ("2025-02-28", 7, .action),
      ("2025-03-16", 9, .action),
      ("2025-03-31", 9, .action),
      ("2025-04-01", nil, .consolidation),
    ] as [(String, Int?, Campaign.Phase)])
  func seedWinterRounds(day: String, round: Int?, phase: Campaign.Phase) {
    let campaign = Campaign.winter(startingIn: 2024)
    #expect(campaign.round(on: Self.date(day))?.number == round)
    #expect(campaign.phase(on: Self.date(day)) == phase)
  }

  @Test func nineRoundsTwoAMonthFromDecemberToMarch() {
    let campaign = Campaign.winter(startingIn: 2026)
    #expect(campaign.name == "2026-27冬春火灾防控")
    #expect(campaign.rounds.count == 9)
    #expect(campaign.deploymentDeadline == Self.date("2026-11-19"))
    #expect(campaign.rounds[0].label == "第1轮（11-20至11-30）")
    #expect(campaign.rounds[6].end == Self.date("2027-02-28"))
    #expect(campaign.rounds[8].end == Self.date("2027-03-31"))
    // Rounds follow each other with no gap and no overlap.
    for (earlier, later) in zip(campaign.rounds, campaign.rounds.dropFirst()) {
      #expect(earlier.end < later.start)
      #expect(later.number == earlier.number + 1)
    }
  }

  @Test func leapYearFebruaryEndsOnThe29th() {
    let campaign = Campaign.winter(startingIn: 2027)
    #expect(campaign.rounds[6].end == Self.date("2028-02-29"))
    #expect(campaign.round(on: Self.date("2028-02-29"))?.number == 7)
  }

  @Test func theWinterOfADate() {
    #expect(Campaign.winter(containing: Self.date("2026-11-29")).name == "2026-27冬春火灾防控")
    #expect(Campaign.winter(containing: Self.date("2027-03-02")).name == "2026-27冬春火灾防控")
    #expect(Campaign.winter(containing: Self.date("2027-09-01")).name == "2027-28冬春火灾防控")
  }

  @Test func overdueOnlyAfterTheRoundEndsWithoutAVisitInIt() {
    let campaign = Campaign.winter(startingIn: 2026)
    let first = campaign.rounds[0]
    #expect(!campaign.isOverdue(round: first, lastVisit: nil, today: Self.date("2026-11-30")))
    #expect(campaign.isOverdue(round: first, lastVisit: nil, today: Self.date("2026-12-01")))
    #expect(
      !campaign.isOverdue(
        round: first, lastVisit: Self.date("2026-11-25"), today: Self.date("2026-12-01")))
    #expect(
      campaign.isOverdue(
        round: first, lastVisit: Self.date("2026-11-10"), today: Self.date("2026-12-01")))
    #expect(campaign.finishedRounds(by: Self.date("2026-12-16")).map(\.number) == [1, 2])
  }
}
