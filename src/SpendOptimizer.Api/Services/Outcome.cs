namespace SpendOptimizer.Api.Services;

/// <summary>What a service call came to; a handler maps each case to its typed HTTP result.</summary>
public abstract record Outcome<T>
{
    private Outcome()
    {
    }

    /// <summary>The call did what was asked.</summary>
    public sealed record Done(T Value) : Outcome<T>;

    /// <summary>The request is wrong, by field; nothing was changed.</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : Outcome<T>;

    /// <summary>What the request names does not exist in the workspace.</summary>
    public sealed record Missing(string Title, string Detail) : Outcome<T>;

    /// <summary>The request is fine but the workspace's state does not allow it yet (or any more).</summary>
    public sealed record Conflict(string Title, string Detail) : Outcome<T>;

    public static implicit operator Outcome<T>(T value) => new Done(value);
}
