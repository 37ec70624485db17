using System.Globalization;
using Kilowallet.Domain;
using Kilowallet.Server.Metering;

namespace Kilowallet.Server.Demo;

/// <summary>
/// Demo Plaza: a three-floor mall in Shanghai with about 120 supply points of mixed business
/// formats, wired the way real malls are — RS485 buses behind Modbus TCP gateways, a 4G DTU
/// tunnelling RTU frames, a DL/T 645 bus in the food court, 4G meters on MQTT for the anchors, and
/// public-area circuits with a master incomer. Deterministic: the same plaza every time.
/// </summary>
public static class DemoPlaza
{
    public const string SiteCode = "DEMO";
    public const string SiteName = "Demo Plaza";
    public const string TimeZone = "Asia/Shanghai";
    public const string Currency = "CNY";

    private static readonly string[] Surnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo"];
    private static readonly string[] GivenNames = ["Wei", "Fang", "Na", "Min", "Jing", "Lei", "Qiang", "Yan", "Jun", "Hui", "Tao", "Ling", "Xin", "Bo", "Hong", "Ping", "Gang", "Yun", "Chao", "Mei"];

    private static readonly Dictionary<BusinessFormat, string[]> ShopNames = new()
    {
        [BusinessFormat.Apparel] = ["Urban Threads", "Silk Road Fashion", "Denim Lab", "Little Stars Kids", "Jade Boutique", "Runway Shoes", "Cotton & Co", "Lotus Lingerie", "Summit Outdoor", "Pearl Accessories", "Mode Paris", "Red Lantern Tailors", "Sneaker Hub", "Bamboo Bags", "Velvet Lane"],
        [BusinessFormat.Electronics] = ["Bright Mobile", "Pixel Point", "Sound Garden", "Smart Home Store", "Camera Corner", "Game Zone", "Laptop Lane", "Gadget Garage"],
        [BusinessFormat.Restaurant] = ["Sichuan Kitchen", "Noodle Bar", "Dim Sum House", "Hot Pot Palace", "Bubble Tea", "Dumpling King", "Korean BBQ", "Sushi Go", "Burger Republic", "Bakery 88", "Congee Corner", "Roast Duck Inn", "Coffee Lab", "Yunnan Rice Noodles", "Juice Station", "Ice Cream Cloud"],
        [BusinessFormat.Services] = ["Quick Cuts Salon", "China Bank ATM", "Dry Cleaning", "Optical Centre", "Pharmacy Plus", "Key & Shoe Repair", "Travel Agency", "Phone Repair", "Nail Studio", "Photo Studio", "Florist"],
    };

    public static IReadOnlyList<(string Code, string Name, AreaKind Kind, int Floor)> Areas { get; } =
    [
        ("F1", "Floor 1 — supermarket and services", AreaKind.Floor, 1),
        ("F2", "Floor 2 — fashion and electronics", AreaKind.Floor, 2),
        ("F3", "Floor 3 — dining and cinema", AreaKind.Floor, 3),
        ("PUB", "Public areas and plant", AreaKind.Public, 0),
    ];

    public static IReadOnlyList<DemoGateway> Gateways { get; } =
    [
        new("F1-BUS-A", GatewayTransport.ModbusTcp, "Modbus TCP gateway, floor 1 east RS485 bus (KPM31)"),
        new("F1-BUS-B", GatewayTransport.ModbusTcp, "Modbus TCP gateway, floor 1 west RS485 bus (KPM31)"),
        new("F2-DTU", GatewayTransport.RtuOverTcp, "4G DTU in transparent mode, floor 2 north bus (CHINT DDSU666)"),
        new("F2-BUS", GatewayTransport.ModbusTcp, "Modbus TCP gateway, floor 2 south bus (Eastron SDM120)"),
        new("F3-645", GatewayTransport.Dlt645Tcp, "Serial server, food court DL/T 645-2007 bus"),
        new("PUB-BUS", GatewayTransport.ModbusTcp, "Modbus TCP gateway, plant room (public circuits and incomer)"),
        new("4G-MQTT", GatewayTransport.Mqtt, "4G meters publishing to the MQTT broker (KPM33/KPM37)"),
    ];

    public static IReadOnlyList<DemoShop> Shops { get; } = Build();

    private static List<DemoShop> Build()
    {
        var shops = new List<DemoShop>();
        var counters = new Dictionary<BusinessFormat, int>();
        var person = 0;

        string NameFor(BusinessFormat format)
        {
            counters.TryGetValue(format, out var n);
            counters[format] = n + 1;
            var names = ShopNames[format];
            var name = names[n % names.Length];
            return n < names.Length ? name : $"{name} {(n / names.Length) + 1}";
        }

        DemoShop Tenant(string unit, string area, BusinessFormat format, decimal m2, decimal limitKw, string profile, int phases, decimal ct,
            string gateway, int? unitId, string? address, string? name = null)
        {
            person++;
            var surname = Surnames[person % Surnames.Length];
            var given = GivenNames[(person * 7) % GivenNames.Length];
            var phone = "+86138" + (10_000_000 + (person * 7919 % 89_999_999)).ToString("D8", CultureInfo.InvariantCulture);
            var shopName = name ?? NameFor(format);
            return new DemoShop(unit, shopName, area, format, m2, limitKw, profile, phases, ct, gateway, unitId, address,
                Serial(profile, unit), $"{shopName} ({surname} {given})", $"{surname} {given}", phone,
                person % 3 == 0 ? Language.English : Language.SimplifiedChinese);
        }

        // Floor 1: the supermarket anchor on a 4G three-phase meter, services and small retail on two RS485 buses.
        shops.Add(Tenant("1F-001", "F1", BusinessFormat.Supermarket, 2400m, 250m, "kpm37", 3, 40m, "4G-MQTT", null, null, "FreshMart Supermarket"));
        for (var i = 2; i <= 38; i++)
        {
            var format = (i % 4) switch { 0 => BusinessFormat.Electronics, 1 => BusinessFormat.Apparel, _ => BusinessFormat.Services };
            var onBusA = i <= 20;
            shops.Add(Tenant($"1F-{i:D3}", "F1", format, 30m + (i % 7 * 12m), 10m, "kpm31", 1, 1m,
                onBusA ? "F1-BUS-A" : "F1-BUS-B", onBusA ? i - 1 : i - 20, null));
        }

        // Floor 2: fashion and electronics; north half on a 4G DTU with CHINT meters, south half on Eastron meters.
        for (var i = 1; i <= 40; i++)
        {
            var format = i % 5 == 0 ? BusinessFormat.Electronics : BusinessFormat.Apparel;
            var north = i <= 20;
            shops.Add(Tenant($"2F-{i:D3}", "F2", format, 45m + (i % 6 * 15m), 12m, north ? "ddsu666" : "sdm120", 1, 1m,
                north ? "F2-DTU" : "F2-BUS", north ? i : i - 20, null));
        }

        // Floor 3: a DL/T 645 food court, larger restaurants and the cinema on 4G three-phase meters.
        for (var i = 1; i <= 24; i++)
        {
            shops.Add(Tenant($"3F-{i:D3}", "F3", BusinessFormat.Restaurant, 25m + (i % 4 * 10m), 15m, "dlt645", 1, 1m,
                "F3-645", null, $"0000000300{i:D2}"));
        }

        for (var i = 25; i <= 35; i++)
        {
            shops.Add(Tenant($"3F-{i:D3}", "F3", BusinessFormat.Restaurant, 180m + (i % 3 * 60m), 60m, "kpm33", 3, 1m, "4G-MQTT", null, null));
        }

        shops.Add(Tenant("3F-036", "F3", BusinessFormat.Cinema, 1800m, 150m, "kpm37", 3, 40m, "4G-MQTT", null, null, "Galaxy Cinema"));

        // Public circuits and the incomer, paid by the property.
        var unitId = 1;
        foreach (var (unit, name, area, profile, ct, limit) in new[]
        {
            ("PUB-L1", "Floor 1 public lighting", "F1", "dtsu666", 1m, 40m),
            ("PUB-L2", "Floor 2 public lighting", "F2", "dtsu666", 1m, 40m),
            ("PUB-L3", "Floor 3 public lighting", "F3", "dtsu666", 1m, 40m),
            ("PUB-ESC", "Escalators and lifts", "PUB", "dtsu666", 40m, 120m),
            ("PUB-HVAC", "Central air conditioning", "PUB", "sdm630", 80m, 400m),
            ("PUB-MAIN", "Main incomer (master meter)", "PUB", "sdm630", 200m, 1200m),
        })
        {
            shops.Add(new DemoShop(unit, name, area, BusinessFormat.PublicArea, 0m, limit, profile, 3, ct, "PUB-BUS", unitId++, null,
                Serial(profile, unit), null, null, null, Language.SimplifiedChinese));
        }

        return shops;
    }

    /// <summary>True for the master incomer, which is compared with the sum of its sub-meters rather than billed.</summary>
    public static bool IsMaster(DemoShop shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return shop.UnitNumber == "PUB-MAIN";
    }

    /// <summary>The floor-1 lighting circuit also feeds the floor-1 gateways: it must never be cut.</summary>
    public static bool FeedsOwnGateway(DemoShop shop)
    {
        ArgumentNullException.ThrowIfNull(shop);
        return shop.UnitNumber is "PUB-L1" or "2F-001";
    }

    private static string Serial(string profile, string unit) =>
        $"{profile.ToUpperInvariant()}-{unit.Replace("-", string.Empty, StringComparison.Ordinal)}";
}
