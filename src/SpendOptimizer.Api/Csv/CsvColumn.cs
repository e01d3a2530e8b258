namespace SpendOptimizer.Api.Csv;

/// <summary>
/// One output column: a stable name, what it holds (<see cref="CellKind"/>) and how a row's value is read. The value stays
/// typed (string, double, long, DateOnly or DateTimeOffset) so CSV can round it and a workbook can keep it whole.
/// </summary>
public sealed record CsvColumn<T>(string Name, CellKind Kind, Func<T, object?> Read)
{
    public bool IsText => Kind == CellKind.Text;

    /// <summary>The value as CSV writes it (null: an empty field).</summary>
    public string? Value(T row) => CellKinds.Format(Kind, Read(row));

    /// <summary>The same column over a row that contains a <typeparamref name="T"/>.</summary>
    public CsvColumn<TOuter> Of<TOuter>(Func<TOuter, T> inner) => new(Name, Kind, r => Read(inner(r)));

    public static CsvColumn<T> Text(string name, Func<T, string?> value) => new(name, CellKind.Text, r => value(r));
    public static CsvColumn<T> Money(string name, Func<T, double?> value) => Number(name, CellKind.Money, value);
    public static CsvColumn<T> Count(string name, Func<T, double?> value) => Number(name, CellKind.Count, value);
    public static CsvColumn<T> Share(string name, Func<T, double?> value) => Number(name, CellKind.Share, value);
    public static CsvColumn<T> Ratio(string name, Func<T, double?> value) => Number(name, CellKind.Ratio, value);
    public static CsvColumn<T> Factor(string name, Func<T, double?> value) => Number(name, CellKind.Factor, value);
    public static CsvColumn<T> Months(string name, Func<T, double?> value) => Number(name, CellKind.Months, value);
    public static CsvColumn<T> Rate(string name, Func<T, double?> value) => Number(name, CellKind.Rate, value);
    public static CsvColumn<T> Exact(string name, Func<T, double?> value) => Number(name, CellKind.Exact, value);
    public static CsvColumn<T> Integer(string name, Func<T, long?> value) => new(name, CellKind.Integer, r => value(r));
    public static CsvColumn<T> Date(string name, Func<T, DateOnly?> value) => new(name, CellKind.Date, r => value(r));
    public static CsvColumn<T> Timestamp(string name, Func<T, DateTimeOffset?> value) => new(name, CellKind.Timestamp, r => value(r));

    private static CsvColumn<T> Number(string name, CellKind kind, Func<T, double?> value) => new(name, kind, r => value(r));
}
