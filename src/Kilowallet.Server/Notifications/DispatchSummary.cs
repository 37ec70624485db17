namespace Kilowallet.Server.Notifications;

/// <summary>What one dispatcher pass did.</summary>
public sealed record DispatchSummary(int Claimed, int Sent, int Retrying, int Failed, int Skipped)
{
    public static DispatchSummary Empty { get; } = new(0, 0, 0, 0, 0);

    public DispatchSummary Add(DispatchSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Claimed + other.Claimed, Sent + other.Sent, Retrying + other.Retrying, Failed + other.Failed, Skipped + other.Skipped);
    }
}
