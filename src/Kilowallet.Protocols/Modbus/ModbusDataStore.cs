namespace Kilowallet.Protocols.Modbus;

/// <summary>
/// A simple in-memory slave device: sparse holding/input registers, coils and discrete inputs. Reading an
/// address that was never set answers exception 02 (illegal data address), as real meters do. Thread-safe.
/// Writes change holding registers and coils; <see cref="Written"/> reports them (e.g. to act on a relay coil).
/// </summary>
public sealed class ModbusDataStore : IModbusSlaveDevice
{
    private readonly Lock _sync = new();
    private readonly Dictionary<ushort, ushort> _holding = [];
    private readonly Dictionary<ushort, ushort> _input = [];
    private readonly Dictionary<ushort, bool> _coils = [];
    private readonly Dictionary<ushort, bool> _discrete = [];

    /// <summary>Called after a master wrote: the function, first address and count.</summary>
    public Action<ModbusFunction, ushort, int>? Written { get; init; }

    /// <summary>When true, writes to holding registers or coils never set are refused with exception 02.</summary>
    public bool WritesOnlyToExisting { get; init; }

    public void SetHoldingRegisters(ushort address, params ReadOnlySpan<ushort> values) => Set(_holding, address, values);

    public void SetInputRegisters(ushort address, params ReadOnlySpan<ushort> values) => Set(_input, address, values);

    public void SetCoils(ushort address, params ReadOnlySpan<bool> values) => Set(_coils, address, values);

    public void SetDiscreteInputs(ushort address, params ReadOnlySpan<bool> values) => Set(_discrete, address, values);

    public ushort? GetHoldingRegister(ushort address)
    {
        lock (_sync)
        {
            return _holding.TryGetValue(address, out var value) ? value : null;
        }
    }

    public bool? GetCoil(ushort address)
    {
        lock (_sync)
        {
            return _coils.TryGetValue(address, out var value) ? value : null;
        }
    }

    public ModbusExceptionCode ReadHoldingRegisters(ushort address, Span<ushort> values) => Get(_holding, address, values);

    public ModbusExceptionCode ReadInputRegisters(ushort address, Span<ushort> values) => Get(_input, address, values);

    public ModbusExceptionCode ReadCoils(ushort address, Span<bool> values) => Get(_coils, address, values);

    public ModbusExceptionCode ReadDiscreteInputs(ushort address, Span<bool> values) => Get(_discrete, address, values);

    public ModbusExceptionCode WriteSingleRegister(ushort address, ushort value) =>
        Write(_holding, address, [value], ModbusFunction.WriteSingleRegister);

    public ModbusExceptionCode WriteMultipleRegisters(ushort address, ReadOnlySpan<ushort> values) =>
        Write(_holding, address, values, ModbusFunction.WriteMultipleRegisters);

    public ModbusExceptionCode WriteSingleCoil(ushort address, bool value) =>
        Write(_coils, address, [value], ModbusFunction.WriteSingleCoil);

    public ModbusExceptionCode WriteMultipleCoils(ushort address, ReadOnlySpan<bool> values) =>
        Write(_coils, address, values, ModbusFunction.WriteMultipleCoils);

    private void Set<T>(Dictionary<ushort, T> table, ushort address, ReadOnlySpan<T> values)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(address + values.Length, 0x10000, nameof(values));
        lock (_sync)
        {
            for (var i = 0; i < values.Length; i++)
            {
                table[(ushort)(address + i)] = values[i];
            }
        }
    }

    private ModbusExceptionCode Get<T>(Dictionary<ushort, T> table, ushort address, Span<T> values)
    {
        if (address + values.Length > 0x10000)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        lock (_sync)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (!table.TryGetValue((ushort)(address + i), out var value))
                {
                    return ModbusExceptionCode.IllegalDataAddress;
                }

                values[i] = value;
            }
        }

        return ModbusExceptionCode.None;
    }

    private ModbusExceptionCode Write<T>(Dictionary<ushort, T> table, ushort address, ReadOnlySpan<T> values, ModbusFunction function)
    {
        if (address + values.Length > 0x10000)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        lock (_sync)
        {
            if (WritesOnlyToExisting)
            {
                for (var i = 0; i < values.Length; i++)
                {
                    if (!table.ContainsKey((ushort)(address + i)))
                    {
                        return ModbusExceptionCode.IllegalDataAddress;
                    }
                }
            }

            for (var i = 0; i < values.Length; i++)
            {
                table[(ushort)(address + i)] = values[i];
            }
        }

        Written?.Invoke(function, address, values.Length);
        return ModbusExceptionCode.None;
    }
}
