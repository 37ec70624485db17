using System.Collections.Immutable;
using System.Globalization;
using Kilowallet.Domain.Control;

namespace Kilowallet.Domain.Safety;

/// <summary>
/// Overload protection of one meter: power or current above the shop's limit for longer than the
/// pickup delay trips (safety hold + overload alarm); after the reclose delay the hold is released
/// (automatic reclose, alarm cleared); at most <see cref="OverloadSettings.MaxRecloses"/> recloses
/// within the window — the next trip locks out (lockout alarm) until an operator resets.
/// The relay itself is commanded through <see cref="ControlPolicy"/>, which reads <see cref="Hold"/>.
/// </summary>
public sealed record OverloadProtection
{
    private OverloadProtection(AlarmSource source) => Source = source;

    public AlarmSource Source { get; }

    public OverloadPhase Phase { get; private init; }

    /// <summary>When the limit started being exceeded (Exceeding) or when the trip happened (Tripped, LockedOut).</summary>
    public DateTimeOffset? Since { get; private init; }

    /// <summary>Instants of recent automatic recloses, oldest first.</summary>
    public ImmutableArray<DateTimeOffset> Recloses { get; private init; } = [];

    public SafetyHold Hold => Phase switch
    {
        OverloadPhase.Tripped => SafetyHold.Overload,
        OverloadPhase.LockedOut => SafetyHold.OverloadLockout,
        _ => SafetyHold.None,
    };

    public static OverloadProtection Start(AlarmSource source) => new(source);

    /// <summary>When the automatic reclose is due; null unless tripped.</summary>
    public DateTimeOffset? RecloseDueAt(OverloadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Phase == OverloadPhase.Tripped ? Since!.Value + settings.RecloseDelay : null;
    }

    public SafetyStep<OverloadProtection> Observe(LiveSample sample, OverloadSettings settings)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var advanced = Advance(sample.At, settings);
        var state = advanced.State;
        if (state.Phase is OverloadPhase.Tripped or OverloadPhase.LockedOut)
        {
            return advanced;
        }

        var excess = Excess(sample, settings);
        if (excess is null)
        {
            return new(state with { Phase = OverloadPhase.Normal, Since = null }, advanced.Signals);
        }

        var since = state.Phase == OverloadPhase.Exceeding ? state.Since!.Value : sample.At;
        if (sample.At - since < settings.PickupDelay)
        {
            return new(state with { Phase = OverloadPhase.Exceeding, Since = since }, advanced.Signals);
        }

        var recent = state.Recloses.Where(r => sample.At - r < settings.RecloseWindow).ToImmutableArray();
        var detail = $"{excess} since {since.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}";
        var trip = AlarmSignal.Raise(AlarmType.Overload, Source, sample.At, detail);
        if (recent.Length >= settings.MaxRecloses)
        {
            var lockout = AlarmSignal.Raise(
                AlarmType.OverloadLockout,
                Source,
                sample.At,
                $"{recent.Length + 1} overload trips within {settings.RecloseWindow.TotalMinutes:0} min; reset required.");
            return new(
                state with { Phase = OverloadPhase.LockedOut, Since = sample.At, Recloses = recent },
                advanced.Signals.AddRange(trip, lockout));
        }

        return new(state with { Phase = OverloadPhase.Tripped, Since = sample.At, Recloses = recent }, advanced.Signals.Add(trip));
    }

    /// <summary>The passage of time: performs the automatic reclose when it is due.</summary>
    public SafetyStep<OverloadProtection> Advance(DateTimeOffset now, OverloadSettings settings)
    {
        if (RecloseDueAt(settings) is not { } due || now < due)
        {
            return new(this, []);
        }

        return new(
            this with { Phase = OverloadPhase.Normal, Since = null, Recloses = Recloses.Add(now) },
            [AlarmSignal.Clear(AlarmType.Overload, Source, now, "Automatic reclose.")]);
    }

    /// <summary>An operator resets the protection, ending a trip or lockout and forgetting past recloses.</summary>
    public SafetyStep<OverloadProtection> OperatorReset(DateTimeOffset at, string operatorId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorId);
        return new(
            Start(Source),
            [
                AlarmSignal.Clear(AlarmType.Overload, Source, at, "Reset by operator.", operatorId),
                AlarmSignal.Clear(AlarmType.OverloadLockout, Source, at, "Reset by operator.", operatorId),
            ]);
    }

    /// <summary>A description of the limit exceeded, or null when within limits.</summary>
    private static string? Excess(LiveSample sample, OverloadSettings settings)
    {
        if (settings.PowerLimitKw is { } powerLimit && sample.TotalActivePowerKw > powerLimit)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sample.TotalActivePowerKw:0.00} kW over the {powerLimit:0.##} kW limit");
        }

        if (settings.CurrentLimitA is { } currentLimit && sample.MaxCurrentA > currentLimit)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sample.MaxCurrentA:0.0} A over the {currentLimit:0.#} A limit");
        }

        return null;
    }
}
