namespace Kilowallet.Simulator.Load;

/// <summary>Names of <see cref="LoadFormat"/> as written in options and event specs (kebab case).</summary>
public static class LoadFormats
{
    private static readonly (string Name, LoadFormat Format)[] Names =
    [
        ("supermarket", LoadFormat.Supermarket),
        ("restaurant", LoadFormat.Restaurant),
        ("apparel", LoadFormat.Apparel),
        ("electronics", LoadFormat.Electronics),
        ("services", LoadFormat.Services),
        ("cinema", LoadFormat.Cinema),
        ("public-lighting", LoadFormat.PublicLighting),
        ("escalators", LoadFormat.EscalatorsAndLifts),
        ("hvac", LoadFormat.CentralAirConditioning),
        ("master", LoadFormat.MasterIncomer),
        ("other", LoadFormat.Other),
    ];

    public static IEnumerable<string> All => Names.Select(n => n.Name);

    public static string NameOf(LoadFormat format) =>
        Names.First(n => n.Format == format).Name;

    /// <summary>Parses a kebab-case name (or the enum name); refuses anything else with a sentence naming it.</summary>
    public static LoadFormat Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (text, format) in Names)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                return format;
            }
        }

        foreach (var (_, format) in Names)
        {
            if (string.Equals(format.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return format;
            }
        }

        throw new ArgumentException($"Unknown business format '{name}'; known formats: {string.Join(", ", All)}.", nameof(name));
    }
}
