using System.Text.Json;
using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Api.Contracts;

/// <summary>Reason codes as the API writes them, and what they mean in plain words.</summary>
public static class Reasons
{
    public static string Code<T>(T code) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(code.ToString());

    public static StopReason Parse(string code) => Enum.GetValues<StopReason>().Single(r => Code(r) == code);

    public static string Explain(StopReason r) => r switch
    {
        StopReason.BandEdge => "held at an edge of the band of allowed moves",
        StopReason.Payback => "more spend would push CAC payback past the limit",
        StopReason.ClvCac => "more spend would push CLV:CAC below the limit",
        StopReason.Budget => "stopped where its marginal return meets the budget's: money does as well elsewhere",
        StopReason.Lock => "locked by request",
        StopReason.HardBound => "held by a hard bound",
        StopReason.LimitUnreachable => "meets its payback or CLV:CAC limit at no level the band allows: held at the allowed level closest to it",
        StopReason.ZeroToday => "spends nothing today and moves are shares of today's spend: it stays at 0 unless bounds give it a range",
        _ => "no move of at least the band's minimum would add value that the evidence for this channel supports",
    };

    /// <summary>The plan-level warning for a line held at the level closest to limits it cannot meet.</summary>
    public static string Warn(RecommendationLine l, AllocationProblem problem)
    {
        var u = l.Unreachable!;
        var broken = u.Limits.Select(x => x == "payback"
            ? $"CAC payback is {u.PaybackMonths:F1} months at best (limit {problem.MaxPaybackMonths:F1})"
            : $"CLV:CAC is {u.ClvCac:F2} at best (limit {problem.MinClvCac:F2})");
        var where = u.SpendWhereMet is { } s ? $"; the limits would hold at about {s:N0} a week" : "; no spend meets them on its curve";
        var held = Math.Abs(l.RecommendedSpend - u.ClosestSpend) <= 1e-6 * Math.Max(1, u.ClosestSpend)
            ? $"so it is held at {l.RecommendedSpend:N0} ({l.Change:+0%;-0%;0%}), the closest"
            : $"and held at the closest, {u.ClosestSpend:N0}, the budget could not be kept, so it is at {l.RecommendedSpend:N0} ({l.Change:+0%;-0%;0%})";
        return $"{l.Channel}: {string.Join(" and ", broken)} at every level the band allows, {held}{where}.";
    }
}
