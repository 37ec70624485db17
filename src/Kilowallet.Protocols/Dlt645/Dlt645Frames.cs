namespace Kilowallet.Protocols.Dlt645;

/// <summary>Builders of the DL/T 645 frames Kilowallet sends and (for the simulator) answers with.</summary>
public static class Dlt645Frames
{
    /// <summary>Read data (C = 11): data = DI0..DI3.</summary>
    public static int ReadData(Span<byte> destination, Dlt645Address address, Dlt645DataIdentifier identifier, int wakeUpBytes = 0)
    {
        Span<byte> data = stackalloc byte[4];
        identifier.WriteTo(data);
        return Dlt645Codec.Encode(destination, address, Dlt645Control.ReadData, data, wakeUpBytes);
    }

    /// <summary>Read follow-up data (C = 12): data = DI0..DI3, SEQ.</summary>
    public static int ReadFollowUp(Span<byte> destination, Dlt645Address address, Dlt645DataIdentifier identifier, byte sequence, int wakeUpBytes = 0)
    {
        Span<byte> data = stackalloc byte[5];
        identifier.WriteTo(data);
        data[4] = sequence;
        return Dlt645Codec.Encode(destination, address, Dlt645Control.ReadFollowUp, data, wakeUpBytes);
    }

    /// <summary>Read address (C = 13) to AA×6, no data.</summary>
    public static int ReadAddress(Span<byte> destination, int wakeUpBytes = 0) =>
        Dlt645Codec.Encode(destination, Dlt645Address.Wildcard, Dlt645Control.ReadAddress, [], wakeUpBytes);

    /// <summary>Broadcast time sync (C = 08) to 99×6: ss mm hh DD MM YY. No meter replies.</summary>
    public static int BroadcastTimeSync(Span<byte> destination, DateTime localTime, int wakeUpBytes = 0)
    {
        Span<byte> data = stackalloc byte[6];
        WriteDateTime(data, localTime);
        return Dlt645Codec.Encode(destination, Dlt645Address.Broadcast, Dlt645Control.BroadcastTimeSync, data, wakeUpBytes);
    }

    /// <summary>Relay and alarm control (C = 1C, L = 16).</summary>
    public static int RelayControl(Span<byte> destination, Dlt645Address address, in Dlt645RelayControl control, int wakeUpBytes = 0)
    {
        Span<byte> data = stackalloc byte[Dlt645RelayControl.DataLength];
        WriteLittleEndian(data[..4], control.Password);
        WriteLittleEndian(data[4..8], control.OperatorCode);
        data[8] = (byte)control.Command;
        data[9] = 0;
        if (control.ValidUntil is { } deadline)
        {
            WriteDateTime(data[10..], deadline);
        }
        else
        {
            data[10..].Clear();
        }

        return Dlt645Codec.Encode(destination, address, Dlt645Control.RelayControl, data, wakeUpBytes);
    }

    /// <summary>Normal reply to a read (C = 91, or B1 when more follows): DI then the value bytes.</summary>
    public static int ReadReply(Span<byte> destination, Dlt645Address address, Dlt645DataIdentifier identifier, ReadOnlySpan<byte> value, bool followUp = false, int wakeUpBytes = 0)
    {
        Span<byte> data = stackalloc byte[4 + value.Length];
        identifier.WriteTo(data);
        value.CopyTo(data[4..]);
        var control = (byte)(Dlt645Control.ReadData | Dlt645Control.ReplyFlag | (followUp ? Dlt645Control.FollowUpFlag : 0));
        return Dlt645Codec.Encode(destination, address, control, data, wakeUpBytes);
    }

    /// <summary>Abnormal reply (C = function | C0, L = 1, ERR).</summary>
    public static int ErrorReply(Span<byte> destination, Dlt645Address address, byte function, Dlt645Errors errors, int wakeUpBytes = 0) =>
        Dlt645Codec.Encode(destination, address, (byte)((function & Dlt645Control.FunctionMask) | Dlt645Control.ReplyFlag | Dlt645Control.AbnormalFlag), [(byte)errors], wakeUpBytes);

    /// <summary>Reply to read address (C = 93, L = 6).</summary>
    public static int ReadAddressReply(Span<byte> destination, Dlt645Address address, int wakeUpBytes = 0)
    {
        Span<byte> data = stackalloc byte[6];
        address.WriteTo(data);
        return Dlt645Codec.Encode(destination, address, Dlt645Control.ReadAddress | Dlt645Control.ReplyFlag, data, wakeUpBytes);
    }

    /// <summary>Normal reply to relay control (C = 9C, L = 0).</summary>
    public static int RelayControlReply(Span<byte> destination, Dlt645Address address, int wakeUpBytes = 0) =>
        Dlt645Codec.Encode(destination, address, Dlt645Control.RelayControl | Dlt645Control.ReplyFlag, [], wakeUpBytes);

    /// <summary>Parses the 16 plain data bytes of a relay control frame; false when malformed.</summary>
    public static bool TryParseRelayControl(ReadOnlySpan<byte> plain, out Dlt645RelayControl control)
    {
        control = default;
        if (plain.Length != Dlt645RelayControl.DataLength)
        {
            return false;
        }

        var command = (Dlt645RelayCommand)plain[8];
        if (!Enum.IsDefined(command))
        {
            return false;
        }

        DateTime? deadline = null;
        if (plain[10..].ContainsAnyExcept((byte)0))
        {
            if (!TryReadDateTime(plain[10..], out var parsed))
            {
                return false;
            }

            deadline = parsed;
        }

        control = new Dlt645RelayControl(ReadLittleEndian(plain[..4]), ReadLittleEndian(plain[4..8]), command, deadline);
        return true;
    }

    /// <summary>ss mm hh DD MM YY in BCD.</summary>
    public static void WriteDateTime(Span<byte> destination, DateTime time)
    {
        destination[0] = Dlt645Bcd.ToBcd(time.Second);
        destination[1] = Dlt645Bcd.ToBcd(time.Minute);
        destination[2] = Dlt645Bcd.ToBcd(time.Hour);
        destination[3] = Dlt645Bcd.ToBcd(time.Day);
        destination[4] = Dlt645Bcd.ToBcd(time.Month);
        destination[5] = Dlt645Bcd.ToBcd(time.Year % 100);
    }

    /// <summary>Reads ss mm hh DD MM YY (years 2000–2099); false when not a valid date.</summary>
    public static bool TryReadDateTime(ReadOnlySpan<byte> source, out DateTime time)
    {
        time = default;
        if (source.Length < 6)
        {
            return false;
        }

        var second = Dlt645Bcd.Digits(source[0]);
        var minute = Dlt645Bcd.Digits(source[1]);
        var hour = Dlt645Bcd.Digits(source[2]);
        var day = Dlt645Bcd.Digits(source[3]);
        var month = Dlt645Bcd.Digits(source[4]);
        var year = Dlt645Bcd.Digits(source[5]);
        if (second is < 0 or > 59 || minute is < 0 or > 59 || hour is < 0 or > 23 || month is < 1 or > 12 || year < 0 || day < 1 || day > DateTime.DaysInMonth(2000 + year, month))
        {
            return false;
        }

        time = new DateTime(2000 + year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return true;
    }

    private static void WriteLittleEndian(Span<byte> destination, uint value)
    {
        for (var i = 0; i < 4; i++)
        {
            destination[i] = (byte)((value >> (8 * i)) & 0xFF);
        }
    }

    private static uint ReadLittleEndian(ReadOnlySpan<byte> source) =>
        source[0] | ((uint)source[1] << 8) | ((uint)source[2] << 16) | ((uint)source[3] << 24);
}
