using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Reading;

/// <summary>How a relay command went: the command's own outcome and the relay state read back afterwards.</summary>
public sealed record RelayCommandResult(ExchangeStatus Status, RelayState ReadBack, string? Detail)
{
    public bool IsSuccess => Status == ExchangeStatus.Success;

    /// <summary>Whether the read-back confirms the action (a close-allowed command is confirmed by nothing but the tenant).</summary>
    public bool IsVerified(RelayAction action) => action switch
    {
        RelayAction.Trip => ReadBack == RelayState.Open,
        RelayAction.Close => ReadBack == RelayState.Closed,
        _ => false,
    };
}
