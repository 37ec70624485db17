namespace Kilowallet.Simulator.Meters;

/// <summary>The relay position the meter reports.</summary>
public enum RelayState
{
    Closed = 0,
    Open = 1,
}
