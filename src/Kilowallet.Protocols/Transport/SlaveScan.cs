namespace Kilowallet.Protocols.Transport;

/// <summary>Result of looking for a request frame in a slave's receive buffer.</summary>
internal enum SlaveScan
{
    /// <summary>A request frame was copied out; drop the consumed bytes and handle it.</summary>
    Frame,

    /// <summary>Wait for more bytes.</summary>
    NeedMore,

    /// <summary>Drop the consumed bytes (garbage) and scan again.</summary>
    Skip,

    /// <summary>The stream cannot be resynchronised: close the connection.</summary>
    Fatal,
}
