using System.Globalization;

namespace Kilowallet.Domain;

/// <summary>Identifies a account; the database assigns the value.</summary>
public readonly record struct AccountId(long Value) : IEntityId<AccountId>
{
    public static AccountId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
