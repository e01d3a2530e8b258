using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>A recommendation as an Excel workbook: the CSV's columns and values, numbers as numbers, nothing executable.</summary>
[Collection(ApiCollection.Name)]
public sealed class XlsxTests(ApiFactory factory)
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    [Fact]
    public async Task RecommendationDownloadsAsAWorkbookWithTheCsvColumnsAndValues()
    {
        var (ws, rec) = await ReportTests.RecommendAsync(factory);
        using var anonymous = factory.ClientWithKey(null);
        var url = $"/v1/workspaces/{ws.Id}/recommendations/{rec.GetProperty("id")}";
        var response = await anonymous.GetAsync($"{url}?format=xlsx&api_key={ws.ReadKey}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx\"", response.Content.Headers.ContentDisposition?.ToString());

        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"],
            zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        var sheet = XDocument.Load(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var rows = sheet.Descendants(Main + "row").Select(r => r.Elements(Main + "c").ToList()).ToList();
        string Text(XElement c) => (string?)c.Element(Main + "is")?.Element(Main + "t") ?? (string)c.Element(Main + "v")!;

        var csv = (await anonymous.GetStringAsync($"{url}?format=csv&api_key={ws.ReadKey}")).TrimEnd().Split("\r\n");
        Assert.Equal(csv[0].Split(','), rows[0].Select(Text));
        Assert.Equal(csv.Length, rows.Count);
        Assert.Empty(sheet.Descendants(Main + "f"));
        var header = csv[0].Split(',').ToList();
        foreach (var line in rec.GetProperty("lines").EnumerateArray())
        {
            var row = rows.Single(r => Text(r[header.IndexOf("channel")]) == line.GetProperty("channel").GetString());
            var spend = row[header.IndexOf("recommended_spend")];
            Assert.Null(spend.Attribute("t")); // a number, not text
            Assert.Equal(line.GetProperty("recommended_spend").GetDouble(), double.Parse(spend.Element(Main + "v")!.Value, CultureInfo.InvariantCulture));
            Assert.Equal("inlineStr", (string?)row[header.IndexOf("explanation")].Attribute("t"));
        }
    }
}
