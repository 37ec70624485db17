namespace Kilowallet.Protocols.Transport;

/// <summary>
/// How one request to a meter ended. Only <see cref="Success"/> carries a value; the others tell the
/// acquisition layer whether to retry, count an error, or mark the meter or its gateway offline.
/// </summary>
public enum ExchangeStatus
{
    Success,

    /// <summary>The meter answered with a protocol error (Modbus exception code, DL/T 645 ERR byte).</summary>
    DeviceError,

    /// <summary>No (complete) answer within the timeout.</summary>
    Timeout,

    /// <summary>An answer arrived with a bad CRC or checksum.</summary>
    BadChecksum,

    /// <summary>An answer arrived that is not a valid reply to the request.</summary>
    InvalidFrame,

    /// <summary>The connection (socket, serial port) could not be opened or broke.</summary>
    ConnectionFailed,

    /// <summary>The profile or device does not support what was asked.</summary>
    NotSupported,
}
