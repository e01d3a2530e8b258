using System.Text;
using SpendOptimizer.Api.Contracts;
using static SpendOptimizer.Api.Reports.ReportText;
using static SpendOptimizer.Api.Reports.SvgChart;

namespace SpendOptimizer.Api.Reports;

/// <summary>
/// One self-contained HTML page per comparison: the table of variants and each variant's weekly spend per channel as a
/// stacked bar. Inline CSS and SVG only; every value that comes from data is HTML-encoded.
/// </summary>
public static class ScenarioReport
{
    private const int Width = 720, Left = 160, Right = 24, BarHeight = 22, Gap = 10, Top = 8, AxisHeight = 28;

    public static string Render(string workspace, ScenarioComparisonResponse c)
    {
        var title = c.Name is null ? "Scenarios side by side" : c.Name;
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} — {{E(workspace)}}</title>
            <style>
            {{ReportStyle.Base}}
            .infeasible td{color:#b3261e}
            .legend{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0}.legend span{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}
            </style></head><body>
            <h1>{{E(title)}}</h1>
            <p class="muted">Workspace {{E(workspace)}} · created {{c.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}} UTC · comparison {{c.Id}} · every variant planned on the same curves{{(c.FitId is { } f ? $" (fit {f})" : "")}}</p>
            <p class="muted">Money in {{E(c.Currency)}}; spends, values and gains are per week; gain is over keeping today's spend, low–high the range of 8 in 10 simulated outcomes.</p>
            """);
        AppendTable(html, c);
        html.Append("<h2>Spend per channel</h2>\n").Append(SpendChart(c)).Append('\n');
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void AppendTable(StringBuilder html, ScenarioComparisonResponse c)
    {
        var m = E(c.Currency);
        html.Append($"""
            <table id="scenarios"><thead><tr><th>Scenario</th><th>Status</th><th>Objective</th><th>Spend ({m} / week)</th><th>Value</th><th>Gain</th>
            <th>Gain low–high</th><th>P(gain &gt; 0)</th><th>CAC ({m})</th><th>Payback (months)</th><th>CLV:CAC</th></tr></thead><tbody>

            """);
        foreach (var s in c.Scenarios)
        {
            html.Append(s.SpendByChannel is null ? "<tr class=\"infeasible\">" : "<tr>")
                .Append($"<td>{E(s.Name)}</td><td>{E(s.Status)}</td><td>{E(s.Objective)}</td><td>{Fixed(s.Spend, "#,0")}</td><td>{Fixed(s.Value, "#,0")}</td>")
                .Append($"<td>{Fixed(s.Gain, "#,0")}</td><td>{Fixed(s.P10, "#,0")} – {Fixed(s.P90, "#,0")}</td><td>{Fixed(s.ProbabilityPositive * 100, "0")}%</td>")
                .Append($"<td>{Fixed(s.Cac, "#,0")}</td><td>{Fixed(s.PaybackMonths, "0.0")}</td><td>{Fixed(s.ClvCac, "0.0")}</td></tr>\n");
            if (s.Explanation is { } why) html.Append($"<tr class=\"infeasible\"><td colspan=\"11\">No plan: {E(why)}</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
    }

    /// <summary>One bar per variant, its channels stacked left to right in the fit's order; an infeasible variant has no bar.</summary>
    public static string SpendChart(ScenarioComparisonResponse c)
    {
        var height = Top + c.Scenarios.Count * (BarHeight + Gap) + AxisHeight;
        var most = NiceCeiling(c.Scenarios.Select(s => s.Spend ?? 0).DefaultIfEmpty(0).Max());
        var x = new Axis(0, most, Left, Width - Right);
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"spend\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"spend per channel and scenario\">\n");
        var bottom = height - AxisHeight;
        foreach (var t in NiceTicks(0, most))
            svg.Append($"<line class=\"grid\" x1=\"{N(x.Map(t))}\" y1=\"{Top}\" x2=\"{N(x.Map(t))}\" y2=\"{bottom}\"/><text x=\"{N(x.Map(t))}\" y=\"{bottom + 16}\" text-anchor=\"middle\">{TickLabel(t)}</text>\n");
        for (var i = 0; i < c.Scenarios.Count; i++)
        {
            var s = c.Scenarios[i];
            var y = Top + i * (BarHeight + Gap);
            svg.Append($"<text x=\"{Left - 8}\" y=\"{y + BarHeight / 2 + 4}\" text-anchor=\"end\">{E(s.Name.Length > 24 ? s.Name[..23] + "…" : s.Name)}</text>\n");
            if (s.SpendByChannel is not { } spend)
            {
                svg.Append($"<text x=\"{Left + 4}\" y=\"{y + BarHeight / 2 + 4}\">no plan</text>\n");
                continue;
            }
            var from = 0.0;
            for (var k = 0; k < c.Channels.Count; k++)
            {
                var v = spend.GetValueOrDefault(c.Channels[k]);
                if (!(v > 0)) continue;
                svg.Append($"<rect class=\"segment\" x=\"{N(x.Map(from))}\" y=\"{y}\" width=\"{N(x.Map(from + v) - x.Map(from))}\" height=\"{BarHeight}\" fill=\"{ReportStyle.Palette[k % ReportStyle.Palette.Length]}\">")
                    .Append($"<title>{E(s.Name)} · {E(c.Channels[k])}: {Fixed(v, "#,0")} {E(c.Currency)}</title></rect>\n");
                from += v;
            }
        }
        svg.Append("</svg>\n<ul class=\"legend\">");
        for (var k = 0; k < c.Channels.Count; k++)
            svg.Append($"<li><span style=\"background:{ReportStyle.Palette[k % ReportStyle.Palette.Length]}\"></span>{E(c.Channels[k])}</li>");
        return svg.Append("</ul>").ToString();
    }
}
