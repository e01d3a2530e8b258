namespace SpendOptimizer.Core.Attribution;

/// <summary>Where a path table's fields sit in a line of <paramref name="Count"/> fields; -1 for an absent optional column.</summary>
public sealed record PathColumns(int Count, int Path, int Conversions, int Value, int Nulls)
{
    /// <summary>The last field a line must reach for every column to be read.</summary>
    internal int Last => Math.Max(Math.Max(Path, Conversions), Math.Max(Value, Nulls));

    /// <summary>
    /// A path file's header: names split at commas, trimmed of spaces and quotes, any case, any order, extra columns
    /// ignored; path and total_conversions are required.
    /// </summary>
    public static PathColumns FromHeader(string header, string name)
    {
        var columns = header.Split(',').Select(c => c.Trim().Trim('"').ToLowerInvariant()).ToList();
        int Column(string column, bool required)
        {
            var i = columns.IndexOf(column);
            if (i < 0 && required) throw new PathTableException($"{name}: missing column '{column}' (have {header})");
            return i;
        }
        return new PathColumns(columns.Count, Column("path", true), Column("total_conversions", true), Column("total_conversion_value", false),
            Column("total_null", false));
    }
}
