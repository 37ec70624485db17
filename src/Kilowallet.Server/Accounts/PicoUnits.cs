using Kilowallet.Domain;

namespace Kilowallet.Server.Accounts;

/// <summary>Accrued charges are stored as integers of 10⁻¹² yuan so the database can add them exactly.</summary>
public static class PicoUnits
{
    public const long PerMajor = 1_000_000_000_000L;

    public static Money ToMoney(long pico) => new(pico / (decimal)PerMajor);
}
