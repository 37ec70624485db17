using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Simulator.Meters;
using RelayState = Kilowallet.Simulator.Meters.RelayState;

namespace Kilowallet.Simulator.Wire;

/// <summary>
/// What a Modbus meter of one profile answers, built from the profile alone: the registers (FC03/04) and bits
/// (FC01/02) it maps, and its relay commands (FC05/06). A read may span unmapped registers between mapped ones
/// when the gap is at most the profile's max_gap (they read 0, as real meters answer inside their documented
/// ranges); a read that reaches outside those ranges is refused with exception 02.
/// </summary>
internal sealed class ModbusRegisterMap
{
    private readonly ModbusProfileMap _map;
    private readonly ModbusPoint[] _holding;
    private readonly ModbusPoint[] _input;
    private readonly Dictionary<ModbusFunction, List<(int Start, int End)>> _ranges = [];

    public ModbusRegisterMap(MeterProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _map = profile.Modbus ?? throw new ArgumentException($"Profile {profile.Name} has no Modbus map.", nameof(profile));
        _holding = [.. _map.Points.Where(p => p.Function == ModbusFunction.ReadHoldingRegisters).OrderBy(p => p.Address)];
        _input = [.. _map.Points.Where(p => p.Function == ModbusFunction.ReadInputRegisters).OrderBy(p => p.Address)];

        var spans = new List<(ModbusFunction Function, int Start, int End)>();
        spans.AddRange(_map.Points.Select(p => (p.Function, (int)p.Address, p.Address + p.RegisterCount)));
        if (_map.RelayState is { } state)
        {
            spans.Add((state.Function, state.Address, state.Address + 1));
        }

        foreach (var command in _map.RelayCommands.Values)
        {
            var readBack = command.Function == ModbusFunction.WriteSingleCoil ? ModbusFunction.ReadCoils : ModbusFunction.ReadHoldingRegisters;
            spans.Add((readBack, command.Address, command.Address + 1));
        }

        foreach (var group in spans.GroupBy(s => s.Function))
        {
            var merged = new List<(int Start, int End)>();
            foreach (var (_, start, end) in group.OrderBy(s => s.Start))
            {
                if (merged.Count > 0 && start - merged[^1].End <= _map.MaxGap)
                {
                    merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
                }
                else
                {
                    merged.Add((start, end));
                }
            }

            _ranges[group.Key] = merged;
        }
    }

    /// <summary>Registers of a read (FC03/04) from one reading; exception 02 outside the documented ranges.</summary>
    public ModbusExceptionCode ReadRegisters(ModbusFunction function, MeterReading reading, ushort address, Span<ushort> values)
    {
        if (!Covers(function, address, values.Length))
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        values.Clear();
        Span<ushort> point = stackalloc ushort[4];
        foreach (var p in function == ModbusFunction.ReadHoldingRegisters ? _holding : _input)
        {
            if (p.Address + p.RegisterCount <= address || p.Address >= address + values.Length)
            {
                continue;
            }

            var registers = point[..p.RegisterCount];
            if (MeterQuantities.IsEnergy(p.Quantity))
            {
                RegisterEncoder.EncodeEnergy(ReadingValues.Energy(reading, p.Quantity), p, registers);
            }
            else
            {
                RegisterEncoder.EncodeLive(ReadingValues.Live(reading, p.Quantity), p, registers);
            }

            Overlay(registers, p.Address, values, address);
        }

        if (_map.RelayState is { } state && state.Function == function && state.Address >= address && state.Address < address + values.Length)
        {
            values[state.Address - address] = RelayValue(state, reading.Relay);
        }

        return ModbusExceptionCode.None;
    }

    /// <summary>Bits of a read (FC01/02): the relay state where the profile shows it, 0 elsewhere in range.</summary>
    public ModbusExceptionCode ReadBits(ModbusFunction function, RelayState relay, ushort address, Span<bool> values)
    {
        if (!Covers(function, address, values.Length))
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        values.Clear();
        if (_map.RelayState is { } state && state.Function == function && state.Address >= address && state.Address < address + values.Length)
        {
            values[state.Address - address] = RelayValue(state, relay) != 0;
        }

        return ModbusExceptionCode.None;
    }

    /// <summary>
    /// The relay command a single write means (FC05 value 0/1, FC06 value): null with exception 02 when the address
    /// takes no command, or 03 when the value is none of the profile's commands there.
    /// </summary>
    public RelayAction? RelayCommandAt(ModbusFunction function, ushort address, ushort value, out ModbusExceptionCode error)
    {
        var atAddress = _map.RelayCommands.Where(c => c.Value.Function == function && c.Value.Address == address).ToList();
        if (atAddress.Count == 0)
        {
            error = ModbusExceptionCode.IllegalDataAddress;
            return null;
        }

        foreach (var (action, command) in atAddress)
        {
            if (command.Value == value)
            {
                error = ModbusExceptionCode.None;
                return action;
            }
        }

        error = ModbusExceptionCode.IllegalDataValue;
        return null;
    }

    private bool Covers(ModbusFunction function, ushort address, int count) =>
        _ranges.TryGetValue(function, out var ranges) && ranges.Any(r => address >= r.Start && address + count <= r.End);

    private static ushort RelayValue(ModbusRelayStatePoint state, RelayState relay)
    {
        var values = relay == RelayState.Open ? state.OpenValues : state.ClosedValues;
        return values.Count > 0 ? values[0] : (ushort)0;
    }

    /// <summary>Copies the part of a point's registers (at <paramref name="pointAddress"/>) that falls inside the read.</summary>
    private static void Overlay(ReadOnlySpan<ushort> registers, int pointAddress, Span<ushort> values, int readAddress)
    {
        for (var i = 0; i < registers.Length; i++)
        {
            var at = pointAddress + i - readAddress;
            if (at >= 0 && at < values.Length)
            {
                values[at] = registers[i];
            }
        }
    }
}
