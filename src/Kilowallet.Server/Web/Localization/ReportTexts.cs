namespace Kilowallet.Server.Web.Localization;

/// <summary>Words of the analysis and report pages.</summary>
public static class ReportTexts
{
    public static IEnumerable<(string Key, string En, string Zh)> All { get; } =
    [
    ];
}
