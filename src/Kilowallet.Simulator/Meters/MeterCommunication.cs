namespace Kilowallet.Simulator.Meters;

/// <summary>How the meter answers right now, for the protocol layer: injected communication faults of the meter and its bus.</summary>
/// <param name="Offline">The meter does not reply.</param>
/// <param name="GatewayOffline">The whole bus is silent.</param>
/// <param name="ExtraDelay">Added to each reply (real time).</param>
/// <param name="CrcErrorFraction">Fraction of replies to corrupt, 0..1.</param>
public readonly record struct MeterCommunication(bool Offline, bool GatewayOffline, TimeSpan ExtraDelay, double CrcErrorFraction)
{
    public static MeterCommunication Healthy => default;

    /// <summary>No reply at all (meter or bus offline).</summary>
    public bool Silent => Offline || GatewayOffline;
}
