namespace SpendOptimizer.Api.Options;

/// <summary>Settings under "SpendOptimizer" in configuration.</summary>
public sealed class SpendOptimizerOptions
{
    public const string Section = "SpendOptimizer";

    /// <summary>Operator key allowed to create workspaces; also read from SPENDOPT_ADMIN_KEY.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Largest JSON or CSV body accepted by the ingest routes other than touchpoints.</summary>
    public long MaxBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest touchpoint upload; it is streamed, so this bounds time, not memory.</summary>
    public long MaxTouchpointBodyBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Folder of the model catalogue (models/*.json); by default the copy beside the binaries.</summary>
    public string ModelsPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Longest request target (path and query) accepted; longer is 414 problem details. Kestrel's own limit is set above it.</summary>
    public int MaxRequestTargetBytes { get; set; } = 16 * 1024;

    /// <summary>Largest total of the request headers accepted; larger is 431 problem details. Kestrel's own limit is set above it.</summary>
    public int MaxRequestHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>Sustained requests per second allowed per API key (or per client address without one).</summary>
    public int RateLimitPerSecond { get; set; } = 200;

    /// <summary>Requests a key may send at once before the per-second rate applies.</summary>
    public int RateLimitBurst { get; set; } = 400;

    /// <summary>Most rows one page of a list may return.</summary>
    public int MaxPageSize { get; set; } = 10_000;

    /// <summary>Most row errors listed in one problem-details answer (the total is always given).</summary>
    public int MaxReportedErrors { get; set; } = 100;

    /// <summary>How often each instance looks for due schedules; 0 turns scheduled runs off on this instance.</summary>
    public int SchedulePollSeconds { get; set; } = 30;

    /// <summary>How long an instance remembers a valid key; a revocation is seen by other instances within this time (0: never remember).</summary>
    public double KeyCacheSeconds { get; set; } = 2;

    /// <summary>Time an attribution run may take, journeys aggregation included; past it the answer is 422 and nothing is stored.</summary>
    public double AttributionTimeLimitSeconds { get; set; } = 300;

    /// <summary>Time a curve fit or a recommendation (with the fit it may need) may take.</summary>
    public double PlanningTimeLimitSeconds { get; set; } = 120;

    /// <summary>Most states a Markov chain may have (about 200 bytes each while it is built and solved).</summary>
    public int MaxMarkovStates { get; set; } = 2_000_000;

    /// <summary>Most rows × features the data-driven model's dense training set may hold (4 bytes each).</summary>
    public long MaxFeatureCells { get; set; } = 100_000_000;

    /// <summary>Most channels a curve fit, and so a recommendation, takes on.</summary>
    public int MaxChannels { get; set; } = 2_000;

    /// <summary>Jobs (Prefer: respond-async) this instance runs at once; 0 leaves them to other instances.</summary>
    public int JobWorkers { get; set; } = 1;

    /// <summary>How often an idle instance looks for queued jobs (a job sent to this instance starts at once).</summary>
    public double JobPollSeconds { get; set; } = 2;

    /// <summary>How long a running job stays this instance's without a renewal; it is renewed five times in this time.</summary>
    public double JobLeaseSeconds { get; set; } = 15;

    /// <summary>Times a job may be started: when the instance running it is lost on each, the job fails.</summary>
    public int JobMaxAttempts { get; set; } = 2;

    /// <summary>Time one attempt of a job may take; past it the job fails and stores nothing.</summary>
    public double JobTimeLimitSeconds { get; set; } = 3600;
}
