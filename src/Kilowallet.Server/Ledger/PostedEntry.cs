namespace Kilowallet.Server.Ledger;

/// <summary>The entry a posting wrote, or found already written under the same idempotency key.</summary>
public sealed record PostedEntry(long EntryId, bool Created, DateTimeOffset At);
