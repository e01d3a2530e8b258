using System.Text;

namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// The first line of a path table as text, and where its rows start. A UTF-8 byte order mark is skipped;
/// <see cref="OtherEncoding"/> is set when the input starts with a UTF-16 or UTF-32 one.
/// </summary>
public sealed record PathTableHeader(string? Text, long DataStart, bool OtherEncoding)
{
    public static PathTableHeader Read(ByteSource source, long length)
    {
        var buffer = new byte[(int)Math.Min(length, 1 << 16)];
        var filled = 0;
        while (true)
        {
            var n = source(filled, buffer.AsSpan(filled));
            filled += n;
            var bytes = buffer.AsSpan(0, filled);
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
                || bytes.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
                return new PathTableHeader(null, 0, true);
            var start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
            var end = bytes[start..].IndexOfAny((byte)'\n', (byte)'\r');
            var complete = n == 0 || filled == length;
            if (end >= 0 && (start + end + 1 < filled || complete))
            {
                end += start;
                var next = end + 1;
                if (bytes[end] == '\r' && next < filled && bytes[next] == '\n') next++;
                return new PathTableHeader(Encoding.UTF8.GetString(bytes[start..end]), next, false);
            }
            if (complete)
                return new PathTableHeader(filled > start ? Encoding.UTF8.GetString(bytes[start..]) : null, filled, false);
            if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(length, buffer.Length * 2L));
        }
    }
}
