using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Sums per distinct path, keyed on the path field's bytes as they stand in the input: the same path on a million lines
/// is one hash look-up each and one entry, and no line becomes a string. Each entry's sums and key bytes lie together
/// in one array, and each slot carries part of its key's hash, so a look-up touches two places in memory, not three.
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

    private static readonly int EntrySize = Unsafe.SizeOf<Entry>();

    private byte[] _bytes = new byte[1 << 16];
    private int _used;
    private ulong[] _slots = new ulong[1 << 12]; // the hash's high half (which also picks the slot), entry offset / 8 + 1; 0 is free
    private int[] _order = new int[1 << 10];     // entry offsets in order of first sight

    public int Count { get; private set; }

    public ref Entry this[int i] => ref At(_order[i]);

    public ReadOnlySpan<byte> KeyOf(int i) => _bytes.AsSpan(_order[i] + EntrySize, At(_order[i]).Length);

    public ReadOnlyMemory<byte> KeyMemoryOf(int i) => _bytes.AsMemory(_order[i] + EntrySize, At(_order[i]).Length);

    private ref Entry At(int offset) => ref Unsafe.As<byte, Entry>(ref _bytes[offset]);

    /// <summary>The entry of <paramref name="key"/>, made on first sight with <paramref name="line"/> as its first line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref Entry Find(ReadOnlySpan<byte> key, long line)
    {
        var hash = XxHash3.HashToUInt64(key);
        var tag = hash & 0xFFFF_FFFF_0000_0000;
        var mask = _slots.Length - 1;
        var at = (int)(hash >> 32) & mask;
        while (_slots[at] is var slot and > 0)
        {
            if ((slot & 0xFFFF_FFFF_0000_0000) == tag)
            {
                var offset = (int)((uint)slot - 1) * 8;
                ref var e = ref At(offset);
                if (e.Length == key.Length && key.SequenceEqual(_bytes.AsSpan(offset + EntrySize, key.Length))) return ref e;
            }
            at = (at + 1) & mask;
        }
        var size = EntrySize + ((key.Length + 7) & ~7);
        if (_used + size > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + size));
        var start = _used;
        _used += size;
        ref var added = ref At(start);
        added = new Entry { Length = key.Length, FirstLine = line };
        key.CopyTo(_bytes.AsSpan(start + EntrySize));
        if (Count == _order.Length) Array.Resize(ref _order, Count * 2);
        _order[Count++] = start;
        _slots[at] = tag | (uint)(start / 8 + 1);
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
        _slots = new ulong[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot == 0) continue;
            var at = (int)(slot >> 32) & mask;
            while (_slots[at] != 0) at = (at + 1) & mask;
            _slots[at] = slot;
        }
    }
}
