using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// CSV numbers are written for people, by the kind each column declares: money and counts to 2 decimals, shares and
/// factors to 4, ratios and months to 2, marginal returns to 6, whole counts whole; JSON keeps full precision.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CsvNumberFormatTests(ApiFactory factory)
{
    [Theory]
    [InlineData(CellKind.Money, 24534.550500000012, "24534.55")]
    [InlineData(CellKind.Money, 0.125, "0.13")] // exactly representable: away from zero
    [InlineData(CellKind.Money, -0.001, "0.00")] // a rounded zero has no sign
    [InlineData(CellKind.Money, -12.3, "-12.30")]
    [InlineData(CellKind.Count, 2.0 / 3, "0.67")]
    [InlineData(CellKind.Share, 0.19999999999999996, "0.2000")]
    [InlineData(CellKind.Share, -0.00001, "0.0000")]
    [InlineData(CellKind.Ratio, 3.14159, "3.14")]
    [InlineData(CellKind.Factor, 0.87654321, "0.8765")]
    [InlineData(CellKind.Months, 12.0449, "12.04")]
    [InlineData(CellKind.Rate, 0.000432149, "0.000432")]
    [InlineData(CellKind.Exact, 1e-15, "1E-15")]
    public void EachKindHasItsDecimals(CellKind kind, double value, string expected) => Assert.Equal(expected, CellKinds.Format(kind, value));

    [Fact]
    public async Task PerformanceCsvRoundsMoneyAndCountsWhileJsonKeepsEveryDigit()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        var put = await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/performance?grain=week", new[]
        {
            new { date = "2026-01-05", channel = "search", spend = 24534.550500000012, impressions = 1234567, clicks = 890,
                conversions = 0.19999999999999996, revenue = 1234.5678, new_customers = 2.0 / 3 },
        }, ApiFactory.Json);
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        var csv = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/performance?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal(["date,channel,grain,spend,impressions,clicks,conversions,revenue,new_customers", "2026-01-05,search,week,24534.55,1234567,890,0.20,1234.57,0.67"], csv);
        var json = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/v1/workspaces/{ws.Id}/performance")).GetProperty("items").EnumerateArray());
        Assert.Equal(24534.550500000012, json.GetProperty("spend").GetDouble());
        Assert.Equal(0.19999999999999996, json.GetProperty("conversions").GetDouble());
    }

    [Fact]
    public async Task LiftTestAndEconomicsCsvWriteSharesToFourDecimalsAndMoneyToCents()
    {
        var ws = await factory.CreateWorkspaceAsync();
        using var client = ws.Ingest();
        // The 90% interval 235.515…564.485 around 400 gives stderr (564.485 − 235.515) / (2 · 1.6449) = 100.
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/lift-tests", TestWorkspace.Csv("""
            channel,kind,start,end,incremental_conversions,ci_lower,ci_upper,ci_level,attributed_conversions,spend
            social,geo,2025-02-03,2025-03-02,400,235.51463730485278,564.4853626951472,0.9,500,20000
            """))).EnsureSuccessStatusCode();
        var tests = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/lift-tests?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal("id,channel,kind,start,end,incremental_conversions,incremental_revenue,stderr,ci_lower,ci_upper,ci_level,attributed_conversions,spend", tests[0]);
        Assert.EndsWith(",social,geo,2025-02-03,2025-03-02,400.00,,100.00,235.51,564.49,0.9000,500.00,20000.00", tests[1]);

        var put = await client.PutAsJsonAsync($"/v1/workspaces/{ws.Id}/economics",
            new[] { new { channel = "all", arpa_monthly = 49.999, gross_margin = 0.19999999999999996, monthly_churn = 1.0 / 30, annual_discount_rate = 0.125 } });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var economics = (await client.GetStringAsync($"/v1/workspaces/{ws.Id}/economics?format=csv")).TrimEnd().Split("\r\n");
        Assert.Equal("all,50.00,0.2000,0.0333,,0.1250,,typed,", economics[1]);
    }

    [Fact]
    public async Task RecommendationCsvWritesEachColumnToItsKindsDecimalsOfTheJsonValue()
    {
        var (ws, rec) = await ReportTests.RecommendAsync(factory);
        using var reader = ws.Reader();
        var text = await reader.GetStringAsync($"/v1/workspaces/{ws.Id}/recommendations/{rec.GetProperty("id")}?format=csv");
        var rows = new Dictionary<string, Dictionary<string, string>>();
        using (var csv = Sylvan.Data.Csv.CsvDataReader.Create(new StringReader(text)))
            while (csv.Read())
                rows[csv.GetString(csv.GetOrdinal("channel"))] = Enumerable.Range(0, csv.FieldCount).ToDictionary(csv.GetName, csv.GetString);
        var decimals = new Dictionary<string, int>
        {
            ["current_spend"] = 2, ["recommended_spend"] = 2, ["change"] = 4, ["current_conversions"] = 2, ["conversions"] = 2,
            ["customers"] = 2, ["revenue"] = 2, ["cac"] = 2, ["payback_months"] = 2, ["clv_cac"] = 2, ["marginal_return"] = 6,
            ["rise_weight"] = 4, ["fall_weight"] = 4, ["test_value"] = 2, ["payback_probability"] = 4, ["clv_cac_probability"] = 4, ["marginal_cac"] = 2,
        };
        var checkedCells = 0;
        foreach (var line in rec.GetProperty("lines").EnumerateArray())
        {
            var fields = rows[line.GetProperty("channel").GetString()!];
            foreach (var (column, places) in decimals)
            {
                if (!line.TryGetProperty(column, out var property) || property.ValueKind == JsonValueKind.Null) continue;
                var value = fields[column];
                Assert.Matches(new Regex($@"^-?\d+\.\d{{{places}}}$"), value);
                var json = property.GetDouble();
                Assert.True(Math.Abs(double.Parse(value, CultureInfo.InvariantCulture) - json) <= 0.5 * Math.Pow(10, -places) * (1 + 1e-9),
                    $"{column}: {value} is not {json} rounded to {places} decimals");
                checkedCells++;
            }
        }
        Assert.True(checkedCells >= 10 * rec.GetProperty("lines").GetArrayLength(), $"only {checkedCells} cells checked");
    }
}
