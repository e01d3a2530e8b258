using System.Collections.Concurrent;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Jobs;

/// <summary>
/// Runs jobs on this instance. Every instance claims the oldest job nobody holds and keeps it by renewing its lease while
/// it works; the renewal also records progress and notices a cancel. An instance that dies stops renewing, its lease
/// runs out and another instance claims the job again: the retry replays the stored request from the start.
/// </summary>
public sealed class JobRunner(JobStore jobs, JobReplay replay, IOptions<SpendOptimizerOptions> options, ILogger<JobRunner> log) : BackgroundService
{
    /// <summary>Who holds a lease: unique per process start, readable in the jobs table.</summary>
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentDictionary<Guid, Running> _running = new();

    private sealed class Running(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;
        public volatile bool StopAsked;
        public ProgressReport? Latest;
    }

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.JobLeaseSeconds);

    /// <summary>A job was queued here: look now rather than at the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>Stops a job this instance is running at once (other instances notice the cancel at their next renewal).</summary>
    public void CancelHere(Guid id)
    {
        if (!_running.TryGetValue(id, out var running)) return;
        running.StopAsked = true;
        running.Stop.Cancel();
    }

    protected override Task ExecuteAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(0, options.Value.JobWorkers)).Select(_ => WorkAsync(stop)));

    private async Task WorkAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            ClaimedJob? job = null;
            try
            {
                job = await jobs.ClaimAsync(_owner, Lease, options.Value.JobMaxAttempts, stop);
                if (job is not null) await RunAsync(job, stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                log.LogError(e, "Job runner stopped a turn early; jobs still owed are claimed at the next poll");
            }
            if (job is not null) continue;
            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(options.Value.JobPollSeconds), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task RunAsync(ClaimedJob job, CancellationToken shutdown)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        stop.CancelAfter(TimeSpan.FromSeconds(options.Value.JobTimeLimitSeconds));
        var running = new Running(stop);
        _running[job.Id] = running;
        using var renewing = new CancellationTokenSource();
        var renewals = RenewAsync(job, running, renewing.Token);
        JobEnd? end;
        try
        {
            using (WorkProgress.Listen(p => running.Latest = p))
                end = await replay.RunAsync(job, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            end = running.StopAsked ? new JobEnd(JobState.Cancelled, null, null)
                : shutdown.IsCancellationRequested ? null
                : new JobEnd(JobState.Failed, null, JobReplay.Problem(422, "Time limit reached",
                    $"The job did not finish within its limit of {options.Value.JobTimeLimitSeconds:0.##} s and stored nothing."));
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
            await renewing.CancelAsync();
            await renewals;
        }
        // Stopping with the host leaves the job running under a lease that runs out: another instance takes it over.
        if (end is not null && !await jobs.FinishAsync(job.Id, _owner, end, running.Latest, CancellationToken.None))
            log.LogWarning("Job {Job} ended here after its lease passed to another instance; that instance's end stands", job.Id);
    }

    /// <summary>Renews the lease five times per lease period until the work ends; stops the work when the job should stop here.</summary>
    private async Task RenewAsync(ClaimedJob job, Running running, CancellationToken ended)
    {
        using var timer = new PeriodicTimer(Lease / 5);
        try
        {
            while (await timer.WaitForNextTickAsync(ended))
            {
                try
                {
                    if (await jobs.RenewAsync(job.Id, _owner, Lease, running.Latest, ended)) continue;
                    running.StopAsked = true;
                    await running.Stop.CancelAsync();
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A renewal that fails once is retried at the next tick, well inside the lease.
                    log.LogWarning(e, "Could not renew the lease of job {Job}", job.Id);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
