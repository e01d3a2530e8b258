using System.Globalization;
using System.Text;
using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Core.Tests.Attribution;

/// <summary>
/// The line-by-line path file reader the byte reader replaced (a string per line, channels split as read), kept as the
/// oracle the byte reader must agree with. Throws <see cref="PathTableException"/> with the messages that reader gave.
/// </summary>
internal static class LinePathReader
{
    public static PathSet Read(byte[] bytes, string file)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, true, 1 << 20);
        var header = reader.ReadLine() ?? throw new PathTableException($"{file} is empty");
        var columns = header.Split(',').Select(c => c.Trim().Trim('"').ToLowerInvariant()).ToList();
        int Column(string name, bool required)
        {
            var i = columns.IndexOf(name);
            if (i < 0 && required) throw new PathTableException($"{file}: missing column '{name}' (have {header})");
            return i;
        }
        var pathAt = Column("path", true);
        var conversionsAt = Column("total_conversions", true);
        var valueAt = Column("total_conversion_value", false);
        var nullsAt = Column("total_null", false);

        var builder = new PathSetBuilder();
        var ids = new int[64];
        var fields = new Range[columns.Count + 1];
        var line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var span = text.AsSpan();
            var n = span.Split(fields, ',');
            if (n < columns.Count) throw new PathTableException($"{file} line {line}: {n} fields, the header has {columns.Count}");
            var path = span[fields[pathAt]].Trim().Trim('"');
            var count = 0;
            foreach (var part in path.Split('>'))
            {
                var name = path[part].Trim();
                if (name.IsEmpty) throw new PathTableException($"{file} line {line}: empty channel in path");
                if (count == ids.Length) Array.Resize(ref ids, count * 2);
                ids[count++] = builder.Channel(name);
            }
            builder.Add(ids.AsSpan(0, count), Number(span, fields, conversionsAt, file, line), Number(span, fields, valueAt, file, line),
                Number(span, fields, nullsAt, file, line));
        }
        return builder.Build();
    }

    private static double Number(ReadOnlySpan<char> line, Range[] fields, int at, string file, int number)
    {
        if (at < 0) return 0;
        var field = line[fields[at]].Trim();
        if (field.IsEmpty) return 0;
        return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d)
            ? d
            : throw new PathTableException($"{file} line {number}: '{field}' is not a non-negative number");
    }
}
