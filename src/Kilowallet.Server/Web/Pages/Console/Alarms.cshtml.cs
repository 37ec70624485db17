using System.Text.Json;
using Kilowallet.Domain.Safety;
using Kilowallet.Server.Alarms;
using Kilowallet.Server.Api;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kilowallet.Server.Web.Pages.Console;

/// <summary>Open alarms by severity, acknowledge and clear, history; the list refreshes itself when an alarm changes.</summary>
public sealed class AlarmsModel(AlarmQuery alarms, KilowalletDb db, Text text) : PageModel
{
    private IReadOnlyDictionary<AlarmSeverity, int> _counts = new Dictionary<AlarmSeverity, int>();

    public IReadOnlyList<AlarmQuery.AlarmView> Items { get; private set; } = [];

    public int Total { get; private set; }

    public int Offset { get; private set; }

    public int Unacknowledged { get; private set; }

    public string Status { get; private set; } = "open";

    public AlarmSeverity? Severity { get; private set; }

    public string? Type { get; private set; }

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public string ScriptTexts => JsonSerializer.Serialize(new { clearReason = text["ClearReason"] });

    public int Count(AlarmSeverity severity) => _counts.GetValueOrDefault(severity);

    public async Task OnGetAsync(string? status, AlarmSeverity? severity, string? type, int? offset, CancellationToken cancellationToken) =>
        await LoadAsync(status, severity, type, offset, cancellationToken);

    /// <summary>Just the table, for the live refresh.</summary>
    public async Task<IActionResult> OnGetRowsAsync(string? status, AlarmSeverity? severity, string? type, int? offset, CancellationToken cancellationToken)
    {
        await LoadAsync(status, severity, type, offset, cancellationToken);
        return Partial("_AlarmRows", this);
    }

    private async Task LoadAsync(string? status, AlarmSeverity? severity, string? type, int? offset, CancellationToken cancellationToken)
    {
        (Status, Severity, Type) = (status is "cleared" or "all" ? status : "open", severity, string.IsNullOrEmpty(type) ? null : type);
        var paging = Paging.From(offset, 100);
        Offset = paging.Offset;
        (Items, Total) = await alarms.ListAsync(new AlarmQuery.Filter(Status, Severity, Type), paging, cancellationToken);
        (_counts, Unacknowledged) = await alarms.CountOpenAsync(cancellationToken);
        Zone = await Sites.SiteZones.FirstAsync(db, cancellationToken);
    }
}
