using System.Globalization;

namespace Kilowallet.Domain;

/// <summary>Identifies a site; the database assigns the value.</summary>
public readonly record struct SiteId(long Value) : IEntityId<SiteId>
{
    public static SiteId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
