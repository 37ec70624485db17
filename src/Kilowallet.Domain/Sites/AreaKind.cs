namespace Kilowallet.Domain;

/// <summary>A floor of the building, a zone within it, or a public area served by the property.</summary>
public enum AreaKind
{
    Floor = 0,
    Zone = 1,
    Public = 2,
}
