namespace Kilowallet.Simulator.Load;

/// <summary>The season for air-conditioning load (by the mall's local month).</summary>
public enum Season
{
    /// <summary>March–May and October–November: little heating or cooling.</summary>
    Shoulder = 0,

    /// <summary>June–September: heavy cooling.</summary>
    Summer = 1,

    /// <summary>December–February: moderate heating (heat pumps).</summary>
    Winter = 2,
}
