using System.Text;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Core.Allocation;
using static SpendOptimizer.Api.Reports.ReportText;
using static SpendOptimizer.Api.Reports.SvgChart;

namespace SpendOptimizer.Api.Reports;

/// <summary>
/// One self-contained HTML page per path: its totals with their spread over draws, and per channel the spend path
/// (against today's spend) and the response path week by week. Inline CSS and SVG only; every value from data is HTML-encoded.
/// </summary>
public static class PlanReport
{
    private const int Width = 340, Height = 170, Left = 48, Right = 12, Top = 10, Bottom = 26;

    public static string Render(string workspace, PlanResponse p)
    {
        var t = p.Totals;
        var m = E(p.Currency);
        var unit = p.Objective == "conversions" ? "conversions" : $"{E(p.Objective)}, {m}";
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Budget path over {{p.HorizonWeeks}} weeks from {{p.Week:yyyy-MM-dd}} — {{E(workspace)}}</title>
            <style>
            {{ReportStyle.Base}}
            .charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0;border:1px solid #e3e6ea;border-radius:6px;padding:8px}
            figcaption{font-weight:600}.path{fill:none;stroke-width:2}.spend{stroke:#0072b2}.response{stroke:#009e73}
            .today{stroke:#8a929e;stroke-dasharray:4 3;stroke-width:1.5}.held{fill:#d55e00}.point{fill:#1d2430}
            </style></head><body>
            <h1>Where the budget goes, week by week</h1>
            <p class="muted">Workspace {{E(workspace)}} · {{p.HorizonWeeks}} weeks from {{p.Week:yyyy-MM-dd}} · created {{p.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}} UTC · objective {{E(p.Objective)}} · plan {{p.Id}}</p>
            <p class="muted">Money in {{m}}; spends are per week; value and gain ({{unit}}) are over the horizon with what its spend carries past it; low–high is the range of 8 in 10 draws of the factors and curves.</p>
            <table id="totals"><tbody>
            <tr><th>Spend over the horizon ({{m}})</th><td>{{Fixed(t.Spend, "#,0")}}</td></tr>
            <tr><th>Value</th><td>{{Fixed(t.Value, "#,0")}}</td></tr>
            <tr><th>Keeping today's spend every week</th><td>{{Fixed(t.CurrentValue, "#,0")}}</td></tr>
            <tr><th>Gain</th><td id="gain">{{Fixed(t.Gain, "#,0")}}</td></tr>
            <tr><th>Gain low–high</th><td id="gain-range">{{Fixed(t.GainP10, "#,0")}} – {{Fixed(t.GainP90, "#,0")}}</td></tr>
            <tr><th>P(gain &gt; 0)</th><td>{{Fixed(t.GainProbabilityPositive * 100, "0")}}% of {{t.Draws}} draws</td></tr>
            <tr><th>CAC ({{m}})</th><td>{{Fixed(t.Cac, "#,0")}}</td></tr>
            <tr><th>Conversions after the horizon</th><td>{{Fixed(t.CarryOverConversions, "#,0.0")}}</td></tr>
            <tr><th>Solver</th><td>{{E(p.Solver.Status)}}, gap {{Fixed(p.Solver.RelativeGap * 100, "0.##")}}%</td></tr>
            </tbody></table>

            """);
        if (p.Warnings.Count > 0)
            html.Append("<ul id=\"warnings\">").Append(string.Concat(p.Warnings.Select(w => $"<li>{E(w)}</li>"))).Append("</ul>\n");
        html.Append("<h2>Each channel's path</h2>\n<p class=\"muted\">Left: weekly spend, dashed today's; right: expected incremental conversions that week. Orange points are weeks held at the level closest to a limit the channel meets nowhere.</p>\n<div class=\"charts\">\n");
        foreach (var c in p.Channels)
        {
            html.Append($"<figure data-channel=\"{E(c.Channel)}\"><figcaption>{E(c.Channel)}</figcaption>\n")
                .Append(Chart(c, c.Weeks.Select(w => w.Spend).ToList(), "spend", $"{c.Channel} weekly spend", c.CurrentSpend))
                .Append(Chart(c, c.Weeks.Select(w => w.Conversions).ToList(), "response", $"{c.Channel} weekly conversions", null))
                .Append("</figure>\n");
        }
        return html.Append("</div>\n</body></html>\n").ToString();
    }

    /// <summary>One path against the weeks, its points marked (held weeks apart), with a reference line when given.</summary>
    private static string Chart(PlanChannel c, IReadOnlyList<double> values, string kind, string label, double? reference)
    {
        var most = NiceCeiling(values.Append(reference ?? 0).Max());
        var x = new Axis(0, Math.Max(1, values.Count - 1), Left, Width - Right);
        var y = new Axis(0, most, Height - Bottom, Top);
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{kind}-path\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(label)}\">\n");
        foreach (var tick in NiceTicks(0, most, 4))
            svg.Append($"<line class=\"grid\" x1=\"{Left}\" y1=\"{N(y.Map(tick))}\" x2=\"{Width - Right}\" y2=\"{N(y.Map(tick))}\"/><text x=\"{Left - 6}\" y=\"{N(y.Map(tick) + 4)}\" text-anchor=\"end\">{TickLabel(tick)}</text>\n");
        for (var t = 0; t < values.Count; t++)
            if (values.Count <= 13 || t % 2 == 0)
                svg.Append($"<text x=\"{N(x.Map(t))}\" y=\"{Height - 8}\" text-anchor=\"middle\">w{t + 1}</text>\n");
        if (reference is { } r)
            svg.Append($"<line class=\"today\" x1=\"{Left}\" y1=\"{N(y.Map(r))}\" x2=\"{Width - Right}\" y2=\"{N(y.Map(r))}\"/>\n");
        svg.Append($"<polyline class=\"path {kind}\" points=\"{Points(values.Select((v, t) => ((double)t, v)), x, y)}\"/>\n");
        for (var t = 0; t < values.Count; t++)
        {
            var cell = c.Weeks[t];
            var held = cell.Reason == StopReason.LimitUnreachable;
            svg.Append($"<circle class=\"{(held ? "held" : "point")}\" cx=\"{N(x.Map(t))}\" cy=\"{N(y.Map(values[t]))}\" r=\"3\"><title>{cell.Week:yyyy-MM-dd}: {Fixed(values[t], "#,0.#")}")
                .Append(kind == "spend" ? $" ({E(PlainWords.Short(cell.Reason))})" : "").Append("</title></circle>\n");
        }
        return svg.Append("</svg>\n").ToString();
    }
}
