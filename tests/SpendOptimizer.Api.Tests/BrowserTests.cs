using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// The report and the Swagger UI as a person sees them: a real listener, headless Chromium (scripts/test.sh installs
/// it), the DOM after scripts ran, and a screenshot.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BrowserTests
{
    private static string Chromium() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Chromium is missing: apt-get install chromium (scripts/test.sh does).");

    /// <summary>Loads <paramref name="url"/>, lets scripts run for up to <paramref name="budgetMs"/> of virtual time; the DOM and a PNG.</summary>
    private static async Task<(string Dom, byte[] Png)> OpenAsync(string url, int budgetMs)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-");
        var png = Path.Combine(profile.FullName, "page.png");
        try
        {
            async Task<string> Run(params string[] extra)
            {
                var args = new List<string>
                {
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile.FullName}",
                    "--window-size=1280,2000", $"--virtual-time-budget={budgetMs}",
                };
                args.AddRange(extra);
                args.Add(url);
                using var process = Process.Start(new ProcessStartInfo(Chromium(), args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
                await process.WaitForExitAsync(timeout.Token);
                Assert.True(process.ExitCode == 0, await stderr);
                return await stdout;
            }
            var dom = await Run("--dump-dom");
            await Run($"--screenshot={png}");
            return (dom, await File.ReadAllBytesAsync(png));
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    /// <summary>Checks a screenshot; with SPENDOPT_SCREENSHOTS set to a folder, keeps it there for a person to look at.</summary>
    private static void AssertScreenshot(byte[] png, string name)
    {
        if (Environment.GetEnvironmentVariable("SPENDOPT_SCREENSHOTS") is { Length: > 0 } folder)
            File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(folder).FullName, name + ".png"), png);
        Assert.True(png.Length > 10_000, $"screenshot of only {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public async Task ReportAndSwaggerUiRenderInHeadlessChromium()
    {
        var port = Ports.Free();
        await using var host = new ApiFactory();
        host.UseKestrel(port);
        host.StartServer();
        var (request, locked) = ReportTests.SettingsRequest();
        var (ws, rec) = await ReportTests.RecommendAsync(host, currency: "GBP", request: request);
        var root = $"http://127.0.0.1:{port}";

        var (report, reportPng) = await OpenAsync($"{root}/v1/workspaces/{ws.Id}/recommendations/{rec.GetProperty("id")}/report?api_key={ws.ReadKey}", 2000);
        var lines = rec.GetProperty("lines").GetArrayLength();
        Assert.Contains("Where next week's budget should go", report);
        Assert.Equal(lines, Regex.Matches(report, "<tr data-channel=").Count);
        Assert.Equal(lines + 1, Regex.Matches(report, "<svg").Count);
        Assert.Equal(lines, Regex.Matches(report, "<polyline class=\"curve\"").Count);
        // What a reader sees after the browser parsed the page: ticks and gridlines on every chart, both markers even on the
        // locked channel (today = recommended), the reasons in the table's order, the settings, and no model jargon.
        ReportTests.AssertChartsReadAtAGlance(report, rec.GetProperty("lines").EnumerateArray()
            .Select(l => (l.GetProperty("channel").GetString()!, l.GetProperty("current_spend").GetDouble(), l.GetProperty("recommended_spend").GetDouble())).ToList());
        Assert.Contains("<circle class=\"recommended\"", ReportTests.Figure(report, locked));
        ReportTests.AssertWhyInTableOrder(report);
        ReportTests.AssertSettingsStated(report, locked, "GBP");
        ReportTests.AssertNoJargon(report);
        AssertScreenshot(reportPng, "report");

        var (swagger, swaggerPng) = await OpenAsync($"{root}/swagger/index.html", 20000);
        Assert.Contains("SpendOptimizer API", swagger);
        Assert.True(Regex.Matches(swagger, "class=\"opblock opblock-").Count >= 30, "Swagger UI rendered too few operations");
        Assert.Contains("/v1/workspaces/{ws}/recommendations/{id}/report", swagger);
        Assert.Contains("The newest recommendation", swagger);
        AssertScreenshot(swaggerPng, "swagger");
    }

    [Fact]
    public async Task APathsReportRendersInHeadlessChromium()
    {
        var port = Ports.Free();
        await using var host = new ApiFactory();
        host.UseKestrel(port);
        host.StartServer();
        var world = SyntheticWorld.Generate(seed: 31);
        var ws = await host.CreateWorkspaceAsync("EUR");
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { })).EnsureSuccessStatusCode();
        var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/plans", new { horizon_weeks = 6, current = world.CurrentPlan, budget_mode = "within", budget_tolerance = 0.01 });
        var plan = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)created.StatusCode == 201, plan.ToString());

        var (page, png) = await OpenAsync($"http://127.0.0.1:{port}/v1/workspaces/{ws.Id}/plans/{plan.GetProperty("id")}/report?api_key={ws.ReadKey}", 2000);
        Assert.Contains("Where the budget goes, week by week", page);
        var channels = plan.GetProperty("channels").GetArrayLength();
        Assert.Equal(channels, Regex.Matches(page, "<figure data-channel=").Count);
        Assert.Equal(2 * channels, Regex.Matches(page, "<polyline class=\"path ").Count);
        // Every chart reads on its own: ticks on the value axis and a label for each of the six weeks.
        foreach (Match svg in Regex.Matches(page, "<svg[^>]*class=\"(spend|response)-path\".*?</svg>", RegexOptions.Singleline))
        {
            Assert.True(Regex.Matches(svg.Value, "<line class=\"grid\"").Count >= 2, svg.Value);
            Assert.Equal(6, Regex.Matches(svg.Value, ">w[1-6]</text>").Count);
        }
        Assert.Contains($"{plan.GetProperty("totals").GetProperty("gain").GetDouble().ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)}</td>", page);
        AssertScreenshot(png, "plan-report");
    }
}
