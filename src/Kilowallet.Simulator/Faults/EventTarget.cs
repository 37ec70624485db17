using System.Globalization;

namespace Kilowallet.Simulator.Faults;

/// <summary>Where an event applies: one meter (by serial, gateway + unit id, or DL/T 645 address), a gateway (and every meter on it), or the whole mall.</summary>
public sealed record EventTarget
{
    private EventTarget()
    {
    }

    public string? Serial { get; private init; }

    public string? Gateway { get; private init; }

    public int? UnitId { get; private init; }

    public string? Address { get; private init; }

    public bool IsWholeMall => Serial is null && Gateway is null && Address is null;

    public bool IsGateway => Gateway is not null && UnitId is null && Address is null;

    public static EventTarget WholeMall { get; } = new();

    public static EventTarget Meter(string serial) => new() { Serial = serial };

    public static EventTarget Unit(string gateway, int unitId) => new() { Gateway = gateway, UnitId = unitId };

    public static EventTarget Dlt645(string address, string? gateway = null) => new() { Address = address, Gateway = gateway };

    public static EventTarget OfGateway(string gateway) => new() { Gateway = gateway };

    public override string ToString() =>
        Serial is not null ? Serial
        : UnitId is { } unit ? $"{Gateway}#{unit.ToString(CultureInfo.InvariantCulture)}"
        : Address is not null ? (Gateway is null ? Address : $"{Gateway}@{Address}")
        : Gateway ?? "mall";
}
