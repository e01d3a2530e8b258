using System.Reflection;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.AspNetCore.Http.Metadata;

namespace SpendOptimizer.Api.Csv;

/// <summary>One labelled value of a workbook's summary sheet; <see cref="Field"/> names where the JSON answer has it.</summary>
public sealed record XlsxSummaryItem(string Label, CellKind Kind, object? Value, string Field);

/// <summary>
/// The same rows and columns as a CSV answer, as an Excel workbook: typed cells at full precision, shown in their
/// column's number format (money in <paramref name="currency"/>), the header frozen, and optionally a second sheet of
/// labelled totals. Cells are numbers or inline strings, never formulas, so nothing in the data can run in the spreadsheet.
/// </summary>
public sealed class XlsxResult<T>(IEnumerable<T> rows, IReadOnlyList<CsvColumn<T>> columns, string fileName, string sheet,
    IReadOnlyList<XlsxSummaryItem>? summary = null, string summarySheet = "Totals", string currency = "USD") : IResult, IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(CsvResponses.Xlsx);

    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = ContentType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}.xlsx\"";
        // The package is written to a seekable stream; a workbook of one recommendation is small.
        using var buffer = new MemoryStream();
        Write(buffer);
        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    public void Write(Stream stream)
    {
        using var document = SpreadsheetDocument.Create(stream, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook);
        var book = new XlsxBook(document, currency);
        book.AddSheet(sheet, [.. columns.Select(c => c.Name)], rows.Select(r => columns.Select(c => (c.Kind, c.Read(r))).ToArray()));
        if (summary is not null)
            book.AddSheet(summarySheet, ["item", "value", "field"],
                summary.Select(i => new[] { (CellKind.Text, (object?)i.Label), (i.Kind, i.Value), (CellKind.Text, i.Field) }));
    }
}
