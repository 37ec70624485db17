using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Kilowallet.Server.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>The rate-limiting policy of sign-in and one-time-code endpoints.</summary>
    public const string LoginRateLimit = "login";

    /// <summary>The rate-limiting policy of payment endpoints.</summary>
    public const string PaymentRateLimit = "payment";

    private const string SmartScheme = "Kilowallet";

    /// <summary>
    /// Identity (hashed passwords, lockout) with a cookie for people and API keys for systems;
    /// role-based policies; rate limits on sign-in and payment endpoints.
    /// </summary>
    public static IServiceCollection AddKilowalletAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<ApiKeyService>();
        services.AddHostedService<InitialUsers>();

        services.AddIdentityCore<AppUser>(identity =>
            {
                identity.Password.RequiredLength = 10;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                identity.Lockout.AllowedForNewUsers = true;
                identity.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<Storage.KilowalletDb>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<KilowalletClaimsFactory>()
            .AddDefaultTokenProviders();

        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Cookie or API key", scheme =>
                scheme.ForwardDefaultSelector = context => ApiKeyAuthenticationHandler.Presented(context.Request) is not null
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(IdentityConstants.ApplicationScheme, cookie =>
            {
                cookie.Cookie.Name = "kw.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(options.StaffSessionHours);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/login";
                cookie.AccessDeniedPath = "/denied";
                cookie.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
                cookie.Events.OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync;
            })
            .AddCookie(IdentityConstants.ExternalScheme)
            .AddCookie(IdentityConstants.TwoFactorUserIdScheme);

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireAssertion(c => Policies.IsAdmin(c.User)))
            .AddPolicy(Policies.Operate, p => p.RequireAssertion(c => Policies.CanOperate(c.User)))
            .AddPolicy(Policies.Collect, p => p.RequireAssertion(c => Policies.CanCollect(c.User)))
            .AddPolicy(Policies.Staff, p => p.RequireAssertion(c => Policies.CanCollect(c.User)))
            .AddPolicy(Policies.Tenant, p => p.RequireAssertion(c => c.User.IsInRole(Roles.Tenant) && c.User.FindFirst(TenantClaims.TenantId) is not null));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.AddPolicy(PaymentRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 60, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.HeaderName = "X-CSRF-Token";
            antiforgery.Cookie.Name = "kw.csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });
        return services;
    }

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
