namespace SpendOptimizer.Api.Ingest;

/// <summary>Text already read from a reader, then the rest of that reader: lets the first line be looked at before parsing.</summary>
public sealed class PrefixedReader(string prefix, TextReader rest) : TextReader
{
    private int _at;

    /// <summary>
    /// Reads from <paramref name="text"/> until the first line break or <paramref name="maxChars"/>, showing each piece
    /// of that first line to <paramref name="look"/> as it arrives. Everything read stays readable while
    /// <paramref name="look"/> answers true; once it answers false the line is still shown to the end but no longer
    /// kept, and there is nothing to read again (null): a line that will be refused is never held whole.
    /// </summary>
    public static async Task<PrefixedReader?> OpenAsync(TextReader text, int maxChars, Func<ReadOnlySpan<char>, bool> look, CancellationToken ct)
    {
        var read = new System.Text.StringBuilder();
        var buffer = new char[Math.Min(maxChars, 1 << 14)];
        var keep = true;
        var ended = false;
        long total = 0;
        while (!ended && total < maxChars)
        {
            var n = await text.ReadAsync(buffer.AsMemory(), ct);
            if (n == 0) break;
            total += n;
            var at = buffer.AsSpan(0, n).IndexOfAny('\n', '\r');
            ended = at >= 0;
            keep = look(buffer.AsSpan(0, ended ? at : n)) && keep;
            if (keep) read.Append(buffer, 0, n);
        }
        return keep ? new PrefixedReader(read.ToString(), text) : null;
    }

    public override int Peek() => _at < prefix.Length ? prefix[_at] : rest.Peek();

    public override int Read() => _at < prefix.Length ? prefix[_at++] : rest.Read();

    public override int Read(Span<char> buffer)
    {
        if (_at >= prefix.Length) return rest.Read(buffer);
        var n = Math.Min(buffer.Length, prefix.Length - _at);
        prefix.AsSpan(_at, n).CopyTo(buffer);
        _at += n;
        return n;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken ct = default) =>
        _at < prefix.Length ? ValueTask.FromResult(Read(buffer.Span)) : rest.ReadAsync(buffer, ct);

    public override Task<int> ReadAsync(char[] buffer, int index, int count) => ReadAsync(buffer.AsMemory(index, count)).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }
}
