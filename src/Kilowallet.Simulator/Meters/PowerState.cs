namespace Kilowallet.Simulator.Meters;

/// <summary>What turns a meter's base load into the power it measures: relay/bypass, lost phases and injected loads.</summary>
/// <param name="Conducting">Relay closed, or bypassed.</param>
/// <param name="LostPhases">Bit k set: phase k has no voltage and no current.</param>
/// <param name="MaliciousMilliwatts">Injected resistive load (secondary side), on <paramref name="MaliciousPhase"/>.</param>
/// <param name="OverloadMilliwatts">Injected overload (secondary side), spread over the phases.</param>
internal readonly record struct PowerState(bool Conducting, int LostPhases, long MaliciousMilliwatts, int MaliciousPhase, long OverloadMilliwatts);
