using System.Globalization;
using System.Text;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>One upload the service accepts: route, method, query and CSV body.</summary>
public sealed record AcceptedUpload(string Method, string Route, string Csv, string Query = "");

/// <summary>
/// An edge case the upload routes accept: its uploads, and whether a small normal world is loaded first so the
/// read and command routes have something to work on besides the edge case.
/// </summary>
public sealed record AcceptedCase(string Name, bool World, params AcceptedUpload[] Uploads)
{
    public override string ToString() => Name;
}

/// <summary>
/// Inputs at the edges of what the upload routes accept: values at the upload limits, zero and tiny values, long and
/// unicode names, long paths and journeys, names that differ only in case or spaces, extreme lift tests and economics.
/// Every one must be accepted, and after it every read and command route must still answer without a 5xx.
/// </summary>
public static class AcceptedEdgeCases
{
    /// <summary>The synthetic world's weeks (Mondays from 2024-01-01) and channel names.</summary>
    public static readonly DateOnly FirstWeek = new(2024, 1, 1);
    public const int Weeks = 104;
    public static readonly string[] WorldChannels = ["paid_search", "paid_social", "display", "video", "affiliates", "podcasts"];

    private static string Week(int w) => FirstWeek.AddDays(7 * w).ToString("yyyy-MM-dd");
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A weekly performance upload: one row per week and channel, values from <paramref name="row"/>.</summary>
    private static AcceptedUpload Performance(IEnumerable<string> channels, Func<int, string, string> row, int weeks = Weeks)
    {
        var csv = new StringBuilder("date,channel,spend,impressions,clicks,conversions,revenue,new_customers\n");
        foreach (var c in channels)
            for (var w = 0; w < weeks; w++)
                csv.Append(Week(w)).Append(',').Append(Quote(c)).Append(',').Append(row(w, c)).Append('\n');
        return new("PUT", "performance", csv.ToString(), "?grain=week");
    }

    private static AcceptedUpload Paths(params (string Path, double Conversions, double Nulls)[] paths)
    {
        var csv = new StringBuilder("path,total_conversions,total_conversion_value,total_null\n");
        foreach (var (path, conv, nulls) in paths) csv.Append(Quote(path)).Append(',').Append(N(conv)).Append(',').Append(N(conv)).Append(',').Append(N(nulls)).Append('\n');
        return new("PUT", "paths", csv.ToString());
    }

    private static AcceptedUpload LiftTests(params string[] rows) =>
        new("POST", "lift-tests", "id,channel,kind,start,end,incremental_conversions,stderr,attributed_conversions,spend\n" + string.Join("\n", rows) + "\n");

    private static AcceptedUpload Economics(params string[] rows) =>
        new("PUT", "economics", "channel,arpa_monthly,gross_margin,monthly_churn,retention_curve,annual_discount_rate,clv_override\n" + string.Join("\n", rows) + "\n");

    private static AcceptedUpload Touchpoints(string journey, IEnumerable<string> channels, double value = 50)
    {
        var csv = new StringBuilder("journey_id,timestamp,event,channel,campaign,value\n");
        var at = new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);
        var i = 0;
        foreach (var c in channels)
            csv.Append(Quote(journey)).Append(',').Append(at.AddSeconds(i++).ToString("yyyy-MM-ddTHH:mm:ssZ")).Append(",touch,").Append(Quote(c)).Append(",,\n");
        csv.Append(Quote(journey)).Append(',').Append(at.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ")).Append(",conversion,,,").Append(N(value)).Append('\n');
        return new("POST", "touchpoints", csv.ToString());
    }

    private static string Quote(string v) => v.Contains(',') || v.Contains('"') ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;

    private static IEnumerable<string> Many(string prefix, int n) => Enumerable.Range(0, n).Select(i => $"{prefix}{i:D5}");

    private static readonly string LongName = "c" + new string('x', 98) + "1";
    private static readonly string LongName2 = "c" + new string('x', 98) + "2";
    private const string Unicode = "Ψ频道 ünïcødé 🚀 チャネル";

    public static readonly AcceptedCase[] All =
    [
        // Values at the upload limit (1e12) on every number column.
        new("performance at 1e12", true,
            Performance(["huge"], (_, _) => "1000000000000,1000000000000,1000000000000,1000000000000,1000000000000,1000000000000"),
            Performance(["paid_search"], (w, _) => w == Weeks - 1 ? "1000000000000,1,1,1000000000000,1000000000000,1000000000000" : "1000,10,1,5,50,1")),
        // Tiny and zero values.
        new("performance with tiny values", true,
            Performance(["tiny"], (_, _) => "1e-300,0,0,1e-300,1e-300,1e-300")),
        new("performance with zero spend everywhere", false,
            Performance(["a", "b", "c"], (w, _) => $"0,0,0,{w % 3},{w % 5},{w % 2}"),
            Economics("all,50,0.8,0.05,,0.1,")),
        new("a channel with a single row", true,
            new AcceptedUpload("PUT", "performance", $"date,channel,spend,conversions,revenue,new_customers\n{Week(Weeks - 1)},lonely,500,5,50,2\n", "?grain=week")),
        new("a channel with a single day-grain row and nothing else", false,
            new AcceptedUpload("PUT", "performance", "date,channel,spend,conversions\n2026-01-05,solo,100,1\n")),
        // Names.
        new("long and unicode channel names everywhere", true,
            Performance([LongName, Unicode], (w, _) => $"{1000 + w},100,10,{5 + w % 4},{50 + w},2"),
            Paths(($"{LongName} > {Unicode} > paid_search", 20, 30), (Unicode, 5, 10), (LongName, 3, 3)),
            Touchpoints(new string('j', 100), [LongName, Unicode, "paid_search"]),
            LiftTests($"{new string('t', 100)},{LongName},geo,2025-01-06,2025-01-19,10,2,20,1000", $"u1,{Unicode},geo,2025-01-06,2025-01-19,5,1,8,500"),
            Economics($"{LongName},50,0.8,0.05,,0.1,", $"{Unicode},40,0.5,,1;0.9;0.8,0.1,")),
        new("channel names differing only in case or spaces", true,
            Performance(["Paid_Search", "PAID_SEARCH", "paid search", "paid  search"], (w, _) => $"{200 + w},10,1,{1 + w % 3},{10 + w},1"),
            Paths(("paid_search > Paid_Search > PAID_SEARCH > paid search > paid  search", 10, 10), ("Paid_Search", 2, 2)),
            LiftTests("case1,PAID_SEARCH,geo,2025-01-06,2025-01-19,3,1,4,300"),
            Economics("Paid_Search,50,0.8,0.05,,0.1,", "paid search,50,0.8,0.05,,0.1,")),
        // Paths.
        new("a path of one channel", true, Paths(("paid_search", 5, 5))),
        new("a path of 100 channels", true, Paths((string.Join(" > ", Many("p", 100)), 7, 3), ("paid_search > display", 10, 20))),
        new("a path of 10,000 channels", true, Paths((string.Join(" > ", Many("q", 10_000)), 7, 3), ("paid_search > display", 10, 20))),
        new("a path repeating one channel 10,000 times", true, Paths((string.Join(" > ", Enumerable.Repeat("paid_search", 10_000)), 7, 3), ("display", 1, 1))),
        new("paths with conversions at 1e12 and tiny ones", true, Paths(("paid_search > display", 1e12, 1e12), ("video", 1e-300, 0), ("display", 0, 1e-300))),
        // Touchpoints.
        new("a journey of 10,000 touches on a few channels", true, Touchpoints("long-journey", Enumerable.Range(0, 10_000).Select(i => WorldChannels[i % 3]))),
        new("a journey of 10,000 touches on 10,000 channels", true, Touchpoints("wide-journey", Many("t", 10_000))),
        new("a single touch with a conversion worth 1e12", true, Touchpoints("j-one", ["paid_search"], 1e12)),
        // Lift tests.
        new("lift tests with zero incremental conversions", true,
            LiftTests("z1,paid_search,geo,2025-01-06,2025-01-19,0,2,20,1000", "z2,display,holdout,2025-02-03,2025-02-16,0,0.5,0,1000")),
        new("a lift test with stderr 1e-300", true, LiftTests("s1,paid_search,geo,2025-01-06,2025-01-19,10,1e-300,20,1000")),
        new("a lift test with attributed conversions 1e-300", true, LiftTests("a1,paid_search,geo,2025-01-06,2025-01-19,10,2,1e-300,1000")),
        new("lift tests at 1e12", true,
            LiftTests("b1,paid_search,geo,2025-01-06,2025-01-19,1000000000000,1000000000000,1000000000000,1000000000000",
                "b2,display,geo,2025-01-06,2025-01-19,-1000000000000,1,1,1e-300")),
        new("lift tests on channels with no performance", true, LiftTests("n1,nowhere,geo,2025-01-06,2025-01-19,10,2,20,1000")),
        // Economics.
        new("economics with churn 1 for every channel", true, Economics("all,50,0.8,1,,0.1,")),
        new("economics with a retention curve of one value", true, Economics("all,50,0.8,,1,0.1,", "paid_search,50,0.8,,0,0,")),
        new("economics at 1e12 and zero", true, Economics("all,1000000000000,1,1e-300,,1,", "display,0,0,0.5,,0,", "video,50,0.8,,,0.1,1000000000000")),
        new("economics for one channel only", true, Economics("paid_search,50,0.8,0.05,,0.1,")),
        new("performance without new customers", true,
            Performance(WorldChannels, (w, c) => $"{1000 + 37 * w + c.Length},100,10,{10 + w % 7},{100 + w},")),
    ];
}
