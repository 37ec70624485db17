using Kilowallet.Domain;
using Kilowallet.Domain.Control;

namespace Kilowallet.Server.Control;

/// <summary>A relay command's status changed (committed): for live screens, tests and the benchmark.</summary>
public sealed record RelayCommandUpdate(MeterId Meter, long Sequence, RelayState Target, RelayCommandStatus Status, DateTimeOffset At);
