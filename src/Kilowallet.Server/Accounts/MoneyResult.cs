namespace Kilowallet.Server.Accounts;

/// <summary>
/// The outcome of a money operation. A retry with the same idempotency key returns the original
/// entry (<see cref="Created"/> false) and the current balance.
/// </summary>
public sealed record MoneyResult(long EntryId, bool Created, DateTimeOffset At, long AmountMinor, string? Reference, AccountBalance Balance);
