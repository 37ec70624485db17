using System.Net;
using System.Net.Http.Json;
using Kilowallet.Protocols.Reading;
using Kilowallet.Simulator.Control;
using Kilowallet.Simulator.Tests.Infrastructure;

namespace Kilowallet.Simulator.Tests.Wire;

public sealed class ControlApiTests
{
    [Fact]
    public async Task An_event_injected_over_HTTP_shows_on_the_wire_and_clearing_it_removes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await WireMall.StartAsync(WireMall.Bus(GatewayTransportKind.ModbusTcp, null, WireMall.Meter("A", "kpm31", 1), WireMall.Meter("B", "kpm31", 2)));
        await using var api = await ControlApiHost.StartAsync(wire.Sim.Control, IPAddress.Loopback, 0, ct);
        using var http = new HttpClient { BaseAddress = api.Address };
        var reader = new MeterReader();
        var profile = WireMall.Catalog.Get("kpm31");
        var before = (await reader.ReadAsync(wire.Modbus(), 2, profile, ct)).PowerTotalKw!.Value;

        var created = await http.PostAsJsonAsync("events", new EventRequest("malicious:unit=2,kw=2"), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<EventCreated>(ct))!.Id;
        Assert.Equal($"/events/{id}", created.Headers.Location!.OriginalString);

        var during = await reader.ReadAsync(wire.Modbus(), 2, profile, ct);
        Assert.Equal(before + 2, during.PowerTotalKw!.Value, 0.01);
        Assert.True(during.PowerFactor >= 0.9);
        var listed = Assert.Single((await http.GetFromJsonAsync<EventView[]>("events", ct))!);
        Assert.Equal(("malicious", "BUS#2"), (listed.Kind, listed.Target));
        Assert.Equal(["B"], listed.Meters);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"events/{id}", ct)).StatusCode);
        Assert.Equal(before, (await reader.ReadAsync(wire.Modbus(), 2, profile, ct)).PowerTotalKw!.Value, 0.001);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"events/{id}", ct)).StatusCode);
    }

    [Fact]
    public async Task Meters_relay_button_and_speed_are_served_and_impossible_requests_are_refused_with_a_sentence()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var wire = await WireMall.StartAsync(WireMall.Bus(GatewayTransportKind.Dlt645Tcp, null, WireMall.Meter("F1", "dlt645", 1, transport: GatewayTransportKind.Dlt645Tcp)));
        await using var api = await ControlApiHost.StartAsync(wire.Sim.Control, IPAddress.Loopback, 0, ct);
        using var http = new HttpClient { BaseAddress = api.Address };

        var meters = (await http.GetFromJsonAsync<MeterView[]>("meters", ct))!;
        var one = (await http.GetFromJsonAsync<MeterView>("meters/F1", ct))!;
        Assert.Equal(["F1"], meters.Select(m => m.Serial));
        Assert.Equal((1234.56m, "closed", 1), (one.Energy.TotalKwh, one.Relay, one.Phases.Count));

        var open = await (await http.PostAsJsonAsync("meters/F1/relay", new RelayRequest("open"), ct)).Content.ReadFromJsonAsync<RelayResult>(ct);
        var allowed = await (await http.PostAsJsonAsync("meters/F1/relay", new RelayRequest("closed"), ct)).Content.ReadFromJsonAsync<RelayResult>(ct);
        var pressed = await (await http.PostAsync("meters/F1/button", null, ct)).Content.ReadFromJsonAsync<ButtonResult>(ct);
        Assert.Equal(new RelayResult("done", "open"), open);
        Assert.Equal(new RelayResult("awaiting_button", "open"), allowed); // a DL/T 645 prepaid meter closes when the tenant presses
        Assert.Equal(new ButtonResult(true, "closed"), pressed);

        var speed = await (await http.PostAsJsonAsync("speed", new SpeedRequest(60), ct)).Content.ReadFromJsonAsync<SpeedView>(ct);
        Assert.Equal(60, speed!.Speed);
        Assert.Equal(60, (await http.GetFromJsonAsync<SpeedView>("speed", ct))!.Speed);

        var badSpec = await http.PostAsJsonAsync("events", new EventRequest("malicious:unit=0,kw=1"), ct);
        var badState = await http.PostAsJsonAsync("meters/F1/relay", new RelayRequest("ajar"), ct);
        var badSpeed = await http.PostAsJsonAsync("speed", new SpeedRequest(-1), ct);
        var noMeter = await http.GetAsync("meters/NOPE", ct);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (badSpec.StatusCode, badState.StatusCode, badSpeed.StatusCode, noMeter.StatusCode));
        Assert.Contains("unit id 0", await badSpec.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Contains("state must be open, closed, close_allowed or close_direct", await badState.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", await badSpeed.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
