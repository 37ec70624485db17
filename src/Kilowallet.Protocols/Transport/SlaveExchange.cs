namespace Kilowallet.Protocols.Transport;

/// <summary>
/// One request a slave server is about to answer, as seen by a reply planner.
/// <see cref="DeviceAddress"/> is the Modbus unit id, or the DL/T 645 address as a 12-digit number.
/// </summary>
public readonly record struct SlaveExchange(ulong DeviceAddress, int RequestBytes, int ResponseBytes, bool IsBroadcast);
