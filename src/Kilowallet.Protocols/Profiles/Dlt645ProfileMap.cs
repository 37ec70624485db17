using Kilowallet.Protocols.Dlt645;

namespace Kilowallet.Protocols.Profiles;

/// <summary>The DL/T 645 side of a profile.</summary>
public sealed record Dlt645ProfileMap(
    IReadOnlyList<Dlt645Point> Points,
    Dlt645RelayStatePoint? RelayState,
    IReadOnlyDictionary<RelayAction, Dlt645RelayCommand> RelayCommands);
