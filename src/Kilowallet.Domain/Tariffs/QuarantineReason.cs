namespace Kilowallet.Domain.Tariffs;

/// <summary>Why an interval was quarantined instead of rated.</summary>
public enum QuarantineReason
{
    None = 0,

    /// <summary>The register went backwards (meter replaced or reset).</summary>
    RegisterWentBackwards = 1,

    /// <summary>More energy than the installation's maximum power could deliver in the interval.</summary>
    ImplausibleJump = 2,

    /// <summary>No plan version applies on some date of the interval.</summary>
    NoTariffInForce = 3,

    /// <summary>The per-band register deltas do not add up to the total.</summary>
    BandEnergyMismatch = 4,

    /// <summary>The meter's registers report energy in a band the plan version has no price for.</summary>
    BandWithoutPrice = 5,
}
