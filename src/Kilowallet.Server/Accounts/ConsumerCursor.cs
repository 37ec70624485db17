namespace Kilowallet.Server.Accounts;

/// <summary>How far a consumer (control, notifications) has read an event stream; advanced in the consumer's own transaction.</summary>
public sealed class ConsumerCursor
{
    public required string Consumer { get; set; }

    public long Position { get; set; }
}
