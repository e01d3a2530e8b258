using SpendOptimizer.Core.Incrementality;

namespace SpendOptimizer.Core.Tests.Incrementality;

internal static class TestedFactor
{
    /// <summary>A tested factor whose log is N(ln median, logSd²), as <see cref="LiftCalibration"/> reports it.</summary>
    public static ChannelFactor Of(string channel, double median, double logSd)
    {
        var mean = median * Math.Exp(logSd * logSd / 2);
        return new(channel, mean, mean * Math.Sqrt(Math.Exp(logSd * logSd) - 1), median * Math.Exp(-1.645 * logSd), median * Math.Exp(1.645 * logSd),
            Math.Log(median), logSd, [new TestContribution(channel + "-1", median, median * logSd, median * logSd, 30, 1, 1, Math.Log(median), logSd, logSd, false)], []);
    }
}
