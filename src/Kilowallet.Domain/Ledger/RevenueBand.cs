namespace Kilowallet.Domain.Ledger;

/// <summary>
/// The time-of-use band a charge is booked to as revenue (尖, 峰, 平, 谷). The ledger's own name for
/// the band, independent of the tariff engine's <c>TouBand</c>: the server maps one to the other.
/// Its stable text (in <see cref="LedgerAccountKey"/>) is the lower-case name: "sharp", "peak", "flat", "valley".
/// </summary>
public enum RevenueBand
{
    Sharp = 0,
    Peak = 1,
    Flat = 2,
    Valley = 3,
}
