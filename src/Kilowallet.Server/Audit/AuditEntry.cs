namespace Kilowallet.Server.Audit;

/// <summary>One audited action: a money movement, a tariff change, a control action or a user change.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Who: a user name, "apikey:{name}", or "system".</summary>
    public required string Actor { get; set; }

    /// <summary>What, as a dotted verb, e.g. "topup.created", "relay.open", "user.password-reset".</summary>
    public required string Action { get; set; }

    /// <summary>On what, e.g. "account:42", "meter:7", "user:cashier1".</summary>
    public required string Target { get; set; }

    /// <summary>Details as JSON (amounts, reasons, old and new values).</summary>
    public string? Details { get; set; }

    public string? RemoteAddress { get; set; }
}
