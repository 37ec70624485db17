using System.Security.Claims;

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

    /// <summary>What the Admin policy admits, for decisions inside an endpoint or page.</summary>
    public static bool IsAdmin(ClaimsPrincipal user) => Has(user, [Roles.Admin], [ApiKeyScopes.Admin]);

    /// <summary>What the Operate policy admits.</summary>
    public static bool CanOperate(ClaimsPrincipal user) => Has(user, [Roles.Admin, Roles.Operator], [ApiKeyScopes.Admin, ApiKeyScopes.Operate]);

    /// <summary>What the Collect and Staff policies admit.</summary>
    public static bool CanCollect(ClaimsPrincipal user) => Has(user, [Roles.Admin, Roles.Operator, Roles.Cashier], [ApiKeyScopes.Admin, ApiKeyScopes.Operate, ApiKeyScopes.Collect]);

    private static bool Has(ClaimsPrincipal user, string[] roles, string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true
            && (roles.Any(user.IsInRole) || user.FindAll(ApiKeyScopes.ClaimType).Any(c => scopes.Contains(c.Value)));
    }
}
