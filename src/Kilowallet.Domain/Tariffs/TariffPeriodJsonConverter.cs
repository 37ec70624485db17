using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kilowallet.Domain.Tariffs;

/// <summary>A period as <c>{ "start": "23:00", "end": "07:00", "band": "valley" }</c>; an end of day is written "24:00".</summary>
internal sealed class TariffPeriodJsonConverter : JsonConverter<TariffPeriod>
{
    public override TariffPeriod Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A period is an object: { \"start\": \"07:00\", \"end\": \"11:00\", \"band\": \"flat\" }.");
        }

        TimeOnly? start = null, end = null;
        TariffBand? band = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "start":
                    start = ReadTime(ref reader, name);
                    break;
                case "end":
                    end = ReadTime(ref reader, name);
                    break;
                case "band":
                    band = ReadBand(ref reader);
                    break;
                default:
                    throw new JsonException($"A period has no field '{name}'; it has start, end and band.");
            }
        }

        if (start is null || end is null || band is null)
        {
            throw new JsonException("A period needs start, end and band.");
        }

        return new TariffPeriod(start.Value, end.Value, band.Value);
    }

    public override void Write(Utf8JsonWriter writer, TariffPeriod value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("start", TariffTime.Format(value.Start, isEnd: false));
        writer.WriteString("end", TariffTime.Format(value.End, isEnd: true));
        writer.WriteString("band", TariffPlanValidator.Camel(value.Band));
        writer.WriteEndObject();
    }

    private static TimeOnly ReadTime(ref Utf8JsonReader reader, string name)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return TariffTime.TryParse(text, out var time)
            ? time
            : throw new JsonException($"The period's {name} must be a time of day written \"HH:mm\" (00:00–24:00).");
    }

    private static TariffBand ReadBand(ref Utf8JsonReader reader)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        foreach (var band in Enum.GetValues<TariffBand>())
        {
            if (TariffPlanValidator.Camel(band) == text)
            {
                return band;
            }
        }

        throw new JsonException($"'{text}' is not a band; the bands are sharp, peak, flat and valley.");
    }
}
