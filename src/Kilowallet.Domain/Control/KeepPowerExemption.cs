namespace Kilowallet.Domain.Control;

/// <summary>
/// A keep-power (保电) exemption: while active, an exhausted balance does not cut the supply.
/// Active from <paramref name="From"/> (inclusive) until <paramref name="Until"/> (exclusive), or
/// indefinitely when <paramref name="Until"/> is null. Safety trips still apply.
/// </summary>
public sealed record KeepPowerExemption(string Reason, string GrantedBy, DateTimeOffset From, DateTimeOffset? Until)
{
    public bool IsActiveAt(DateTimeOffset instant) => instant >= From && (Until is null || instant < Until.Value);
}
