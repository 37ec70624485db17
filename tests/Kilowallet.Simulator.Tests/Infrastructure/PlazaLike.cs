using System.Globalization;
using Kilowallet.Simulator.Load;

namespace Kilowallet.Simulator.Tests.Infrastructure;

/// <summary>A mall shaped like Demo Plaza (120 supply points, 7 gateways), as the server will define it.</summary>
internal static class PlazaLike
{
    public static MallDefinition Build()
    {
        var c = CultureInfo.InvariantCulture;
        var gateways = new List<GatewayDefinition>
        {
            new("F1-BUS-A", GatewayTransportKind.ModbusTcp),
            new("F1-BUS-B", GatewayTransportKind.ModbusTcp),
            new("F2-DTU", GatewayTransportKind.RtuOverTcp),
            new("F2-BUS", GatewayTransportKind.ModbusTcp),
            new("F3-645", GatewayTransportKind.Dlt645Tcp) { BaudRate = 2400 },
            new("PUB-BUS", GatewayTransportKind.ModbusTcp),
            new("4G-MQTT", GatewayTransportKind.Mqtt),
        };
        var meters = new List<MeterDefinition>();
        var seed = 100;
        void Add(string serial, string kind, string gateway, int? unit, string? address, LoadFormat format, decimal area, decimal limit, decimal ct, int phases) =>
            meters.Add(new MeterDefinition(serial, kind, gateway, unit, address, format, area, limit, ct, phases, seed++));

        Add("KPM37-1F001", "kpm37", "4G-MQTT", null, null, LoadFormat.Supermarket, 2400, 250, 40, 3);
        for (var i = 2; i <= 38; i++)
        {
            var format = (i % 4) switch { 0 => LoadFormat.Electronics, 1 => LoadFormat.Apparel, _ => LoadFormat.Services };
            Add($"KPM31-1F{i:D3}", "kpm31", i <= 20 ? "F1-BUS-A" : "F1-BUS-B", i <= 20 ? i - 1 : i - 20, null, format, 30 + (i % 7 * 12), 10, 1, 1);
        }

        for (var i = 1; i <= 40; i++)
        {
            var north = i <= 20;
            Add($"{(north ? "DDSU666" : "SDM120")}-2F{i:D3}", north ? "ddsu666" : "sdm120", north ? "F2-DTU" : "F2-BUS", north ? i : i - 20, null,
                i % 5 == 0 ? LoadFormat.Electronics : LoadFormat.Apparel, 45 + (i % 6 * 15), 12, 1, 1);
        }

        for (var i = 1; i <= 24; i++)
        {
            Add($"DLT645-3F{i:D3}", "dlt645", "F3-645", null, "0000000300" + i.ToString("D2", c), LoadFormat.Restaurant, 25 + (i % 4 * 10), 15, 1, 1);
        }

        for (var i = 25; i <= 35; i++)
        {
            Add($"KPM33-3F{i:D3}", "kpm33", "4G-MQTT", null, null, LoadFormat.Restaurant, 180 + (i % 3 * 60), 60, 1, 3);
        }

        Add("KPM37-3F036", "kpm37", "4G-MQTT", null, null, LoadFormat.Cinema, 1800, 150, 40, 3);
        Add("DTSU666-PUBL1", "dtsu666", "PUB-BUS", 1, null, LoadFormat.PublicLighting, 0, 40, 1, 3);
        Add("DTSU666-PUBL2", "dtsu666", "PUB-BUS", 2, null, LoadFormat.PublicLighting, 0, 40, 1, 3);
        Add("DTSU666-PUBL3", "dtsu666", "PUB-BUS", 3, null, LoadFormat.PublicLighting, 0, 40, 1, 3);
        Add("DTSU666-PUBESC", "dtsu666", "PUB-BUS", 4, null, LoadFormat.EscalatorsAndLifts, 0, 120, 40, 3);
        Add("SDM630-PUBHVAC", "sdm630", "PUB-BUS", 5, null, LoadFormat.CentralAirConditioning, 0, 400, 80, 3);
        Add("SDM630-PUBMAIN", "sdm630", "PUB-BUS", 6, null, LoadFormat.MasterIncomer, 0, 1200, 200, 3);
        return new MallDefinition("Plaza-like", gateways, meters) { OpensAt = new TimeOnly(10, 0), ClosesAt = new TimeOnly(22, 0) };
    }
}
