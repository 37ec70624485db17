namespace Kilowallet.Domain.Control;

/// <summary>The next thing to do for a meter's relay, and when.</summary>
public readonly record struct RelayStep(RelayStepKind Kind, RelayState? Target, DateTimeOffset? At)
{
    public static RelayStep Idle => new(RelayStepKind.Idle, null, null);

    public static RelayStep Send(RelayState target) => new(RelayStepKind.Send, target, null);

    public static RelayStep ReadBack => new(RelayStepKind.ReadBack, null, null);

    public static RelayStep WaitUntil(DateTimeOffset at) => new(RelayStepKind.Wait, null, at);
}
