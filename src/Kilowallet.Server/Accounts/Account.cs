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
}
