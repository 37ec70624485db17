using Kilowallet.Domain.Control;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Domain.Tests.Safety;

/// <summary>Builders of live samples for the detector tests.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2025, 6, 1, 2, 0, 0, TimeSpan.Zero);

    public static readonly AlarmSource Meter7 = AlarmSource.Meter(MeterId.From(7));

    /// <summary>A single-phase sample at 230 V carrying <paramref name="kw"/> at unity power factor.</summary>
    public static LiveSample SinglePhase(double seconds, double kw, RelayState? relay = RelayState.Closed) => new()
    {
        At = T0.AddSeconds(seconds),
        Phases = [new PhaseSample(230, kw * 1000 / 230, kw)],
        TotalActivePowerKw = kw,
        ReportedRelay = relay,
    };

    public static LiveSample ThreePhase(double seconds, double l1V, double l2V, double l3V) => new()
    {
        At = T0.AddSeconds(seconds),
        Phases = [new PhaseSample(l1V, 5, 1), new PhaseSample(l2V, 5, 1), new PhaseSample(l3V, 5, 1)],
        TotalActivePowerKw = 3,
    };

    public static LiveSample WithReactive(double seconds, double kw, double kvar) =>
        SinglePhase(seconds, kw) with { TotalReactivePowerKvar = kvar };
}
