using SpendOptimizer.Benchmarks;

// End-to-end benchmark drivers call this for data; the shell scripts beside it time whole processes.
switch (args.FirstOrDefault())
{
    case "touchpoints":
        // touchpoints FILE ROWS [SEED]
        var rows = long.Parse(args[2]);
        var written = JourneyGenerator.WriteTouchpoints(args[1], rows, args.Length > 3 ? int.Parse(args[3]) : 1);
        Console.WriteLine($"{written} rows written to {args[1]}");
        return 0;
    default:
        Console.Error.WriteLine("usage: SpendOptimizer.Benchmarks touchpoints FILE ROWS [SEED]");
        return 2;
}
