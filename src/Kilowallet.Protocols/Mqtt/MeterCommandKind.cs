namespace Kilowallet.Protocols.Mqtt;

/// <summary>Commands of schema v1, written snake_case on the wire (trip, close, close_allowed, …).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(SnakeCaseEnumConverter<MeterCommandKind>))]
public enum MeterCommandKind
{
    Trip,
    Close,
    CloseAllowed,
    KeepPowerOn,
    KeepPowerOff,
    TimeSync,
}
