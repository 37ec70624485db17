using System.Globalization;
using System.Text.Json;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;

namespace Kilowallet.Protocols.Mqtt;

/// <summary>
/// Reads any JSON telemetry by a profile's MQTT field map (JSON pointers and scales), so a vendor's own
/// payload is ingested without code. Never throws on bad input.
/// </summary>
public static class MqttFieldMapper
{
    public static PayloadResult<MeterSnapshot> Map(MeterProfile profile, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var map = profile.Mqtt ?? throw new ArgumentException($"Profile {profile.Name} has no MQTT map.", nameof(profile));
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 32 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return new PayloadResult<MeterSnapshot>(null, $"not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var values = new Dictionary<MeterQuantity, decimal>();
            var errors = new List<QuantityError>();
            foreach (var field in map.Fields)
            {
                if (!TryResolve(document.RootElement, field.Path, out var element) || element.ValueKind == JsonValueKind.Null)
                {
                    errors.Add(new QuantityError(field.Quantity, $"{field.Path} not in the payload"));
                    continue;
                }

                if (element.ValueKind != JsonValueKind.Number || !element.TryGetDecimal(out var raw))
                {
                    errors.Add(new QuantityError(field.Quantity, $"{field.Path} is not a number"));
                    continue;
                }

                var value = MeterValues.Accept(field.Quantity, raw, field.Scale, out var reason);
                if (value is { } accepted)
                {
                    values[field.Quantity] = accepted;
                }
                else
                {
                    errors.Add(new QuantityError(field.Quantity, reason!));
                }
            }

            var relay = RelayState.Unknown;
            if (map.RelayState is { } state && TryResolve(document.RootElement, state.Path, out var relayElement))
            {
                var text = relayElement.ValueKind == JsonValueKind.String ? relayElement.GetString() : relayElement.GetRawText();
                relay = state.ClosedValues.Contains(text) ? RelayState.Closed : state.OpenValues.Contains(text) ? RelayState.Open : RelayState.Unknown;
            }

            var readAt = receivedAt;
            if (map.TimestampPath is { } tsPath && TryResolve(document.RootElement, tsPath, out var ts)
                && ts.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var stamped))
            {
                readAt = stamped;
            }

            return new PayloadResult<MeterSnapshot>(
                new MeterSnapshot { Profile = profile.Name, ReadAt = readAt, Values = values, Relay = relay, Errors = errors },
                null);
        }
    }

    /// <summary>Evaluates an RFC 6901 JSON pointer ("/phases/0/v"; ~1 is "/", ~0 is "~").</summary>
    public static bool TryResolve(JsonElement root, string path, out JsonElement element)
    {
        element = root;
        if (path.Length == 0)
        {
            return true;
        }

        foreach (var rawToken in path[1..].Split('/'))
        {
            var token = rawToken.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (element.ValueKind == JsonValueKind.Object)
            {
                if (!element.TryGetProperty(token, out element))
                {
                    return false;
                }
            }
            else if (element.ValueKind == JsonValueKind.Array && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
