using System.Globalization;

namespace Kilowallet.Domain;

/// <summary>Identifies a meter; the database assigns the value.</summary>
public readonly record struct MeterId(long Value) : IEntityId<MeterId>
{
    public static MeterId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
