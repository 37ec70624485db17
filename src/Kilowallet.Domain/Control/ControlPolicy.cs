namespace Kilowallet.Domain.Control;

/// <summary>
/// The prepaid control rule: what a meter's relay should do now. Priorities, highest first:
/// <list type="number">
/// <item>A meter feeding its own gateway or DTU is never cut, for any reason.</item>
/// <item>A safety hold (overload, lockout, forbidden appliance) cuts at once.</item>
/// <item>An operator lock holds the relay open or closed.</item>
/// <item>The balance: at or below the trip level the supply is cut — unless keep-power is active —
/// deferred out of friendly hours and to at least the minimum interval after the previous command;
/// a supply cut for credit is restored only above the reconnect level (hysteresis), at once.</item>
/// </list>
/// Supply cut for any other reason is restored as soon as that reason ends and the balance is not exhausted.
/// The server calls <see cref="Decide"/> after every balance change, safety change, operator action,
/// and at a deferred trip's <see cref="ControlDecision.NotBefore"/>.
/// </summary>
public static class ControlPolicy
{
    public static ControlDecision Decide(ControlSituation situation, ControlPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(situation);
        ArgumentNullException.ThrowIfNull(options);
        var (target, cause, hold) = Target(situation);
        if (target == situation.Desired)
        {
            var awaitingRelay = hold == ControlHold.None && situation.Reported is { } reported && reported != target;
            return ControlDecision.Nothing(awaitingRelay ? ControlHold.AwaitingRelay : hold);
        }

        if (target == RelayState.Closed)
        {
            return ControlDecision.ReconnectNow(cause, situation.CloseMode);
        }

        if (cause != RelayCause.BalanceExhausted)
        {
            return ControlDecision.TripNow(cause);
        }

        var earliest = situation.Now;
        DeferralReason? deferral = null;
        if (situation.LastCommandAt is { } last && last + options.MinimumCommandInterval > earliest)
        {
            earliest = last + options.MinimumCommandInterval;
            deferral = DeferralReason.MinimumInterval;
        }

        if (situation.FriendlyHours?.NextAllowedCut(earliest) is { } allowed && allowed > earliest)
        {
            earliest = allowed;
            deferral = DeferralReason.FriendlyHours;
        }

        return deferral is { } reason
            ? ControlDecision.TripDeferred(cause, earliest, reason)
            : ControlDecision.TripNow(cause);
    }

    /// <summary>The state the relay should be in, why, and what (if anything) overrode a wish to cut.</summary>
    private static (RelayState Target, RelayCause Cause, ControlHold Hold) Target(ControlSituation s)
    {
        var (target, cause, hold) = TargetIgnoringGateway(s);
        return s.FeedsOwnGateway && target == RelayState.Open
            ? (RelayState.Closed, RelayCause.ProtectedSupply, ControlHold.FeedsOwnGateway)
            : (target, cause, hold);
    }

    private static (RelayState Target, RelayCause Cause, ControlHold Hold) TargetIgnoringGateway(ControlSituation s)
    {
        var exhausted = s.Thresholds.IsExhausted(s.AvailableBalance);
        if (s.SafetyHold != SafetyHold.None)
        {
            var safetyCause = s.SafetyHold == SafetyHold.MaliciousLoad ? RelayCause.MaliciousLoad : RelayCause.Overload;
            return (RelayState.Open, safetyCause, exhausted ? ControlHold.None : ControlHold.SafetyHold);
        }

        switch (s.OperatorLock)
        {
            case OperatorLock.HeldOpen:
                return (RelayState.Open, RelayCause.Operator, exhausted ? ControlHold.None : ControlHold.OperatorLock);
            case OperatorLock.HeldClosed:
                return (RelayState.Closed, RelayCause.Operator, exhausted ? ControlHold.OperatorLock : ControlHold.None);
        }

        if (exhausted)
        {
            return s.KeepPower.Any(k => k.IsActiveAt(s.Now))
                ? (RelayState.Closed, RelayCause.KeepPower, ControlHold.KeepPower)
                : (RelayState.Open, RelayCause.BalanceExhausted, ControlHold.None);
        }

        var openForCredit = s.Desired == RelayState.Open && s.OpenedBy is null or RelayCause.BalanceExhausted;
        if (openForCredit && !s.Thresholds.AllowsReconnect(s.AvailableBalance))
        {
            return (RelayState.Open, RelayCause.BalanceExhausted, ControlHold.AwaitingReconnectLevel);
        }

        var reconnectCause = s.OpenedBy switch
        {
            RelayCause.Overload or RelayCause.MaliciousLoad => RelayCause.SafetyReleased,
            RelayCause.Operator => RelayCause.Operator,
            _ => RelayCause.BalanceRestored,
        };
        return (RelayState.Closed, reconnectCause, ControlHold.None);
    }
}
