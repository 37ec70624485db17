using Kilowallet.Protocols.Dlt645;

namespace Kilowallet.Protocols.Profiles;

/// <summary>Relay state in a DL/T 645 status word: (word &amp; Mask) == OpenWhen means open.</summary>
public sealed record Dlt645RelayStatePoint(Dlt645DataIdentifier Identifier, ushort Mask, ushort OpenWhen)
{
    public RelayState Interpret(ushort word) => (word & Mask) == OpenWhen ? RelayState.Open : RelayState.Closed;
}
