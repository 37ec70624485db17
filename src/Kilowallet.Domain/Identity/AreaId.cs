using System.Globalization;

namespace Kilowallet.Domain;

/// <summary>Identifies a area; the database assigns the value.</summary>
public readonly record struct AreaId(long Value) : IEntityId<AreaId>
{
    public static AreaId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
