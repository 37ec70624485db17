using Kilowallet.Domain.Control;
using Kilowallet.Domain.Safety;

namespace Kilowallet.Domain.Tests.Safety;

public sealed class SafetyHoldsTests
{
    [Fact]
    public void The_most_severe_hold_wins()
    {
        Assert.Equal(SafetyHold.None, SafetyHolds.MostSevere());
        Assert.Equal(SafetyHold.MaliciousLoad, SafetyHolds.MostSevere(SafetyHold.Overload, SafetyHold.MaliciousLoad, SafetyHold.None));
        Assert.Equal(SafetyHold.OverloadLockout, SafetyHolds.MostSevere(SafetyHold.OverloadLockout, SafetyHold.MaliciousLoad));
    }
}
