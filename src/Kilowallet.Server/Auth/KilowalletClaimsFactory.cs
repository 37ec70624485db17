using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kilowallet.Server.Auth;

/// <summary>Adds the tenant claim at sign-in, so no request needs a database lookup to know whose data it may see.</summary>
public sealed class KilowalletClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        if (user.TenantId is { } tenant)
        {
            identity.AddClaim(new Claim(TenantClaims.TenantId, tenant.Value.ToString(CultureInfo.InvariantCulture)));
        }

        identity.AddClaim(new Claim("kw:name", user.DisplayName));
        return identity;
    }
}
