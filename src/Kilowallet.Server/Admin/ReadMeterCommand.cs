using System.CommandLine;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;
using Kilowallet.Protocols.Transport;
using Kilowallet.Server.Metering.Acquisition;

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

            var transportKind = Enum.Parse<Metering.GatewayTransport>(kind.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
            int? unitId = null;
            string? addressText = null;
            Dlt645MasterOptions? dltOptions = null;
            if (kind.StartsWith("dlt645", StringComparison.Ordinal))
            {
                if (profile.Dlt645 is null)
                {
                    await Console.Error.WriteLineAsync($"Profile {profile.Name} has no DL/T 645 map.");
                    return 2;
                }

                addressText = parse.GetValue(address) ?? "AAAAAAAAAAAA";
                if (!Dlt645Address.TryParse(addressText, out _))
                {
                    await Console.Error.WriteLineAsync($"--address '{addressText}' is not 12 digits.");
                    return 2;
                }

                dltOptions = new Dlt645MasterOptions { Link = options with { ResponseTimeout = options.ResponseTimeout * 2 } };
            }
            else
            {
                if (profile.Modbus is null)
                {
                    await Console.Error.WriteLineAsync($"Profile {profile.Name} has no Modbus map.");
                    return 2;
                }

                unitId = parse.GetValue(unit) ?? profile.Modbus.DefaultUnit;
                if (unitId is < 1 or > 255)
                {
                    await Console.Error.WriteLineAsync("--unit must be 1..255.");
                    return 2;
                }
            }

            var defaultPort = kind == "dlt645-tcp" ? 8899 : 502;
            await using var link = BusLink.Open(transportKind, hostName, parse.GetValue(port) ?? defaultPort, serial, options, dltOptions);
            var snapshot = await link.ReadAsync(new MeterReader(), profile, unitId, addressText, cancellationToken);
            return Print(profile, snapshot, parse.GetValue(raw));
        });
        return command;
    }

    private static int Print(MeterProfile profile, MeterSnapshot snapshot, bool raw)
    {
        var reading = TestReading.From(profile, snapshot, TestReading.Direct);
        if (!reading.Answered)
        {
            Console.Error.WriteLine($"{reading.Profile}: no answer: {reading.Failure}");
            return 1;
        }

        Console.WriteLine($"{reading.Manufacturer} {reading.Model} ({reading.Profile}){(reading.ProfileUnverified ? " — profile UNVERIFIED" : string.Empty)}");
        foreach (var value in reading.Values)
        {
            Console.WriteLine($"  {value.Name,-16} {value.Text} {value.Unit}".TrimEnd());
        }

        Console.WriteLine($"  {"relay_state",-16} {reading.Relay}");
        if (raw)
        {
            foreach (var block in reading.Raw)
            {
                Console.WriteLine($"  raw {block.Source}: {string.Join(' ', block.Words)}");
            }
        }

        foreach (var error in reading.Errors)
        {
            Console.Error.WriteLine($"  {error.Quantity}: {error.Reason}");
        }

        if (reading.Errors.Count > 0)
        {
            Console.Error.WriteLine($"{reading.Profile}: {reading.Errors.Count} quantity(ies) not read: {reading.Errors[0].Reason}");
            return 1;
        }

        return 0;
    }
}
