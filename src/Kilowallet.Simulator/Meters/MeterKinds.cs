namespace Kilowallet.Simulator.Meters;

/// <summary>The meter models the simulator implements, named as the shipped profiles.</summary>
public static class MeterKinds
{
    public static MeterKind Kpm31 { get; } = new("kpm31", "Compere KPM31 single-phase DIN-rail prepaid meter", 1, true, CloseMode.Direct, true, true, 0.01m, 1_000_000m);

    public static MeterKind Kpm33 { get; } = new("kpm33", "Compere KPM33 three-phase 4G prepaid meter", 3, true, CloseMode.Direct, true, true, 0.01m, 10_000_000m);

    public static MeterKind Kpm37 { get; } = new("kpm37", "Compere KPM37 three-phase 4G meter", 3, true, CloseMode.Direct, true, true, 0.01m, 10_000_000m);

    public static MeterKind Sdm120 { get; } = new("sdm120", "Eastron SDM120 single-phase meter", 1, false, CloseMode.Direct, false, false, 0.001m, 10_000_000m);

    public static MeterKind Sdm630 { get; } = new("sdm630", "Eastron SDM630 three-phase meter", 3, false, CloseMode.Direct, false, false, 0.001m, 10_000_000m);

    public static MeterKind Ddsu666 { get; } = new("ddsu666", "CHINT DDSU666 single-phase meter", 1, false, CloseMode.Direct, false, false, 0.01m, 1_000_000m);

    public static MeterKind Dtsu666 { get; } = new("dtsu666", "CHINT DTSU666 three-phase meter", 3, false, CloseMode.Direct, false, false, 0.01m, 1_000_000m);

    public static MeterKind Dlt645 { get; } = new("dlt645", "DL/T 645-2007 single-phase prepaid meter", 1, true, CloseMode.ButtonAfterAllow, true, true, 0.01m, 1_000_000m);

    public static IReadOnlyList<MeterKind> All { get; } = [Kpm31, Kpm33, Kpm37, Sdm120, Sdm630, Ddsu666, Dtsu666, Dlt645];

    /// <summary>The kind of that name; refuses an unknown one with a sentence listing the known kinds.</summary>
    public static MeterKind Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown meter kind '{name}'; known kinds: {string.Join(", ", All.Select(k => k.Name))}.", nameof(name));
    }
}
