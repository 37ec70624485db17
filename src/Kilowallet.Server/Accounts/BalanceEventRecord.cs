using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;

namespace Kilowallet.Server.Accounts;

/// <summary>
/// A threshold crossing (warning 1/2, exhausted, back above the reconnect level), written in the
/// same transaction as the money movement that caused it. Control and notifications each read the
/// stream from their own cursor, so no event is lost or handled twice across restarts.
/// </summary>
public sealed class BalanceEventRecord
{
    public long Id { get; set; }

    public AccountId AccountId { get; set; }

    public BalanceEvent Kind { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The available balance right after the movement, in fen (rounded down).</summary>
    public long AvailableMinor { get; set; }

    /// <summary>What moved the balance: "charge", "topup", "refund", "adjustment", "thresholds" …</summary>
    public required string Cause { get; set; }
}
