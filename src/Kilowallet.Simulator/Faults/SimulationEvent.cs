using System.Globalization;

namespace Kilowallet.Simulator.Faults;

/// <summary>
/// An event to inject: its kind, its parameters, and when (from now + <see cref="StartAfter"/>, for
/// <see cref="Duration"/> or until cleared). Times are simulated. Build one with the factory methods and
/// <c>with { Duration = … }</c>.
/// </summary>
public sealed record SimulationEvent
{
    public const double MaxKilowatts = 10_000;

    public required EventKind Kind { get; init; }

    /// <summary>Malicious load or overload, kW on the primary side (0 for overload = 120 % of the power limit).</summary>
    public double Kilowatts { get; init; }

    /// <summary>Sag or swell voltage, V.</summary>
    public double Volts { get; init; }

    /// <summary>Phase 0/1/2 (A/B/C) for phase loss and malicious load; for sag/swell, null means every phase.</summary>
    public int? Phase { get; init; }

    /// <summary>Slow responses: extra reply delay (real time on the wire).</summary>
    public TimeSpan ExtraDelay { get; init; }

    /// <summary>CRC errors: fraction of replies corrupted, 0..1.</summary>
    public double Fraction { get; init; }

    /// <summary>Counter reset: the registers' new value (kWh, put in the flat band so the bands still add up).</summary>
    public decimal StartKwh { get; init; }

    /// <summary>Clock drift: how far the meter's clock is ahead (negative: behind).</summary>
    public TimeSpan ClockOffset { get; init; }

    /// <summary>Starts this long after it is injected (simulated time).</summary>
    public TimeSpan StartAfter { get; init; }

    /// <summary>Lasts this long (simulated time); null until cleared. Ignored by a counter reset (instantaneous).</summary>
    public TimeSpan? Duration { get; init; }

    public static SimulationEvent MaliciousLoad(double kilowatts, int phase = 0) => new() { Kind = EventKind.MaliciousLoad, Kilowatts = kilowatts, Phase = phase };

    public static SimulationEvent Overload(double kilowatts = 0) => new() { Kind = EventKind.Overload, Kilowatts = kilowatts };

    public static SimulationEvent VoltageSag(double volts = 180, int? phase = null) => new() { Kind = EventKind.VoltageSag, Volts = volts, Phase = phase };

    public static SimulationEvent VoltageSwell(double volts = 260, int? phase = null) => new() { Kind = EventKind.VoltageSwell, Volts = volts, Phase = phase };

    public static SimulationEvent PhaseLoss(int phase) => new() { Kind = EventKind.PhaseLoss, Phase = phase };

    public static SimulationEvent Offline() => new() { Kind = EventKind.Offline };

    public static SimulationEvent GatewayOffline() => new() { Kind = EventKind.GatewayOffline };

    public static SimulationEvent SlowResponses(TimeSpan extraDelay) => new() { Kind = EventKind.SlowResponses, ExtraDelay = extraDelay };

    public static SimulationEvent CrcErrors(double fraction) => new() { Kind = EventKind.CrcErrors, Fraction = fraction };

    public static SimulationEvent CounterReset(decimal startKwh = 0) => new() { Kind = EventKind.CounterReset, StartKwh = startKwh };

    public static SimulationEvent ClockDrift(TimeSpan offset) => new() { Kind = EventKind.ClockDrift, ClockOffset = offset };

    public static SimulationEvent Bypass() => new() { Kind = EventKind.Bypass };

    /// <summary>True for events that act on a bus rather than on meters.</summary>
    public bool IsGatewayEvent => Kind == EventKind.GatewayOffline;

    /// <summary>True for events the protocol layer acts on (no effect on the physics).</summary>
    public bool IsCommunicationEvent => Kind is EventKind.Offline or EventKind.GatewayOffline or EventKind.SlowResponses or EventKind.CrcErrors;

    /// <summary>Refuses impossible settings with a sentence naming the setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Unknown event kind {Kind}.", nameof(Kind));
        }

        if (StartAfter < TimeSpan.Zero)
        {
            throw new ArgumentException($"An event cannot start in the past (start after {StartAfter}).", nameof(StartAfter));
        }

        if (Duration is { } duration && duration <= TimeSpan.Zero)
        {
            throw new ArgumentException($"An event's duration must be positive (got {duration}).", nameof(Duration));
        }

        switch (Kind)
        {
            case EventKind.MaliciousLoad when !(Kilowatts > 0) || Kilowatts > MaxKilowatts:
                throw new ArgumentException($"A malicious load must be more than 0 and at most {MaxKilowatts} kW (got {Format(Kilowatts)} kW).", nameof(Kilowatts));
            case EventKind.Overload when !(Kilowatts >= 0) || Kilowatts > MaxKilowatts:
                throw new ArgumentException($"An overload must be 0 (automatic) to {MaxKilowatts} kW; a negative load is impossible (got {Format(Kilowatts)} kW).", nameof(Kilowatts));
            case EventKind.VoltageSag or EventKind.VoltageSwell when !(Volts > 0) || Volts > 500:
                throw new ArgumentException($"A sag or swell voltage must be more than 0 and at most 500 V (got {Format(Volts)} V).", nameof(Volts));
            case EventKind.CrcErrors when !(Fraction >= 0) || Fraction > 1:
                throw new ArgumentException($"The fraction of corrupted replies must be between 0 and 1 (got {Format(Fraction)}).", nameof(Fraction));
            case EventKind.SlowResponses when ExtraDelay < TimeSpan.Zero:
                throw new ArgumentException($"A reply delay cannot be negative (got {ExtraDelay}).", nameof(ExtraDelay));
            case EventKind.CounterReset when StartKwh < 0:
                throw new ArgumentException($"A counter reset cannot start from a negative reading (got {StartKwh} kWh).", nameof(StartKwh));
            default:
                break;
        }

        if (Phase is { } phase && phase is < 0 or > 2)
        {
            throw new ArgumentException($"The phase must be A, B or C (got index {phase}).", nameof(Phase));
        }

        if (Kind == EventKind.PhaseLoss && Phase is null)
        {
            throw new ArgumentException("A phase loss must name the phase (A, B or C).", nameof(Phase));
        }
    }

    /// <summary>A short description, e.g. "malicious 2 kW on A".</summary>
    public override string ToString()
    {
        var phase = Phase is { } p ? $" on {(char)('A' + p)}" : string.Empty;
        var what = Kind switch
        {
            EventKind.MaliciousLoad => $"malicious {Format(Kilowatts)} kW{phase}",
            EventKind.Overload => Kilowatts > 0 ? $"overload +{Format(Kilowatts)} kW" : "overload",
            EventKind.VoltageSag => $"sag {Format(Volts)} V{phase}",
            EventKind.VoltageSwell => $"swell {Format(Volts)} V{phase}",
            EventKind.PhaseLoss => $"phase loss{phase}",
            EventKind.Offline => "offline",
            EventKind.GatewayOffline => "gateway offline",
            EventKind.SlowResponses => $"slow +{ExtraDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms",
            EventKind.CrcErrors => $"CRC errors {Format(Fraction * 100)} %",
            EventKind.CounterReset => $"counter reset to {StartKwh.ToString(CultureInfo.InvariantCulture)} kWh",
            EventKind.ClockDrift => $"clock drift {ClockOffset.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
            EventKind.Bypass => "bypass",
            _ => Kind.ToString(),
        };
        return Duration is { } d ? $"{what} for {d}" : what;
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
