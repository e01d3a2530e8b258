namespace SpendOptimizer.Api.Auth;

/// <summary>What a key may do; each role includes the ones below it.</summary>
public enum Role
{
    /// <summary>Read data and results (GET).</summary>
    Read = 1,
    /// <summary>Load data and request runs, plus read.</summary>
    Ingest = 2,
    /// <summary>Issue keys, plus everything else in its workspace.</summary>
    Admin = 3,
}

/// <summary>Endpoint metadata: the least role a route needs.</summary>
public sealed record RequiredRole(Role Role);
