using Kilowallet.Server.Auth;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kilowallet.Server.Web.Pages.My;

/// <summary>Shop owners sign in with a one-time code sent to their phone or email (see <see cref="TenantSignIn"/>).</summary>
[AllowAnonymous]
[EnableRateLimiting(AuthServiceCollectionExtensions.LoginRateLimit)]
public sealed class SignInModel(TenantSignIn signIn, SignInManager<AppUser> manager, Text text) : PageModel
{
    [BindProperty]
    public string? Destination { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool CodeSent { get; private set; }

    public string? Message { get; private set; }

    public bool MessageIsError { get; private set; }

    public IActionResult OnGet() => TenantClaims.TenantIdOf(User) is not null ? LocalRedirect(Back()) : Page();

    public async Task<IActionResult> OnPostSendAsync(CancellationToken cancellationToken)
    {
        var outcome = await signIn.RequestCodeAsync(Destination, text.Language, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        switch (outcome)
        {
            case TenantSignIn.RequestOutcome.Sent:
                CodeSent = true;
                Destination = TenantSignIn.Normalize(Destination);
                break;
            case TenantSignIn.RequestOutcome.TooSoon:
                CodeSent = true;
                Destination = TenantSignIn.Normalize(Destination);
                Error("CodeTooSoon");
                break;
            default:
                Error(outcome switch
                {
                    TenantSignIn.RequestOutcome.Invalid => "PhoneOrEmailInvalid",
                    TenantSignIn.RequestOutcome.TooMany => "CodeTooMany",
                    _ => "CodeChannelUnavailable",
                });
                break;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        var outcome = await signIn.VerifyAndSignInAsync(Destination, Code, cancellationToken);
        if (outcome == TenantSignIn.VerifyOutcome.SignedIn)
        {
            return LocalRedirect(Back());
        }

        CodeSent = outcome is TenantSignIn.VerifyOutcome.Wrong or TenantSignIn.VerifyOutcome.Invalid;
        Error(outcome switch
        {
            TenantSignIn.VerifyOutcome.Wrong or TenantSignIn.VerifyOutcome.Invalid => "CodeWrong",
            TenantSignIn.VerifyOutcome.Locked => "CodeLocked",
            _ => "CodeExpired",
        });
        return Page();
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await manager.SignOutAsync();
        return LocalRedirect(TenantSignInServiceCollectionExtensions.SignInPath);
    }

    private void Error(string key)
    {
        Message = text[key];
        MessageIsError = true;
    }

    private string Back() => Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/my", StringComparison.Ordinal) ? ReturnUrl : "/my";
}
