using System.Globalization;
using System.Text.Json.Serialization;

namespace Kilowallet.Domain;

/// <summary>Identifies a gateway; the database assigns the value.</summary>
[JsonConverter(typeof(EntityIdJsonConverter<GatewayId>))]
public readonly record struct GatewayId(long Value) : IEntityId<GatewayId>
{
    public static GatewayId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
