namespace Kilowallet.Domain.Control;

/// <summary>
/// The result of giving <see cref="MeterRelay"/> an event: its new state, the next step as of the
/// event's instant, and the command that just ended, if any — <see cref="Completed"/> is verified
/// or failed (raise a relay-command-failed alarm), <see cref="Superseded"/> was replaced unsent.
/// </summary>
public sealed record RelayTransition(MeterRelay Relay, RelayStep Step, RelayCommand? Completed, RelayCommand? Superseded);
