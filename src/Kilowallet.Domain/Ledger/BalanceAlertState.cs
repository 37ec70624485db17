namespace Kilowallet.Domain.Ledger;

/// <summary>
/// Which balance crossings have been announced for an account, so each is announced once. A warning
/// re-arms when the balance rises back above its level; exhaustion ends only above the reconnect
/// level. The server stores these three flags per account. <c>default</c> means nothing announced.
/// </summary>
public readonly record struct BalanceAlertState(bool Warning1Announced, bool Warning2Announced, bool Exhausted)
{
    /// <summary>
    /// The state of an account whose balance is <paramref name="available"/> and whose crossings are
    /// all known already (a new account, or one just loaded): nothing will be re-announced.
    /// </summary>
    public static BalanceAlertState Settled(Money available, BalanceThresholds thresholds) =>
        new(available <= thresholds.Warning1, available <= thresholds.Warning2, thresholds.IsExhausted(available));
}
