namespace Kilowallet.Protocols.Dlt645;

/// <summary>
/// The data of a relay control frame: password PA P0 P1 P2 (PA, the privilege level, in the low byte of
/// <see cref="Password"/>), operator code C0..C3 (C0 in the low byte), the command N1, and the validity
/// deadline N3..N8 (null: all zeros).
/// </summary>
public readonly record struct Dlt645RelayControl(uint Password, uint OperatorCode, Dlt645RelayCommand Command, DateTime? ValidUntil = null)
{
    public const int DataLength = 16;
}
