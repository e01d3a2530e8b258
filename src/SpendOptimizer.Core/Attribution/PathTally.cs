using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Sums per distinct path, keyed on the path field's bytes as they stand in the input: the same path on a million lines
/// is one hash look-up each and one entry, and no line becomes a string. Each entry's sums and key bytes lie together,
/// and each slot carries part of its key's hash, so a look-up touches memory in two places, not three. Entries are kept
/// in fixed blocks, so growing never copies them (a doubled array would hold both copies at once).
/// </summary>
internal sealed class PathTally
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct Entry
    {
        public int Length;
        public int Rows;
        public long FirstLine;
        public double Conversions;
        public double Value;
        public double Nulls;
    }

    private const int BlockBits = 22;
    private const long HighHalf = unchecked((long)0xFFFF_FFFF_0000_0000);
    private static readonly int EntrySize = Unsafe.SizeOf<Entry>();

    private readonly List<byte[]> _blocks = [];
    private int _used = 1 << BlockBits; // in the last block; full, so the first entry opens one
    private long[] _slots = new long[1 << 12]; // the hash's high half (which also picks the slot), entry place / 8 + 1; 0 is free
    private long[] _order = new long[1 << 10]; // entry places in order of first sight

    public int Count { get; private set; }

    public ref Entry this[int i] => ref At(_order[i]);

    public ReadOnlySpan<byte> KeyOf(int i) => Key(_order[i]);

    public ReadOnlyMemory<byte> KeyMemoryOf(int i) =>
        _blocks[(int)(_order[i] >> BlockBits)].AsMemory((int)(_order[i] & ((1 << BlockBits) - 1)) + EntrySize, this[i].Length);

    /// <summary>A place is a block's index and an offset in it (entries longer than a block get a block of their own at offset 0).</summary>
    private ref Entry At(long place) => ref Unsafe.As<byte, Entry>(ref _blocks[(int)(place >> BlockBits)][(int)(place & ((1 << BlockBits) - 1))]);

    private ReadOnlySpan<byte> Key(long place) =>
        _blocks[(int)(place >> BlockBits)].AsSpan((int)(place & ((1 << BlockBits) - 1)) + EntrySize, At(place).Length);

    /// <summary>The entry of <paramref name="key"/>, made on first sight with <paramref name="line"/> as its first line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref Entry Find(ReadOnlySpan<byte> key, long line)
    {
        var hash = (long)XxHash3.HashToUInt64(key);
        var tag = hash & HighHalf;
        var mask = _slots.Length - 1;
        var at = (int)(hash >>> 32) & mask;
        while (_slots[at] is var slot and not 0)
        {
            if ((slot & HighHalf) == tag)
            {
                var place = ((slot & 0xFFFF_FFFF) - 1) * 8;
                ref var e = ref At(place);
                if (e.Length == key.Length && key.SequenceEqual(Key(place))) return ref e;
            }
            at = (at + 1) & mask;
        }
        var size = EntrySize + ((key.Length + 7) & ~7);
        if (_used + size > 1 << BlockBits)
        {
            _blocks.Add(new byte[Math.Max(1 << BlockBits, size)]);
            _used = 0;
        }
        var start = ((long)(_blocks.Count - 1) << BlockBits) + _used;
        _used += size;
        ref var added = ref At(start);
        added = new Entry { Length = key.Length, FirstLine = line };
        key.CopyTo(_blocks[^1].AsSpan((int)(start & ((1 << BlockBits) - 1)) + EntrySize));
        if (Count == _order.Length) Array.Resize(ref _order, Count * 2);
        _order[Count++] = start;
        _slots[at] = tag | (start / 8 + 1);
        if (Count * 2 > _slots.Length) Rehash();
        return ref At(start);
    }

    /// <summary>Adds another tally's sums; its new paths follow this one's, so entries stay in order of first line.</summary>
    public void Merge(PathTally other, long lineOffset)
    {
        for (var i = 0; i < other.Count; i++)
        {
            var o = other[i];
            ref var e = ref Find(other.KeyOf(i), o.FirstLine + lineOffset);
            e.Rows += o.Rows;
            e.Conversions += o.Conversions;
            e.Value += o.Value;
            e.Nulls += o.Nulls;
        }
    }

    /// <summary>Moves every first line by <paramref name="lineOffset"/> (a chunk's lines counted from the input's start).</summary>
    public void Shift(long lineOffset)
    {
        for (var i = 0; i < Count; i++) this[i].FirstLine += lineOffset;
    }

    private void Rehash()
    {
        var old = _slots;
        _slots = new long[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot == 0) continue;
            var at = (int)(slot >>> 32) & mask;
            while (_slots[at] != 0) at = (at + 1) & mask;
            _slots[at] = slot;
        }
    }
}
