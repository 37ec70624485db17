using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;

namespace Kilowallet.Protocols.Reading;

/// <summary>One batched read: contiguous (or nearly) registers of one function code, at most 125.</summary>
public sealed record ModbusReadBlock(ModbusFunction Function, ushort Address, ushort Count, IReadOnlyList<ModbusPoint> Points);
