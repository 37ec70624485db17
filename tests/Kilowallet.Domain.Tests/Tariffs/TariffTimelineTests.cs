using Kilowallet.Domain.Tariffs;
using static Kilowallet.Domain.Tests.Tariffs.TariffBuilders;

namespace Kilowallet.Domain.Tests.Tariffs;

public sealed class TariffTimelineTests
{
    private static readonly SiteCalendar Calendar = ShanghaiCalendar();
    private static readonly TariffPlan Tou = ExamplePlans.CommercialTimeOfUse();
    private static readonly TariffPlan Night = ExamplePlans.RefrigerationNight();

    [Fact]
    public void A_meter_assignment_overrides_the_account_plan_while_it_lasts()
    {
        // The account is on the TOU plan from 2026-01-01; the refrigeration circuit is on the night plan in March–May.
        var timeline = TariffTimeline.Resolve(
            [new PlanAssignment(Tou, Date("2026-01-01"))],
            [new PlanAssignment(Night, Date("2026-03-01"), Until: Date("2026-06-01"))]);

        Assert.Equal(("CN-COMMERCIAL-TOU", AssignmentLevel.Account), Describe(timeline.At(Local("2026-02-28 23:59"), Calendar)));
        Assert.Equal(("CN-REFRIGERATION-NIGHT", AssignmentLevel.Meter), Describe(timeline.At(Local("2026-03-01 00:00"), Calendar)));
        Assert.Equal(("CN-REFRIGERATION-NIGHT", AssignmentLevel.Meter), Describe(timeline.At(Local("2026-05-31 23:59"), Calendar)));
        Assert.Equal(("CN-COMMERCIAL-TOU", AssignmentLevel.Account), Describe(timeline.At(Local("2026-06-01 00:00"), Calendar)));
        Assert.Null(timeline.At(Local("2025-12-31 23:59"), Calendar));

        Assert.Equal(
            [(Local("2026-03-01 00:00"), "CN-REFRIGERATION-NIGHT"), (Local("2026-06-01 00:00"), "CN-COMMERCIAL-TOU")],
            timeline.ChangesBetween(Local("2026-01-01 00:00"), Local("2026-12-31 00:00"), Calendar).Select(c => (c.At, c.Tariff!.Value.Plan.Code)));
    }

    [Fact]
    public void The_version_in_force_follows_each_plans_effective_dates()
    {
        var plan = FlatWithChange(1.00m, 1.10m, "2026-07-01");
        var timeline = TariffTimeline.Resolve([new PlanAssignment(plan, Date("2026-03-15"))]);

        Assert.Equal(1, timeline.On(Date("2026-06-30"))!.Value.Version.Number);
        Assert.Equal(2, timeline.On(Date("2026-07-01"))!.Value.Version.Number);
        Assert.Equal(
            [Local("2026-07-01 00:00")],
            timeline.ChangesBetween(Local("2026-03-15 00:00"), Local("2027-01-01 00:00"), Calendar).Select(c => c.At));
        Assert.Equal(
            [(Date("2026-03-15"), (DateOnly?)Date("2026-07-01"), 1), (Date("2026-07-01"), null, 2)],
            timeline.Segments.Select(s => (s.From, s.Until, s.Tariff.Version.Number)));
    }

    [Fact]
    public void A_later_account_assignment_replaces_the_earlier_one()
    {
        var timeline = TariffTimeline.Resolve([new PlanAssignment(Tou, Date("2026-01-01")), new PlanAssignment(ExamplePlans.Flat(), Date("2026-04-01"))]);

        Assert.Equal("CN-COMMERCIAL-TOU", timeline.On(Date("2026-03-31"))!.Value.Plan.Code);
        Assert.Equal("CN-FLAT", timeline.On(Date("2026-04-01"))!.Value.Plan.Code);
        Assert.Equal("CN-FLAT", timeline.On(Date("2030-01-01"))!.Value.Plan.Code);
    }

    [Fact]
    public void An_ended_assignment_leaves_no_tariff_and_rating_then_quarantines()
    {
        var timeline = TariffTimeline.Resolve([new PlanAssignment(Tou, Date("2026-01-01"), Until: Date("2026-02-01"))]);
        var rater = new TariffRater(timeline, Calendar);

        var rated = rater.Rate("2026-01-31 23:00", "2026-02-01 01:00", 2000);

        Assert.Null(timeline.On(Date("2026-02-01")));
        Assert.Equal((RatingOutcome.Quarantined, QuarantineReason.NoTariffInForce), (rated.Outcome, rated.Result.Reason));
        Assert.Equal("No tariff plan is in force on 2026-02-01.", rated.Result.Detail);
        Assert.Equal(
            [new TariffChange(Local("2026-02-01 00:00"), Date("2026-02-01"), null)],
            timeline.ChangesBetween(Local("2026-01-01 00:00"), Local("2026-03-01 00:00"), Calendar));
    }

    [Fact]
    public void The_rater_prices_each_day_by_the_plan_of_the_meter_then()
    {
        var timeline = TariffTimeline.Resolve([new PlanAssignment(Tou, Date("2026-01-01"))], [new PlanAssignment(Night, Date("2026-03-02"))]);
        var rater = new TariffRater(timeline, Calendar);

        // 2026-03-01 23:00 → 03-02 01:00: the first hour on TOU valley 0.35, the second on the night plan's valley 0.30.
        var rated = rater.Rate("2026-03-01 23:00", "2026-03-02 01:00", 2000);

        Assert.Equal([("CN-COMMERCIAL-TOU", 0.35m), ("CN-REFRIGERATION-NIGHT", 0.30m)], rated.Slices.Select(s => (s.Version.PlanCode, s.Amount.Amount)));
    }

    [Fact]
    public void Two_assignments_from_the_same_date_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TariffTimeline.Resolve([new PlanAssignment(Tou, Date("2026-01-01")), new PlanAssignment(Night, Date("2026-01-01"))]));
        Assert.Throws<ArgumentException>(() => TariffTimeline.Resolve([new PlanAssignment(Tou, Date("2026-01-01"), Date("2026-01-01"))]));
    }

    private static (string, AssignmentLevel) Describe(TariffInForce? tariff) => (tariff!.Value.Plan.Code, tariff.Value.Level);
}
