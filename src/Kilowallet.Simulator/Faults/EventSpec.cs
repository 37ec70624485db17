using System.Globalization;

namespace Kilowallet.Simulator.Faults;

/// <summary>
/// Parses an event written as text, e.g. <c>malicious:unit=3,kw=2</c> or <c>sag:gateway=F1-BUS-A,v=185,for=10m</c>.
/// </summary>
/// <remarks>
/// Kinds: malicious, overload, sag, swell, phase-loss, offline, gateway-offline, slow, crc, reset, drift, bypass.
/// Target keys: serial=, unit= (on gateway= or the default gateway), address= (DL/T 645), gateway= (alone: every
/// meter on it, or the bus itself for gateway-offline/slow/crc); none: the whole mall.
/// Parameters: kw= (malicious, overload), v= (sag 180, swell 260 by default), phase=A|B|C, ms= (slow, default 500),
/// fraction= (crc, default 0.1), kwh= (reset, default 0), s= (drift, seconds, negative = behind).
/// Timing: at= (start after, e.g. 30s, 10m, 2h, 1d), for= (duration; default until cleared).
/// </remarks>
public static class EventSpec
{
    private static readonly (string Name, EventKind Kind)[] Kinds =
    [
        ("malicious", EventKind.MaliciousLoad),
        ("overload", EventKind.Overload),
        ("sag", EventKind.VoltageSag),
        ("swell", EventKind.VoltageSwell),
        ("phase-loss", EventKind.PhaseLoss),
        ("offline", EventKind.Offline),
        ("gateway-offline", EventKind.GatewayOffline),
        ("slow", EventKind.SlowResponses),
        ("crc", EventKind.CrcErrors),
        ("reset", EventKind.CounterReset),
        ("drift", EventKind.ClockDrift),
        ("bypass", EventKind.Bypass),
    ];

    private static readonly string[] Keys = ["serial", "unit", "gateway", "address", "kw", "v", "phase", "ms", "fraction", "kwh", "s", "at", "for"];

    public static IEnumerable<string> KindNames => Kinds.Select(k => k.Name);

    /// <summary>The spec name of a kind (malicious, sag, gateway-offline, …).</summary>
    public static string NameOf(EventKind kind) => Kinds.First(k => k.Kind == kind).Name;

    /// <summary>Parses a spec; <paramref name="defaultGateway"/> is used for unit= (and gateway-offline) when gateway= is absent.</summary>
    public static (EventTarget Target, SimulationEvent Event) Parse(string spec, string? defaultGateway = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kindText = (colon < 0 ? spec : spec[..colon]).Trim();
        var kind = Kinds.FirstOrDefault(k => string.Equals(k.Name, kindText, StringComparison.OrdinalIgnoreCase));
        if (kind.Name is null)
        {
            throw new ArgumentException($"Unknown event '{kindText}' in '{spec}'; known events: {string.Join(", ", KindNames)}.", nameof(spec));
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (colon >= 0)
        {
            foreach (var part in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new ArgumentException($"Event '{spec}': '{part}' is not key=value.", nameof(spec));
                }

                var key = part[..eq].Trim();
                if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"Event '{spec}': unknown key '{key}'; keys are {string.Join(", ", Keys)}.", nameof(spec));
                }

                values[key] = part[(eq + 1)..].Trim();
            }
        }

        var e = kind.Kind switch
        {
            EventKind.MaliciousLoad => SimulationEvent.MaliciousLoad(Number(values, "kw", spec) ?? throw new ArgumentException($"Event '{spec}': a malicious load needs kw= (its power in kW).", nameof(spec)), Phase(values, spec) ?? 0),
            EventKind.Overload => SimulationEvent.Overload(Number(values, "kw", spec) ?? 0),
            EventKind.VoltageSag => SimulationEvent.VoltageSag(Number(values, "v", spec) ?? 180, Phase(values, spec)),
            EventKind.VoltageSwell => SimulationEvent.VoltageSwell(Number(values, "v", spec) ?? 260, Phase(values, spec)),
            EventKind.PhaseLoss => SimulationEvent.PhaseLoss(Phase(values, spec) ?? throw new ArgumentException($"Event '{spec}': a phase loss needs phase=A, B or C.", nameof(spec))),
            EventKind.Offline => SimulationEvent.Offline(),
            EventKind.GatewayOffline => SimulationEvent.GatewayOffline(),
            EventKind.SlowResponses => SimulationEvent.SlowResponses(TimeSpan.FromMilliseconds(Number(values, "ms", spec) ?? 500)),
            EventKind.CrcErrors => SimulationEvent.CrcErrors(Number(values, "fraction", spec) ?? 0.1),
            EventKind.CounterReset => SimulationEvent.CounterReset((decimal)(Number(values, "kwh", spec) ?? 0)),
            EventKind.ClockDrift => SimulationEvent.ClockDrift(TimeSpan.FromSeconds(Number(values, "s", spec) ?? throw new ArgumentException($"Event '{spec}': a clock drift needs s= (seconds ahead; negative is behind).", nameof(spec)))),
            EventKind.Bypass => SimulationEvent.Bypass(),
            _ => throw new ArgumentException($"Unknown event '{kindText}'.", nameof(spec)),
        };

        e = e with
        {
            StartAfter = values.TryGetValue("at", out var at) ? Duration(at, "at", spec) : TimeSpan.Zero,
            Duration = values.TryGetValue("for", out var span) ? Duration(span, "for", spec) : null,
        };
        e.Validate();
        return (Target(values, kind.Kind, defaultGateway, spec), e);
    }

    /// <summary>Parses "90", "90s", "15m", "2h", "1d" (a bare number is seconds).</summary>
    public static TimeSpan Duration(string text, string key, string spec)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        var number = char.IsAsciiLetter(text.Length > 0 ? text[^1] : '0') ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new ArgumentException($"Event '{spec}': {key}={text} is not a duration such as 30s, 10m, 2h or 1d.", nameof(text));
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw new ArgumentException($"Event '{spec}': {key}={text} has an unknown unit; use s, m, h or d.", nameof(text)),
        };
    }

    private static EventTarget Target(Dictionary<string, string> values, EventKind kind, string? defaultGateway, string spec)
    {
        values.TryGetValue("gateway", out var gateway);
        if (values.TryGetValue("serial", out var serial))
        {
            return EventTarget.Meter(serial);
        }

        if (values.TryGetValue("address", out var address))
        {
            return EventTarget.Dlt645(address, gateway);
        }

        if (values.TryGetValue("unit", out var unitText))
        {
            if (!int.TryParse(unitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unit))
            {
                throw new ArgumentException($"Event '{spec}': unit={unitText} is not a number.", nameof(spec));
            }

            if (unit is < 1 or > 247)
            {
                throw new ArgumentException($"Event '{spec}': unit id {unit} is outside 1–247.", nameof(spec));
            }

            return EventTarget.Unit(gateway ?? defaultGateway ?? throw new ArgumentException($"Event '{spec}': unit= needs gateway=.", nameof(spec)), unit);
        }

        if (gateway is not null)
        {
            return EventTarget.OfGateway(gateway);
        }

        return kind == EventKind.GatewayOffline && defaultGateway is not null ? EventTarget.OfGateway(defaultGateway) : EventTarget.WholeMall;
    }

    private static double? Number(Dictionary<string, string> values, string key, string spec)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"Event '{spec}': {key}={text} is not a number.", nameof(spec));
    }

    private static int? Phase(Dictionary<string, string> values, string spec)
    {
        if (!values.TryGetValue("phase", out var text))
        {
            return null;
        }

        return text.ToUpperInvariant() switch
        {
            "A" or "L1" or "1" => 0,
            "B" or "L2" or "2" => 1,
            "C" or "L3" or "3" => 2,
            _ => throw new ArgumentException($"Event '{spec}': phase={text} is not A, B or C.", nameof(spec)),
        };
    }
}
