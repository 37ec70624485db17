using Kilowallet.Server.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages;

/// <summary>Sends each person to their home: operators to the overview, cashiers to the till, tenants to their portal.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated != true)
        {
            return Redirect("/login");
        }

        if (User.IsInRole(Roles.Admin) || User.IsInRole(Roles.Operator))
        {
            return Redirect("/console");
        }

        if (User.IsInRole(Roles.Cashier))
        {
            return Redirect("/cashier");
        }

        return Redirect("/my");
    }
}
