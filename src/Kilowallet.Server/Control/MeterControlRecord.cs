using Kilowallet.Domain;
using Kilowallet.Domain.Control;
using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Control;

/// <summary>
/// The control state of one meter's relay: what the system wants (desired) and last commanded, what the
/// meter reports, an operator's lock, a persisted safety hold (a lockout survives a restart), and the
/// policy's last decision. Written by the control loop, the relay commands, safety and operators.
/// </summary>
public sealed class MeterControlRecord
{
    public MeterId MeterId { get; set; }

    public RelayState Desired { get; set; }

    /// <summary>The cause of the command that opened the relay, while <see cref="Desired"/> is open.</summary>
    public RelayCause? OpenedBy { get; set; }

    /// <summary>The target of the latest command issued for this meter; null if none ever was.</summary>
    public RelayState? Commanded { get; set; }

    /// <summary>The relay state last read from the meter.</summary>
    public RelayReport Reported { get; set; }

    public DateTimeOffset? ReportedAt { get; set; }

    public OperatorLock OperatorLock { get; set; }

    public string? LockReason { get; set; }

    public string? LockedBy { get; set; }

    public DateTimeOffset? LockedAt { get; set; }

    /// <summary>The meter's safety hold as last persisted by the safety monitor (lockouts wait for an operator's reset).</summary>
    public SafetyHold SafetyHold { get; set; }

    public DateTimeOffset? SafetyHoldSince { get; set; }

    public DateTimeOffset? LastCommandAt { get; set; }

    /// <summary>When a deferred trip is to be decided again.</summary>
    public DateTimeOffset? NextDecisionAt { get; set; }

    public string? LastDecision { get; set; }

    public DateTimeOffset? LastDecisionAt { get; set; }
}
