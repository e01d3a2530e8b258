using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Tests.Inputs;

public sealed class LiftUncertaintyTests
{
    [Fact]
    public void NinetyPercentIntervalGivesHalfWidthOverZ()
    {
        // z(0.95) = 1.6448536269514722; half width 32.8970725 / z = 20.
        var u = LiftUncertainty.FromInterval(100 - 32.897072539029444, 100 + 32.897072539029444, 0.90);
        Assert.Equal(20, u.EffectiveStandardError, 9);
    }

    [Fact]
    public void NinetyFivePercentIntervalUsesItsOwnQuantile()
    {
        var u = LiftUncertainty.FromInterval(0, 2 * 1.959963984540054 * 5, 0.95);
        Assert.Equal(5, u.EffectiveStandardError, 9);
    }

    [Fact]
    public void GivenStandardErrorWins()
    {
        Assert.Equal(7, LiftUncertainty.FromStandardError(7).EffectiveStandardError);
    }
}
