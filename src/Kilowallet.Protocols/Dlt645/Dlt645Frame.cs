namespace Kilowallet.Protocols.Dlt645;

/// <summary>A decoded DL/T 645 frame (a view over the received bytes; the data still carries its +0x33).</summary>
public readonly ref struct Dlt645Frame
{
    internal Dlt645Frame(Dlt645Address address, byte control, ReadOnlySpan<byte> wireData)
    {
        Address = address;
        Control = control;
        WireData = wireData;
    }

    public Dlt645Address Address { get; }

    public byte Control { get; }

    /// <summary>The data field as sent (each byte +0x33).</summary>
    public ReadOnlySpan<byte> WireData { get; }

    public int DataLength => WireData.Length;

    public byte Function => (byte)(Control & Dlt645Control.FunctionMask);

    public bool IsReply => (Control & Dlt645Control.ReplyFlag) != 0;

    public bool IsAbnormal => (Control & Dlt645Control.AbnormalFlag) != 0;

    public bool HasFollowUp => (Control & Dlt645Control.FollowUpFlag) != 0;

    /// <summary>Data byte <paramref name="index"/> with the 0x33 removed.</summary>
    public byte DataAt(int index) => unchecked((byte)(WireData[index] - 0x33));

    /// <summary>Copies the data with the 0x33 removed; returns the length.</summary>
    public int CopyData(Span<byte> destination)
    {
        for (var i = 0; i < WireData.Length; i++)
        {
            destination[i] = unchecked((byte)(WireData[i] - 0x33));
        }

        return WireData.Length;
    }
}
