using System.Globalization;
using System.Text.Json.Serialization;

namespace Kilowallet.Domain;

/// <summary>Identifies a site; the database assigns the value.</summary>
[JsonConverter(typeof(EntityIdJsonConverter<SiteId>))]
public readonly record struct SiteId(long Value) : IEntityId<SiteId>
{
    public static SiteId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
