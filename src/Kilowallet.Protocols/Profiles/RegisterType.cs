namespace Kilowallet.Protocols.Profiles;

/// <summary>How registers encode a value.</summary>
public enum RegisterType
{
    U16,
    S16,
    U32,
    S32,
    F32,
    U64,
}
