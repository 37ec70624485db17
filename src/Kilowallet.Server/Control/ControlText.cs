using System.Globalization;
using System.Text;
using Kilowallet.Domain.Control;

namespace Kilowallet.Server.Control;

/// <summary>How control states and decisions are written for people and the API: kebab-case codes, one-line decisions.</summary>
public static class ControlText
{
    /// <summary>"BalanceExhausted" → "balance-exhausted".</summary>
    public static string Code<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    /// <summary>One line for the meter's control state: "trip deferred until 2026-03-05 08:00 (friendly-hours)".</summary>
    public static string Describe(ControlDecision decision, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(zone);
        return decision.Action switch
        {
            ControlAction.TripNow => $"trip now ({Code(decision.Cause!.Value)})",
            ControlAction.TripDeferred => string.Create(
                CultureInfo.InvariantCulture,
                $"trip deferred until {TimeZoneInfo.ConvertTime(decision.NotBefore!.Value, zone):yyyy-MM-dd HH:mm} ({Code(decision.Deferral!.Value)})"),
            ControlAction.ReconnectNow => decision.TenantMustPressButton
                ? $"reconnect now ({Code(decision.Cause!.Value)}; close allowed, the tenant presses the button)"
                : $"reconnect now ({Code(decision.Cause!.Value)})",
            _ => decision.Hold == ControlHold.None ? "no change" : $"no change ({Code(decision.Hold)})",
        };
    }
}
