using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;
using Kilowallet.Simulator.Tests.Infrastructure;
using ProfileRelay = Kilowallet.Protocols.Profiles.RelayState;
using SimRelay = Kilowallet.Simulator.Meters.RelayState;

namespace Kilowallet.Simulator.Tests.Wire;

public sealed class Dlt645WireTests
{
    private static readonly Dlt645Address Second = Dlt645Address.Parse("000000000002");

    private static Task<WireMall> FoodCourtAsync() =>
        WireMall.StartAsync(WireMall.Bus(GatewayTransportKind.Dlt645Tcp, null,
            WireMall.Meter("F1", "dlt645", 1, transport: GatewayTransportKind.Dlt645Tcp),
            WireMall.Meter("F2", "dlt645", 2, transport: GatewayTransportKind.Dlt645Tcp, openingKwh: 4321.09m)));

    [Fact]
    public async Task Our_DLT645_master_reads_the_single_phase_meters_energy_and_live_values_by_the_profile()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await FoodCourtAsync();
        var profile = WireMall.Catalog.Get("dlt645");

        var snapshot = await new MeterReader().ReadAsync(wire.Dlt645(), Second, profile, ct);
        var reading = wire["F2"].Read();

        Assert.Equal(1, profile.Phases);
        Assert.True(snapshot.IsComplete, string.Join("; ", snapshot.Errors));
        Assert.Equal(4321.09m, snapshot.EnergyTotalKwh);
        Assert.Equal(reading.Registers.TotalKwh, snapshot.EnergyTotalKwh);
        Assert.Equal(reading.Registers.FlatKwh, snapshot.EnergyFlatKwh);
        Assert.Equal(reading.Phases[0].VoltageV, snapshot.VoltageA!.Value, 0.05);
        Assert.Equal(reading.Phases[0].CurrentA, snapshot.CurrentA!.Value, 0.0005);
        Assert.Equal(reading.ActivePowerKw, snapshot.PowerTotalKw!.Value, 0.00005);
        Assert.Equal(reading.FrequencyHz, snapshot.FrequencyHz!.Value, 0.005);
        Assert.True(snapshot.PowerTotalKw > 0.1);
        ModbusWireTests.AssertPowerIsVoltsTimesAmpsTimesPowerFactor(snapshot, 1);
        Assert.Equal(ProfileRelay.Closed, snapshot.Relay);
    }

    [Fact]
    public async Task A_trip_reads_back_open_then_close_allowed_waits_for_the_button_and_direct_close_closes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await FoodCourtAsync();
        var profile = WireMall.Catalog.Get("dlt645");
        var master = wire.Dlt645();

        var trip = await RelayCommander.ExecuteAsync(master, Second, profile, RelayAction.Trip, null, ct);
        Assert.True(trip.IsVerified(RelayAction.Trip), trip.Detail);
        Assert.Equal(0m, (await master.ReadValueAsync(Second, Dlt645DataIdentifier.CurrentA, null, ct)).Value);

        var allowed = await RelayCommander.ExecuteAsync(master, Second, profile, RelayAction.CloseAllowed, null, ct);
        Assert.True(allowed.IsSuccess, allowed.Detail);
        Assert.Equal(ProfileRelay.Open, allowed.ReadBack); // the tenant has not pressed the button yet
        Assert.True(wire["F2"].PressButton());
        Assert.Equal(SimRelay.Closed, wire["F2"].Read().Relay);

        await RelayCommander.ExecuteAsync(master, Second, profile, RelayAction.Trip, null, ct);
        var close = await RelayCommander.ExecuteAsync(master, Second, profile, RelayAction.Close, null, ct);
        Assert.True(close.IsVerified(RelayAction.Close), close.Detail);
        Assert.Equal(SimRelay.Closed, wire["F1"].Read().Relay); // the other meter on the bus was never touched
    }

    [Fact]
    public async Task Keep_power_and_alarm_codes_are_acknowledged_and_an_unknown_identifier_is_error_02()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await FoodCourtAsync();
        var master = wire.Dlt645();

        Assert.True((await master.RelayControlAsync(Second, Dlt645RelayCommand.KeepPowerOn, null, ct)).IsSuccess);
        Assert.True((await master.RelayControlAsync(Second, Dlt645RelayCommand.KeepPowerOff, null, ct)).IsSuccess);
        Assert.True((await master.RelayControlAsync(Second, Dlt645RelayCommand.AlarmOn, null, ct)).IsSuccess);
        var missing = await master.ReadValueAsync(Second, Dlt645DataIdentifier.Parse("02010200"), Dlt645DataFormat.Voltage, ct); // voltage B: single-phase
        Assert.Equal((ExchangeStatus.DeviceError, Dlt645Errors.NoSuchData), (missing.Status, missing.Errors));
        Assert.Equal(SimRelay.Closed, wire["F2"].Read().Relay);
    }

    [Fact]
    public async Task A_broadcast_time_sync_sets_every_meters_clock_from_the_malls_local_time()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await FoodCourtAsync();
        wire.Sim.Control.Inject("drift:address=000000000001,s=600");
        var local = TimeZoneInfo.ConvertTime(wire.Sim.Now, wire.Mall.Calendar.Zone).DateTime;

        var sync = await wire.Dlt645().BroadcastTimeSyncAsync(local.AddMinutes(-5), ct);
        Assert.True(sync.IsSuccess, sync.Describe());
        await wire.Dlt645().ReadAddressAsync(ct); // the sync has no reply: a later exchange on the bus shows it was handled

        Assert.All([wire["F1"], wire["F2"]], m =>
            Assert.InRange((m.Read().MeterTime - wire.Sim.Now).TotalSeconds, -301, -299));
    }

    [Fact]
    public async Task An_offline_meter_on_a_DLT645_bus_times_out_and_ignores_relay_control()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await FoodCourtAsync();
        wire.Sim.Control.Inject("offline:address=000000000002");
        var master = wire.Dlt645(timeoutMs: 300);

        Assert.Equal(ExchangeStatus.Timeout, (await master.RelayControlAsync(Second, Dlt645RelayCommand.Trip, null, ct)).Status);
        Assert.Equal(SimRelay.Closed, wire["F2"].Read().Relay);
        Assert.True((await master.ReadValueAsync(Dlt645Address.Parse("000000000001"), Dlt645DataIdentifier.ForwardActiveTotal, null, ct)).IsSuccess);
    }
}
