namespace Kilowallet.Protocols.Profiles;

/// <summary>Why a profile file was refused: the file, the entry in it, and the reason.</summary>
public sealed record ProfileError(string File, string Entry, string Reason)
{
    public override string ToString() => $"{File}: {Entry}: {Reason}";
}
