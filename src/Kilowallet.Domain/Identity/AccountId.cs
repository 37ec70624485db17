using System.Globalization;
using System.Text.Json.Serialization;

namespace Kilowallet.Domain;

/// <summary>Identifies a account; the database assigns the value.</summary>
[JsonConverter(typeof(EntityIdJsonConverter<AccountId>))]
public readonly record struct AccountId(long Value) : IEntityId<AccountId>
{
    public static AccountId From(long value) => new(value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
