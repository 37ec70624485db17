namespace Kilowallet.Server.Cashier;

/// <summary>
/// A cashier's working session at the till. It opens with the first top-up and closes when the
/// cashier ends it; mistaken top-ups can be reversed only while their shift is open.
/// </summary>
public sealed class CashierShift
{
    public long Id { get; set; }

    public required string Cashier { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }
}
