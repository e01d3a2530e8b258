namespace SpendOptimizer.Api.Ingest;

/// <summary>Text already read from a reader, then the rest of that reader: lets the first line be looked at before parsing.</summary>
public sealed class PrefixedReader(string prefix, TextReader rest) : TextReader
{
    private int _at;

    /// <summary>Reads from <paramref name="text"/> until the first line break or <paramref name="maxChars"/>; everything read stays readable.</summary>
    public static async Task<(string FirstLine, PrefixedReader Reader)> OpenAsync(TextReader text, int maxChars, CancellationToken ct)
    {
        var read = new System.Text.StringBuilder();
        var buffer = new char[Math.Min(maxChars, 1 << 14)];
        var end = -1;
        while (end < 0 && read.Length < maxChars)
        {
            var n = await text.ReadAsync(buffer.AsMemory(), ct);
            if (n == 0) break;
            var at = buffer.AsSpan(0, n).IndexOfAny('\n', '\r');
            if (at >= 0) end = read.Length + at;
            read.Append(buffer, 0, n);
        }
        var all = read.ToString();
        return (end < 0 ? all : all[..end], new PrefixedReader(all, text));
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
