using Kilowallet.Domain;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Notifications;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.My;

/// <summary>
/// How the tenant is told: channels, quiet hours and language, saved through the same code as
/// PUT /api/v1/me/notification-settings. The language also becomes the portal's language.
/// </summary>
public sealed class PortalSettingsModel(KilowalletDb db, AuditLog audit, TimeProvider clock) : PageModel
{
    public NotificationEndpoints.SettingsDto? Settings { get; private set; }

    public bool Saved { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await NotificationEndpoints.GetMySettings(db, HttpContext, cancellationToken);
        if (result.Result is not Ok<NotificationEndpoints.SettingsDto> ok)
        {
            return NotFound();
        }

        Settings = ok.Value;
        Saved = Request.Query.ContainsKey("saved");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(bool sms, bool email, bool inApp, bool quiet, string? quietStart, string? quietEnd, string? language, CancellationToken cancellationToken)
    {
        Language? chosen = string.IsNullOrEmpty(language) ? null : UiLanguage.Parse(language);
        var request = new NotificationEndpoints.SettingsRequest(sms, email, inApp, quiet ? new NotificationEndpoints.QuietHoursDto(quietStart ?? string.Empty, quietEnd ?? string.Empty) : null, chosen);
        var result = await NotificationEndpoints.PutMySettings(request, db, audit, clock, HttpContext, cancellationToken);
        switch (result.Result)
        {
            case Ok<NotificationEndpoints.SettingsDto> ok:
                Settings = ok.Value;
                Saved = true;
                if (chosen is { } ui)
                {
                    Response.Cookies.Append(
                        UiLanguage.CookieName,
                        CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(UiLanguage.Code(ui))),
                        new CookieOptions { Expires = DateTimeOffset.UnixEpoch.AddYears(100), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
                    return Redirect("/my/settings?saved=1");
                }

                return Page();
            case ProblemHttpResult problem:
                Error = string.Join(" ", (problem.ProblemDetails as Microsoft.AspNetCore.Http.HttpValidationProblemDetails)?.Errors.SelectMany(e => e.Value) ?? [problem.ProblemDetails.Detail ?? string.Empty]);
                await OnGetAsync(cancellationToken);
                return Page();
            default:
                return NotFound();
        }
    }
}
