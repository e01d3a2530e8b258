using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// Every query over the journey table keeps journeys apart until it has one row per journey, so it runs inside each
/// hash partition here and inside each shard on Citus. The plans are PostgreSQL's own, for the stores' own SQL text.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class JourneySqlPushdownTests(ApiFactory factory)
{
    private static readonly object Null = DBNull.Value;

    /// <summary>Each query that reads or writes touchpoints, with the parameters it runs with (the binary COPY of a load has no plan).</summary>
    private static IEnumerable<(string Name, string Sql, Dictionary<string, object> Parameters)> StoreQueries(string ws) =>
    [
        ("paths, whole history", JourneyPathSql.Paths, new() { ["ws"] = ws, ["from"] = Null, ["to"] = Null }),
        ("paths, a window", JourneyPathSql.Paths, new() { ["ws"] = ws, ["from"] = new DateOnly(2025, 3, 1), ["to"] = new DateOnly(2025, 3, 31) }),
        ("any touchpoints", JourneyPathSql.HasTouchpoints, new() { ["ws"] = ws }),
        ("list, first page", TouchpointStore.ListSql, new()
        {
            ["ws"] = ws, ["from"] = Null, ["to"] = Null, ["j"] = Null, ["ts"] = Null, ["e"] = Null, ["c"] = Null, ["n"] = 101,
        }),
        ("list, after a cursor", TouchpointStore.ListSql, new()
        {
            ["ws"] = ws, ["from"] = new DateOnly(2025, 3, 1), ["to"] = Null, ["j"] = "j7", ["ts"] = new DateTime(2025, 3, 2, 0, 0, 0, DateTimeKind.Utc),
            ["e"] = "touch", ["c"] = "search", ["n"] = 101,
        }),
        ("delete a load", DeletionStore.LoadTouchpointsSql, new() { ["ws"] = ws, ["id"] = Guid.CreateVersion7() }),
    ];

    /// <summary>Queries that mix journeys before aggregating by journey, each in a way the check must see.</summary>
    public static TheoryData<string, string> CrossJourneyQueries() => new()
    {
        {
            "join on channel",
            """
            select t.journey_id, count(*) from touchpoints t
            join touchpoints o on o.workspace_id = t.workspace_id and o.channel = t.channel and o.event = 'conversion'
            where t.workspace_id = @ws group by t.journey_id
            """
        },
        {
            "paths grouped by channel before journey",
            """
            select path, count(*) from (
                select string_agg(channel, ' > ' order by ts) as path from touchpoints where workspace_id = @ws group by channel
            ) p group by path
            """
        },
        {
            "a day's touches counted across journeys",
            "select date_trunc('day', ts), count(*) from touchpoints where workspace_id = @ws group by 1"
        },
        {
            "journey-level rows joined on value",
            """
            with j as (select journey_id, sum(value) as value from touchpoints where workspace_id = @ws group by journey_id)
            select count(*) from j a join j b on a.value = b.value
            """
        },
    };

    [Fact]
    public async Task EveryStoreQueryOverJourneysKeepsEachJourneyWithinOnePartition()
    {
        var ws = await LoadJourneysAsync();
        await using var conn = await ApiFactory.OpenDbAsync();
        var tables = await JourneyTablesAsync(conn);
        foreach (var (name, sql, parameters) in StoreQueries(ws.Id))
        {
            var plan = await PlanAsync(conn, sql, parameters);
            var violations = CrossJourneyPlan.Violations(plan, tables);
            Assert.True(violations.Count == 0, $"{name}: {string.Join("; ", violations)}\n{plan}");
            Assert.Contains(CrossJourneyPlan.Nodes(plan), n => n.TryGetProperty("Relation Name", out var r) && tables.Contains(r.GetString()!));
        }
    }

    [Theory]
    [MemberData(nameof(CrossJourneyQueries))]
    public async Task AQueryThatMixesJourneysBeforeAggregatingThemIsFlagged(string name, string sql)
    {
        var ws = await LoadJourneysAsync();
        await using var conn = await ApiFactory.OpenDbAsync();
        var plan = await PlanAsync(conn, sql, new() { ["ws"] = ws.Id });
        Assert.True(CrossJourneyPlan.Violations(plan, await JourneyTablesAsync(conn)).Count > 0, $"{name} passed the check:\n{plan}");
    }

    [Fact]
    public async Task TouchpointsAreHashPartitionedByJourneyAndPathsAreBuiltPartitionByPartition()
    {
        var ws = await LoadJourneysAsync();
        await using var conn = await ApiFactory.OpenDbAsync();
        await using (var cmd = new NpgsqlCommand("""
            select p.partstrat::text, array_agg(a.attname::text order by k.ord)
            from pg_partitioned_table p
            join pg_class c on c.oid = p.partrelid
            cross join lateral unnest(p.partattrs::int2[]) with ordinality k(attnum, ord)
            join pg_attribute a on a.attrelid = p.partrelid and a.attnum = k.attnum
            where c.oid = 'touchpoints'::regclass
            group by p.partstrat
            """, conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync(), "touchpoints is not a partitioned table");
            Assert.Equal("h", reader.GetString(0));
            Assert.Equal(["journey_id"], reader.GetFieldValue<string[]>(1));
        }
        var partitions = await JourneyTablesAsync(conn);
        Assert.Equal(17, partitions.Count); // the parent and its 16 partitions

        var plan = await PlanAsync(conn, JourneyPathSql.Paths, new() { ["ws"] = ws.Id, ["from"] = Null, ["to"] = Null }, JourneyPathSql.Partitionwise);
        var append = CrossJourneyPlan.Nodes(plan).FirstOrDefault(n => n.GetProperty("Node Type").GetString() is "Append" or "Parallel Append" or "Merge Append");
        Assert.True(append.ValueKind == JsonValueKind.Object, $"no Append over the partitions:\n{plan}");
        var scanned = CrossJourneyPlan.Nodes(append)
            .Where(n => n.TryGetProperty("Relation Name", out _)).Select(n => n.GetProperty("Relation Name").GetString()!).ToHashSet();
        Assert.Equal(16, scanned.Count);
        Assert.All(scanned, p => Assert.StartsWith("touchpoints_p", p));
        // Partitionwise: the per-journey aggregate runs inside the Append, once per partition.
        var perPartition = append.GetProperty("Plans").EnumerateArray()
            .Count(p => CrossJourneyPlan.Nodes(p).Any(n => n.GetProperty("Node Type").GetString() == "Aggregate"
                && n.TryGetProperty("Group Key", out var k) && k.EnumerateArray().Any(e => CrossJourneyPlan.IsJourneyKey(e.GetString()!))));
        Assert.True(perPartition == 16, $"{perPartition} of 16 partitions aggregate their own journeys:\n{plan}");
    }

    /// <summary>
    /// Paths worked by hand: touches at the conversion's instant count, later ones do not; two conversions add their
    /// values and cut at the first; a journey with only a conversion has no path; the same journey id in another
    /// workspace (same partition) stays out.
    /// </summary>
    [Fact]
    public async Task PathsAreBuiltJourneyByJourneyAsWorkedByHand()
    {
        var ws = await factory.CreateWorkspaceAsync();
        var other = await factory.CreateWorkspaceAsync();
        using (var client = ws.Ingest())
            (await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv("""
                journey_id,timestamp,event,channel,campaign,value
                a,2025-03-01T10:00:00Z,touch,search,,0
                a,2025-03-01T12:00:00Z,touch,social,,0
                a,2025-03-01T12:00:00Z,conversion,,,40
                a,2025-03-01T13:00:00Z,touch,email,,0
                a,2025-03-02T09:00:00Z,conversion,,,60
                b,2025-03-03T08:00:00Z,touch,social,,0
                b,2025-03-03T07:00:00Z,touch,search,,0
                c,2025-03-04T08:00:00Z,conversion,,,25
                d,2025-03-05T08:00:00Z,touch,search,,0
                d,2025-03-05T09:00:00Z,touch,social,,0
                d,2025-03-05T10:00:00Z,conversion,,,10
                """))).EnsureSuccessStatusCode();
        using (var client = other.Ingest())
            (await client.PostAsync($"/v1/workspaces/{other.Id}/touchpoints", TestWorkspace.Csv("""
                journey_id,timestamp,event,channel,campaign,value
                a,2025-03-01T09:00:00Z,touch,display,,0
                a,2025-03-01T11:00:00Z,conversion,,,999
                """))).EnsureSuccessStatusCode();

        var store = factory.Services.GetRequiredService<JourneyPathStore>();
        var all = Rows(await store.AggregateAsync(ws.Id, null, null, CancellationToken.None));
        Assert.Equal(new Dictionary<string, (double, double, double)>
        {
            ["search > social"] = (2, 110, 1), // a (40 + 60, cut before email) and d (10) converted; b (search then social) did not
        }, all);

        // The window holds a journey by its first conversion, or its last touch: a ends 1 March, b 3 March, d 5 March.
        var window = Rows(await store.AggregateAsync(ws.Id, new DateOnly(2025, 3, 2), new DateOnly(2025, 3, 4), CancellationToken.None));
        Assert.Equal(new Dictionary<string, (double, double, double)> { ["search > social"] = (0, 0, 1) }, window);
    }

    private static Dictionary<string, (double, double, double)> Rows(Core.Attribution.PathSet set) =>
        Enumerable.Range(0, set.Count).ToDictionary(
            i => string.Join(" > ", set.Paths[i].Select(c => set.Channels[c])),
            i => (set.Conversions[i], set.Values[i], set.Nulls[i]));

    /// <summary>A workspace with journeys enough that every partition holds some, analysed so the planner sees them.</summary>
    private async Task<TestWorkspace> LoadJourneysAsync()
    {
        var ws = await factory.CreateWorkspaceAsync();
        var csv = new System.Text.StringBuilder("journey_id,timestamp,event,channel,campaign,value\n");
        for (var j = 0; j < 400; j++)
        {
            csv.Append($"j{j},2025-03-01T10:00:00Z,touch,search,,0\n");
            csv.Append($"j{j},2025-03-02T10:00:00Z,touch,{(j % 3 == 0 ? "social" : "email")},,0\n");
            if (j % 4 == 0) csv.Append($"j{j},2025-03-03T10:00:00Z,conversion,,,{j}\n");
        }
        using var client = ws.Ingest();
        (await client.PostAsync($"/v1/workspaces/{ws.Id}/touchpoints", TestWorkspace.Csv(csv.ToString()))).EnsureSuccessStatusCode();
        return ws;
    }

    /// <summary>touchpoints and every partition of it.</summary>
    private static async Task<HashSet<string>> JourneyTablesAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand("select relid::regclass::text from pg_partition_tree('touchpoints')", conn);
        var names = new HashSet<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>The generic plan's shape does not matter here: the plan for these very values, as the store would run them.</summary>
    private static async Task<JsonElement> PlanAsync(NpgsqlConnection conn, string sql, Dictionary<string, object> parameters, string? settings = null)
    {
        await using var tx = await conn.BeginTransactionAsync();
        if (settings is not null)
            await using (var set = new NpgsqlCommand(settings, conn, tx)) await set.ExecuteNonQueryAsync();
        await using var cmd = new NpgsqlCommand("explain (format json) " + sql, conn, tx);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        var json = (string)(await cmd.ExecuteScalarAsync())!;
        await tx.RollbackAsync();
        return JsonDocument.Parse(json).RootElement[0].GetProperty("Plan").Clone();
    }
}
