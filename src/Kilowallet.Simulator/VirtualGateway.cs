using Kilowallet.Simulator.Faults;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator;

/// <summary>
/// A simulated gateway: one RS485 bus (or the MQTT link of 4G meters) with its meters, its wire-time emulation
/// settings and its own communication faults (offline, slow, CRC errors). Thread-safe.
/// </summary>
public sealed class VirtualGateway
{
    private readonly Lock _gate = new();
    private readonly List<ScheduledFault> _faults = [];
    private readonly TimeProvider _clock;
    private readonly Dictionary<int, VirtualMeter> _byUnit = [];
    private readonly Dictionary<string, VirtualMeter> _byAddress = new(StringComparer.Ordinal);
    private readonly List<VirtualMeter> _meters = [];

    internal VirtualGateway(GatewayDefinition definition, TimeProvider clock)
    {
        Definition = definition;
        _clock = clock;
    }

    public GatewayDefinition Definition { get; }

    public string Name => Definition.Name;

    public GatewayTransportKind Transport => Definition.Transport;

    public IReadOnlyList<VirtualMeter> Meters => _meters;

    /// <summary>True while a gateway-offline event is active: the whole bus is silent.</summary>
    public bool IsOffline => CommunicationAt(_clock.GetUtcNow().UtcTicks).GatewayOffline;

    /// <summary>The meter at a Modbus unit id, or null.</summary>
    public VirtualMeter? FindUnit(int unitId) => _byUnit.GetValueOrDefault(unitId);

    /// <summary>The meter at a DL/T 645 address (12 digits), or null. AA×6 (wildcard) finds the only meter of a one-meter bus.</summary>
    public VirtualMeter? FindAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Equals("AAAAAAAAAAAA", StringComparison.OrdinalIgnoreCase))
        {
            return _meters.Count == 1 ? _meters[0] : null;
        }

        return _byAddress.GetValueOrDefault(address);
    }

    /// <summary>How long the emulated bus takes to answer a request of <paramref name="requestBytes"/> with <paramref name="responseBytes"/> (zero without wire-time emulation).</summary>
    public TimeSpan ReplyDelay(int requestBytes, int responseBytes) =>
        Definition.EmulateWireTime && GatewayTransports.HasSerialBus(Transport)
            ? WireTiming.ReplyDelay(requestBytes, responseBytes, Definition.BaudRate, Definition.Turnaround)
            : TimeSpan.Zero;

    /// <summary>The physical limit of polling every meter of this bus once with the given frame sizes.</summary>
    public TimeSpan PollCycle(int requestBytes, int responseBytes) =>
        WireTiming.PollCycle(_meters.Count, requestBytes, responseBytes, Definition.BaudRate, Definition.Turnaround);

    internal void Add(VirtualMeter meter)
    {
        _meters.Add(meter);
        if (meter.UnitId is { } unit)
        {
            _byUnit.Add(unit, meter);
        }

        if (meter.Dlt645Address is { } address)
        {
            _byAddress.Add(address, meter);
        }
    }

    internal MeterCommunication CommunicationAt(long ticks)
    {
        lock (_gate)
        {
            if (_faults.Count == 0)
            {
                return MeterCommunication.Healthy;
            }

            var offline = false;
            var delay = TimeSpan.Zero;
            var crc = 0.0;
            _faults.RemoveAll(f => f.EndTicks <= ticks);
            foreach (var fault in _faults)
            {
                if (!fault.IsActiveAt(ticks))
                {
                    continue;
                }

                switch (fault.Event.Kind)
                {
                    case EventKind.GatewayOffline: offline = true; break;
                    case EventKind.SlowResponses: delay += fault.Event.ExtraDelay; break;
                    case EventKind.CrcErrors: crc = Math.Max(crc, fault.Event.Fraction); break;
                    default: break;
                }
            }

            return new MeterCommunication(false, offline, delay, crc);
        }
    }

    internal void AddFault(ScheduledFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    internal bool RemoveFault(EventId id)
    {
        lock (_gate)
        {
            return _faults.RemoveAll(f => f.Id == id) > 0;
        }
    }
}
