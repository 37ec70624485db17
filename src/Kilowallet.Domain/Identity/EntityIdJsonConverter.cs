using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kilowallet.Domain;

/// <summary>Writes a typed identifier as the plain number it wraps (<c>"meter": 5</c>), and reads it back.</summary>
public sealed class EntityIdJsonConverter<TId> : JsonConverter<TId>
    where TId : struct, IEntityId<TId>
{
    public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)
            ? TId.From(value)
            : throw new JsonException($"A {typeof(TId).Name} is a whole number.");

    public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Value);
    }
}
