using System.CommandLine;
using System.Globalization;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;

namespace Kilowallet.Server.Admin;

/// <summary>
/// Commissioning: <c>read --transport … --profile NAME</c> reads one meter by its profile and prints every
/// quantity with its unit (and the raw registers with --raw). Needs no database. Exit code 1 when the
/// meter does not answer properly, with a one-line reason.
/// </summary>
public static class ReadMeterCommand
{
    private static readonly string[] Transports = ["modbus-tcp", "rtu-over-tcp", "rtu-serial", "dlt645-tcp", "dlt645-serial"];

    public static Command Create()
    {
        var transport = new Option<string>("--transport") { Description = string.Join("|", Transports), Required = true };
        transport.AcceptOnlyFromAmong(Transports);
        var host = new Option<string?>("--host") { Description = "Gateway, serial server or meter host (TCP transports)." };
        var port = new Option<int?>("--port") { Description = "TCP port (default 502 for Modbus)." };
        var device = new Option<string?>("--device") { Description = "Serial device, e.g. /dev/ttyUSB0 (serial transports)." };
        var baud = new Option<int?>("--baud") { Description = "Baud rate (default: the profile's)." };
        var parity = new Option<string?>("--parity") { Description = "N, E or O (default: the profile's; DL/T 645 is E)." };
        var unit = new Option<int?>("--unit") { Description = "Modbus unit id (default: the profile's, usually 1)." };
        var address = new Option<string?>("--address") { Description = "DL/T 645 address, 12 digits (default AAAAAAAAAAAA: the only meter on the bus)." };
        var profileName = new Option<string>("--profile") { Description = "Meter profile: kpm31, kpm33, kpm37, sdm120, sdm630, ddsu666, dtsu666, dlt645, …", Required = true };
        var timeout = new Option<int>("--timeout-ms") { Description = "Response timeout per attempt.", DefaultValueFactory = _ => 1000 };
        var raw = new Option<bool>("--raw") { Description = "Also print the raw registers / data bytes." };
        var command = new Command("read", "Read one meter by its profile and print every quantity (commissioning; no database needed).")
        {
            transport, host, port, device, baud, parity, unit, address, profileName, timeout, raw,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            MeterProfileCatalog catalog;
            try
            {
                catalog = MeterProfileCatalog.LoadOrThrow();
            }
            catch (ProfileCatalogException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }

            var name = parse.GetValue(profileName)!;
            if (!catalog.TryGet(name, out var profile))
            {
                await Console.Error.WriteLineAsync($"Unknown profile '{name}'; known: {string.Join(", ", catalog.Profiles.Select(p => p.Name).Order(StringComparer.Ordinal))}.");
                return 2;
            }

            var kind = parse.GetValue(transport)!;
            var options = new MasterOptions { ResponseTimeout = TimeSpan.FromMilliseconds(Math.Clamp(parse.GetValue(timeout), 50, 60_000)), Retries = 1 };
            var parityText = parse.GetValue(parity);
            var parityValue = kind.StartsWith("dlt645", StringComparison.Ordinal) ? System.IO.Ports.Parity.Even : profile.Serial.Parity;
            if (parityText is not null && !SerialSettings.TryParseParity(parityText, out parityValue))
            {
                await Console.Error.WriteLineAsync($"--parity '{parityText}' is not N, E or O.");
                return 2;
            }

            var serial = parse.GetValue(device) is { } path
                ? new SerialSettings(path, parse.GetValue(baud) ?? profile.Serial.Baud, parityValue, 8, profile.Serial.StopBits)
                : null;
            var hostName = parse.GetValue(host);
            if (kind.EndsWith("serial", StringComparison.Ordinal) ? serial is null : hostName is null)
            {
                await Console.Error.WriteLineAsync(kind.EndsWith("serial", StringComparison.Ordinal) ? "--device is required for a serial transport." : "--host is required for a TCP transport.");
                return 2;
            }

            MeterSnapshot snapshot;
            if (kind.StartsWith("dlt645", StringComparison.Ordinal))
            {
                if (profile.Dlt645 is null)
                {
                    await Console.Error.WriteLineAsync($"Profile {profile.Name} has no DL/T 645 map.");
                    return 2;
                }

                var addressText = parse.GetValue(address) ?? "AAAAAAAAAAAA";
                if (!Dlt645Address.TryParse(addressText, out var meterAddress))
                {
                    await Console.Error.WriteLineAsync($"--address '{addressText}' is not 12 digits.");
                    return 2;
                }

                var dltOptions = new Dlt645MasterOptions { Link = options with { ResponseTimeout = options.ResponseTimeout * 2 } };
                await using var master = kind == "dlt645-tcp"
                    ? Dlt645Master.CreateTcp(hostName!, parse.GetValue(port) ?? 8899, dltOptions)
                    : Dlt645Master.CreateSerial(serial!, dltOptions);
                snapshot = await new MeterReader().ReadAsync(master, meterAddress, profile, cancellationToken);
            }
            else
            {
                if (profile.Modbus is null)
                {
                    await Console.Error.WriteLineAsync($"Profile {profile.Name} has no Modbus map.");
                    return 2;
                }

                var unitId = parse.GetValue(unit) ?? profile.Modbus.DefaultUnit;
                if (unitId is < 1 or > 255)
                {
                    await Console.Error.WriteLineAsync("--unit must be 1..255.");
                    return 2;
                }

                await using var master = kind switch
                {
                    "modbus-tcp" => ModbusMaster.CreateTcp(hostName!, parse.GetValue(port) ?? 502, options),
                    "rtu-over-tcp" => ModbusMaster.CreateRtuOverTcp(hostName!, parse.GetValue(port) ?? 502, options),
                    _ => ModbusMaster.CreateRtuSerial(serial!, options),
                };
                snapshot = await new MeterReader().ReadAsync(master, (byte)unitId, profile, cancellationToken);
            }

            return Print(profile, snapshot, parse.GetValue(raw));
        });
        return command;
    }

    private static int Print(MeterProfile profile, MeterSnapshot snapshot, bool raw)
    {
        if (snapshot.LinkFailure is not null)
        {
            Console.Error.WriteLine($"{profile.Name}: no answer: {snapshot.LinkFailureDetail}");
            return 1;
        }

        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine($"{profile.Manufacturer} {profile.Model} ({profile.Name}){(profile.Unverified ? " — profile UNVERIFIED" : string.Empty)}");
        foreach (var (quantity, value) in snapshot.Values.OrderBy(v => v.Key))
        {
            var text = quantity == MeterQuantity.AlarmFlags
                ? string.Create(culture, $"0x{(uint)value:X4}")
                : value.ToString(MeterQuantities.IsEnergy(quantity) ? "0.000" : "0.####", culture);
            Console.WriteLine($"  {MeterQuantities.Name(quantity),-16} {text} {MeterQuantities.Unit(quantity)}".TrimEnd());
        }

        Console.WriteLine($"  {"relay_state",-16} {snapshot.Relay.ToString().ToLowerInvariant()}");
        if (raw)
        {
            foreach (var block in snapshot.Raw)
            {
                Console.WriteLine($"  raw {block.Source}: {string.Join(' ', block.Words.Select(w => w.ToString("X4", culture)))}");
            }
        }

        foreach (var error in snapshot.Errors)
        {
            Console.Error.WriteLine($"  {error}");
        }

        if (snapshot.Errors.Count > 0)
        {
            Console.Error.WriteLine($"{profile.Name}: {snapshot.Errors.Count} quantity(ies) not read: {snapshot.Errors[0].Reason}");
            return 1;
        }

        return 0;
    }
}
