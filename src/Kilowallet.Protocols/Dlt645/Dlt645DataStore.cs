namespace Kilowallet.Protocols.Dlt645;

/// <summary>
/// A simple in-memory DL/T 645 meter: values by data identifier, a relay reflected in running status
/// word 3 (04000503, bit 4 set = open), an optional password check, and the last time sync received.
/// Thread-safe.
/// </summary>
public sealed class Dlt645DataStore(Dlt645Address address) : IDlt645SlaveDevice
{
    private readonly Lock _sync = new();
    private readonly Dictionary<uint, byte[]> _values = [];
    private bool _relayOpen;

    public Dlt645Address Address => address;

    /// <summary>When set, relay control with another password is refused (ERR = 04).</summary>
    public uint? RequiredPassword { get; init; }

    public DateTime? LastTimeSync { get; private set; }

    public Dlt645RelayCommand? LastCommand { get; private set; }

    public bool RelayOpen
    {
        get
        {
            lock (_sync)
            {
                return _relayOpen;
            }
        }
    }

    public void SetValue(Dlt645DataIdentifier identifier, decimal value, Dlt645DataFormat? format = null)
    {
        var useFormat = format ?? identifier.KnownFormat ?? throw new ArgumentException($"No known format for {identifier}.", nameof(format));
        var bytes = new byte[useFormat.Length];
        Dlt645Bcd.Encode(value, useFormat, bytes);
        SetRaw(identifier, bytes);
    }

    public void SetRaw(Dlt645DataIdentifier identifier, ReadOnlySpan<byte> value)
    {
        lock (_sync)
        {
            _values[identifier.Value] = value.ToArray();
        }
    }

    public Dlt645Errors Read(Dlt645DataIdentifier identifier, Span<byte> value, out int length)
    {
        length = 0;
        lock (_sync)
        {
            if (identifier == Dlt645DataIdentifier.StatusWord3)
            {
                var word = _values.TryGetValue(identifier.Value, out var stored) ? stored[0] : (byte)0;
                value[0] = (byte)(_relayOpen ? word | 0x10 : word & ~0x10);
                value[1] = stored is { Length: > 1 } ? stored[1] : (byte)0;
                length = 2;
                return Dlt645Errors.None;
            }

            if (!_values.TryGetValue(identifier.Value, out var bytes) || bytes.Length > value.Length)
            {
                return Dlt645Errors.NoSuchData;
            }

            bytes.CopyTo(value);
            length = bytes.Length;
            return Dlt645Errors.None;
        }
    }

    public Dlt645Errors Control(in Dlt645RelayControl control)
    {
        if (RequiredPassword is { } password && control.Password != password)
        {
            return Dlt645Errors.Unauthorised;
        }

        lock (_sync)
        {
            LastCommand = control.Command;
            switch (control.Command)
            {
                case Dlt645RelayCommand.Trip:
                    _relayOpen = true;
                    break;
                case Dlt645RelayCommand.DirectClose or Dlt645RelayCommand.CloseAllowed:
                    _relayOpen = false;
                    break;
                default:
                    break;
            }
        }

        return Dlt645Errors.None;
    }

    public void SyncTime(DateTime localTime)
    {
        lock (_sync)
        {
            LastTimeSync = localTime;
        }
    }
}
