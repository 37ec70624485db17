namespace Kilowallet.Simulator.Meters;

/// <summary>Alarm and status flags a meter reports.</summary>
[Flags]
public enum MeterAlarms
{
    None = 0,

    /// <summary>The meter opened its relay on overload; cleared by the next close.</summary>
    OverloadTrip = 1,

    /// <summary>A phase voltage above 253 V (nominal + 10 %).</summary>
    OverVoltage = 2,

    /// <summary>A phase voltage below 207 V (nominal − 10 %) but not lost.</summary>
    UnderVoltage = 4,

    /// <summary>A phase has no voltage.</summary>
    PhaseLoss = 8,

    /// <summary>Current flows although the relay is open (bypass or a welded contact).</summary>
    CurrentWhileRelayOpen = 16,

    /// <summary>Close allowed: waiting for the tenant to press the button.</summary>
    AwaitingButton = 32,
}
