using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Storage;
using static SpendOptimizer.Api.Reports.ReportText;
using static SpendOptimizer.Api.Reports.SvgChart;

namespace SpendOptimizer.Api.Reports;

/// <summary>
/// A channel's response curve in the objective's units against weekly spend, with round-number ticks and light gridlines
/// on both axes, and today's spend (hollow ring) and the recommended spend (filled dot) marked so both show when they coincide.
/// </summary>
public static class CurveChart
{
    public const int Width = 380, Height = 250, Left = 52, Right = 14, Top = 30, Bottom = 44;

    /// <summary>
    /// Objective value per conversion, from the line's own figures: 1 for conversions, revenue per conversion, or for clv and
    /// profit CLV × new customers per conversion (CLV = CLV:CAC × CAC, CAC = spend ÷ customers). Null when the line cannot tell.
    /// </summary>
    public static double? Worth(RecommendationLine line, StoredCurve curve, string objective) => objective switch
    {
        "conversions" => 1,
        "revenue" => curve.RevenuePerConversion,
        "clv" or "profit" when line is { ClvCac: { } ratio, Conversions: > 0 } && double.IsFinite(ratio) => ratio * line.RecommendedSpend / line.Conversions,
        _ => null,
    };

    public static string Render(RecommendationLine line, StoredCurve curve, string objective, string currency)
    {
        var worth = Worth(line, curve, objective);
        var yUnits = worth is null ? "conversions" : Objectives.Units(objective == "profit" ? "clv" : objective, currency);
        double Value(double s) => (worth ?? 1) * curve.Curve.SteadyState(s);
        var xMax = NiceCeiling(Math.Max(Math.Max(line.CurrentSpend, line.RecommendedSpend) * 1.6, 1));
        var samples = Enumerable.Range(0, 61).Select(i => xMax * i / 60).Select(s => (X: s, Y: Value(s))).ToList();
        var yMax = NiceCeiling(Math.Max(samples.Max(p => p.Y) * 1.05, 1e-9));
        var x = new Axis(0, xMax, Left, Width - Right);
        var y = new Axis(0, yMax, Height - Bottom, Top);
        var (x0, y0) = (N(x.Map(0)), N(y.Map(0)));

        var grid = new System.Text.StringBuilder();
        foreach (var t in NiceTicks(0, xMax))
            grid.Append($"<line class=\"grid\" x1=\"{N(x.Map(t))}\" y1=\"{Top}\" x2=\"{N(x.Map(t))}\" y2=\"{y0}\"/>")
                .Append($"<text class=\"tick x-tick\" data-value=\"{t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\" x=\"{N(x.Map(t))}\" y=\"{N(y.Map(0) + 14)}\" text-anchor=\"middle\">{TickLabel(t)}</text>");
        foreach (var t in NiceTicks(0, yMax))
            grid.Append($"<line class=\"grid\" x1=\"{x0}\" y1=\"{N(y.Map(t))}\" x2=\"{Width - Right}\" y2=\"{N(y.Map(t))}\"/>")
                .Append($"<text class=\"tick y-tick\" data-value=\"{t.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\" x=\"{Left - 5}\" y=\"{N(y.Map(t) + 4)}\" text-anchor=\"end\">{TickLabel(t)}</text>");

        string Guide(string kind, double spend) =>
            $"<line class=\"guide {kind}-guide\" x1=\"{N(x.Map(spend))}\" y1=\"{y0}\" x2=\"{N(x.Map(spend))}\" y2=\"{N(y.Map(Value(spend)))}\"/>";
        // The ring is drawn last and wider than the dot, so when the spends coincide the dot shows inside the ring.
        var (cxNow, cyNow) = (N(x.Map(line.CurrentSpend)), N(y.Map(Value(line.CurrentSpend))));
        var (cxRec, cyRec) = (N(x.Map(line.RecommendedSpend)), N(y.Map(Value(line.RecommendedSpend))));
        var markers = Guide("current", line.CurrentSpend) + Guide("recommended", line.RecommendedSpend)
            + $"<circle class=\"recommended\" data-spend=\"{N(line.RecommendedSpend)}\" cx=\"{cxRec}\" cy=\"{cyRec}\" r=\"4\"><title>recommended: {TickLabel(Math.Round(line.RecommendedSpend))} {E(currency)} / week</title></circle>"
            + $"<circle class=\"current\" data-spend=\"{N(line.CurrentSpend)}\" cx=\"{cxNow}\" cy=\"{cyNow}\" r=\"7\"><title>today: {TickLabel(Math.Round(line.CurrentSpend))} {E(currency)} / week</title></circle>";
        var legendX = Width - Right - 170;
        var legend = $"<g class=\"legend\" aria-hidden=\"true\"><circle class=\"current\" cx=\"{legendX + 7}\" cy=\"12\" r=\"6\"/><text x=\"{legendX + 17}\" y=\"16\">today</text>"
            + $"<circle class=\"recommended\" cx=\"{legendX + 67}\" cy=\"12\" r=\"4\"/><text x=\"{legendX + 75}\" y=\"16\">recommended</text></g>";
        var label = $"Response curve of {E(line.Channel)}: weekly {E(yUnits)} against weekly spend in {E(currency)}; today {RecommendationReport.Money(line.CurrentSpend)}, recommended {RecommendationReport.Money(line.RecommendedSpend)}";
        return $"""
            <figure data-channel="{E(line.Channel)}"><figcaption>{E(line.Channel)}</figcaption>
            <svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" role="img" aria-label="{label}" data-x0="{x0}" data-x-max="{N(xMax)}" data-y-max="{N(yMax)}">
            <title>{label}</title>
            {grid}
            <line class="zero" x1="{x0}" y1="{y0}" x2="{Width - Right}" y2="{y0}"/><line class="zero" x1="{x0}" y1="{Top}" x2="{x0}" y2="{y0}"/>
            <text class="axis-title x-title" x="{N((Left + Width - Right) / 2.0)}" y="{Height - 6}" text-anchor="middle">weekly spend ({E(currency)})</text>
            <text class="axis-title y-title" x="4" y="{Top - 14}">{E(yUnits)} / week</text>
            <polyline class="curve" points="{Points(samples, x, y)}"/>
            {markers}{legend}
            </svg></figure>
            """;
    }

    
}
