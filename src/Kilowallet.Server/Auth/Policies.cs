namespace Kilowallet.Server.Auth;

/// <summary>Authorization policies used by endpoints and pages.</summary>
public static class Policies
{
    /// <summary>Administration: users, API keys, audit log, system settings.</summary>
    public const string Admin = "admin";

    /// <summary>Running the mall: directory, meters, tariffs, relays, alarms, reports (admin or operator).</summary>
    public const string Operate = "operate";

    /// <summary>Taking money: find accounts, top up, receipts, shift report (admin, operator or cashier).</summary>
    public const string Collect = "collect";

    /// <summary>Any signed-in staff member (admin, operator, cashier).</summary>
    public const string Staff = "staff";

    /// <summary>A tenant acting on their own accounts.</summary>
    public const string Tenant = "tenant";
}
