using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Reads the lines of one stretch of a path table into a <see cref="PathTally"/>. Lines end at LF, CR or CRLF; fields split
/// at commas, which UTF-8 never holds inside a character, so bytes are split before anything is decoded.
/// Lenient (a file): empty lines are skipped and the first bad line is kept as an error.
/// Strict (an upload): anything but plain rows — quotes, NUL, blank lines, a field count other than the header's, a number
/// that is not plain digits — only marks the chunk irregular, for a full reader to report in its own words.
/// </summary>
// Hot loops are compiled optimised at once: a read is over before tiered compilation would reach them.
internal sealed class PathChunk(PathColumns columns, PlainRows? plain, int bufferSize)
{
    private readonly bool _strict = plain is not null;
    private readonly int _maxLine = plain?.MaxLineBytes ?? int.MaxValue;
    private readonly double _maxNumber = plain?.MaxNumber ?? double.MaxValue;

    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    public PathTally Tally { get; } = new();

    /// <summary>Lines read so far; the current line is line <see cref="Lines"/> of the chunk, counted from 0.</summary>
    public long Lines { get; private set; }

    public PathTableError? Error { get; private set; }
    public bool Irregular { get; private set; }
    private bool Stopped => Error is not null || Irregular;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(ByteSource source, long start, long end)
    {
        var buffer = new byte[bufferSize];
        var filled = 0;
        var offset = start;
        while (!Stopped)
        {
            var want = (int)Math.Min(buffer.Length - filled, end - offset);
            var n = want > 0 ? source(offset, buffer.AsSpan(filled, want)) : 0;
            offset += n;
            filled += n;
            var last = n == 0 || offset >= end;
            var used = ReadLines(buffer.AsSpan(0, filled), last);
            if (last) break;
            buffer.AsSpan(used, filled - used).CopyTo(buffer);
            filled -= used;
            if (filled < buffer.Length) continue;
            if (filled > _maxLine) Irregular = true;
            else Array.Resize(ref buffer, buffer.Length * 2);
        }
    }

    /// <summary>Reads every whole line of <paramref name="bytes"/> (and, when it is the last, the unended one); returns the bytes used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadLines(ReadOnlySpan<byte> bytes, bool last)
    {
        var at = 0;
        while (!Stopped)
        {
            var rest = bytes[at..];
            var end = rest.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0)
            {
                if (!last || rest.IsEmpty) return at;
                Line(rest);
                Lines++;
                return bytes.Length;
            }
            var next = end + 1;
            if (rest[end] == '\r')
            {
                if (next == rest.Length && !last) return at; // an LF may follow in the next read
                if (next < rest.Length && rest[next] == '\n') next++;
                else if (_strict) Irregular = true;
            }
            Line(rest[..end]);
            Lines++;
            at += next;
        }
        return at;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Line(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            if (_strict) Irregular = true;
            return;
        }
        if (_strict && (line.Length > _maxLine || line.IndexOfAny((byte)'"', (byte)0) >= 0))
        {
            Irregular = true;
            return;
        }
        var fields = line.Count((byte)',') + 1;
        if (_strict ? fields != columns.Count : fields < columns.Count)
        {
            if (_strict) Irregular = true;
            else Error = new PathTableError(Lines, PathTableError.FieldsRank, $"{fields} fields, the header has {columns.Count}");
            return;
        }
        ReadOnlySpan<byte> path = default, conversions = default, value = default, nulls = default;
        var start = 0;
        for (var f = 0; f <= columns.Last; f++)
        {
            var comma = line[start..].IndexOf((byte)',');
            var stop = comma < 0 ? line.Length : start + comma;
            var field = line[start..stop];
            if (f == columns.Path) path = field;
            else if (f == columns.Conversions) conversions = field;
            else if (f == columns.Value) value = field;
            else if (f == columns.Nulls) nulls = field;
            start = stop + 1;
        }
        ref var e = ref Tally.Find(path, Lines);
        if (!Number(conversions, columns.Conversions, required: true, out var c) || !Number(value, columns.Value, false, out var v)
            || !Number(nulls, columns.Nulls, false, out var z)) return;
        e.Rows++;
        e.Conversions += c;
        e.Value += v;
        e.Nulls += z;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Number(ReadOnlySpan<byte> field, int column, bool required, out double d)
    {
        d = 0;
        if (column < 0) return true;
        if (field.IsEmpty)
        {
            if (_strict && required) Irregular = true;
            return !Irregular;
        }
        if (TryPlain(field, out d))
        {
            if (d > _maxNumber) Irregular = true;
            return !Irregular;
        }
        if (_strict)
        {
            Irregular = true;
            return false;
        }
        // Signs, exponents, spaces: the general parser, on the field as text.
        var text = Encoding.UTF8.GetString(field).AsSpan().Trim();
        if (text.IsEmpty) return true;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && d >= 0 && double.IsFinite(d)) return true;
        Error = new PathTableError(Lines, PathTableError.NumberRank, $"'{text}' is not a non-negative number");
        return false;
    }

    /// <summary>
    /// Digits with an optional fraction, at most 15 in all: the whole digits and the power of ten are exact doubles, so
    /// their quotient is the correctly rounded value, the one <see cref="double.Parse(string)"/> gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryPlain(ReadOnlySpan<byte> field, out double d)
    {
        d = 0;
        if (field.Length > 16) return false;
        long mantissa = 0;
        var point = -1;
        for (var i = 0; i < field.Length; i++)
        {
            var b = field[i];
            if (b == '.' && point < 0 && i > 0 && i < field.Length - 1) point = i;
            else if ((uint)(b - '0') <= 9) mantissa = mantissa * 10 + (b - '0');
            else return false;
        }
        var digits = point < 0 ? field.Length : field.Length - 1;
        if (digits > 15) return false;
        d = point < 0 ? mantissa : mantissa / PowersOfTen[field.Length - 1 - point];
        return true;
    }
}
