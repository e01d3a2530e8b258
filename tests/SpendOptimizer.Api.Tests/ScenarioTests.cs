using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Worlds;
using static SpendOptimizer.Api.Tests.Infrastructure.RecommendationJson;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// Named variants of a week planned side by side on one fit: a variant is the recommendation its request would give, more
/// budget under a cap never buys less, an infeasible variant is a row saying why, and the comparison reads back as JSON,
/// CSV, workbook and report, while bad input is a 400 naming the field that stores nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ScenarioTests(ApiFactory factory)
{
    private static double? Number(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Number ? e.GetProperty(name).GetDouble() : null;

    /// <summary>The JSON with keys sorted and numbers as doubles: stored JSON keeps values, not key order or number spelling.</summary>
    private static string Canonical(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}:{Canonical(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(",", e.EnumerateArray().Select(Canonical)) + "]",
        JsonValueKind.Number => e.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        _ => e.GetRawText(),
    };

    private static async Task<(TestWorkspace Ws, HttpClient Client)> FittedAsync(ApiFactory factory, int seed)
    {
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, SyntheticWorld.Generate(seed: seed));
        var client = ws.Ingest();
        var fit = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { });
        Assert.True(fit.IsSuccessStatusCode, await fit.Content.ReadAsStringAsync());
        return (ws, client);
    }

    [Fact]
    public async Task VariantsArePlannedAsRecommendationsSideBySideAndReadBackInEveryFormat()
    {
        var (ws, client) = await FittedAsync(factory, seed: 31);
        using var _ = client;
        var rec = await PlanAsync(client, ws.Id, new { locks = new[] { "podcasts" } });
        var today = Spend(rec, "current_spend").Values.Sum();
        var recommendations = await ws.SnapshotAsync("recommendations");

        var cautionless = new { caution_quantile = 0.5 };
        var body = new
        {
            name = "Budget options",
            scenarios = new object[]
            {
                new { name = "as recommended", request = new { locks = new[] { "podcasts" } } },
                new { name = "cap 90%", request = new { budget = today * 0.9, budget_mode = "cap", limit_scope = "none", parameters = cautionless } },
                new { name = "cap 110%", request = new { budget = today * 1.1, budget_mode = "cap", limit_scope = "none", parameters = cautionless } },
                new { name = "impossible", request = new { parameters = new { min_clv_cac = 90 }, unreachable_limits = "refuse" } },
            },
        };
        var response = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/scenarios", body);
        var made = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == 201, made.ToString());
        var id = made.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/workspaces/{ws.Id}/scenarios/{id}", response.Headers.Location?.ToString());
        Assert.Equal(rec.GetProperty("fit_id").GetString(), made.GetProperty("fit_id").GetString());
        Assert.Equal(recommendations, await ws.SnapshotAsync("recommendations")); // variants are not recommendations
        var rows = made.GetProperty("scenarios").EnumerateArray().ToList();
        Assert.Equal(["as recommended", "cap 90%", "cap 110%", "impossible"], rows.Select(r => r.GetProperty("name").GetString()));

        // The variant identical to the recommendation's request is that recommendation, its blended figures from its lines.
        var same = rows[0];
        Assert.Equal("optimal", same.GetProperty("status").GetString());
        Assert.Equal(rec.GetProperty("recommended_value").GetDouble(), Number(same, "value")!.Value, 6);
        Assert.Equal(rec.GetProperty("current_value").GetDouble(), same.GetProperty("current_value").GetDouble(), 6);
        var recommended = Spend(rec, "recommended_spend");
        var spend = same.GetProperty("spend_by_channel").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal(recommended.Keys.Order(), spend.Keys.Order());
        foreach (var (channel, s) in recommended) Assert.Equal(s, spend[channel], 6);
        Assert.Equal(recommended.Values.Sum(), Number(same, "spend")!.Value, 6);
        foreach (var q in new[] { "p10", "p50", "p90", "probability_positive" })
            Assert.Equal(Number(rec.GetProperty("gain"), q)!.Value, Number(same, q)!.Value, 6);
        var customers = Spend(rec, "customers").Values.Sum();
        Assert.Equal(recommended.Values.Sum() / customers, Number(same, "cac")!.Value, 6);
        var clvCac = Nullable(rec, "clv_cac");
        var payback = Nullable(rec, "payback_months");
        // A line's CLV:CAC is its CLV over its spend and its payback its spend over its monthly margin, so the blend is spend-weighted.
        Assert.Equal(recommended.Sum(kv => (clvCac[kv.Key] ?? 0) * kv.Value) / recommended.Values.Sum(), Number(same, "clv_cac")!.Value, 6);
        Assert.Equal(recommended.Values.Sum() / recommended.Where(kv => payback[kv.Key] is > 0).Sum(kv => kv.Value / payback[kv.Key]!.Value),
            Number(same, "payback_months")!.Value, 6);

        // A cap of more budget allows every plan a smaller cap allows.
        var (small, large) = (rows[1], rows[2]);
        Assert.True(Number(small, "spend") <= today * 0.9 + 1e-6 && Number(large, "spend") <= today * 1.1 + 1e-6, $"{small} {large}");
        Assert.True(Number(large, "value") >= Number(small, "value") - 1e-6 * Math.Abs(Number(small, "value")!.Value), $"{small} {large}");
        Assert.True(Number(small, "p10") <= Number(small, "p50") && Number(small, "p50") <= Number(small, "p90"), small.ToString());

        var impossible = rows[3];
        Assert.Equal("infeasible", impossible.GetProperty("status").GetString());
        Assert.Contains("CLV:CAC", impossible.GetProperty("explanation").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.Null, impossible.GetProperty("spend_by_channel").ValueKind);
        Assert.Equal(JsonValueKind.Null, impossible.GetProperty("value").ValueKind);

        // Read back: by id, latest, in the list, as CSV with a spend column per channel, as a workbook, as a report.
        using var reader = ws.Reader();
        var stored = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/scenarios/{id}");
        Assert.Equal(Canonical(made), Canonical(stored));
        Assert.Equal(id, (await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/scenarios/latest")).GetProperty("id").GetString());
        var list = await reader.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/scenarios");
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        var channels = made.GetProperty("channels").EnumerateArray().Select(c => c.GetString()!).ToList();
        var csv = (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/scenarios/{id}?format=csv")).TrimEnd().Split("\r\n");
        var header = csv[0].Split(',').ToList();
        Assert.Equal(["scenario", "status"], header.Take(2));
        Assert.Equal(channels.Select(c => $"spend_{c}"), header.TakeLast(channels.Count));
        Assert.Equal(rows.Count + 1, csv.Length);
        var first = csv[1].Split(',');
        Assert.Equal("as recommended", first[0]);
        foreach (var c in channels)
            Assert.Equal(recommended[c], double.Parse(first[header.IndexOf($"spend_{c}")], CultureInfo.InvariantCulture), 2);
        Assert.Equal("", csv[4].Split(',')[header.IndexOf($"spend_{channels[0]}")]);
        var listCsv = (await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/scenarios?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal(rows.Count + 1, listCsv.Length);
        Assert.StartsWith($"{id},Budget options,", listCsv[1]);

        var xlsx = await reader.GetAsync($"/v1/workspaces/{ws.Id}/scenarios/latest?format=xlsx");
        Assert.True(xlsx.IsSuccessStatusCode, await xlsx.Content.ReadAsStringAsync());
        using (var doc = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false))
        {
            var part = doc.WorkbookPart!;
            var sheets = part.Workbook.Sheets!.Elements<Sheet>().ToList();
            Assert.Equal(["Scenarios", "Comparison"], sheets.Select(s => s.Name!.Value));
            var sheetRows = ((WorksheetPart)part.GetPartById(sheets[0].Id!.Value!)).Worksheet.Descendants<Row>().ToList();
            Assert.Equal(csv.Length, sheetRows.Count);
            Assert.Equal(header, sheetRows[0].Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text));
            // Empty cells are left out of a row, so a cell is found by its reference's column letters.
            static int ColumnOf(Cell c) => c.CellReference!.Value!.TakeWhile(char.IsAsciiLetter).Aggregate(0, (n, ch) => n * 26 + (ch - 'A' + 1)) - 1;
            var spendCell = sheetRows[1].Elements<Cell>().Single(c => ColumnOf(c) == header.IndexOf($"spend_{channels[0]}"));
            Assert.Equal(recommended[channels[0]], double.Parse(spendCell.CellValue!.Text, CultureInfo.InvariantCulture), 6);
        }

        var report = await reader.GetAsync($"/v1/workspaces/{ws.Id}/scenarios/{id}/report");
        var html = await report.Content.ReadAsStringAsync();
        Assert.True(report.IsSuccessStatusCode, html);
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<table id=\"scenarios\">", html);
        foreach (var r in rows) Assert.Contains(System.Net.WebUtility.HtmlEncode(r.GetProperty("name").GetString()!), html);
        // One bar segment per channel with spend, for each variant with a plan.
        Assert.Equal(rows.Where(r => r.GetProperty("spend_by_channel").ValueKind == JsonValueKind.Object)
            .Sum(r => r.GetProperty("spend_by_channel").EnumerateObject().Count(p => p.Value.GetDouble() > 0)), html.Split("class=\"segment\"").Length - 1);
        await (await reader.GetAsync($"/v1/workspaces/{ws.Id}/scenarios/{Guid.NewGuid()}")).ReadProblemAsync(404);
    }

    [Fact]
    public async Task BadInputIsA400NamingTheFieldAndStoresNothing()
    {
        var (ws, client) = await FittedAsync(factory, seed: 32);
        using var _ = client;
        var url = $"/v1/workspaces/{ws.Id}/scenarios";
        object Variant(string name, object? request = null) => new { name, request = request ?? new { } };

        var cases = new (object Body, string Field)[]
        {
            (new { scenarios = Array.Empty<object>() }, "scenarios"),
            (new { }, "scenarios"),
            (new { scenarios = Enumerable.Range(0, 11).Select(i => Variant($"v{i}")).ToArray() }, "scenarios"),
            (new { scenarios = new[] { Variant("a"), Variant("b"), Variant(" A ") } }, "scenarios[2].name"),
            (new { scenarios = new[] { Variant("a"), new { name = "", request = new { } } } }, "scenarios[1].name"),
            (new { scenarios = new object[] { Variant("a"), new { name = "b" } } }, "scenarios[1].request"),
            (new { scenarios = new[] { Variant("a"), Variant("b"), Variant("c"), Variant("d", new { budget = -5 }) } }, "scenarios[3].request.budget"),
            (new { scenarios = new[] { Variant("a", new { locks = new[] { "radio" } }) } }, "scenarios[0].request.channels.radio"),
            (new { scenarios = new[] { Variant("a", new { parameters = new { band_min = 0.5, band_max = 0.2 } }) } }, "scenarios[0].request.parameters.band_min"),
            (new { scenarios = new object[] { new { name = "path", request = new { }, horizon_weeks = 4 } } }, "scenarios[0].horizon_weeks"),
            (new { scenarios = new[] { Variant("a", new { fit_id = Guid.NewGuid() }) } }, "scenarios[0].request.fit_id"),
        };
        foreach (var (body, field) in cases)
        {
            var problem = await (await client.PostAsJsonAsync(url, body)).ReadProblemAsync(400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{field}: {problem}");
            Assert.False(string.IsNullOrEmpty(messages[0].GetString()));
        }
        Assert.Empty(await ws.SnapshotAsync("scenarios"));
        Assert.Empty(await ws.SnapshotAsync("recommendations"));
        using var reader = ws.Reader();
        await (await reader.GetAsync($"{url}/latest")).ReadProblemAsync(404);
    }
}
