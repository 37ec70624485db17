namespace Kilowallet.Server.Accounts;

public enum AccountStatus
{
    Open = 0,
    Closed = 1,
}
