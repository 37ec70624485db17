using Kilowallet.Protocols.Profiles;

namespace Kilowallet.Protocols.Reading;

/// <summary>Why one quantity of a snapshot has no value.</summary>
public sealed record QuantityError(MeterQuantity Quantity, string Reason)
{
    public override string ToString() => $"{MeterQuantities.Name(Quantity)}: {Reason}";
}
