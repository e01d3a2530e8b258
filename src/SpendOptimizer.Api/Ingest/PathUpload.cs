using SpendOptimizer.Api.Csv;
using SpendOptimizer.Core.Attribution;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Ingest;

/// <summary>ChannelAttribution's path table: path "a > b > c", total_conversions, total_conversion_value, total_null.</summary>
public static class PathUpload
{
    public static readonly TableSchema Schema = new(
        ["path", "total_conversions", "total_conversion_value", "total_null"],
        ["path", "total_conversions"]);

    public static PathRecord Parse(InputRow r)
    {
        var text = r.Text("path");
        var path = ChannelPath.TryParse(text, out var reason);
        if (path is null) r.Fail("path", reason!, text);
        var conversions = r.Number("total_conversions", min: 0);
        var value = r.Number("total_conversion_value", 0, min: 0);
        var nulls = r.Number("total_null", 0, min: 0);
        if (!r.Failed && conversions + nulls == 0) r.Fail("total_null", "a path needs conversions or nulls (both are 0)");
        return new PathRecord(path ?? ChannelPath.Of("?"), conversions, value, nulls);
    }

    public static readonly IReadOnlyList<CsvColumn<PathRecord>> Columns =
    [
        CsvColumn<PathRecord>.Text("path", p => p.Path.ToString()),
        CsvColumn<PathRecord>.Count("total_conversions", p => p.TotalConversions),
        CsvColumn<PathRecord>.Money("total_conversion_value", p => p.TotalConversionValue),
        CsvColumn<PathRecord>.Count("total_null", p => p.TotalNull),
    ];
}
