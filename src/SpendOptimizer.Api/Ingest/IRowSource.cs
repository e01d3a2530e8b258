namespace SpendOptimizer.Api.Ingest;

/// <summary>Rows of an upload, read one at a time into a reused <see cref="InputRow"/>.</summary>
public interface IRowSource : IAsyncDisposable
{
    ValueTask<bool> ReadAsync(InputRow row, CancellationToken ct);
}
