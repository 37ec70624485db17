using Kilowallet.Protocols.Dlt645;
using Kilowallet.Simulator.Load;
using Kilowallet.Simulator.Meters;

namespace Kilowallet.Simulator.Wire;

/// <summary>
/// One virtual meter behind a DL/T 645 slave server: data identifiers of its profile answer its live values (others
/// ERR = 02), relay control 1A trips, 1B allows closing (the tenant presses the button), 1C closes at once; alarm and
/// keep-power codes (2A/2B/3A/3B) are acknowledged without effect. Any password is accepted (no ESAM exchange) and the
/// validity deadline is not checked (simulated time may run ahead of the server's clock). A broadcast time sync sets
/// the meter's clock from the mall's local time. A silent meter acts on nothing.
/// </summary>
internal sealed class VirtualDlt645Device(VirtualMeter meter, Dlt645ValueMap map, MallCalendar calendar) : IDlt645SlaveDevice
{
    public Dlt645Address Address { get; } = Dlt645Address.Parse(meter.Dlt645Address ?? throw new ArgumentException($"Meter {meter.Serial} has no DL/T 645 address.", nameof(meter)));

    public Dlt645Errors Read(Dlt645DataIdentifier identifier, Span<byte> value, out int length)
    {
        length = 0;
        if (!map.Maps(identifier))
        {
            return Dlt645Errors.NoSuchData;
        }

        return map.TryEncode(identifier, meter.Read(), value, out length) ? Dlt645Errors.None : Dlt645Errors.NoSuchData;
    }

    public Dlt645Errors Control(in Dlt645RelayControl control)
    {
        if (meter.Communication.Silent)
        {
            return Dlt645Errors.Other;
        }

        RelayCommand? command = control.Command switch
        {
            Dlt645RelayCommand.Trip => RelayCommand.Open,
            Dlt645RelayCommand.CloseAllowed => RelayCommand.CloseAllowed,
            Dlt645RelayCommand.DirectClose => RelayCommand.CloseDirect,
            _ => null,
        };
        if (command is null)
        {
            return Dlt645Errors.None;
        }

        return meter.ApplyRelayCommand(command.Value) == RelayOutcome.NoRelay ? Dlt645Errors.Other : Dlt645Errors.None;
    }

    public void SyncTime(DateTime localTime)
    {
        if (meter.Communication.Silent)
        {
            return;
        }

        meter.SetMeterClock(new DateTimeOffset(calendar.ToUtcTicks(localTime.Ticks), TimeSpan.Zero));
    }
}
