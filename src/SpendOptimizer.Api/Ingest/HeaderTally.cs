namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// The fields of a CSV header line as one separator splits it, tallied piece by piece while the line is read, so a
/// line of a million fields is counted without being held: how many fields, and which of the route's columns they name.
/// </summary>
public sealed class HeaderTally(char separator, TableSchema schema)
{
    /// <summary>No column name is longer; a longer field names none.</summary>
    private const int LongestName = 64;

    private readonly char[] _field = new char[LongestName];
    private int _length; // of the field being read, LongestName + 1 once past it

    public long Fields { get; private set; } = 1;
    public HashSet<int> Named { get; } = [];

    public void Add(ReadOnlySpan<char> piece)
    {
        while (true)
        {
            var at = piece.IndexOf(separator);
            var part = at < 0 ? piece : piece[..at];
            if (_length + part.Length <= LongestName) part.CopyTo(_field.AsSpan(_length));
            _length = Math.Min(_length + part.Length, LongestName + 1);
            if (at < 0) return;
            EndField();
            Fields++;
            piece = piece[(at + 1)..];
        }
    }

    /// <summary>The line is over: its last field is looked at too.</summary>
    public void End() => EndField();

    private void EndField()
    {
        if (_length is > 0 and <= LongestName && schema.IndexOf(new string(_field, 0, _length)) is { } column) Named.Add(column);
        _length = 0;
    }
}
