namespace Kilowallet.Protocols.Profiles;

/// <summary>Where a vendor's JSON shows the relay, and the values (as text) meaning closed and open.</summary>
public sealed record MqttRelayStateField(string Path, IReadOnlyList<string> ClosedValues, IReadOnlyList<string> OpenValues);
