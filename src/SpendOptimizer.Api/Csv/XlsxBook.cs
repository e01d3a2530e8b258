using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace SpendOptimizer.Api.Csv;

/// <summary>
/// A workbook built with the Open XML SDK: one cell style per <see cref="CellKind"/> (its number format), a bold header
/// style, and a quote-prefixed text style for text a spreadsheet would otherwise take for a formula.
/// </summary>
internal sealed class XlsxBook
{
    private static readonly CellKind[] Kinds = Enum.GetValues<CellKind>();
    private static readonly uint HeaderStyle = (uint)Kinds.Length + 1, QuotedStyle = (uint)Kinds.Length + 2;

    /// <summary>Excel's widest column, in characters.</summary>
    private const int MaxWidth = 255;

    private readonly WorkbookPart _book;
    private readonly Sheets _sheets;
    private readonly string _currency;

    public XlsxBook(SpreadsheetDocument document, string currency)
    {
        _currency = CellKinds.CurrencyCode(currency);
        _book = document.AddWorkbookPart();
        _book.Workbook = new Workbook();
        _sheets = _book.Workbook.AppendChild(new Sheets());
        _book.AddNewPart<WorkbookStylesPart>().Stylesheet = Stylesheet(_currency);
    }

    private static uint Style(CellKind kind) => (uint)Array.IndexOf(Kinds, kind) + 1;

    private static Stylesheet Stylesheet(string currency)
    {
        // General is built-in (id 0); the other formats get ids from 164 up, where Excel numbers custom formats.
        var formats = new NumberingFormats();
        var formatIds = new Dictionary<string, uint> { ["General"] = 0 };
        foreach (var kind in Kinds)
        {
            var code = CellKinds.ExcelFormat(kind, currency);
            if (formatIds.ContainsKey(code)) continue;
            formatIds[code] = 164 + (uint)formats.Count();
            formats.Append(new NumberingFormat { NumberFormatId = formatIds[code], FormatCode = code });
        }
        var cellFormats = new CellFormats(new CellFormat());
        foreach (var kind in Kinds)
            cellFormats.Append(new CellFormat { NumberFormatId = formatIds[CellKinds.ExcelFormat(kind, currency)], ApplyNumberFormat = true });
        cellFormats.Append(new CellFormat { FontId = 1, ApplyFont = true });
        cellFormats.Append(new CellFormat { QuotePrefix = true });
        return new Stylesheet(
            formats,
            new Fonts(Font(bold: false), Font(bold: true)),
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
            new Borders(new Border()),
            new CellStyleFormats(new CellFormat()),
            cellFormats);
    }

    // A font without size or name leaves some spreadsheets guessing; Excel's default is Calibri 11.
    private static Font Font(bool bold) => bold
        ? new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })
        : new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" });

    /// <summary>A sheet with a frozen header row and columns as wide as their widest shown value.</summary>
    public void AddSheet(string name, IReadOnlyList<string> header, IEnumerable<(CellKind Kind, object? Value)[]> rows)
    {
        var part = _book.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        var widths = header.Select(h => h.Length).ToArray();
        data.Append(new Row(header.Select((h, i) => TextCell(Reference(i, 1), h, HeaderStyle))) { RowIndex = 1 });
        uint index = 1;
        foreach (var values in rows)
        {
            index++;
            var row = new Row { RowIndex = index };
            for (var i = 0; i < values.Length; i++)
            {
                var (kind, value) = values[i];
                if (Cell(Reference(i, index), kind, value) is not { } cell) continue;
                row.Append(cell);
                widths[i] = Math.Max(widths[i], Shown(kind, value).Length);
            }
            data.Append(row);
        }
        var frozen = new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { WorkbookViewId = 0 };
        var columns = new Columns(widths.Select((w, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = Math.Clamp(w + 2, 8, MaxWidth), CustomWidth = true }));
        part.Worksheet = new Worksheet(new SheetViews(frozen), columns, data);
        _sheets.Append(new Sheet { Id = _book.GetIdOfPart(part), SheetId = (uint)_sheets.Count() + 1, Name = SheetName(name) });
    }

    private Cell? Cell(string reference, CellKind kind, object? value) => value switch
    {
        null => null,
        string s => TextCell(reference, s, CsvFormat.StartsLikeFormula(s) ? QuotedStyle : Style(CellKind.Text)),
        double d when !double.IsFinite(d) => null,
        double d => Number(reference, d, kind),
        long l => Number(reference, l, kind),
        DateOnly d => Number(reference, d.ToDateTime(TimeOnly.MinValue).ToOADate(), kind),
        DateTimeOffset t => Number(reference, t.UtcDateTime.ToOADate(), kind),
        _ => throw new ArgumentException($"a {kind} column cannot hold a {value.GetType().Name}", nameof(value)),
    };

    private static Cell Number(string reference, double value, CellKind kind) =>
        new() { CellReference = reference, CellValue = new CellValue(value), StyleIndex = Style(kind) };

    private static Cell TextCell(string reference, string text, uint style) => new(new InlineString(new Text(XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve }))
    {
        CellReference = reference, DataType = CellValues.InlineString, StyleIndex = style,
    };

    /// <summary>About what the spreadsheet shows, to size the column: the same format applied by .NET, which reads it alike.</summary>
    private string Shown(CellKind kind, object? value) => value switch
    {
        string s => s,
        DateOnly => "yyyy-mm-dd",
        DateTimeOffset => "yyyy-mm-dd hh:mm:ss",
        double d when kind is CellKind.Exact => d.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString(CellKinds.ExcelFormat(kind, _currency).Replace("[$", "").Replace("]", ""), CultureInfo.InvariantCulture),
        long l => l.ToString("#,##0", CultureInfo.InvariantCulture),
        _ => "",
    };

    private static string Reference(int column, uint row)
    {
        var letters = new StringBuilder();
        for (var c = column + 1; c > 0; c = (c - 1) / 26) letters.Insert(0, (char)('A' + (c - 1) % 26));
        return letters.Append(row.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>Excel's sheet-name rules: at most 31 characters, none of []:*?/\.</summary>
    private static string SheetName(string name)
    {
        var cleaned = new string(name.Select(c => "[]:*?/\\".Contains(c) ? '_' : c).ToArray());
        return cleaned.Length > 31 ? cleaned[..31] : cleaned;
    }

    /// <summary>XML cannot carry some characters (a lone surrogate, most controls); they become U+FFFD rather than a broken file.</summary>
    private static string XmlSafe(string text)
    {
        var safe = new StringBuilder(text.Length);
        var changed = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (XmlConvert.IsXmlChar(text[i])) safe.Append(text[i]);
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) safe.Append(text[i]).Append(text[++i]);
            else { safe.Append('\uFFFD'); changed = true; }
        }
        return changed ? safe.ToString() : text;
    }
}
