using SpendOptimizer.Api.Errors;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Reads a JSON body and fails with 400 at the first byte that is not UTF-8 (RFC 8259 allows nothing else): stray
/// bytes, overlong forms, encoded surrogates, sequences cut short. Parsers further on only ever see valid text.
/// </summary>
public sealed class Utf8CheckedStream(Stream inner) : Stream
{
    private long _offset;
    private int _pending;               // continuation bytes the current character still needs
    private byte _low = 0x80, _high = 0xBF; // the range the next continuation byte must fall in
    private long _charStart;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _offset; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Check(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        return Check(buffer.Span[..n]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private int Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0 && _pending > 0) throw Invalid(_charStart, "the body ends inside a character");
        for (var i = 0; i < bytes.Length; i++, _offset++)
        {
            var b = bytes[i];
            if (_pending > 0)
            {
                if (b < _low || b > _high) throw Invalid(_charStart, $"the character starting there is broken at byte {_offset + 1:N0} (0x{b:X2})");
                _pending--;
                (_low, _high) = ((byte)0x80, (byte)0xBF);
                continue;
            }
            if (b < 0x80)
            {
                // Skip the ASCII run in one go: most bodies are nothing else.
                var run = bytes[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
                if (run < 0) { _offset += bytes.Length - i; break; }
                i += run - 1;
                _offset += run - 1;
                continue;
            }
            _charStart = _offset;
            (_pending, _low, _high) = b switch
            {
                >= 0xC2 and <= 0xDF => (1, (byte)0x80, (byte)0xBF),
                0xE0 => (2, (byte)0xA0, (byte)0xBF),            // below A0 would be an overlong form
                0xED => (2, (byte)0x80, (byte)0x9F),            // A0 and up would encode a UTF-16 surrogate
                >= 0xE1 and <= 0xEF => (2, (byte)0x80, (byte)0xBF),
                0xF0 => (3, (byte)0x90, (byte)0xBF),
                >= 0xF1 and <= 0xF3 => (3, (byte)0x80, (byte)0xBF),
                0xF4 => (3, (byte)0x80, (byte)0x8F),            // beyond U+10FFFF otherwise
                _ => throw Invalid(_offset, $"0x{b:X2} cannot begin a character" + (b is 0xC0 or 0xC1 ? " (an overlong form)" : "")),
            };
        }
        return bytes.Length;
    }

    /// <param name="offset">0-based; reported 1-based, as byte counts are read.</param>
    private static ProblemException Invalid(long offset, string reason) =>
        new(StatusCodes.Status400BadRequest, "Invalid text encoding",
            $"The body is not valid UTF-8 at byte {offset + 1:N0}: {reason}. JSON must be UTF-8; nothing was stored.");

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
