using System.Collections.Immutable;

namespace Kilowallet.Domain.Ledger;

/// <summary>
/// Reports the balance crossings of an account, each once: a warning fires when the balance falls to
/// or below its level and re-arms when the balance rises back above it; "exhausted" fires at or below
/// the trip level and re-arms only above the reconnect level, where "back above reconnect level"
/// fires. A balance flapping around the trip level therefore produces no repeated events.
/// When one change crosses several levels at once, only the lowest is reported (one message,
/// not three); the others are marked announced.
/// </summary>
public static class BalanceWatch
{
    public static BalanceObservation Observe(BalanceAlertState state, Money available, BalanceThresholds thresholds)
    {
        var events = ImmutableArray.CreateBuilder<BalanceEvent>();
        var exhausted = state.Exhausted;
        if (exhausted && thresholds.AllowsReconnect(available))
        {
            exhausted = false;
            events.Add(BalanceEvent.BackAboveReconnectLevel);
        }

        var warning1 = available <= thresholds.Warning1;
        var warning2 = available <= thresholds.Warning2;
        BalanceEvent? crossing = null;
        if (warning1 && !state.Warning1Announced)
        {
            crossing = BalanceEvent.CrossedWarning1;
        }

        if (warning2 && !state.Warning2Announced)
        {
            crossing = BalanceEvent.CrossedWarning2;
        }

        if (!exhausted && thresholds.IsExhausted(available))
        {
            exhausted = true;
            crossing = BalanceEvent.Exhausted;
        }

        if (crossing is { } lowest)
        {
            events.Add(lowest);
        }

        return new BalanceObservation(new BalanceAlertState(warning1, warning2, exhausted), events.ToImmutable());
    }

    /// <summary>
    /// The crossings between two balances for an account with no stored state: the previous balance
    /// is taken as settled. Prefer <see cref="Observe"/> with the stored state, which also suppresses
    /// repeats when the balance flaps between the trip and reconnect levels.
    /// </summary>
    public static ImmutableArray<BalanceEvent> Between(Money previous, Money current, BalanceThresholds thresholds) =>
        Observe(BalanceAlertState.Settled(previous, thresholds), current, thresholds).Events;
}
