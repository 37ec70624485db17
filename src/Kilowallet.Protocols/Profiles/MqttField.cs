namespace Kilowallet.Protocols.Profiles;

/// <summary>One quantity in a vendor's JSON: a JSON pointer (RFC 6901, e.g. "/data/Ua") and a scale to the quantity's unit.</summary>
public sealed record MqttField(MeterQuantity Quantity, string Path, decimal Scale);
