namespace Kilowallet.Server.Control;

/// <summary>
/// The answer to a relay request: the sequence number of the command that carries it out (a new one, or
/// the queued or in-flight one with the same target), or why it was refused.
/// </summary>
public sealed record RelayRequestResult(long? Sequence, string? Refusal)
{
    public bool Accepted => Sequence is not null;
}
