using System.Globalization;
using System.Security.Claims;
using Kilowallet.Domain;

namespace Kilowallet.Server.Auth;

/// <summary>The claim that ties a tenant user to the tenant whose accounts they may see.</summary>
public static class TenantClaims
{
    public const string TenantId = "kw:tenant";

    public static TenantId? TenantIdOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Tenant) && long.TryParse(user.FindFirst(TenantId)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new TenantId(id)
            : null;
    }
}
