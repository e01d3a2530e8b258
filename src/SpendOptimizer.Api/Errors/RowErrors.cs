namespace SpendOptimizer.Api.Errors;

/// <summary>Collects row errors across an upload; keeps the first few and counts them all.</summary>
public sealed class RowErrors(int maxListed)
{
    private readonly List<RowError> _listed = [];

    public long Count { get; private set; }

    /// <summary>The first errors, at most as many as are reported.</summary>
    public IReadOnlyList<RowError> Listed => _listed;

    public void Add(RowError error)
    {
        Count++;
        if (_listed.Count < maxListed) _listed.Add(error);
    }

    /// <summary>Ends the request with 400 problem details when any row was wrong; stored data is untouched.</summary>
    public void ThrowIfAny()
    {
        if (Count == 0) return;
        var rows = Count == 1 ? "1 problem" : $"{Count:N0} problems";
        var shown = Count > _listed.Count ? $" (the first {_listed.Count} are listed)" : "";
        throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid rows",
            $"The upload has {rows}{shown}; nothing was stored. Fix them and send the whole batch again.", _listed, Count);
    }
}
