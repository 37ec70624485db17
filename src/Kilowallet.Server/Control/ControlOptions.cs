using Kilowallet.Domain.Control;

namespace Kilowallet.Server.Control;

/// <summary>Configuration section "Control": the prepaid control loop and the relay command state machine.</summary>
public sealed record ControlOptions
{
    public const string Section = "Control";

    /// <summary>Run the control loop and relay commands (off: a node that only serves the API).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Every meter is decided on again at least this often (deferred cuts, expired exemptions, missed events).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A balance trip is never commanded sooner than this after the meter's previous command (no relay chatter).</summary>
    public TimeSpan MinimumCommandInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Relay command: how long to wait for the meter's acknowledgement (server clock).</summary>
    public TimeSpan AcknowledgementTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Relay command: when the state read with the acknowledgement is not yet the target, read again after this.</summary>
    public TimeSpan ReadBackDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Relay command: how long after the read-back is due the target state must show.</summary>
    public TimeSpan ReadBackTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Relay command: sends before the command fails and raises an alarm.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Relay command: the wait after the first failed attempt, doubled after each further one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Real-time bound of one exchange with a meter (the command and its read-back on the bus, or the MQTT acknowledgement).</summary>
    public TimeSpan ExchangeTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The relay state machine's timings, as the domain takes them.</summary>
    public RelayCommandOptions RelayCommands => new()
    {
        AcknowledgementTimeout = AcknowledgementTimeout,
        ReadBackDelay = ReadBackDelay,
        ReadBackTimeout = ReadBackTimeout,
        MaxAttempts = MaxAttempts,
        InitialBackoff = InitialBackoff,
        MaxBackoff = MaxBackoff,
    };

    public ControlPolicyOptions Policy => new() { MinimumCommandInterval = MinimumCommandInterval };
}
