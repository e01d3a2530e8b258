using System.Globalization;
using System.Text;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Inputs;
using static SpendOptimizer.Api.Reports.ReportText;
using static SpendOptimizer.Api.Reports.SvgChart;

namespace SpendOptimizer.Api.Reports;

/// <summary>
/// One self-contained HTML page per recommendation, for the people who act on it: the plan table, the reasons in
/// words, each channel's response curve with today's and the recommended spend marked, and the gain's spread.
/// Inline CSS and SVG only; every value that comes from data is HTML-encoded.
/// </summary>
public static class RecommendationReport
{
    private const int ChartWidth = 360, ChartHeight = 200, Left = 48, Right = 12, Top = 24, Bottom = 30;

    internal static string Money(double v) => v.ToString("#,0", CultureInfo.InvariantCulture);
    private static string Percent(double v) => (v >= 0 ? "+" : "") + (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>What the objective is counted in: "CLV, EUR", "revenue, EUR", "profit, EUR" or "conversions".</summary>
    public static string Units(RecommendationResponse rec) => Objectives.Units(rec.Objective, rec.Currency);

    public static string Render(string workspace, RecommendationResponse rec, StoredFit? fit)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Budget recommendation for the week of {{rec.Week:yyyy-MM-dd}} — {{E(workspace)}}</title>
            <style>
            {{ReportStyle.Base}}
            .up{color:#11733b}.down{color:#b3261e}.charts{display:flex;flex-wrap:wrap;gap:16px}
            figure{margin:0;border:1px solid #e3e6ea;border-radius:6px;padding:8px}figcaption{font-weight:600}
            .curve{fill:none;stroke:#2b59c3;stroke-width:2}
            .current{fill:none;stroke:#5b6472;stroke-width:2.5}.recommended{fill:#e8710a}.guide{stroke-dasharray:4 3;stroke-width:1}
            .current-guide{stroke:#8a929e}.recommended-guide{stroke:#e8710a}
            dl#settings{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dl#settings dt{font-weight:600}dl#settings dd{margin:0}
            .band{fill:#2b59c3;opacity:.25}.median{stroke:#2b59c3;stroke-width:3}.zero{stroke:#1d2430}
            </style></head><body>
            <h1>Where next week's budget should go</h1>
            <p class="muted">Workspace {{E(workspace)}} · week of {{rec.Week:yyyy-MM-dd}} · created {{rec.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}} UTC · objective {{E(rec.Objective)}} · recommendation {{rec.Id}}</p>
            <p class="muted">Money in {{E(rec.Currency)}}; spends are per week.</p>
            <p id="gain">Expected gain <strong>{{Money(rec.Gain.Expected)}}</strong> ({{E(Units(rec))}} per week) over keeping today's spend
            (in 8 of 10 simulated outcomes between {{Fixed(rec.Gain.P10, "#,0")}} and {{Fixed(rec.Gain.P90, "#,0")}}; chance the plan beats today: {{Fixed(rec.Gain.ProbabilityPositive * 100, "0")}}%).</p>
            """);
        AppendSettings(html, rec);
        AppendWarnings(html, rec);
        AppendTable(html, rec);
        AppendReasons(html, rec);
        AppendTestNext(html, rec);
        html.Append("<h2>Gain over keeping today's spend</h2>\n").Append(GainChart(rec.Gain)).Append('\n')
            .Append("<p class=\"muted\">Bar: where the gain lands in 8 of 10 simulated outcomes (low to high); line: the median; dot: the expected gain; 0: no gain.</p>\n");
        html.Append("<h2>Response curves</h2>\n");
        if (fit is null) html.Append("<p class=\"muted\">The curves this plan was made on are no longer stored.</p>\n");
        else
        {
            html.Append("<p class=\"muted\">What each channel brings in a week (in the objective's units) against what it spends in a week, kept up; ")
                .Append("hollow grey ring: today's spend, filled orange dot: the recommended spend (a dot inside the ring: no change).</p>\n<div class=\"charts\">\n");
            foreach (var line in rec.Lines)
                if (fit.Curves.FirstOrDefault(c => c.Channel == line.Channel) is { } curve) html.Append(CurveChart.Render(line, curve, rec.Objective, rec.Currency)).Append('\n');
            html.Append("</div>\n");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void AppendSettings(StringBuilder html, RecommendationResponse rec)
    {
        html.Append("<h2>How this plan was made</h2>\n<dl id=\"settings\">\n");
        foreach (var s in PlanSettings.Read(rec))
            html.Append($"<dt>{E(s.Label)}</dt><dd data-setting=\"{s.Key}\">{E(s.Value)}")
                .Append(s.Default switch { true => " <span class=\"muted\">(default)</span>", false => " <span class=\"muted\">(set for this plan)</span>", _ => "" })
                .Append("</dd>\n");
        html.Append("</dl>\n");
    }

    private static void AppendWarnings(StringBuilder html, RecommendationResponse rec)
    {
        if (rec.Warnings is not { Count: > 0 } warnings) return;
        html.Append("<h2>Not as asked</h2>\n<ul id=\"warnings\">\n");
        foreach (var w in warnings) html.Append($"<li>{E(w)}</li>\n");
        html.Append("</ul>\n");
    }

    /// <summary>What "today" is: the spend the request gave, or the last complete loaded week.</summary>
    private static string TodaySource(RecommendationResponse rec) =>
        rec.Lines.All(l => l.CurrentSource == CurrentSource.Request) ? "Today: the current plan given with the request."
        : rec.Lines.All(l => l.CurrentSource == CurrentSource.LastWeek) ? "Today: the spend of the last complete week loaded (give current with the request to plan from another)."
        : "Today: partly from the request, partly from the last complete week loaded.";

    private static void AppendTable(StringBuilder html, RecommendationResponse rec)
    {
        var c = E(rec.Currency);
        html.Append($"""
            <h2>The plan</h2>
            <table><thead><tr><th>Channel</th><th>Today ({c} / week)</th><th>Recommended ({c} / week)</th><th>Change</th><th>Conversions</th><th>CAC ({c})</th><th>Payback (months)</th><th>CLV ({c})</th><th>CLV:CAC</th><th>Why it stops there</th></tr></thead><tbody>

            """);
        foreach (var l in rec.Lines)
        {
            var direction = l.Change > 1e-9 ? "up" : l.Change < -1e-9 ? "down" : "";
            html.Append($"<tr data-channel=\"{E(l.Channel)}\"><td>{E(l.Channel)}</td><td>{Money(l.CurrentSpend)}</td><td class=\"recommended-spend\">{Money(l.RecommendedSpend)}</td>")
                .Append($"<td class=\"{direction}\">{Percent(l.Change)}</td><td>{Fixed(l.Conversions, "#,0.0")}</td><td>{Fixed(l.Cac, "#,0")}</td>")
                .Append($"<td>{Fixed(l.PaybackMonths, "0.0")}</td><td class=\"clv\">{ClvCell(l)}</td><td>{Fixed(l.ClvCac, "0.0")}</td><td>{E(PlainWords.Short(l.Reason))}</td></tr>\n");
        }
        html.Append($"<tr><th>Total</th><th>{Money(rec.Lines.Sum(l => l.CurrentSpend))}</th><th>{Money(rec.Lines.Sum(l => l.RecommendedSpend))}</th><th></th>")
            .Append($"<th>{Fixed(rec.Lines.Sum(l => l.Conversions), "#,0.0")}</th><th colspan=\"5\"></th></tr>\n</tbody></table>\n")
            .Append($"<p class=\"muted\" id=\"today-source\">{E(TodaySource(rec))}</p>\n");
    }

    /// <summary>The CLV the plan took, its source, and the other source's figure beside it when there is one (as stored with the plan).</summary>
    private static string ClvCell(RecommendationLine l)
    {
        if (l.Clv is null) return "";
        var (source, other, otherName) = l.ClvSource == ClvSource.Fitted ? ("fitted", l.TypedClv, "typed") : ("typed", l.FittedClv, "fitted");
        var beside = other is { } o ? $"<br><span class=\"muted\">{otherName} {Fixed(o, "#,0")}</span>" : "";
        return $"{Fixed(l.Clv, "#,0")} <span class=\"muted\">{source}</span>{beside}";
    }

    private static void AppendReasons(StringBuilder html, RecommendationResponse rec)
    {
        // In the table's order, so a reader finds a channel at the same place in both.
        html.Append("<h2>Why</h2>\n<ul id=\"why\">\n");
        foreach (var l in rec.Lines)
        {
            var move = Math.Abs(l.Change) < 1e-9 ? "kept at " + Money(l.RecommendedSpend)
                : (l.Change > 0 ? "raised " : "cut ") + Percent(Math.Abs(l.Change))[1..] + " to " + Money(l.RecommendedSpend);
            html.Append($"<li data-channel=\"{E(l.Channel)}\"><strong>{E(l.Channel)}</strong>: {move}, because {E(PlainWords.Why(l.Reason))}; ")
                .Append($"{E(PlainWords.Next(l, rec.Objective, rec.Currency))}{E(PlainWords.Doubt(l))}{E(PlainWords.Limits(l))}.</li>\n");
        }
        html.Append("</ul>\n");
    }

    /// <summary>Where a lift test would pay most in better plans, when knowing any channel's true response would change the plan.</summary>
    private static void AppendTestNext(StringBuilder html, RecommendationResponse rec)
    {
        var ranked = rec.Lines.Where(l => l.TestValue > 0.005 * Math.Max(1, Math.Abs(rec.Gain.Expected))).OrderByDescending(l => l.TestValue).ToList();
        if (ranked.Count == 0) return;
        html.Append($"<h2>What to test next</h2>\n<p id=\"test-next\">Knowing <strong>{E(ranked[0].Channel)}</strong>'s true response before planning would be worth about ")
            .Append($"{Money(ranked[0].TestValue!.Value)} ({E(Units(rec))} per week) in better plans, the most of any channel")
            .Append(ranked.Count > 1 ? $" (next: {string.Join(", ", ranked.Skip(1).Take(2).Select(l => $"{E(l.Channel)} {Money(l.TestValue!.Value)}"))})" : "")
            .Append("; a lift test there is where doubt costs most.</p>\n");
    }

    /// <summary>The 80% interval of the gain (p10 to p90) as a band, the median as a bar, the expected gain as a dot, and zero.</summary>
    public static string GainChart(GainSummary gain)
    {
        const int width = 720, height = 90, left = 20, right = 20;
        var values = new[] { gain.P10, gain.P50, gain.P90, gain.Expected, 0 }.OfType<double>().ToArray();
        var span = Math.Max(values.Max() - values.Min(), 1);
        var x = new Axis(values.Min() - span * 0.08, values.Max() + span * 0.08, left, width - right);
        var band = gain is { P10: { } p10, P90: { } p90 }
            ? $"<rect class=\"band\" x=\"{N(x.Map(p10))}\" y=\"30\" width=\"{N(x.Map(p90) - x.Map(p10))}\" height=\"24\"/>"
              + $"<text x=\"{N(x.Map(p10))}\" y=\"70\" text-anchor=\"middle\">low {Money(p10)}</text><text x=\"{N(x.Map(p90))}\" y=\"70\" text-anchor=\"middle\">high {Money(p90)}</text>"
            : "";
        var median = gain.P50 is { } p50 ? $"<line class=\"median\" x1=\"{N(x.Map(p50))}\" y1=\"26\" x2=\"{N(x.Map(p50))}\" y2=\"58\"/><text x=\"{N(x.Map(p50))}\" y=\"20\" text-anchor=\"middle\">median {Money(p50)}</text>" : "";
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" class="gain" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="gain distribution">
            <line class="zero" x1="{N(x.Map(0))}" y1="22" x2="{N(x.Map(0))}" y2="62"/><text x="{N(x.Map(0))}" y="84" text-anchor="middle">0</text>
            {band}{median}<circle class="expected" cx="{N(x.Map(gain.Expected))}" cy="42" r="5" fill="#1d2430"><title>expected {Money(gain.Expected)}</title></circle>
            </svg>
            """;
    }
}
