using System.Globalization;
using System.Text.Json.Serialization;

namespace Kilowallet.Domain;

/// <summary>Identifies a tenant; the database assigns the value.</summary>
[JsonConverter(typeof(EntityIdJsonConverter<TenantId>))]
public readonly record struct TenantId(long Value) : IEntityId<TenantId>
{
    public static TenantId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
