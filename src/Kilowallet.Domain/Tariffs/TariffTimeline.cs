using System.Globalization;

namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// Which plan version prices a meter's energy on each local date: the meter's own plan assignments
/// override its account's, and within a plan the version in force on the date applies. Every change
/// happens at a local midnight. Immutable and safe to share.
/// </summary>
public sealed class TariffTimeline
{
    private readonly Segment[] _segments;

    private TariffTimeline(Segment[] segments)
    {
        _segments = segments;
        Segments = [.. segments.Select(s => new TariffTimelineSegment(
            s.From,
            s.Until == DateOnly.MaxValue ? null : s.Until,
            new TariffInForce(s.Plan, s.Version.Definition, s.Level)))];
    }

    public IReadOnlyList<TariffTimelineSegment> Segments { get; }

    /// <summary>One plan for all time (what the bill-verification command uses).</summary>
    public static TariffTimeline For(TariffPlan plan) => Resolve([new PlanAssignment(plan, DateOnly.MinValue)]);

    /// <summary>
    /// Resolves dated assignments to an account and to the meter into a timeline. Each plan must be
    /// valid; two assignments at the same level may not start on the same date.
    /// </summary>
    /// <exception cref="ArgumentException">An invalid plan or an inconsistent assignment.</exception>
    public static TariffTimeline Resolve(IEnumerable<PlanAssignment> accountAssignments, IEnumerable<PlanAssignment>? meterAssignments = null) =>
        Resolve(accountAssignments, meterAssignments, new CompiledPlans());

    /// <summary>
    /// As <see cref="Resolve(IEnumerable{PlanAssignment}, IEnumerable{PlanAssignment}?)"/>, compiling each plan once
    /// per <paramref name="compiledPlans"/> (shared by the timelines of many meters on the same plans).
    /// </summary>
    /// <exception cref="ArgumentException">An invalid plan or an inconsistent assignment.</exception>
    public static TariffTimeline Resolve(IEnumerable<PlanAssignment> accountAssignments, IEnumerable<PlanAssignment>? meterAssignments, CompiledPlans compiledPlans)
    {
        ArgumentNullException.ThrowIfNull(accountAssignments);
        ArgumentNullException.ThrowIfNull(compiledPlans);
        var account = Ranges(accountAssignments, compiledPlans, nameof(accountAssignments));
        var meter = Ranges(meterAssignments ?? [], compiledPlans, nameof(meterAssignments));

        var breakpoints = new SortedSet<DateOnly>();
        foreach (var range in account.Concat(meter))
        {
            breakpoints.Add(range.From);
            breakpoints.Add(range.Until);
            foreach (var version in range.Plan.Versions)
            {
                breakpoints.Add(version.Definition.EffectiveFrom);
            }
        }

        var points = breakpoints.ToArray();
        var segments = new List<Segment>();
        for (var i = 0; i < points.Length; i++)
        {
            var from = points[i];
            var until = i + 1 < points.Length ? points[i + 1] : DateOnly.MaxValue;
            if (from == DateOnly.MaxValue)
            {
                break;
            }

            var (range, level) = Covering(meter, from) is { } m ? (m, AssignmentLevel.Meter)
                : Covering(account, from) is { } a ? (a, AssignmentLevel.Account)
                : (default(Range?), AssignmentLevel.Account);
            if (range is not { } found || found.Plan.VersionOn(from) is not { } version)
            {
                continue;
            }

            if (segments.Count > 0 && segments[^1] is var last && last.Until == from && ReferenceEquals(last.Version, version) && last.Level == level)
            {
                segments[^1] = last with { Until = until };
            }
            else
            {
                segments.Add(new Segment(from, until, found.Plan.Plan, version, level));
            }
        }

        return new TariffTimeline([.. segments]);
    }

    /// <summary>The tariff pricing the local date, or null when no plan is assigned (or it has no version yet).</summary>
    public TariffInForce? On(DateOnly localDate) =>
        SegmentOn(localDate) is { } s ? new TariffInForce(s.Plan, s.Version.Definition, s.Level) : null;

    /// <summary>The tariff pricing the energy used at <paramref name="instant"/>.</summary>
    public TariffInForce? At(DateTimeOffset instant, SiteCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return On(calendar.LocalDateOf(instant));
    }

    /// <summary>The instants in (<paramref name="from"/>, <paramref name="to"/>] at which the applicable tariff changes.</summary>
    public IReadOnlyList<TariffChange> ChangesBetween(DateTimeOffset from, DateTimeOffset to, SiteCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var changes = new List<TariffChange>();
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (segment.From != DateOnly.MinValue)
            {
                Add(segment.From, new TariffInForce(segment.Plan, segment.Version.Definition, segment.Level));
            }

            var next = i + 1 < _segments.Length ? _segments[i + 1].From : DateOnly.MaxValue;
            if (segment.Until != DateOnly.MaxValue && segment.Until != next)
            {
                Add(segment.Until, null);
            }
        }

        return changes;

        void Add(DateOnly date, TariffInForce? tariff)
        {
            var at = calendar.StartOf(date);
            if (at > from && at <= to)
            {
                changes.Add(new TariffChange(at, date, tariff));
            }
        }
    }

    internal CompiledVersion? VersionOn(DateOnly localDate) => SegmentOn(localDate)?.Version;

    private Segment? SegmentOn(DateOnly date)
    {
        int low = 0, high = _segments.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var segment = _segments[middle];
            if (date < segment.From)
            {
                high = middle - 1;
            }
            else if (date >= segment.Until)
            {
                low = middle + 1;
            }
            else
            {
                return segment;
            }
        }

        return null;
    }

    private static List<Range> Ranges(IEnumerable<PlanAssignment> assignments, CompiledPlans compiled, string parameter)
    {
        var sorted = assignments.OrderBy(a => a.From).ToList();
        var ranges = new List<Range>(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            var assignment = sorted[i];
            ArgumentNullException.ThrowIfNull(assignment.Plan, parameter);
            if (i > 0 && sorted[i - 1].From == assignment.From)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Two plans are assigned from {assignment.From:yyyy-MM-dd}."), parameter);
            }

            if (assignment.Until is { } until && until <= assignment.From)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"An assignment from {assignment.From:yyyy-MM-dd} ends on or before it starts ({until:yyyy-MM-dd})."), parameter);
            }

            var plan = compiled.Of(assignment.Plan);

            var end = i + 1 < sorted.Count ? sorted[i + 1].From : DateOnly.MaxValue;
            if (assignment.Until is { } explicitEnd && explicitEnd < end)
            {
                end = explicitEnd;
            }

            ranges.Add(new Range(assignment.From, end, plan));
        }

        return ranges;
    }

    private static Range? Covering(List<Range> ranges, DateOnly date)
    {
        foreach (var range in ranges)
        {
            if (range.From <= date && date < range.Until)
            {
                return range;
            }
        }

        return null;
    }

    private readonly record struct Range(DateOnly From, DateOnly Until, CompiledPlan Plan);

    private sealed record Segment(DateOnly From, DateOnly Until, TariffPlan Plan, CompiledVersion Version, AssignmentLevel Level);
}
