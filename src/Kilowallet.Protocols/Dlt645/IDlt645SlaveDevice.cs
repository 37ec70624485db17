namespace Kilowallet.Protocols.Dlt645;

/// <summary>A meter behind a DL/T 645 slave server.</summary>
public interface IDlt645SlaveDevice
{
    Dlt645Address Address { get; }

    /// <summary>
    /// Writes the value of <paramref name="identifier"/> (plain bytes, BCD low byte first, without the DI) into
    /// <paramref name="value"/> and sets <paramref name="length"/>; returns <see cref="Dlt645Errors.None"/>,
    /// or the ERR bits to answer with (e.g. <see cref="Dlt645Errors.NoSuchData"/>).
    /// </summary>
    Dlt645Errors Read(Dlt645DataIdentifier identifier, Span<byte> value, out int length);

    /// <summary>Relay and alarm control; returns the ERR bits (e.g. <see cref="Dlt645Errors.Unauthorised"/>).</summary>
    Dlt645Errors Control(in Dlt645RelayControl control);

    /// <summary>Broadcast time sync (no reply is sent).</summary>
    void SyncTime(DateTime localTime);
}
