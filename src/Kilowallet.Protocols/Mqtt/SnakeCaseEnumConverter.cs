using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kilowallet.Protocols.Mqtt;

/// <summary>Writes enum values snake_case on the wire (CloseAllowed → "close_allowed").</summary>
internal sealed class SnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;
