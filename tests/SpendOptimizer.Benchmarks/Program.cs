using System.Globalization;
using BenchmarkDotNet.Running;
using SpendOptimizer.Benchmarks;
using SpendOptimizer.Core.Allocation;

// End-to-end benchmark drivers call this for data; the shell scripts beside it time whole processes.
switch (args.FirstOrDefault())
{
    case "touchpoints":
        // touchpoints FILE ROWS [SEED]
        var rows = long.Parse(args[2]);
        var written = JourneyGenerator.WriteTouchpoints(args[1], rows, args.Length > 3 ? int.Parse(args[3]) : 1);
        Console.WriteLine($"{written} rows written to {args[1]}");
        return 0;
    case "journeys":
        // journeys FILE JOURNEYS [SEED]: the touchpoint CSV of that many journeys
        var rowsWritten = JourneyGenerator.WriteTouchpoints(args[1], long.MaxValue, args.Length > 3 ? int.Parse(args[3]) : 1, long.Parse(args[2]));
        Console.WriteLine($"{rowsWritten} rows written to {args[1]}");
        return 0;
    case "paths":
        // paths FILE JOURNEYS [SEED]
        JourneyGenerator.WritePaths(args[1], long.Parse(args[2]), args.Length > 3 ? int.Parse(args[3]) : 1);
        Console.WriteLine($"{args[2]} journeys written to {args[1]}");
        return 0;
    case "allocation":
        // allocation [REPEATS]: solve time by lines, a markdown table on stdout
        foreach (var (caution, scope) in new[] { (false, LimitScope.PerChannel), (true, LimitScope.PerChannel), (true, LimitScope.Both) })
            foreach (var row in AllocationTiming.Run([10, 50, 200, 1000], args.Length > 1 ? int.Parse(args[1]) : 15, caution, scope)) Console.WriteLine(row);
        return 0;
    case "budget-curve":
        // budget-curve [LINES] [REPEATS]: time of a 13-point budget curve, one point at a time and two at once, a markdown table on stdout
        foreach (var row in BudgetCurveTiming.Run(args.Length > 1 ? int.Parse(args[1]) : 50, args.Length > 2 ? int.Parse(args[2]) : 9)) Console.WriteLine(row);
        return 0;
    case "path":
        // path CHANNELS WEEKS [COUNT]: path MIP solve time over COUNT seeded problems of one size, a markdown row on stdout
        Console.WriteLine(PathTiming.Run(int.Parse(args[1]), int.Parse(args[2]), args.Length > 3 ? int.Parse(args[3]) : 5));
        return 0;
    case "path-quality":
        // path-quality SEED [SMALL_WEEKS]: one world's path, week-at-a-time and optimal path scored on the truth, a tab-separated line
        Console.WriteLine(PathQuality.Tsv(PathQuality.Score(int.Parse(args[1]), smallWeeks: args.Length > 2 ? int.Parse(args[2]) : 4)));
        return 0;
    case "path-quality-summary":
        // path-quality-summary SCORES.tsv: the per-world table and the summary, markdown
        var pathRows = File.ReadLines(args[1]).Where(l => l != "").Select(PathQuality.FromTsv).ToList();
        foreach (var line in PathQuality.Table(pathRows).Append("").Concat(PathQuality.Summary(pathRows))) Console.WriteLine(line);
        return 0;
    case "score":
        // score FAMILY SEED RECOMMENDATION.json [RAW.json] [TEST_ALL]: one tab-separated line scoring the plans against the world's truth
        Console.WriteLine(DecisionQuality.Score(args[1], int.Parse(args[2]), args[3], args.Length > 4 ? args[4] : null, args.Length > 5 && args[5] == "true"));
        return 0;
    case "explain":
        // explain FAMILY SEED RECOMMENDATION.json: per channel the truth, the service's belief and plan, and the optimum
        foreach (var line in DecisionQuality.Explain(args[1], int.Parse(args[2]), args[3])) Console.WriteLine(line);
        return 0;
    case "summary":
        // summary SCORES.tsv: the per-world table and the per-family summary, markdown
        foreach (var line in DecisionQuality.Table(args[1]).Append("").Concat(DecisionQuality.Summary(args[1]))) Console.WriteLine(line);
        return 0;
    case "hostile":
        // hostile URL WORKSPACE KEY COUNT SEED [PARALLEL]: generated hostile requests against a running API, answers tallied
        foreach (var line in await HostileRun.RunAsync(args[1], args[2], args[3], int.Parse(args[4]), int.Parse(args[5]), args.Length > 6 ? int.Parse(args[6]) : 4))
            Console.WriteLine(line);
        return 0;
    case "micro":
        // micro [BenchmarkDotNet arguments]: in-process micro-benchmarks (BenchmarkDotNet), reports in BenchmarkDotNet.Artifacts/
        BenchmarkSwitcher.FromAssembly(typeof(AllocationMicro).Assembly).Run(args[1..]);
        return 0;
    default:
        Console.Error.WriteLine("usage: SpendOptimizer.Benchmarks touchpoints FILE ROWS [SEED] | paths FILE JOURNEYS [SEED]");
        return 2;
}
