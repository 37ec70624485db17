namespace Kilowallet.Protocols.Dlt645;

/// <summary>The ERR byte of an abnormal reply.</summary>
[Flags]
public enum Dlt645Errors : byte
{
    None = 0,
    Other = 0x01,
    NoSuchData = 0x02,
    Unauthorised = 0x04,
    BaudRateUnchangeable = 0x08,
    TooManyYearZones = 0x10,
    TooManyDailySlots = 0x20,
    TooManyTariffs = 0x40,
}
