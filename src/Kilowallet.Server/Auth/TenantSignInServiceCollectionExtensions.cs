using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Kilowallet.Server.Auth;

public static class TenantSignInServiceCollectionExtensions
{
    /// <summary>The portal's sign-in page; the tenant portal's pages send people who are not signed in there.</summary>
    public const string SignInPath = "/my/signin";

    /// <summary>
    /// One-time-code sign-in for shop owners (<see cref="TenantSignIn"/>), and the cookie's redirect of
    /// unauthenticated portal visits to the portal's own sign-in page instead of the staff one.
    /// </summary>
    public static IServiceCollection AddTenantSignIn(this IServiceCollection services)
    {
        services.AddScoped<TenantSignIn>();
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, cookie =>
        {
            var staff = cookie.Events.OnRedirectToLogin;
            cookie.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Path.StartsWithSegments("/my", StringComparison.OrdinalIgnoreCase))
                {
                    var back = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
                    context.Response.Redirect(SignInPath + "?returnUrl=" + Uri.EscapeDataString(back));
                    return Task.CompletedTask;
                }

                return staff(context);
            };
        });
        return services;
    }
}
