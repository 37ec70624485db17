namespace Kilowallet.Domain;

/// <summary>Languages the product speaks to people in.</summary>
public enum Language
{
    English = 0,
    SimplifiedChinese = 1,
}
