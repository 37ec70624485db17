namespace Kilowallet.Protocols.Profiles;

/// <summary>The state of a meter's relay as read back.</summary>
public enum RelayState
{
    Unknown,
    Closed,
    Open,
}
