namespace Kilowallet.Simulator.Meters;

/// <summary>What a meter model can do, as data (the simulator's side of a shipped meter profile).</summary>
/// <param name="Name">The profile name, e.g. "kpm31".</param>
/// <param name="Phases">1 (single-phase) or 3 (three-phase four-wire).</param>
/// <param name="HasRelay">A built-in relay the server can open and close.</param>
/// <param name="CloseMode">What a remote close does (meaningful only with a relay).</param>
/// <param name="HasOverloadTrip">The meter opens its own relay when power stays above its limit.</param>
/// <param name="HasTouRegisters">The meter keeps sharp/peak/flat/valley registers (the simulator keeps them for every kind).</param>
/// <param name="EnergyResolutionKwh">Smallest step of its energy registers.</param>
/// <param name="RegisterCapacityKwh">Registers roll over to zero at this value.</param>
public sealed record MeterKind(
    string Name,
    string Description,
    int Phases,
    bool HasRelay,
    CloseMode CloseMode,
    bool HasOverloadTrip,
    bool HasTouRegisters,
    decimal EnergyResolutionKwh,
    decimal RegisterCapacityKwh);
