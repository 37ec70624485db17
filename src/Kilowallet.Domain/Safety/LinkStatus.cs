namespace Kilowallet.Domain.Safety;

public enum LinkStatus
{
    /// <summary>Not yet known since start-up.</summary>
    Unknown = 0,
    Online = 1,
    Offline = 2,
}
