namespace Kilowallet.Protocols.Modbus;

/// <summary>The devices behind one slave server, by unit id (1–247, and 248–255 for direct TCP devices).</summary>
internal sealed class ModbusUnitTable
{
    private readonly IModbusSlaveDevice?[] _devices = new IModbusSlaveDevice?[256];
    private readonly Lock _sync = new();

    public IModbusSlaveDevice? this[byte unit] => Volatile.Read(ref _devices[unit]);

    public void Add(byte unit, IModbusSlaveDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (unit == ModbusLimits.BroadcastUnit)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), "Unit 0 is the broadcast address.");
        }

        lock (_sync)
        {
            if (_devices[unit] is not null)
            {
                throw new InvalidOperationException($"Unit {unit} is already served.");
            }

            Volatile.Write(ref _devices[unit], device);
        }
    }

    public bool Remove(byte unit)
    {
        lock (_sync)
        {
            var had = _devices[unit] is not null;
            Volatile.Write(ref _devices[unit], null);
            return had;
        }
    }

    public IEnumerable<IModbusSlaveDevice> All()
    {
        for (var unit = 1; unit < 256; unit++)
        {
            if (this[(byte)unit] is { } device)
            {
                yield return device;
            }
        }
    }
}
