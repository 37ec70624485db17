using System.Globalization;
using System.IO.Ports;
using System.Text.Json;
using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Modbus;

namespace Kilowallet.Protocols.Profiles;

/// <summary>Reads one profile file, collecting every error with its entry rather than stopping at the first.</summary>
internal sealed class ProfileParser(string file)
{
    private static readonly string[] TopLevel = ["name", "manufacturer", "model", "phases", "transport", "serial", "unverified", "notes", "trust_band_registers", "close_mode", "has_overload_trip", "modbus", "dlt645", "mqtt"];
    private static readonly string[] ModbusKeys = ["default_unit", "max_gap", "max_block", "points", "relay_state", "relay_commands"];
    private static readonly string[] ModbusPointKeys = ["quantity", "function", "address", "type", "word_order", "scale"];
    private static readonly string[] DltKeys = ["points", "relay_state", "relay_commands"];
    private static readonly string[] DltPointKeys = ["quantity", "di", "format", "scale"];
    private static readonly string[] MqttKeys = ["fields", "relay_state", "timestamp"];
    private static readonly string[] RelayActionNames = ["trip", "close", "close_allowed"];

    public List<ProfileError> Errors { get; } = [];

    public MeterProfile? Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            Error("(file)", $"not valid JSON: {ex.Message}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("(file)", "the profile must be a JSON object");
                return null;
            }

            Unknown(root, "(profile)", TopLevel);
            var name = RequiredString(root, "name");
            var manufacturer = RequiredString(root, "manufacturer");
            var model = RequiredString(root, "model");
            var phases = Int(root, "phases", "phases", null);
            if (phases is not (1 or 3))
            {
                Error("phases", "must be 1 or 3");
            }

            var transportText = RequiredString(root, "transport");
            ProtocolFamily? transport = transportText switch
            {
                "modbus" => ProtocolFamily.Modbus,
                "dlt645" => ProtocolFamily.Dlt645,
                "mqtt" => ProtocolFamily.Mqtt,
                null => null,
                _ => null,
            };
            if (transportText is not null && transport is null)
            {
                Error("transport", $"'{transportText}' is not modbus, dlt645 or mqtt");
            }

            var serial = ParseSerial(root);
            var closeModeText = OptionalString(root, "close_mode") ?? "direct";
            var closeMode = closeModeText switch
            {
                "direct" => CloseMode.Direct,
                "close_allowed" => CloseMode.CloseAllowed,
                _ => (CloseMode?)null,
            };
            if (closeMode is null)
            {
                Error("close_mode", $"'{closeModeText}' is not direct or close_allowed");
            }

            var modbus = root.TryGetProperty("modbus", out var m) ? ParseModbus(m, phases ?? 3) : null;
            var dlt = root.TryGetProperty("dlt645", out var d) ? ParseDlt(d, phases ?? 3) : null;
            var mqtt = root.TryGetProperty("mqtt", out var q) ? ParseMqtt(q, phases ?? 3) : null;
            if (transport == ProtocolFamily.Modbus && !root.TryGetProperty("modbus", out _))
            {
                Error("modbus", "transport is modbus but there is no modbus map");
            }

            if (transport == ProtocolFamily.Dlt645 && !root.TryGetProperty("dlt645", out _))
            {
                Error("dlt645", "transport is dlt645 but there is no dlt645 map");
            }

            if (transport == ProtocolFamily.Mqtt && !root.TryGetProperty("mqtt", out _))
            {
                Error("mqtt", "transport is mqtt but there is no mqtt map");
            }

            if (Errors.Count > 0)
            {
                return null;
            }

            return new MeterProfile
            {
                Name = name!,
                Manufacturer = manufacturer!,
                Model = model!,
                Phases = phases!.Value,
                Transport = transport!.Value,
                Serial = serial,
                Unverified = Bool(root, "unverified"),
                Notes = OptionalString(root, "notes"),
                TrustBandRegisters = Bool(root, "trust_band_registers"),
                CloseMode = closeMode!.Value,
                HasOverloadTrip = Bool(root, "has_overload_trip"),
                Modbus = modbus,
                Dlt645 = dlt,
                Mqtt = mqtt,
                SourceFile = file,
            };
        }
    }

    private SerialDefaults ParseSerial(JsonElement root)
    {
        if (!root.TryGetProperty("serial", out var serial))
        {
            return new SerialDefaults(9600, Parity.None, StopBits.One);
        }

        Unknown(serial, "serial", ["baud", "parity", "stop_bits"]);
        var baud = Int(serial, "baud", "serial.baud", 9600) ?? 9600;
        if (baud is < 300 or > 115200)
        {
            Error("serial.baud", $"{baud} is not a plausible baud rate");
        }

        var parityText = OptionalString(serial, "parity") ?? "none";
        if (!Transport.SerialSettings.TryParseParity(parityText, out var parity))
        {
            Error("serial.parity", $"'{parityText}' is not none, even or odd");
        }

        var stop = Int(serial, "stop_bits", "serial.stop_bits", 1) ?? 1;
        if (stop is not (1 or 2))
        {
            Error("serial.stop_bits", "must be 1 or 2");
        }

        return new SerialDefaults(baud, parity, stop == 2 ? StopBits.Two : StopBits.One);
    }

    private ModbusProfileMap? ParseModbus(JsonElement map, int phases)
    {
        Unknown(map, "modbus", ModbusKeys);
        var unit = Int(map, "default_unit", "modbus.default_unit", 1) ?? 1;
        if (unit is < 1 or > 255)
        {
            Error("modbus.default_unit", "must be 1..255");
        }

        var maxGap = Int(map, "max_gap", "modbus.max_gap", 8) ?? 8;
        if (maxGap is < 0 or > 64)
        {
            Error("modbus.max_gap", "must be 0..64 registers");
        }

        var maxBlock = Int(map, "max_block", "modbus.max_block", ModbusLimits.MaxReadRegisters) ?? ModbusLimits.MaxReadRegisters;
        if (maxBlock is < 1 or > ModbusLimits.MaxReadRegisters)
        {
            Error("modbus.max_block", $"read block of {maxBlock} registers: must be 1..{ModbusLimits.MaxReadRegisters}");
        }

        var points = new List<ModbusPoint>();
        if (!map.TryGetProperty("points", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            Error("modbus.points", "missing (an array of register points)");
        }
        else
        {
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var point = ParseModbusPoint(item, $"modbus.points[{index++}]", phases);
                if (point is not null)
                {
                    points.Add(point);
                }
            }
        }

        CheckDuplicates(points.Select(p => p.Quantity), "modbus.points");
        RequireEnergy(points.Select(p => p.Quantity), "modbus.points");
        foreach (var group in points.GroupBy(p => p.Function))
        {
            var sorted = group.OrderBy(p => p.Address).ToList();
            for (var i = 1; i < sorted.Count; i++)
            {
                var previous = sorted[i - 1];
                if (sorted[i].Address < previous.Address + previous.RegisterCount)
                {
                    Error($"modbus.points ({MeterQuantities.Name(sorted[i].Quantity)})", $"registers overlap {MeterQuantities.Name(previous.Quantity)} (FC {(byte)group.Key:X2}, address 0x{sorted[i].Address:X4} < 0x{previous.Address:X4} + {previous.RegisterCount})");
                }
            }
        }

        ModbusRelayStatePoint? relayState = null;
        if (map.TryGetProperty("relay_state", out var state))
        {
            Unknown(state, "modbus.relay_state", ["function", "address", "closed", "open"]);
            var function = Int(state, "function", "modbus.relay_state.function", null);
            if (function is not (1 or 2 or 3 or 4))
            {
                Error("modbus.relay_state.function", "must be 1, 2, 3 or 4");
            }

            var address = Address(state, "modbus.relay_state.address");
            var closed = UShorts(state, "closed", "modbus.relay_state.closed");
            var open = UShorts(state, "open", "modbus.relay_state.open");
            if (closed.Intersect(open).Any())
            {
                Error("modbus.relay_state", "a value cannot mean both closed and open");
            }

            if (function is (1 or 2 or 3 or 4) && address is not null)
            {
                relayState = new ModbusRelayStatePoint((ModbusFunction)function.Value, address.Value, closed, open);
            }
        }

        var commands = new Dictionary<RelayAction, ModbusRelayCommand>();
        if (map.TryGetProperty("relay_commands", out var relayCommands))
        {
            Unknown(relayCommands, "modbus.relay_commands", RelayActionNames);
            foreach (var property in relayCommands.EnumerateObject())
            {
                var entry = $"modbus.relay_commands.{property.Name}";
                if (!TryRelayAction(property.Name, out var action))
                {
                    continue;
                }

                Unknown(property.Value, entry, ["write", "address", "value"]);
                var write = OptionalString(property.Value, "write");
                var address = Address(property.Value, entry + ".address");
                var value = Int(property.Value, "value", entry + ".value", null);
                var function = write switch
                {
                    "coil" => ModbusFunction.WriteSingleCoil,
                    "register" => ModbusFunction.WriteSingleRegister,
                    _ => (ModbusFunction?)null,
                };
                if (function is null)
                {
                    Error(entry + ".write", $"'{write}' is not coil or register");
                }

                if (value is null || value < 0 || value > (function == ModbusFunction.WriteSingleCoil ? 1 : 65535))
                {
                    Error(entry + ".value", function == ModbusFunction.WriteSingleCoil ? "a coil value is 0 or 1" : "a register value is 0..65535");
                }
                else if (function is not null && address is not null)
                {
                    commands[action] = new ModbusRelayCommand(function.Value, address.Value, (ushort)value.Value);
                }
            }
        }

        return new ModbusProfileMap((byte)Math.Clamp(unit, 1, 255), maxGap, maxBlock, points, relayState, commands);
    }

    private ModbusPoint? ParseModbusPoint(JsonElement item, string entry, int phases)
    {
        Unknown(item, entry, ModbusPointKeys);
        var quantity = Quantity(item, entry, phases);
        if (quantity is not null)
        {
            entry = $"{entry} ({MeterQuantities.Name(quantity.Value)})";
        }

        var function = Int(item, "function", entry + ".function", null);
        if (function is not (3 or 4))
        {
            Error(entry + ".function", "must be 3 (holding) or 4 (input registers)");
        }

        var address = Address(item, entry + ".address");
        var typeText = OptionalString(item, "type");
        RegisterType? type = typeText switch
        {
            "u16" => RegisterType.U16,
            "s16" => RegisterType.S16,
            "u32" => RegisterType.U32,
            "s32" => RegisterType.S32,
            "f32" => RegisterType.F32,
            "u64" => RegisterType.U64,
            _ => null,
        };
        if (type is null)
        {
            Error(entry + ".type", $"'{typeText}' is not one of u16, s16, u32, s32, f32, u64");
        }

        var orderText = OptionalString(item, "word_order") ?? "ABCD";
        WordOrder? order = orderText switch
        {
            "ABCD" => WordOrder.Abcd,
            "CDAB" => WordOrder.Cdab,
            _ => null,
        };
        if (order is null)
        {
            Error(entry + ".word_order", $"'{orderText}' is not ABCD or CDAB");
        }

        var scale = Scale(item, entry);
        if (quantity == MeterQuantity.AlarmFlags && type is RegisterType.F32)
        {
            Error(entry + ".type", "alarm flags need an integer type");
        }

        if (quantity is null || function is not (3 or 4) || address is null || type is null || order is null || scale is null)
        {
            return null;
        }

        var point = new ModbusPoint(quantity.Value, (ModbusFunction)function.Value, address.Value, type.Value, order.Value, scale.Value);
        if (point.Address + point.RegisterCount > 0x10000)
        {
            Error(entry + ".address", "runs past register 0xFFFF");
            return null;
        }

        return point;
    }

    private Dlt645ProfileMap ParseDlt(JsonElement map, int phases)
    {
        Unknown(map, "dlt645", DltKeys);
        var points = new List<Dlt645Point>();
        if (!map.TryGetProperty("points", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            Error("dlt645.points", "missing (an array of data identifiers)");
        }
        else
        {
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var entry = $"dlt645.points[{index++}]";
                Unknown(item, entry, DltPointKeys);
                var quantity = Quantity(item, entry, phases);
                var diText = OptionalString(item, "di");
                if (!Dlt645DataIdentifier.TryParse(diText, out var identifier))
                {
                    Error(entry + ".di", $"'{diText}' is not 8 hex digits");
                    continue;
                }

                Dlt645DataFormat? format = identifier.KnownFormat;
                if (item.TryGetProperty("format", out var f))
                {
                    Unknown(f, entry + ".format", ["length", "decimals", "signed", "binary"]);
                    var length = Int(f, "length", entry + ".format.length", null);
                    var decimals = Int(f, "decimals", entry + ".format.decimals", 0);
                    if (length is null or < 1 or > 8 || decimals is null or < 0 or > 8)
                    {
                        Error(entry + ".format", "length must be 1..8 bytes and decimals 0..8");
                        continue;
                    }

                    format = new Dlt645DataFormat(length.Value, decimals.Value, Bool(f, "signed"), Bool(f, "binary"));
                }

                if (format is null)
                {
                    Error(entry + ".format", $"data identifier {identifier} has no known format: give one");
                    continue;
                }

                var scale = Scale(item, entry);
                if (quantity is not null && scale is not null)
                {
                    points.Add(new Dlt645Point(quantity.Value, identifier, format.Value, scale.Value));
                }
            }
        }

        CheckDuplicates(points.Select(p => p.Quantity), "dlt645.points");
        RequireEnergy(points.Select(p => p.Quantity), "dlt645.points");
        Dlt645RelayStatePoint? relayState = null;
        if (map.TryGetProperty("relay_state", out var state))
        {
            Unknown(state, "dlt645.relay_state", ["di", "mask", "open_when"]);
            var diText = OptionalString(state, "di");
            var mask = Int(state, "mask", "dlt645.relay_state.mask", null);
            var openWhen = Int(state, "open_when", "dlt645.relay_state.open_when", null);
            if (!Dlt645DataIdentifier.TryParse(diText, out var identifier))
            {
                Error("dlt645.relay_state.di", $"'{diText}' is not 8 hex digits");
            }
            else if (mask is null or < 1 or > 0xFFFF || openWhen is null or < 0 or > 0xFFFF || (openWhen & ~mask) != 0)
            {
                Error("dlt645.relay_state", "mask must be 1..0xFFFF and open_when a value within the mask");
            }
            else
            {
                relayState = new Dlt645RelayStatePoint(identifier, (ushort)mask.Value, (ushort)openWhen.Value);
            }
        }

        var commands = new Dictionary<RelayAction, Dlt645RelayCommand>();
        if (map.TryGetProperty("relay_commands", out var relayCommands))
        {
            Unknown(relayCommands, "dlt645.relay_commands", RelayActionNames);
            foreach (var property in relayCommands.EnumerateObject())
            {
                var entry = $"dlt645.relay_commands.{property.Name}";
                var code = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                if (!TryRelayAction(property.Name, out var action))
                {
                    continue;
                }

                if (code is null || !byte.TryParse(code, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var n1) || !Enum.IsDefined((Dlt645RelayCommand)n1))
                {
                    Error(entry, $"'{code}' is not an N1 code (1A, 1B, 1C, 2A, 2B, 3A, 3B)");
                    continue;
                }

                commands[action] = (Dlt645RelayCommand)n1;
            }
        }

        return new Dlt645ProfileMap(points, relayState, commands);
    }

    private MqttProfileMap ParseMqtt(JsonElement map, int phases)
    {
        Unknown(map, "mqtt", MqttKeys);
        var fields = new List<MqttField>();
        if (!map.TryGetProperty("fields", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            Error("mqtt.fields", "missing (an array of JSON pointer fields)");
        }
        else
        {
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var entry = $"mqtt.fields[{index++}]";
                Unknown(item, entry, ["quantity", "path", "scale"]);
                var quantity = Quantity(item, entry, phases);
                var path = Pointer(item, "path", entry + ".path");
                var scale = Scale(item, entry);
                if (quantity is not null && path is not null && scale is not null)
                {
                    fields.Add(new MqttField(quantity.Value, path, scale.Value));
                }
            }
        }

        CheckDuplicates(fields.Select(f => f.Quantity), "mqtt.fields");
        RequireEnergy(fields.Select(f => f.Quantity), "mqtt.fields");
        MqttRelayStateField? relayState = null;
        if (map.TryGetProperty("relay_state", out var state))
        {
            Unknown(state, "mqtt.relay_state", ["path", "closed", "open"]);
            var path = Pointer(state, "path", "mqtt.relay_state.path");
            var closed = Strings(state, "closed");
            var open = Strings(state, "open");
            if (closed.Count == 0 || open.Count == 0)
            {
                Error("mqtt.relay_state", "needs closed and open values");
            }
            else if (path is not null)
            {
                relayState = new MqttRelayStateField(path, closed, open);
            }
        }

        var timestamp = map.TryGetProperty("timestamp", out _) ? Pointer(map, "timestamp", "mqtt.timestamp") : null;
        return new MqttProfileMap(fields, relayState, timestamp);
    }

    private MeterQuantity? Quantity(JsonElement item, string entry, int phases)
    {
        var name = OptionalString(item, "quantity");
        if (!MeterQuantities.TryParse(name, out var quantity) || quantity == MeterQuantity.RelayState)
        {
            Error(entry + ".quantity", name is null ? "missing" : $"unknown quantity '{name}'");
            return null;
        }

        if (phases == 1 && MeterQuantities.IsPhaseBOrC(quantity))
        {
            Error(entry + ".quantity", $"{name} on a single-phase meter");
            return null;
        }

        return quantity;
    }

    private decimal? Scale(JsonElement item, string entry)
    {
        if (!item.TryGetProperty("scale", out var scale))
        {
            return 1m;
        }

        if (scale.ValueKind != JsonValueKind.Number || !scale.TryGetDecimal(out var value) || value == 0)
        {
            Error(entry + ".scale", "must be a non-zero number");
            return null;
        }

        return value;
    }

    private ushort? Address(JsonElement item, string entry)
    {
        var name = entry[(entry.LastIndexOf('.') + 1)..];
        if (!item.TryGetProperty(name, out var value))
        {
            Error(entry, "missing");
            return null;
        }

        long number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out number))
        {
        }
        else if (value.ValueKind == JsonValueKind.String && value.GetString() is { } text && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number))
        {
        }
        else
        {
            Error(entry, "must be a number or a \"0x…\" hex string");
            return null;
        }

        if (number is < 0 or > 0xFFFF)
        {
            Error(entry, "must be 0..65535");
            return null;
        }

        return (ushort)number;
    }

    private string? Pointer(JsonElement item, string name, string entry)
    {
        var path = OptionalString(item, name);
        if (path is null || !path.StartsWith('/'))
        {
            Error(entry, $"'{path}' is not a JSON pointer (\"/a/b\")");
            return null;
        }

        return path;
    }

    private List<ushort> UShorts(JsonElement item, string name, string entry)
    {
        var values = new List<ushort>();
        if (!item.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            Error(entry, "missing (an array of values)");
            return values;
        }

        foreach (var value in array.EnumerateArray())
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt16(out var number))
            {
                values.Add(number);
            }
            else
            {
                Error(entry, "values must be 0..65535");
            }
        }

        return values;
    }

    private static List<string> Strings(JsonElement item, string name) =>
        item.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())]
            : [];

    private void CheckDuplicates(IEnumerable<MeterQuantity> quantities, string entry)
    {
        foreach (var duplicate in quantities.GroupBy(q => q).Where(g => g.Count() > 1))
        {
            Error(entry, $"{MeterQuantities.Name(duplicate.Key)} is mapped more than once");
        }
    }

    private void RequireEnergy(IEnumerable<MeterQuantity> quantities, string entry)
    {
        if (!quantities.Contains(MeterQuantity.EnergyTotal))
        {
            Error(entry, "missing required quantity energy_total");
        }
    }

    private static bool TryRelayAction(string name, out RelayAction action)
    {
        action = name switch
        {
            "trip" => RelayAction.Trip,
            "close" => RelayAction.Close,
            _ => RelayAction.CloseAllowed,
        };
        return name is "trip" or "close" or "close_allowed";
    }

    private void Unknown(JsonElement element, string entry, string[] known)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error(entry, "must be a JSON object");
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                Error(entry, $"unknown property '{property.Name}' (known: {string.Join(", ", known)})");
            }
        }
    }

    private string? RequiredString(JsonElement element, string name)
    {
        var value = OptionalString(element, name);
        if (string.IsNullOrWhiteSpace(value))
        {
            Error(name, "missing");
            return null;
        }

        return value;
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Bool(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private int? Int(JsonElement element, string name, string entry, int? fallback)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            if (fallback is null)
            {
                Error(entry, "missing");
            }

            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        Error(entry, "must be an integer");
        return null;
    }

    private void Error(string entry, string reason) => Errors.Add(new ProfileError(file, entry, reason));
}
