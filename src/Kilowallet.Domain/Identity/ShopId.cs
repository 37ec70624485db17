using System.Globalization;
using System.Text.Json.Serialization;

namespace Kilowallet.Domain;

/// <summary>Identifies a shop; the database assigns the value.</summary>
[JsonConverter(typeof(EntityIdJsonConverter<ShopId>))]
public readonly record struct ShopId(long Value) : IEntityId<ShopId>
{
    public static ShopId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
