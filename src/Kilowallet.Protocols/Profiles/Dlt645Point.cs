using Kilowallet.Protocols.Dlt645;

namespace Kilowallet.Protocols.Profiles;

/// <summary>One quantity read by data identifier, in a BCD format, times a scale to the quantity's unit.</summary>
public sealed record Dlt645Point(MeterQuantity Quantity, Dlt645DataIdentifier Identifier, Dlt645DataFormat Format, decimal Scale);
