namespace Kilowallet.Server.Web.Localization;

/// <summary>Words of the tenant portal.</summary>
public static class PortalTexts
{
    public static IEnumerable<(string Key, string En, string Zh)> All { get; } =
    [
    ];
}
