using System.Net;

namespace Kilowallet.Protocols.Transport;

/// <summary>Where a slave server listens and how it behaves; shared by the Modbus and DL/T 645 servers.</summary>
public sealed record SlaveServerOptions
{
    /// <summary>Loopback by default; <see cref="IPAddress.Any"/> to serve the network.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port; read the actual one from the server's Port property.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Serve requests one at a time across all connections, like one RS485 bus behind a gateway port
    /// (default). When false, each connection is served independently.
    /// </summary>
    public bool SerializeRequests { get; init; } = true;

    /// <summary>Called for every request that would be answered: delay, drop or corrupt the reply.</summary>
    public Func<SlaveExchange, SlaveReplyPlan>? ReplyPlanner { get; init; }

    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxConnections { get; init; } = 256;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
