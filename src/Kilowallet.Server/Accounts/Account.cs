using Kilowallet.Domain;
using Kilowallet.Server.Tenants;

namespace Kilowallet.Server.Accounts;

/// <summary>
/// A tenant's prepaid electricity account. It pays for one or more meters. Thresholds are stored
/// in minor units (fen) so the database can compare them with balances.
/// </summary>
public sealed class Account
{
    public AccountId Id { get; set; }

    public SiteId SiteId { get; set; }

    public TenantId TenantId { get; set; }

    public Tenant? Tenant { get; set; }

    /// <summary>Account number printed on receipts, unique within the site (e.g. "A-1F-012").</summary>
    public required string Number { get; set; }

    public AccountStatus Status { get; set; }

    public long Warning1Minor { get; set; }

    public long Warning2Minor { get; set; }

    /// <summary>Balance at or below which the relay opens: 0, or negative for emergency credit.</summary>
    public long TripLevelMinor { get; set; }

    /// <summary>Balance above which a tripped meter is reconnected; at least the trip level.</summary>
    public long ReconnectLevelMinor { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>
    /// Charges rated but not yet posted to the ledger, in pico-units (10⁻¹² yuan): exact, never rounded.
    /// The balance a tenant and the control policy see is the wallet's posted balance minus this and <see cref="CarryPico"/>.
    /// </summary>
    public long AccruedPico { get; set; }

    /// <summary>The sub-fen remainder carried from charge postings (in [0, 1 fen)), in pico-units.</summary>
    public long CarryPico { get; set; }

    /// <summary>Warning level 1 has been announced since the balance was last above it.</summary>
    public bool Warning1Announced { get; set; }

    /// <summary>Warning level 2 has been announced since the balance was last above it.</summary>
    public bool Warning2Announced { get; set; }

    /// <summary>The balance reached the trip level and has not yet come back above the reconnect level.</summary>
    public bool Exhausted { get; set; }
}
