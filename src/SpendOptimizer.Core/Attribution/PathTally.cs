using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Sums per distinct path, keyed on the path field's bytes as they stand in the input: the same path on a million lines
/// is one hash look-up each and one entry, and no line becomes a string.
/// </summary>
internal sealed class PathTally
{
    internal struct Entry
    {
        public ulong Hash;
        public int Start;
        public int Length;
        public int Rows;
        public long FirstLine;
        public double Conversions;
        public double Value;
        public double Nulls;
    }

    private byte[] _bytes = new byte[1 << 16];
    private int _used;
    private int[] _slots = new int[1 << 12]; // entry index + 1; 0 is free
    private Entry[] _entries = new Entry[1 << 10];

    public int Count { get; private set; }

    public ReadOnlyMemory<byte> KeyOf(in Entry e) => _bytes.AsMemory(e.Start, e.Length);

    public ref Entry this[int i] => ref _entries[i];

    /// <summary>The entry of <paramref name="key"/>, made on first sight with <paramref name="line"/> as its first line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref Entry Find(ReadOnlySpan<byte> key, long line)
    {
        var hash = XxHash3.HashToUInt64(key);
        var mask = _slots.Length - 1;
        var at = (int)(hash >> 32) & mask;
        while (_slots[at] is var slot and > 0)
        {
            ref var e = ref _entries[slot - 1];
            if (e.Hash == hash && key.SequenceEqual(_bytes.AsSpan(e.Start, e.Length))) return ref e;
            at = (at + 1) & mask;
        }
        if (_used + key.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + key.Length));
        key.CopyTo(_bytes.AsSpan(_used));
        if (Count == _entries.Length) Array.Resize(ref _entries, Count * 2);
        _entries[Count] = new Entry { Hash = hash, Start = _used, Length = key.Length, FirstLine = line };
        _used += key.Length;
        _slots[at] = ++Count;
        if (Count * 2 > _slots.Length) Rehash();
        return ref _entries[Count - 1];
    }

    /// <summary>Adds another tally's sums; its new paths follow this one's, so entries stay in order of first line.</summary>
    public void Merge(PathTally other, long lineOffset)
    {
        for (var i = 0; i < other.Count; i++)
        {
            ref var o = ref other._entries[i];
            ref var e = ref Find(other._bytes.AsSpan(o.Start, o.Length), o.FirstLine + lineOffset);
            e.Rows += o.Rows;
            e.Conversions += o.Conversions;
            e.Value += o.Value;
            e.Nulls += o.Nulls;
        }
    }

    /// <summary>Moves every first line by <paramref name="lineOffset"/> (a chunk's lines counted from the input's start).</summary>
    public void Shift(long lineOffset)
    {
        for (var i = 0; i < Count; i++) _entries[i].FirstLine += lineOffset;
    }

    private void Rehash()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var i = 0; i < Count; i++)
        {
            var at = (int)(_entries[i].Hash >> 32) & mask;
            while (_slots[at] != 0) at = (at + 1) & mask;
            _slots[at] = i + 1;
        }
    }
}
