using System.Text.Json;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.Cashier;

/// <summary>The till: find an account in one search, take money, print the receipt, see and close the shift.</summary>
public sealed class IndexModel(Text text) : PageModel
{
    /// <summary>The words the page's script shows, in the user's language.</summary>
    public string ScriptTexts { get; private set; } = "{}";

    public void OnGet()
    {
        ScriptTexts = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["noMatch"] = text["NoAccountFound"],
            ["amountInvalid"] = text["AmountInvalid"],
            ["confirm"] = text["ConfirmTopUp"],
            ["done"] = text["TopUpDone"],
            ["retry"] = text["TopUpRetry"],
            ["noShift"] = text["NoShiftYet"],
            ["openedAt"] = text["OpenedAt"],
            ["method"] = text["Method"],
            ["count"] = text["Count"],
            ["collected"] = text["Collected"],
            ["reversedTotal"] = text["Reversed"],
            ["net"] = text["Net"],
            ["total"] = text["Total"],
            ["entries"] = text["Entries"],
            ["reverse"] = text["Reverse"],
            ["reversed"] = text["Reversed"],
            ["reversal"] = text["Reversal"],
            ["receipt"] = text["Receipt"],
            ["reverseReason"] = text["ReverseReason"],
            ["closeShiftConfirm"] = text["CloseShiftConfirm"],
            ["method-cash"] = text["MethodCash"],
            ["method-card"] = text["MethodCard"],
            ["method-qr"] = text["MethodQr"],
            ["state-ok"] = text["StateOk"],
            ["state-low"] = text["StateLow"],
            ["state-tripped"] = text["StateTripped"],
            ["state-offline"] = text["StateOffline"],
            ["state-alarm"] = text["StateAlarm"],
            ["state-nodata"] = text["StateNoData"],
        });
    }
}
