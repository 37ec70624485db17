using System.Globalization;
using System.Text.Json.Serialization;

namespace Kilowallet.Domain;

/// <summary>Identifies a area; the database assigns the value.</summary>
[JsonConverter(typeof(EntityIdJsonConverter<AreaId>))]
public readonly record struct AreaId(long Value) : IEntityId<AreaId>
{
    public static AreaId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
