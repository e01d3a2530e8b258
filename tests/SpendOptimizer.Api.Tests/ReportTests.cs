using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Reports;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Response;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ReportTests(ApiFactory factory)
{
    /// <summary>A workspace with a stored recommendation, loaded through <paramref name="host"/>.</summary>
    public static async Task<(TestWorkspace Ws, JsonElement Recommendation)> RecommendAsync(ApiFactory host, string? currency = null, object? request = null)
    {
        var ws = await host.CreateWorkspaceAsync(currency);
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 21));
        using var client = ws.Ingest();
        var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", request ?? new { });
        var rec = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)created.StatusCode == 201, rec.ToString());
        return (ws, rec);
    }

    private static double Attribute(string tag, string name) =>
        double.Parse(Regex.Match(tag, $"(?<![\\w-]){name}=\"([^\"]+)\"").Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ReportShowsThePlanItsCurvesWithBothSpendsMarkedAndTheGain()
    {
        var (ws, rec) = await RecommendAsync(factory);
        using var anonymous = factory.ClientWithKey(null);
        var response = await anonymous.GetAsync($"/v1/workspaces/{ws.Id}/recommendations/{rec.GetProperty("id")}/report?api_key={ws.ReadKey}");
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, html);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));

        var lines = rec.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(lines.Count + 1, Regex.Matches(html, "<svg").Count);
        foreach (var line in lines)
        {
            var channel = line.GetProperty("channel").GetString()!;
            var current = line.GetProperty("current_spend").GetDouble();
            var recommended = line.GetProperty("recommended_spend").GetDouble();
            var row = Regex.Match(html, $"<tr data-channel=\"{channel}\">.*?</tr>").Value;
            Assert.Contains($"<td class=\"recommended-spend\">{recommended.ToString("#,0", CultureInfo.InvariantCulture)}</td>", row);
            // Markers sit where the spends are: x is linear from the axis origin.
            var figure = Regex.Match(html, $"<figure data-channel=\"{channel}\">.*?</figure>", RegexOptions.Singleline).Value;
            var x0 = Attribute(Regex.Match(figure, "<svg[^>]*>").Value, "data-x0");
            var cxCurrent = Attribute(Regex.Match(figure, "<circle class=\"current\"[^>]*>").Value, "cx");
            var cxRecommended = Attribute(Regex.Match(figure, "<circle class=\"recommended\"[^>]*>").Value, "cx");
            Assert.Equal(recommended / current, (cxRecommended - x0) / (cxCurrent - x0), 0.01);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(PlainWords.Why(Reasons.Parse(line.GetProperty("reason").GetString()!))), html);
        }
        Assert.Contains("class=\"band\"", html);

        var latest = await anonymous.GetStringAsync($"/v1/workspaces/{ws.Id}/recommendations/latest/report?api_key={ws.ReadKey}");
        Assert.Contains(rec.GetProperty("id").GetString()!, latest);
        await (await ws.Reader().GetAsync($"/v1/workspaces/{ws.Id}/recommendations/{Guid.NewGuid()}/report")).ReadProblemAsync(404);
    }

    [Fact]
    public void EveryValueFromDataIsEncoded()
    {
        const string evil = "<script>alert(1)</script>\"'&";
        var line = new RecommendationLine(evil, 100, 115, 0.15, 10, 11, 8, 900, 12, 1.5, 4, 0.2, StopReason.BandEdge, "x");
        var rec = new RecommendationResponse(Guid.NewGuid(), new DateOnly(2026, 11, 30), "EUR", DateTimeOffset.UnixEpoch, Guid.NewGuid(), "clv", 1, 2,
            new GainSummary(1, 0.5, 1, 1.5, 0.9, 200), new SolverSummary("optimal", 0, 0.1, 0), [line], JsonDocument.Parse("{}").RootElement);
        var fit = new StoredFit(rec.FitId!.Value, DateTimeOffset.UnixEpoch, null, null, null,
            [new StoredCurve(evil, new HillAdstock(0.3, 1.2, 150, 40), new double[16], 0.9, 0.1, 1, 52, 100, 100, 1, 0.1, 80, 0.7, [])]);
        var html = RecommendationReport.Render("<b>ws</b>", rec, fit);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>ws</b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;", html);
    }

    [Fact]
    public void ALineChosenWithCautionSaysInPlainWordsHowMuchOfItsCurveThePlanCountedOn()
    {
        var trusted = new RecommendationLine("search", 100, 120, 0.2, 10, 11, 8, 900, 12, 1.5, 4, 0.2, StopReason.BandEdge, "x");
        var doubted = trusted with { Channel = "podcasts", RecommendedSpend = 100, Change = 0, Reason = StopReason.NoGainWorthAMove, RiseWeight = 0.62, FallWeight = 1.4 };
        var rec = new RecommendationResponse(Guid.NewGuid(), new DateOnly(2026, 11, 30), "EUR", DateTimeOffset.UnixEpoch, null, "clv", 1, 2,
            new GainSummary(1, 0.5, 1, 1.5, 0.9, 200), new SolverSummary("optimal", 0, 0.1, 0), [trusted, doubted], JsonDocument.Parse("{}").RootElement);
        var html = RecommendationReport.Render("ws", rec, null);
        var podcasts = Regex.Match(html, "<li data-channel=\"podcasts\">.*?</li>").Value;
        Assert.Contains("because the evidence for this channel is uncertain, we count 62% of the rise its curve expects from more spend and we expect a cut to lose 140% of what its curve says", podcasts);
        var search = Regex.Match(html, "<li data-channel=\"search\">.*?</li>").Value;
        Assert.NotEmpty(search);
        Assert.DoesNotContain("uncertain", search);
        AssertNoJargon(html);
    }

    /// <summary>The model's words a reader should not have to decode.</summary>
    internal static void AssertNoJargon(string html)
    {
        foreach (var jargon in new[] { "counted on", "band edge", "no gain worth a move", "unit of spend", "rise_weight", "fall_weight" })
            Assert.DoesNotContain(jargon, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NiceTicksAreWholeStepsOfOneTwoOrFiveTimesAPowerOfTenInsideTheRange()
    {
        // Five ticks at most: 37,000 / 5 = 7,400, so the step is 10,000.
        Assert.Equal([0, 10_000, 20_000, 30_000], SvgChart.NiceTicks(0, 37_000));
        // 200 / 5 = 40, step 50.
        Assert.Equal([0, 50, 100, 150, 200], SvgChart.NiceTicks(0, 200));
        // 1 / 5 = 0.2, step 0.2, and no 0.6000000000000001.
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1], SvgChart.NiceTicks(0, 1));
        // 4,400 / 5 = 880, step 1,000, starting at the first multiple inside the range.
        Assert.Equal([2_000, 3_000, 4_000, 5_000], SvgChart.NiceTicks(1_200, 5_600));
        // 0.37 / 5 = 0.074, step 0.1.
        Assert.Equal([0, 0.1, 0.2, 0.3], SvgChart.NiceTicks(0, 0.37));
        Assert.Empty(SvgChart.NiceTicks(5, 5));
        Assert.Equal("30k", SvgChart.TickLabel(30_000));
        Assert.Equal("2.5M", SvgChart.TickLabel(2_500_000));
        Assert.Equal("5k", SvgChart.TickLabel(5_000));
        Assert.Equal("950", SvgChart.TickLabel(950));
        // A range starting at 0 starts its ticks at 0, not at -0.
        Assert.Equal("0", SvgChart.TickLabel(SvgChart.NiceTicks(0, 37_000)[0]));
        Assert.Equal("0.2", SvgChart.TickLabel(0.2));
    }

    [Fact]
    public void TodayAndTheRecommendedSpendStayDistinctWhenTheyCoincide()
    {
        var locked = new RecommendationLine("tv", 5_000, 5_000, 0, 50, 50, 40, 4_500, 125, 10, 3.6, 0.8, StopReason.Lock, "x");
        var moved = locked with { Channel = "search", RecommendedSpend = 6_000, Change = 0.2, Conversions = 58, Reason = StopReason.BandEdge };
        var rec = new RecommendationResponse(Guid.NewGuid(), new DateOnly(2026, 11, 30), "EUR", DateTimeOffset.UnixEpoch, Guid.NewGuid(), "clv", 1, 2,
            new GainSummary(1, 0.5, 1, 1.5, 0.9, 200), new SolverSummary("optimal", 0, 0.1, 0), [locked, moved], JsonDocument.Parse("{}").RootElement);
        var curve = new StoredCurve("", new HillAdstock(0.3, 1.2, 6_000, 90), new double[16], 0.9, 0.1, 1, 52, 5_000, 5_000, 1, 0.1, 90, 0.8, []);
        var fit = new StoredFit(rec.FitId!.Value, DateTimeOffset.UnixEpoch, null, null, null, [curve with { Channel = "tv" }, curve with { Channel = "search" }]);
        var html = RecommendationReport.Render("ws", rec, fit);
        AssertChartsReadAtAGlance(html, rec.Lines.Select(l => (l.Channel, l.CurrentSpend, l.RecommendedSpend)).ToList());
        var tv = Figure(html, "tv");
        Assert.Equal(Attribute(Marker(tv, "current"), "cx"), Attribute(Marker(tv, "recommended"), "cx"));
        Assert.Equal(Attribute(Marker(tv, "current"), "cy"), Attribute(Marker(tv, "recommended"), "cy"));
        // Worth per conversion from the line: CLV:CAC × spend ÷ conversions = 3.6 × 5,000 ÷ 50 = 360 EUR, so y is in CLV.
        Assert.Contains("CLV, EUR / week", tv);
        var yMax = Attribute(Regex.Match(tv, "<svg[^>]*>").Value, "data-y-max");
        Assert.Equal(SvgChart.NiceCeiling(Enumerable.Range(0, 61).Max(i => 360 * curve.Curve.SteadyState(10_000.0 * i / 60)) * 1.05), yMax, 6);
    }

    public static string Figure(string html, string channel) =>
        Regex.Match(html, $"<figure data-channel=\"{Regex.Escape(channel)}\">.*?</figure>", RegexOptions.Singleline).Value;

    /// <summary>The plotted marker of a kind (the legend's have no spend).</summary>
    private static string Marker(string figure, string kind) =>
        Assert.Single(Regex.Matches(figure, $"<circle class=\"{kind}\" data-spend=\"[^\"]*\"[^>]*>")).Value;

    /// <summary>A tick label back to its value: 950, 1,500, 20k, 2.5M, 1bn.</summary>
    private static double LabelValue(string label)
    {
        var m = Regex.Match(label, @"^([\d,]+(?:\.\d+)?)(k|M|bn)?$");
        Assert.True(m.Success, $"tick label '{label}'");
        var scale = m.Groups[2].Value switch { "k" => 1e3, "M" => 1e6, "bn" => 1e9, _ => 1 };
        return double.Parse(m.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture) * scale;
    }

    /// <summary>
    /// Every channel's chart has ticks on both axes at increasing round values (whole multiples of one 1, 2 or 5 × 10^k step)
    /// inside the plotted range, labelled with their values, a gridline per tick, and both spends marked by distinct shapes at their spends.
    /// </summary>
    internal static void AssertChartsReadAtAGlance(string html, IReadOnlyList<(string Channel, double Current, double Recommended)> lines)
    {
        Assert.Contains(".current{fill:none", html);
        foreach (var (channel, current, recommended) in lines)
        {
            var figure = Figure(html, channel);
            Assert.False(string.IsNullOrEmpty(figure), $"no chart for {channel}");
            var svg = Regex.Match(figure, "<svg[^>]*>").Value;
            Assert.Matches("aria-label=\"Response curve of [^\"]+\"", svg);
            Assert.Contains("<title>Response curve of", figure);
            var xMax = Attribute(svg, "data-x-max");
            Assert.True(xMax >= Math.Max(current, recommended), $"{channel}: x axis ends at {xMax}, before the spends");
            foreach (var (axis, max, position) in new[] { ("x", xMax, "x"), ("y", Attribute(svg, "data-y-max"), "y") })
            {
                var ticks = Regex.Matches(figure, $"<text class=\"tick {axis}-tick\"[^>]*>([^<]*)</text>").ToList();
                Assert.True(ticks.Count >= 2, $"{channel}: {ticks.Count} ticks on the {axis} axis");
                var values = ticks.Select(t => Attribute(t.Value, "data-value")).ToList();
                var step = values[1] - values[0];
                Assert.True(step > 0, $"{channel}: {axis} ticks do not increase");
                var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
                Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2, 5 });
                for (var i = 0; i < values.Count; i++)
                {
                    Assert.Equal(values[0] + i * step, values[i], 6);
                    Assert.Equal(Math.Round(values[i] / step), values[i] / step, 6);
                    Assert.InRange(values[i], 0, max * (1 + 1e-9));
                    Assert.Equal(values[i], LabelValue(ticks[i].Groups[1].Value), 6);
                }
                var pixels = ticks.Select(t => Attribute(t.Value, position)).ToList();
                // x grows rightwards; y values grow upwards, so pixels fall.
                Assert.True(pixels.Zip(pixels.Skip(1)).All(p => axis == "x" ? p.Second > p.First : p.Second < p.First), $"{channel}: {axis} ticks out of order");
            }
            Assert.Equal(Regex.Matches(figure, "class=\"tick ").Count, Regex.Matches(figure, "<line class=\"grid\"").Count);
            Assert.Contains("weekly spend (", figure);

            var now = Marker(figure, "current");
            var rec = Marker(figure, "recommended");
            Assert.True(Attribute(now, "r") > Attribute(rec, "r") + 2, $"{channel}: the ring of today must show around the recommended dot");
            Assert.Equal(current, Attribute(now, "data-spend"), 0.01);
            Assert.Equal(recommended, Attribute(rec, "data-spend"), 0.01);
            // The ring comes after the dot, so it is drawn over it and both stay visible.
            Assert.True(figure.IndexOf(now, StringComparison.Ordinal) > figure.IndexOf(rec, StringComparison.Ordinal));
            Assert.Contains("class=\"legend\"", figure);
            Assert.Matches(">today</text>.*>recommended</text>", figure);
        }
    }

    /// <summary>The "Why" list names the channels in the table's order.</summary>
    internal static void AssertWhyInTableOrder(string html)
    {
        var table = Regex.Matches(html, "<tr data-channel=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        var why = Regex.Matches(Regex.Match(html, "<ul id=\"why\">.*?</ul>", RegexOptions.Singleline).Value, "<li data-channel=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(table);
        Assert.Equal(table, why);
    }

    /// <summary>A request with a lock, overridden limits and band, and a budget tolerance, and what the page must say of it.</summary>
    public static (object Request, string Locked) SettingsRequest()
    {
        var locked = SyntheticWorld.Generate(seed: 21).Channels[0].Name;
        return (new
        {
            locks = new[] { locked },
            budget_mode = "within",
            budget_tolerance = 0.05,
            parameters = new Dictionary<string, object> { ["max_payback_months"] = 30, ["band_max"] = 0.3 },
        }, locked);
    }

    internal static void AssertSettingsStated(string html, string locked, string currency)
    {
        string Setting(string key) => System.Net.WebUtility.HtmlDecode(Regex.Match(html, $"<dd data-setting=\"{key}\">(.*?)</dd>").Groups[1].Value);
        Assert.Contains("CAC paid back within 30 months and CLV:CAC of at least 3, on each channel", Setting("limits"));
        Assert.Contains("(set for this plan)", Setting("limits"));
        Assert.StartsWith("10%–30%", Setting("band"));
        Assert.Contains("(set for this plan)", Setting("band"));
        Assert.Contains("up to 5% more or less than the budget", Setting("budget_mode"));
        Assert.StartsWith("today's total", Setting("budget"));
        Assert.StartsWith("none: moves are judged on each channel's central curve", Setting("caution"));
        Assert.Contains("(default)", Setting("caution"));
        Assert.Contains("holds on the central curve", Setting("limit_confidence"));
        Assert.StartsWith($"{currency}:", Setting("currency"));
        Assert.StartsWith("clv: the lifetime value", Setting("objective"));
        Assert.Contains("(default)", Setting("objective"));
        Assert.StartsWith(locked, Setting("locks"));
    }

    [Fact]
    public async Task ReportStatesHowThePlanWasMadeAndReadsAtAGlance()
    {
        var (request, locked) = SettingsRequest();
        var (ws, rec) = await RecommendAsync(factory, currency: "GBP", request: request);
        var html = await ws.Reader().GetStringAsync($"/v1/workspaces/{ws.Id}/recommendations/{rec.GetProperty("id")}/report");
        var lines = rec.GetProperty("lines").EnumerateArray()
            .Select(l => (l.GetProperty("channel").GetString()!, l.GetProperty("current_spend").GetDouble(), l.GetProperty("recommended_spend").GetDouble())).ToList();
        var lockedLine = lines.Single(l => l.Item1 == locked);
        Assert.Equal(lockedLine.Item2, lockedLine.Item3);
        AssertChartsReadAtAGlance(html, lines);
        var figure = Figure(html, locked);
        Assert.Equal(Attribute(Marker(figure, "current"), "cx"), Attribute(Marker(figure, "recommended"), "cx"));
        Assert.Contains("weekly spend (GBP)", figure);
        AssertWhyInTableOrder(html);
        AssertSettingsStated(html, locked, "GBP");
        AssertNoJargon(html);
    }

    [Fact]
    public void NiceCeilingIsOneTwoOrFiveTimesAPowerOfTenAtOrAboveTheValue()
    {
        foreach (var (value, expected) in new[] { (0.7, 1.0), (1.0, 1.0), (1.2, 2.0), (3.0, 5.0), (7.5, 10.0), (123.0, 200.0), (0.0, 1.0) })
            Assert.Equal(expected, SvgChart.NiceCeiling(value), 9);
        Assert.Equal(10, new Axis(0, 100, 10, 110).Map(0));
        Assert.Equal(60, new Axis(0, 100, 10, 110).Map(50));
        Assert.Equal(190, new Axis(0, 10, 200, 100).Map(1));
    }
}
