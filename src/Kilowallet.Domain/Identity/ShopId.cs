using System.Globalization;

namespace Kilowallet.Domain;

/// <summary>Identifies a shop; the database assigns the value.</summary>
public readonly record struct ShopId(long Value) : IEntityId<ShopId>
{
    public static ShopId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
