namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Copies the bytes at <paramref name="offset"/> of some input into <paramref name="buffer"/> and returns how many it copied
/// (0 at the end): a file read at an offset or a slice of bytes in memory, so parsing never owns the I/O.
/// </summary>
public delegate int ByteSource(long offset, Span<byte> buffer);
