using System.Collections.Concurrent;
using System.Text.Json;
using SpendOptimizer.Api.Tests.Hostile;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// Sends <see cref="HostileGenerator"/>'s requests to a running API and tallies the answers by status; every answer is
/// judged by <see cref="HostileVerdict"/>, the same rule the tests apply to their sample.
/// </summary>
public static class HostileRun
{
    /// <returns>Lines for the report: "status count" per status, then "faults N", then up to 20 faults.</returns>
    public static async Task<IReadOnlyList<string>> RunAsync(string url, string workspace, string key, int count, int seed, int parallel)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var doc = JsonDocument.Parse(await http.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var generator = new HostileGenerator(doc, workspace);
        var statuses = new ConcurrentDictionary<int, int>();
        var faults = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(generator.Cases(seed, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (c, ct) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Target);
            if (c.Body is not null)
            {
                request.Content = new ByteArrayContent(c.Body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }
            try
            {
                using var response = await http.SendAsync(request, ct);
                var status = (int)response.StatusCode;
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (HostileVerdict.Fault(c, status, response.Content.Headers.ContentType?.MediaType, text) is { } fault)
                    faults.Enqueue($"{c.Name}: {fault}: {(text.Length > 200 ? text[..200] : text)}");
            }
            catch (HttpRequestException e)
            {
                statuses.AddOrUpdate(0, 1, (_, n) => n + 1);
                faults.Enqueue($"{c.Name}: no answer ({e.Message})");
            }
        });
        return
        [
            .. statuses.OrderBy(s => s.Key).Select(s => $"status {s.Key} {s.Value}"),
            $"operations {generator.Operations}",
            $"faults {faults.Count}",
            .. faults.Take(20).Select(f => "fault " + f.ReplaceLineEndings(" ")),
        ];
    }
}
