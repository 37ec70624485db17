namespace Kilowallet.Protocols.Dlt645;

/// <summary>DL/T 645-2007 control codes (function in bits 0–4) and flag bits.</summary>
public static class Dlt645Control
{
    public const byte BroadcastTimeSync = 0x08;
    public const byte ReadData = 0x11;
    public const byte ReadFollowUp = 0x12;
    public const byte ReadAddress = 0x13;
    public const byte WriteData = 0x14;
    public const byte RelayControl = 0x1C;

    /// <summary>D7: the frame is a reply.</summary>
    public const byte ReplyFlag = 0x80;

    /// <summary>D6: an abnormal (error) reply.</summary>
    public const byte AbnormalFlag = 0x40;

    /// <summary>D5: more data follows (read it with <see cref="ReadFollowUp"/>).</summary>
    public const byte FollowUpFlag = 0x20;

    public const byte FunctionMask = 0x1F;
}
