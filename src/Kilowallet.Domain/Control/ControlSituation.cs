using Kilowallet.Domain.Ledger;

namespace Kilowallet.Domain.Control;

/// <summary>Everything <see cref="ControlPolicy"/> needs to decide about one meter's relay at one instant.</summary>
public sealed record ControlSituation
{
    public required DateTimeOffset Now { get; init; }

    /// <summary>The account's available balance (posted less unposted charges), exact.</summary>
    public required Money AvailableBalance { get; init; }

    public required BalanceThresholds Thresholds { get; init; }

    /// <summary>The state the system last decided the relay should be in.</summary>
    public required RelayState Desired { get; init; }

    /// <summary>The state last read back from the meter; null when unknown.</summary>
    public RelayState? Reported { get; init; }

    /// <summary>The cause of the command that opened the relay, when <see cref="Desired"/> is open.</summary>
    public RelayCause? OpenedBy { get; init; }

    public IReadOnlyList<KeepPowerExemption> KeepPower { get; init; } = [];

    /// <summary>The site's friendly hours; null when the site has none.</summary>
    public FriendlyHours? FriendlyHours { get; init; }

    /// <summary>The meter supplies its own gateway or DTU: it is never cut.</summary>
    public bool FeedsOwnGateway { get; init; }

    public OperatorLock OperatorLock { get; init; }

    /// <summary>The most severe hold of the meter's safety detectors.</summary>
    public SafetyHold SafetyHold { get; init; }

    /// <summary>When the last relay command for this meter was issued; null if never.</summary>
    public DateTimeOffset? LastCommandAt { get; init; }

    public CloseMode CloseMode { get; init; }
}
