using System.Globalization;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Api.Reports;

/// <summary>The plan's reasons and doubts as a head of paid media would say them, without the model's vocabulary.</summary>
public static class PlainWords
{
    private static string Pct(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A few words for the table's last column.</summary>
    public static string Short(StopReason r) => r switch
    {
        StopReason.BandEdge => "largest move allowed",
        StopReason.Payback => "payback limit",
        StopReason.ClvCac => "CLV:CAC limit",
        StopReason.Budget => "does as well as elsewhere",
        StopReason.Lock => "locked",
        StopReason.HardBound => "bound set for it",
        StopReason.LimitUnreachable => "cannot meet its limits",
        StopReason.ZeroToday => "spends nothing today",
        _ => "no move worth making",
    };

    /// <summary>Why the channel stops where it does.</summary>
    public static string Why(StopReason r) => r switch
    {
        StopReason.BandEdge => "it moved as far as one week's plan may move a channel",
        StopReason.Payback => "spending more would take longer than the limit to pay back what each new customer costs",
        StopReason.ClvCac => "spending more would make new customers cost too much for what they are worth (CLV:CAC below the limit)",
        StopReason.Budget => "past this point more money does no better here than in another channel",
        StopReason.Lock => "you locked it",
        StopReason.HardBound => "a minimum or maximum you set for it holds it here",
        StopReason.LimitUnreachable => "no spend it may move to meets its payback or CLV:CAC limit, so it stays as close to them as it may",
        StopReason.ZeroToday => "it spends nothing today and plans move channels by shares of today's spend, so it stays at 0 unless you set a range for it",
        _ => "no move large enough to be worth making would add value the evidence for it supports",
    };

    /// <summary>How much of the curve's predicted change the plan relied on, when caution made it rely on less than all of it.</summary>
    public static string Doubt(RecommendationLine l)
    {
        var rise = Math.Abs(l.RiseWeight - 1) >= 0.005;
        var fall = Math.Abs(l.FallWeight - 1) >= 0.005;
        if (!rise && !fall) return "";
        var parts = new List<string>();
        if (rise) parts.Add($"we count {Pct(l.RiseWeight)} of the rise its curve expects from more spend");
        if (fall) parts.Add($"we expect a cut to lose {Pct(l.FallWeight)} of what its curve says");
        return $"; because the evidence for this channel is uncertain, {string.Join(" and ", parts)}";
    }

    /// <summary>How sure the plan is that the channel keeps within its limits, when either is in doubt.</summary>
    public static string Limits(RecommendationLine l)
    {
        var parts = new List<string>();
        if (l.PaybackProbability is { } p && p < 0.995) parts.Add($"the payback limit in {Pct(p)}");
        if (l.ClvCacProbability is { } c && c < 0.995) parts.Add($"the CLV:CAC limit in {Pct(c)}");
        return parts.Count == 0 ? "" : $"; it meets {string.Join(" and ", parts)} of the draws, the plausible outcomes we simulated from what the data allows";
    }

    /// <summary>What the next unit of money spent there brings, in the objective's units.</summary>
    public static string Next(RecommendationLine l, string objective, string currency)
    {
        var v = l.MarginalReturn;
        var amount = Math.Abs(v) >= 10 ? v.ToString("#,0", CultureInfo.InvariantCulture)
            : Math.Abs(v) >= 0.1 ? v.ToString("0.00", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);
        return objective switch
        {
            "conversions" => $"each extra 1 {currency} a week there brings about {amount} more conversions",
            "profit" => $"each extra 1 {currency} a week there adds about {amount} {currency} of profit",
            var o => $"each extra 1 {currency} a week there brings back about {amount} {currency} of {(o == "clv" ? "customer lifetime value" : o)}",
        };
    }
}
