using System.Globalization;

namespace Kilowallet.Domain;

/// <summary>Identifies a tenant; the database assigns the value.</summary>
public readonly record struct TenantId(long Value) : IEntityId<TenantId>
{
    public static TenantId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
