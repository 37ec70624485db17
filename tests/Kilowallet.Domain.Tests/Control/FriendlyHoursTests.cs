using Kilowallet.Domain.Control;
using static Kilowallet.Domain.Tests.Control.Zones;

namespace Kilowallet.Domain.Tests.Control;

public sealed class FriendlyHoursTests
{
    // 2025-01-01 is a Wednesday.
    private static readonly FriendlyHours NightsWeekendsAndHolidays = new(
        Shanghai,
        [new DailyWindow(new TimeOnly(20, 0), new TimeOnly(8, 0))],
        [DayOfWeek.Saturday, DayOfWeek.Sunday],
        [new DateOnly(2025, 1, 6)]);

    [Fact]
    public void A_cut_in_the_afternoon_is_allowed_at_once()
    {
        var instant = ShanghaiTime(2025, 1, 1, 15, 30);

        Assert.False(NightsWeekendsAndHolidays.IsProtected(instant));
        Assert.Equal(instant, NightsWeekendsAndHolidays.NextAllowedCut(instant));
    }

    [Fact]
    public void A_cut_in_the_evening_waits_until_eight_the_next_morning_across_midnight() =>
        Assert.Equal(ShanghaiTime(2025, 1, 2, 8), NightsWeekendsAndHolidays.NextAllowedCut(ShanghaiTime(2025, 1, 1, 21, 15)));

    [Fact]
    public void A_cut_after_midnight_waits_until_eight_the_same_morning() =>
        Assert.Equal(ShanghaiTime(2025, 1, 2, 8), NightsWeekendsAndHolidays.NextAllowedCut(ShanghaiTime(2025, 1, 2, 2, 0)));

    [Fact]
    public void The_window_is_half_open_so_eight_oclock_itself_is_allowed()
    {
        Assert.True(NightsWeekendsAndHolidays.IsProtected(ShanghaiTime(2025, 1, 2, 7, 59)));
        Assert.False(NightsWeekendsAndHolidays.IsProtected(ShanghaiTime(2025, 1, 2, 8, 0)));
        Assert.True(NightsWeekendsAndHolidays.IsProtected(ShanghaiTime(2025, 1, 2, 20, 0)));
    }

    [Fact]
    public void A_cut_on_friday_evening_waits_over_the_weekend_until_monday_morning()
    {
        var monday = new FriendlyHours(Shanghai, NightsWeekendsAndHolidays.DailyWindows, NightsWeekendsAndHolidays.AllDayDays, []);

        Assert.Equal(ShanghaiTime(2025, 1, 13, 8), monday.NextAllowedCut(ShanghaiTime(2025, 1, 10, 20, 5)));
    }

    [Fact]
    public void A_holiday_monday_pushes_the_cut_to_tuesday_morning() =>
        Assert.Equal(ShanghaiTime(2025, 1, 7, 8), NightsWeekendsAndHolidays.NextAllowedCut(ShanghaiTime(2025, 1, 3, 23, 0)));

    [Fact]
    public void A_cut_on_a_saturday_afternoon_waits_until_monday_morning() =>
        Assert.Equal(
            ShanghaiTime(2025, 1, 13, 8),
            new FriendlyHours(Shanghai, NightsWeekendsAndHolidays.DailyWindows, [DayOfWeek.Saturday, DayOfWeek.Sunday], [])
                .NextAllowedCut(ShanghaiTime(2025, 1, 11, 14, 0)));

    [Fact]
    public void A_window_inside_one_day_ends_the_same_day()
    {
        var lunch = new FriendlyHours(Shanghai, [new DailyWindow(new TimeOnly(12, 0), new TimeOnly(14, 0))], [], []);

        Assert.Equal(ShanghaiTime(2025, 1, 1, 14), lunch.NextAllowedCut(ShanghaiTime(2025, 1, 1, 12, 30)));
        Assert.Equal(ShanghaiTime(2025, 1, 1, 11, 0), lunch.NextAllowedCut(ShanghaiTime(2025, 1, 1, 11, 0)));
    }

    [Fact]
    public void The_local_time_is_the_sites_not_utc()
    {
        // 13:00 UTC is 21:00 in Shanghai: protected.
        var instant = new DateTimeOffset(2025, 1, 1, 13, 0, 0, TimeSpan.Zero);

        Assert.True(NightsWeekendsAndHolidays.IsProtected(instant));
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero), NightsWeekendsAndHolidays.NextAllowedCut(instant));
    }

    [Fact]
    public void A_window_ending_in_a_daylight_saving_gap_ends_at_the_first_valid_local_time()
    {
        // Berlin skips 02:00–03:00 on 2025-03-30; the window ends at 02:30, which does not exist.
        var nights = new FriendlyHours(Berlin, [new DailyWindow(new TimeOnly(22, 0), new TimeOnly(2, 30))], [], []);

        var allowed = nights.NextAllowedCut(new DateTimeOffset(2025, 3, 29, 23, 0, 0, TimeSpan.FromHours(1)));

        Assert.Equal(new DateTimeOffset(2025, 3, 30, 3, 0, 0, TimeSpan.FromHours(2)), allowed);
    }

    [Fact]
    public void A_window_ending_in_a_repeated_hour_ends_at_its_next_occurrence()
    {
        // Berlin repeats 02:00–03:00 on 2025-10-26. From the second 02:10 the window (ending 02:30) ends at the second 02:30.
        var nights = new FriendlyHours(Berlin, [new DailyWindow(new TimeOnly(22, 0), new TimeOnly(2, 30))], [], []);
        var secondTwoTen = new DateTimeOffset(2025, 10, 26, 2, 10, 0, TimeSpan.FromHours(1));

        Assert.Equal(new DateTimeOffset(2025, 10, 26, 2, 30, 0, TimeSpan.FromHours(1)), nights.NextAllowedCut(secondTwoTen));
        Assert.Equal(
            new DateTimeOffset(2025, 10, 26, 2, 30, 0, TimeSpan.FromHours(2)),
            nights.NextAllowedCut(new DateTimeOffset(2025, 10, 25, 23, 0, 0, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void A_window_with_equal_start_and_end_is_refused() =>
        Assert.Throws<ArgumentException>(() => new FriendlyHours(Shanghai, [new DailyWindow(new TimeOnly(8, 0), new TimeOnly(8, 0))], [], []));

    [Fact]
    public void Protecting_every_day_of_the_week_is_refused() =>
        Assert.Throws<ArgumentException>(() => new FriendlyHours(Shanghai, [], Enum.GetValues<DayOfWeek>(), []));

    [Fact]
    public void A_year_of_holidays_leaves_no_time_to_cut()
    {
        var holidays = Enumerable.Range(0, 500).Select(d => new DateOnly(2025, 1, 1).AddDays(d));
        var everyDay = new FriendlyHours(Shanghai, [], [], holidays);

        Assert.Throws<InvalidOperationException>(() => everyDay.NextAllowedCut(ShanghaiTime(2025, 1, 1, 12)));
    }
}
