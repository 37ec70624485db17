namespace Kilowallet.Simulator.Meters;

/// <summary>Time-of-use bands, numbered as DL/T 645 tariffs 1–4 (State Grid convention) minus one.</summary>
public enum TouBand
{
    /// <summary>尖, tariff 1.</summary>
    Sharp = 0,

    /// <summary>峰, tariff 2.</summary>
    Peak = 1,

    /// <summary>平, tariff 3.</summary>
    Flat = 2,

    /// <summary>谷, tariff 4.</summary>
    Valley = 3,
}
