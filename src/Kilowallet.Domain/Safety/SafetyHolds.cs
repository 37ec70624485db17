using Kilowallet.Domain.Control;

namespace Kilowallet.Domain.Safety;

/// <summary>Combines the holds of a meter's detectors into the one <see cref="ControlSituation.SafetyHold"/>.</summary>
public static class SafetyHolds
{
    /// <summary>The most severe hold: lockout, then malicious load, then overload, then none.</summary>
    public static SafetyHold MostSevere(params ReadOnlySpan<SafetyHold> holds)
    {
        var worst = SafetyHold.None;
        foreach (var hold in holds)
        {
            if (Rank(hold) > Rank(worst))
            {
                worst = hold;
            }
        }

        return worst;
    }

    private static int Rank(SafetyHold hold) => hold switch
    {
        SafetyHold.OverloadLockout => 3,
        SafetyHold.MaliciousLoad => 2,
        SafetyHold.Overload => 1,
        _ => 0,
    };
}
