using System.IO.Ports;

namespace Kilowallet.Protocols.Profiles;

/// <summary>The factory serial settings of a meter model.</summary>
public sealed record SerialDefaults(int Baud, Parity Parity, StopBits StopBits);
