using System.Globalization;

namespace Kilowallet.Domain.Tariffs;

/// <summary>Names a plan version: the plan's code and the version's number. Every rated slice carries one.</summary>
public readonly record struct TariffVersionKey(string PlanCode, int Version)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{PlanCode} v{Version}");
}
