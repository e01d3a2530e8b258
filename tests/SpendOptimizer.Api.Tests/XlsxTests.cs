using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Spreadsheet;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// A recommendation as an Excel workbook, read back with the Open XML SDK: the CSV's columns as typed cells at the JSON's
/// full precision, each in its kind's number format, the header frozen, a Totals sheet equal to the JSON, nothing executable.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class XlsxTests(ApiFactory factory)
{
    [Fact]
    public async Task RecommendationDownloadsAsAWorkbookWithTheCsvColumnsAndValues()
    {
        var (ws, rec) = await ReportTests.RecommendAsync(factory, currency: "EUR");
        using var anonymous = factory.ClientWithKey(null);
        var url = $"/v1/workspaces/{ws.Id}/recommendations/{rec.GetProperty("id")}";
        var response = await anonymous.GetAsync($"{url}?format=xlsx&api_key={ws.ReadKey}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx\"", response.Content.Headers.ContentDisposition?.ToString());

        using var book = new Book(await response.Content.ReadAsByteArrayAsync());
        var week = rec.GetProperty("week").GetString()!;
        Assert.Equal([$"Week of {week}", "Totals"], book.SheetNames);
        Assert.Empty(book.SchemaErrors());
        var plan = book.Sheet(0);
        Assert.Empty(plan.Descendants<CellFormula>());
        Assert.Empty(book.Sheet(1).Descendants<CellFormula>());

        var csv = (await anonymous.GetStringAsync($"{url}?format=csv&api_key={ws.ReadKey}")).TrimEnd().Split("\r\n");
        var rows = plan.Descendants<Row>().Select(r => r.Elements<Cell>().ToList()).ToList();
        var header = csv[0].Split(',').ToList();
        Assert.Equal(header, rows[0].Select(Book.Text));
        Assert.Equal(csv.Length, rows.Count);
        AssertHeaderFrozen(plan);

        Cell At(List<Cell> row, string column) => row.Single(c => ColumnOf(c) == header.IndexOf(column));
        foreach (var line in rec.GetProperty("lines").EnumerateArray())
        {
            var row = rows.Single(r => Book.Text(At(r, "channel")) == line.GetProperty("channel").GetString());
            var weekCell = At(row, "week");
            Assert.Null(weekCell.DataType); // a number: the date's serial
            Assert.Equal("yyyy-mm-dd", book.FormatOf(weekCell));
            Assert.Equal(DateOnly.Parse(week, CultureInfo.InvariantCulture), DateOnly.FromDateTime(DateTime.FromOADate(Book.Number(weekCell))));

            foreach (var (column, format) in new[] { ("recommended_spend", "[$EUR] #,##0.00"), ("current_spend", "[$EUR] #,##0.00"), ("change", "0.00%"), ("conversions", "#,##0.00"), ("marginal_return", "0.000000") })
            {
                var cell = At(row, column);
                Assert.Null(cell.DataType);
                Assert.Equal(format, book.FormatOf(cell));
                Assert.Equal(line.GetProperty(column).GetDouble(), Book.Number(cell)); // full precision, only shown rounded
            }
            Assert.Equal(CellValues.InlineString, At(row, "explanation").DataType!.Value);
        }

        // Every column is at least as wide as its header and its longest text.
        var widths = plan.Descendants<Column>().ToDictionary(c => (int)c.Min!.Value - 1, c => c.Width!.Value);
        for (var i = 0; i < header.Count; i++)
        {
            var longest = rows.SelectMany(r => r).Where(c => ColumnOf(c) == i && c.DataType is not null).Select(c => Book.Text(c).Length).Max();
            Assert.True(widths[i] >= Math.Min(longest, 255), $"{header[i]}: width {widths[i]} < {longest}");
        }

        // The second sheet: the plan's totals, gain spread, limits, band and solver, each equal to the JSON.
        var totals = book.Sheet(1).Descendants<Row>().Skip(1).Select(r => r.Elements<Cell>().ToList())
            .ToDictionary(r => Book.Text(r.Single(c => ColumnOf(c) == 2)), r => r.SingleOrDefault(c => ColumnOf(c) == 1));
        AssertHeaderFrozen(book.Sheet(1));
        var request = rec.GetProperty("request");
        foreach (var (field, json, format) in new[]
        {
            ("gain.expected", rec.GetProperty("gain").GetProperty("expected"), "[$EUR] #,##0.00"),
            ("gain.p10", rec.GetProperty("gain").GetProperty("p10"), "[$EUR] #,##0.00"),
            ("gain.p50", rec.GetProperty("gain").GetProperty("p50"), "[$EUR] #,##0.00"),
            ("gain.p90", rec.GetProperty("gain").GetProperty("p90"), "[$EUR] #,##0.00"),
            ("gain.probability_positive", rec.GetProperty("gain").GetProperty("probability_positive"), "0.00%"),
            ("gain.draws", rec.GetProperty("gain").GetProperty("draws"), "#,##0"),
            ("request.parameters.band_min", request.GetProperty("parameters").GetProperty("band_min"), "0.00%"),
            ("request.parameters.band_max", request.GetProperty("parameters").GetProperty("band_max"), "0.00%"),
            ("request.parameters.max_payback_months", request.GetProperty("parameters").GetProperty("max_payback_months"), "0.00"),
            ("request.parameters.min_clv_cac", request.GetProperty("parameters").GetProperty("min_clv_cac"), "0.00"),
            ("solver.relative_gap", rec.GetProperty("solver").GetProperty("relative_gap"), "0.00%"),
        })
        {
            Assert.True(totals[field] is not null, field);
            Assert.Equal(json.GetDouble(), Book.Number(totals[field]!));
            Assert.Equal(format, book.FormatOf(totals[field]!));
        }
        Assert.Equal(rec.GetProperty("solver").GetProperty("status").GetString(), Book.Text(totals["solver.status"]!));
        Assert.Equal(request.GetProperty("request").GetProperty("limit_scope").GetString(), Book.Text(totals["request.request.limit_scope"]!));
        Assert.Equal(request.GetProperty("request").GetProperty("budget_mode").GetString(), Book.Text(totals["request.request.budget_mode"]!));
        var lines = rec.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(lines.Sum(l => l.GetProperty("recommended_spend").GetDouble()), Book.Number(totals["sum of lines[].recommended_spend"]!), 6);
        Assert.Equal(lines.Sum(l => l.GetProperty("current_spend").GetDouble()), Book.Number(totals["sum of lines[].current_spend"]!), 6);
        Assert.Equal(lines.Sum(l => l.GetProperty("conversions").GetDouble()), Book.Number(totals["sum of lines[].conversions"]!), 6);
    }

    [Fact]
    public async Task APathDownloadsAsAWorkbookWithTheCsvRowsAndItsTotals()
    {
        var world = SyntheticWorld.Generate(seed: 31);
        var ws = await factory.CreateWorkspaceAsync("EUR");
        await WorldLoader.LoadAsync(ws, world);
        using var client = ws.Ingest();
        (await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/response-curves/fit", new { })).EnsureSuccessStatusCode();
        var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/plans", new { horizon_weeks = 3, current = world.CurrentPlan, budget_mode = "within", budget_tolerance = 0.01 });
        var plan = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)created.StatusCode == 201, plan.ToString());
        var url = $"/v1/workspaces/{ws.Id}/plans/{plan.GetProperty("id")}";
        using var reader = ws.Reader();

        using var book = new Book(await reader.GetByteArrayAsync($"{url}?format=xlsx"));
        Assert.Equal([$"Path from {plan.GetProperty("week").GetString()}", "Totals"], book.SheetNames);
        Assert.Empty(book.SchemaErrors());
        Assert.Empty(book.Sheet(0).Descendants<CellFormula>());
        AssertHeaderFrozen(book.Sheet(0));
        var csv = (await reader.GetStringAsync($"{url}?format=csv")).TrimEnd().Split("\r\n");
        var rows = book.Sheet(0).Descendants<Row>().Select(r => r.Elements<Cell>().ToList()).ToList();
        var header = csv[0].Split(',').ToList();
        Assert.Equal(header, rows[0].Select(Book.Text));
        Assert.Equal(csv.Length, rows.Count);
        Cell At(List<Cell> row, string column) => row.Single(c => ColumnOf(c) == header.IndexOf(column));
        foreach (var channel in plan.GetProperty("channels").EnumerateArray())
            foreach (var cell in channel.GetProperty("weeks").EnumerateArray())
            {
                var row = rows.Single(r => Book.Text(At(r, "channel")) == channel.GetProperty("channel").GetString()
                    && DateOnly.FromDateTime(DateTime.FromOADate(Book.Number(At(r, "week")))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) == cell.GetProperty("week").GetString());
                Assert.Equal("[$EUR] #,##0.00", book.FormatOf(At(row, "spend")));
                Assert.Equal(cell.GetProperty("spend").GetDouble(), Book.Number(At(row, "spend")));
                Assert.Equal(cell.GetProperty("reason").GetString(), Book.Text(At(row, "reason")));
            }
        var totals = book.Sheet(1).Descendants<Row>().Skip(1).Select(r => r.Elements<Cell>().ToList())
            .ToDictionary(r => Book.Text(r.Single(c => ColumnOf(c) == 2)), r => r.SingleOrDefault(c => ColumnOf(c) == 1));
        foreach (var field in new[] { "spend", "value", "current_value", "gain", "conversions", "gain_p10", "gain_p90", "gain_probability_positive" })
            Assert.Equal(plan.GetProperty("totals").GetProperty(field).GetDouble(), Book.Number(totals[$"totals.{field}"]!));
        Assert.Equal(3, Book.Number(totals["horizon_weeks"]!));
    }

    [Fact]
    public async Task AChannelNamedLikeAFormulaStaysTextInTheWorkbookAndTheCsv()
    {
        const string hostile = "=HYPERLINK(\"http://x.test\",\"click\")";
        var world = SyntheticWorld.Generate(seed: 21);
        var ws = await factory.CreateWorkspaceAsync();
        await WorldLoader.LoadAsync(ws, new Renamed(world, world.Performance[0].Channel, hostile));
        using var client = ws.Ingest();
        var created = await client.PostAsJsonAsync($"/v1/workspaces/{ws.Id}/recommendations", new { });
        var rec = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)created.StatusCode == 201, rec.ToString());
        var url = $"/v1/workspaces/{ws.Id}/recommendations/{rec.GetProperty("id")}";

        using var book = new Book(await client.GetByteArrayAsync($"{url}?format=xlsx"));
        var cell = Assert.Single(book.Sheet(0).Descendants<Cell>(), c => c.DataType is not null && Book.Text(c).Contains("HYPERLINK"));
        Assert.Equal(CellValues.InlineString, cell.DataType!.Value);
        Assert.Equal(hostile, Book.Text(cell));
        Assert.True(book.QuotePrefixed(cell), "a text cell starting with = must carry the quote prefix");
        Assert.Empty(book.Sheet(0).Descendants<CellFormula>());
        // A plain channel name is not quoted.
        var plain = book.Sheet(0).Descendants<Cell>().First(c => c.DataType is not null && Book.Text(c) == world.Performance.First(p => p.Channel != world.Performance[0].Channel).Channel);
        Assert.False(book.QuotePrefixed(plain));

        var csv = await client.GetStringAsync($"{url}?format=csv");
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x.test\"\",\"\"click\"\")\",", csv);
    }

    private static void AssertHeaderFrozen(Worksheet sheet)
    {
        var pane = Assert.Single(sheet.Descendants<Pane>());
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(1, pane.VerticalSplit!.Value);
        Assert.Equal("A2", pane.TopLeftCell!.Value);
        Assert.Null(pane.HorizontalSplit);
    }

    private static int ColumnOf(Cell c)
    {
        var letters = new string(c.CellReference!.Value!.TakeWhile(char.IsAsciiLetter).ToArray());
        return letters.Aggregate(0, (n, ch) => n * 26 + (ch - 'A' + 1)) - 1;
    }

    /// <summary>A workbook opened read-only, with its cells' number formats resolved through the stylesheet.</summary>
    private sealed class Book(byte[] bytes) : IDisposable
    {
        private readonly SpreadsheetDocument _doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        private WorkbookPart Part => _doc.WorkbookPart!;
        private IReadOnlyList<Sheet> Sheets => [.. Part.Workbook.Sheets!.Elements<Sheet>()];

        public IReadOnlyList<string> SheetNames => [.. Sheets.Select(s => s.Name!.Value!)];
        public Worksheet Sheet(int i) => ((WorksheetPart)Part.GetPartById(Sheets[i].Id!.Value!)).Worksheet;

        private CellFormat Format(Cell c) => Part.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ElementAt((int)(c.StyleIndex?.Value ?? 0));

        public string FormatOf(Cell c)
        {
            var id = Format(c).NumberFormatId?.Value ?? 0;
            return Part.WorkbookStylesPart!.Stylesheet.NumberingFormats?.Elements<NumberingFormat>().SingleOrDefault(n => n.NumberFormatId!.Value == id)?.FormatCode?.Value
                ?? $"built-in {id}";
        }

        /// <summary>What the Open XML schema finds wrong with the package (Excel refuses a file that breaks it).</summary>
        public IReadOnlyList<string> SchemaErrors() =>
            [.. new OpenXmlValidator(FileFormatVersions.Office2019).Validate(_doc).Select(e => $"{e.Path?.XPath}: {e.Description}")];

        public bool QuotePrefixed(Cell c) => Format(c).QuotePrefix?.Value == true;

        public static string Text(Cell c) => c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText : c.CellValue!.Text;
        public static double Number(Cell c) => double.Parse(c.CellValue!.Text, NumberStyles.Float, CultureInfo.InvariantCulture);

        public void Dispose() => _doc.Dispose();
    }

    /// <summary>The same world with one channel renamed everywhere it is loaded from.</summary>
    private sealed class Renamed(IScoredWorld world, string from, string to) : IScoredWorld
    {
        private string R(string channel) => channel == from ? to : channel;
        public IReadOnlyList<PerformanceRow> Performance => [.. world.Performance.Select(p => p with { Channel = R(p.Channel) })];
        public IReadOnlyList<LiftTest> LiftTests => [.. world.LiftTests.Select(t => t with { Channel = R(t.Channel) })];
        public IReadOnlyList<UnitEconomics> Economics => [.. world.Economics.Select(e => e with { Channel = R(e.Channel) })];
        public IReadOnlyList<PathRecord> Paths => [];
        public IReadOnlyDictionary<string, double> CurrentPlan => world.CurrentPlan.ToDictionary(p => R(p.Key), p => p.Value);
        public IReadOnlyList<AllocationLine> TrueLines(IReadOnlyDictionary<string, double>? current = null) => throw new NotSupportedException();
    }
}
