namespace SpendOptimizer.Api.Ingest;

/// <summary>The columns an upload may carry: CSV header names and JSON property names alike.</summary>
public sealed class TableSchema
{
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlySet<string> Required { get; }
    private readonly Dictionary<string, int> _index;

    public TableSchema(IReadOnlyList<string> columns, IReadOnlyList<string> required)
    {
        Columns = columns;
        Required = required.ToHashSet(StringComparer.Ordinal);
        _index = columns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.OrdinalIgnoreCase);
    }

    public int? IndexOf(string column)
    {
        // Parsers ask by literal (interned) names millions of times per load: try reference equality first.
        for (var i = 0; i < Columns.Count; i++)
            if (ReferenceEquals(Columns[i], column)) return i;
        return _index.TryGetValue(column.Trim(), out var found) ? found : null;
    }

    public string Describe() => string.Join(", ", Columns.Select(c => Required.Contains(c) ? c + " (required)" : c));
}
