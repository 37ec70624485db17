namespace Kilowallet.Protocols.Dlt645;

/// <summary>The meters on one simulated DL/T 645 bus, by address.</summary>
internal sealed class Dlt645DeviceTable
{
    private readonly Lock _sync = new();
    private readonly Dictionary<Dlt645Address, IDlt645SlaveDevice> _devices = [];

    public void Add(IDlt645SlaveDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Address.IsWildcard || device.Address.IsBroadcast)
        {
            throw new ArgumentException("A meter needs a real address, not AA×6 or 99×6.", nameof(device));
        }

        lock (_sync)
        {
            if (!_devices.TryAdd(device.Address, device))
            {
                throw new InvalidOperationException($"Meter {device.Address} is already on this bus.");
            }
        }
    }

    public bool Remove(Dlt645Address address)
    {
        lock (_sync)
        {
            return _devices.Remove(address);
        }
    }

    /// <summary>The meter addressed: by address, or the only one for the wildcard.</summary>
    public IDlt645SlaveDevice? Find(Dlt645Address address)
    {
        lock (_sync)
        {
            if (address.IsWildcard)
            {
                return _devices.Count == 1 ? _devices.Values.First() : null;
            }

            return _devices.GetValueOrDefault(address);
        }
    }

    public IDlt645SlaveDevice[] All()
    {
        lock (_sync)
        {
            return [.. _devices.Values];
        }
    }
}
