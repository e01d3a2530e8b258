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
    public static async Task<(TestWorkspace Ws, JsonElement Recommendation)> RecommendAsync(ApiFactory host, string? currency = null)
    {
        var ws = await host.CreateWorkspaceAsync(currency);
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: 21));
        using var client = ws.Ingest();
        var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { });
        var rec = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)created.StatusCode == 201, rec.ToString());
        return (ws, rec);
    }

    private static double Attribute(string tag, string name) =>
        double.Parse(Regex.Match(tag, $"{name}=\"([^\"]+)\"").Groups[1].Value, CultureInfo.InvariantCulture);

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
            Assert.Contains(System.Net.WebUtility.HtmlEncode(Reasons.Explain(Reasons.Parse(line.GetProperty("reason").GetString()!))), html);
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
    public void ALineChosenWithCautionSaysHowMuchOfItsCurveThePlanCountedOn()
    {
        var trusted = new RecommendationLine("search", 100, 120, 0.2, 10, 11, 8, 900, 12, 1.5, 4, 0.2, StopReason.BandEdge, "x");
        var doubted = trusted with { Channel = "podcasts", RecommendedSpend = 100, Change = 0, Reason = StopReason.NoGainWorthAMove, RiseWeight = 0.62, FallWeight = 1.4 };
        var rec = new RecommendationResponse(Guid.NewGuid(), new DateOnly(2026, 11, 30), "EUR", DateTimeOffset.UnixEpoch, null, "clv", 1, 2,
            new GainSummary(1, 0.5, 1, 1.5, 0.9, 200), new SolverSummary("optimal", 0, 0.1, 0), [trusted, doubted], JsonDocument.Parse("{}").RootElement);
        var html = RecommendationReport.Render("ws", rec, null);
        var podcasts = html[html.IndexOf("<strong>podcasts</strong>", StringComparison.Ordinal)..];
        Assert.Contains("counted on 62.0% of the rise its curve predicts and on 140.0% of the fall", podcasts[..podcasts.IndexOf("</li>", StringComparison.Ordinal)]);
        var search = html[html.IndexOf("<strong>search</strong>", StringComparison.Ordinal)..];
        Assert.DoesNotContain("counted on", search[..search.IndexOf("</li>", StringComparison.Ordinal)]);
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
