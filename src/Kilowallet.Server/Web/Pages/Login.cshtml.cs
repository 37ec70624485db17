using Kilowallet.Server.Auth;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kilowallet.Server.Web.Pages;

/// <summary>Staff sign-in with user name and password (tenants sign in with a one-time code on the portal).</summary>
[EnableRateLimiting(AuthServiceCollectionExtensions.LoginRateLimit)]
public sealed class LoginModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, Text text) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public Dictionary<string, string> Errors { get; } = [];

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(UserName))
        {
            Errors[nameof(UserName)] = text["Required"];
        }

        if (string.IsNullOrEmpty(Password))
        {
            Errors[nameof(Password)] = text["Required"];
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        var user = await users.FindByNameAsync(UserName!.Trim());
        if (user is null || user.Disabled)
        {
            Message = text["WrongPassword"];
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(user, Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            Message = text["LockedOut"];
            return Page();
        }

        if (!result.Succeeded)
        {
            Message = text["WrongPassword"];
            return Page();
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
