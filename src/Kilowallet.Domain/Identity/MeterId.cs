using System.Globalization;
using System.Text.Json.Serialization;

namespace Kilowallet.Domain;

/// <summary>Identifies a meter; the database assigns the value.</summary>
[JsonConverter(typeof(EntityIdJsonConverter<MeterId>))]
public readonly record struct MeterId(long Value) : IEntityId<MeterId>
{
    public static MeterId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
