using System.Globalization;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Protocols.Reading;

/// <summary>
/// Reads a meter by its profile into a <see cref="MeterSnapshot"/>: Modbus registers in batched blocks, or
/// DL/T 645 items one by one. When the meter does not answer at all the rest is skipped (bus time is
/// precious) and <see cref="MeterSnapshot.LinkFailure"/> is set.
/// </summary>
public sealed class MeterReader(TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Merges points of the same function code into blocks: a point joins the current block when the gap
    /// before it is at most the profile's max_gap and the block stays within max_block (≤ 125) registers.
    /// </summary>
    public static IReadOnlyList<ModbusReadBlock> Plan(ModbusProfileMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var blocks = new List<ModbusReadBlock>();
        foreach (var group in map.Points.GroupBy(p => p.Function).OrderBy(g => g.Key))
        {
            var sorted = group.OrderBy(p => p.Address).ToList();
            var start = 0;
            while (start < sorted.Count)
            {
                var first = sorted[start].Address;
                var end = first + sorted[start].RegisterCount;
                var next = start + 1;
                while (next < sorted.Count
                    && sorted[next].Address - end <= map.MaxGap
                    && sorted[next].Address + sorted[next].RegisterCount - first <= map.MaxBlock)
                {
                    end = Math.Max(end, sorted[next].Address + sorted[next].RegisterCount);
                    next++;
                }

                blocks.Add(new ModbusReadBlock(group.Key, first, (ushort)(end - first), sorted[start..next]));
                start = next;
            }
        }

        return blocks;
    }

    public async Task<MeterSnapshot> ReadAsync(ModbusMaster master, byte unit, MeterProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(profile);
        var map = profile.Modbus ?? throw new ArgumentException($"Profile {profile.Name} has no Modbus map.", nameof(profile));
        var values = new Dictionary<MeterQuantity, decimal>();
        var errors = new List<QuantityError>();
        var raw = new List<RawBlock>();
        ModbusResult? linkFailure = null;
        foreach (var block in Plan(map))
        {
            if (linkFailure is not null)
            {
                errors.AddRange(block.Points.Select(p => new QuantityError(p.Quantity, "skipped: " + linkFailure.Value.Describe())));
                continue;
            }

            var result = await master.ReadRegistersAsync(unit, block.Function, block.Address, block.Count, cancellationToken);
            if (!result.IsSuccess)
            {
                if (result.Status is ExchangeStatus.Timeout or ExchangeStatus.ConnectionFailed)
                {
                    linkFailure = result.WithoutValue();
                }

                errors.AddRange(block.Points.Select(p => new QuantityError(p.Quantity, result.Describe())));
                continue;
            }

            var registers = result.Value!;
            raw.Add(new RawBlock(string.Create(CultureInfo.InvariantCulture, $"FC{(byte)block.Function:X2} 0x{block.Address:X4}+{block.Count}"), registers));
            foreach (var point in block.Points)
            {
                RegisterDecoder.Decode(registers.AsSpan(point.Address - block.Address, point.RegisterCount), point.Type, point.WordOrder, out var integerValue, out var real);
                var value = integerValue is { } whole
                    ? MeterValues.Accept(point.Quantity, whole, point.Scale, out var reason)
                    : MeterValues.Accept(point.Quantity, real, point.Scale, out reason);
                if (value is { } accepted)
                {
                    values[point.Quantity] = accepted;
                }
                else
                {
                    errors.Add(new QuantityError(point.Quantity, reason!));
                }
            }
        }

        var relay = RelayState.Unknown;
        if (map.RelayState is { } state && linkFailure is null)
        {
            (relay, var error) = await ReadRelayAsync(master, unit, state, cancellationToken);
            if (error is not null)
            {
                errors.Add(new QuantityError(MeterQuantity.RelayState, error));
            }
        }

        return new MeterSnapshot
        {
            Profile = profile.Name,
            ReadAt = _time.GetUtcNow(),
            Values = values,
            Relay = relay,
            Errors = errors,
            Raw = raw,
            LinkFailure = linkFailure?.Status,
            LinkFailureDetail = linkFailure?.Describe(),
        };
    }

    public async Task<MeterSnapshot> ReadAsync(Dlt645Master master, Dlt645Address address, MeterProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(profile);
        var map = profile.Dlt645 ?? throw new ArgumentException($"Profile {profile.Name} has no DL/T 645 map.", nameof(profile));
        var values = new Dictionary<MeterQuantity, decimal>();
        var errors = new List<QuantityError>();
        var raw = new List<RawBlock>();
        string? linkFailure = null;
        ExchangeStatus? linkStatus = null;
        foreach (var point in map.Points)
        {
            if (linkFailure is not null)
            {
                errors.Add(new QuantityError(point.Quantity, "skipped: " + linkFailure));
                continue;
            }

            var result = await master.ReadRawAsync(address, point.Identifier, cancellationToken);
            if (!result.IsSuccess)
            {
                if (result.Status is ExchangeStatus.Timeout or ExchangeStatus.ConnectionFailed)
                {
                    linkFailure = result.Describe();
                    linkStatus = result.Status;
                }

                errors.Add(new QuantityError(point.Quantity, result.Describe()));
                continue;
            }

            raw.Add(new RawBlock(point.Identifier.ToString(), [.. result.Value!.Select(b => (ushort)b)]));
            if (!Dlt645Bcd.TryDecode(result.Value, point.Format, out var decoded))
            {
                errors.Add(new QuantityError(point.Quantity, $"{point.Identifier}: value is not valid BCD"));
                continue;
            }

            var value = MeterValues.Accept(point.Quantity, decoded, point.Scale, out var reason);
            if (value is { } accepted)
            {
                values[point.Quantity] = accepted;
            }
            else
            {
                errors.Add(new QuantityError(point.Quantity, reason!));
            }
        }

        var relay = RelayState.Unknown;
        if (map.RelayState is { } state && linkFailure is null)
        {
            var word = await master.ReadValueAsync(address, state.Identifier, Dlt645DataFormat.StatusWord, cancellationToken);
            if (word.IsSuccess)
            {
                relay = state.Interpret((ushort)word.Value);
            }
            else
            {
                errors.Add(new QuantityError(MeterQuantity.RelayState, word.Describe()));
            }
        }

        return new MeterSnapshot
        {
            Profile = profile.Name,
            ReadAt = _time.GetUtcNow(),
            Values = values,
            Relay = relay,
            Errors = errors,
            Raw = raw,
            LinkFailure = linkStatus,
            LinkFailureDetail = linkFailure,
        };
    }

    internal static async Task<(RelayState State, string? Error)> ReadRelayAsync(ModbusMaster master, byte unit, ModbusRelayStatePoint state, CancellationToken cancellationToken)
    {
        if (state.Function is ModbusFunction.ReadCoils or ModbusFunction.ReadDiscreteInputs)
        {
            var bits = await master.ReadBitsAsync(unit, state.Function, state.Address, 1, cancellationToken);
            return bits.IsSuccess ? (state.Interpret(bits.Value![0] ? (ushort)1 : (ushort)0), null) : (RelayState.Unknown, bits.Describe());
        }

        var register = await master.ReadRegistersAsync(unit, state.Function, state.Address, 1, cancellationToken);
        return register.IsSuccess ? (state.Interpret(register.Value![0]), null) : (RelayState.Unknown, register.Describe());
    }
}
