using Kilowallet.Server.Auth;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace Kilowallet.Server.Web;

/// <summary>The operator console, cashier screen and tenant portal: server-rendered pages, two languages, no CDN.</summary>
public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddKilowalletWeb(this IServiceCollection services)
    {
        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Web/Pages";
            pages.Conventions.AuthorizeFolder("/Console", Policies.Operate);
            pages.Conventions.AuthorizeFolder("/Cashier", Policies.Collect);
            pages.Conventions.AuthorizeFolder("/My", Policies.Tenant);
            pages.Conventions.AuthorizePage("/Console/Admin", Policies.Admin);
        })

        // The pages live in this assembly, also when another program (a benchmark) hosts the server.
        .AddApplicationPart(typeof(WebServiceCollectionExtensions).Assembly);
        services.AddScoped(_ => new Text { Language = UiLanguage.Current });

        // Chinese text is written as characters, not as &#x…; entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(encoders =>
            encoders.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(localization =>
        {
            localization.SupportedCultures = [.. UiLanguage.Supported];
            localization.SupportedUICultures = [.. UiLanguage.Supported];
            localization.DefaultRequestCulture = new RequestCulture(UiLanguage.English);
            localization.RequestCultureProviders =
            [
                new CookieRequestCultureProvider { CookieName = UiLanguage.CookieName },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    public static void MapKilowalletWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorPages();
        app.MapPost("/language", (HttpContext http, string? lang, string? returnUrl) =>
        {
            var culture = UiLanguage.Code(UiLanguage.Parse(lang));
            http.Response.Cookies.Append(
                UiLanguage.CookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UnixEpoch.AddYears(100), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return TypedResults.LocalRedirect(returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
        }).ExcludeFromDescription();
        app.MapPost("/logout", async (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/login");
        }).ExcludeFromDescription();
    }
}
