using System.Buffers;
using System.Text;
using SpendOptimizer.Api.Errors;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Reads a JSON body and fails with 400 as soon as one string in it (a value or a property name) runs past
/// <see cref="MaxStringBytes"/>, naming the property it belongs to. Parsers further on buffer a document whole and turn
/// a string into .NET text before any rule can look at its length, so a 3 MB field would otherwise cost several times
/// that in memory only to be refused.
/// </summary>
public sealed class JsonStringLimitStream(Stream inner) : Stream
{
    /// <summary>The longest string of any JSON body, in bytes as sent: as long as a whole CSV record may be.</summary>
    public const int MaxStringBytes = CsvRowSource.MaxRecordBytes;

    /// <summary>Containers deeper than this are not told apart (no parser of the API reads so deep); their strings are still measured.</summary>
    private const int TrackedDepth = 64;

    /// <summary>How much of a string is kept, to name a property or show the start of a value that is too long.</summary>
    private const int HeadBytes = 4 * ProblemBounds.ExcerptLength;

    private static readonly SearchValues<byte> Structure = SearchValues.Create("\"{}[],:"u8);

    private readonly string?[] _names = new string?[TrackedDepth]; // the last property name read at each object level
    private ulong _objects;    // bit d: level d is an object
    private int _depth;
    private bool _expectName;  // right after '{' or ',' in an object
    private string? _lastName; // the string just read, when it was a property name
    private long _offset;
    private bool _inString, _escaped, _isName;
    private long _start, _length;
    private readonly byte[] _head = new byte[HeadBytes];
    private int _headLength;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _offset; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Scan(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        return Scan(buffer.Span[..n]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private int Scan(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            var rest = bytes[i..];
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                    Take(rest[..1]);
                    i++;
                    continue;
                }
                var end = rest.IndexOfAny((byte)'"', (byte)'\\');
                Take(end < 0 ? rest : rest[..end]);
                if (end < 0) break;
                i += end + 1;
                if (rest[end] == '\\')
                {
                    Take(rest.Slice(end, 1));
                    _escaped = true;
                }
                else EndString();
                continue;
            }
            var at = rest.IndexOfAny(Structure);
            if (at < 0) break;
            i += at + 1;
            switch (rest[at])
            {
                case (byte)'"':
                    (_inString, _isName, _start, _length, _headLength) = (true, _expectName && InObject, _offset + i - 1, 0, 0);
                    break;
                case (byte)'{':
                    Push(isObject: true);
                    break;
                case (byte)'[':
                    Push(isObject: false);
                    break;
                case (byte)'}' or (byte)']':
                    if (_depth > 0) _depth--;
                    _expectName = false;
                    break;
                case (byte)',':
                    _expectName = InObject;
                    break;
                case (byte)':':
                    if (InObject && _depth <= TrackedDepth) _names[_depth - 1] = _lastName;
                    _expectName = false;
                    break;
            }
        }
        _offset += bytes.Length;
        return bytes.Length;
    }

    private bool InObject => _depth is > 0 and <= TrackedDepth && (_objects & (1UL << (_depth - 1))) != 0;

    private void Push(bool isObject)
    {
        if (_depth < TrackedDepth)
        {
            _objects = isObject ? _objects | (1UL << _depth) : _objects & ~(1UL << _depth);
            _names[_depth] = null;
        }
        _depth++;
        _expectName = isObject;
    }

    private void Take(ReadOnlySpan<byte> part)
    {
        var kept = Math.Min(part.Length, HeadBytes - _headLength);
        part[..kept].CopyTo(_head.AsSpan(_headLength));
        _headLength += kept;
        _length += part.Length;
        if (_length > MaxStringBytes) throw TooLong();
    }

    private void EndString()
    {
        _inString = false;
        _lastName = _isName ? Head() : null;
        _expectName = false;
    }

    /// <summary>The kept start of the string; a character cut at its end is dropped by the decoder's replacement and trimmed.</summary>
    private string Head() => Encoding.UTF8.GetString(_head, 0, _headLength).TrimEnd('\uFFFD');

    /// <summary>The property a value belongs to: the innermost object's last name (through any arrays in between).</summary>
    private string? Property()
    {
        for (var d = Math.Min(_depth, TrackedDepth) - 1; d >= 0; d--)
            if ((_objects & (1UL << d)) != 0) return _names[d];
        return null;
    }

    private ProblemException TooLong()
    {
        var at = $"byte {_start + 1:N0}";
        var reason = $"is a JSON string longer than {MaxStringBytes:N0} bytes, more than any value of this API can be";
        var (column, where) = _isName
            ? (ProblemBounds.Excerpt(Head()), $"A property name at {at}")
            : Property() is { } name ? (name, $"The value of '{ProblemBounds.Excerpt(name)}' at {at}") : (at, $"The value at {at}");
        return new(StatusCodes.Status400BadRequest, "Value too long", $"{where} {reason}. Nothing was stored.",
            [new RowError(null, null, column, reason, ProblemBounds.Excerpt(Head()))]);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
