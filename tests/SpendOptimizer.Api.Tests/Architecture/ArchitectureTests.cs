namespace SpendOptimizer.Api.Tests.Architecture;

/// <summary>
/// The folders of the API use one another in one direction only, read from the compiled assemblies, so a
/// reference that turns an arrow around fails here rather than in a review.
/// </summary>
public class ArchitectureTests
{
    private const string Api = "SpendOptimizer.Api";

    /// <summary>Each folder of the API and the folders it may use; the composition root (Program, Hosting) may use any.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Options"] = [],
        ["Json"] = [],
        ["Errors"] = ["Options", "Json"],
        ["Auth"] = ["Json", "Errors", "Options"],
        ["Contracts"] = ["Json", "Errors", "Auth"],
        ["Catalogue"] = ["Json", "Errors", "Options"],
        ["Csv"] = ["Json", "Errors", "Options", "Contracts"],
        ["Ingest"] = ["Json", "Errors", "Options", "Contracts", "Csv"],
        ["Observability"] = [],
        ["Storage"] = ["Json", "Errors", "Options", "Contracts", "Auth", "Ingest", "Observability"],
        ["Services"] = ["Json", "Errors", "Options", "Contracts", "Auth", "Catalogue", "Ingest", "Storage", "Observability"],
        ["Scheduling"] = ["Json", "Errors", "Options", "Contracts", "Catalogue", "Storage", "Services"],
        ["Jobs"] = ["Json", "Errors", "Options", "Contracts", "Storage", "Observability"],
        ["Reports"] = ["Json", "Errors", "Options", "Contracts", "Storage", "Services"],
        ["Endpoints"] = ["Json", "Errors", "Options", "Contracts", "Catalogue", "Csv", "Ingest", "Storage", "Auth", "Services", "Scheduling", "Reports", "Jobs", "Hosting"],
        ["Hosting"] = ["*"],
        [""] = ["*"],
    };

    /// <summary>Namespaces outside the project that a folder must not use.</summary>
    private static readonly IReadOnlyDictionary<string, string[]> Forbidden = new Dictionary<string, string[]>
    {
        ["Storage"] = ["Microsoft.AspNetCore.Http"],
        ["Services"] = ["Microsoft.AspNetCore.Http"],
        ["Contracts"] = ["Microsoft.AspNetCore", "Npgsql"],
    };

    private static string AssemblyOf<T>() => typeof(T).Assembly.Location;

    /// <summary>What breaks the rules in these edges, in words.</summary>
    public static List<string> Violations(Dictionary<FolderGraph.Edge, string> edges)
    {
        var wrong = new List<string>();
        foreach (var ((from, to, inside), example) in edges.OrderBy(e => e.Key.From).ThenBy(e => e.Key.To))
        {
            if (inside)
            {
                if (!Allowed.TryGetValue(from, out var may)) wrong.Add($"{from} is not a known folder ({example})");
                else if (!may.Contains("*") && !may.Contains(to)) wrong.Add($"{from} → {to}: {example}");
            }
            else if (to.StartsWith("SpendOptimizer.", StringComparison.Ordinal) && !to.StartsWith("SpendOptimizer.Core", StringComparison.Ordinal))
                wrong.Add($"{from} → {to}: {example}");
            else if (Forbidden.GetValueOrDefault(from)?.FirstOrDefault(f => to == f || to.StartsWith(f + ".", StringComparison.Ordinal)) is { } bad)
                wrong.Add($"{from} → {to} ({bad} is off limits): {example}");
        }
        return wrong;
    }

    [Fact]
    public void The_api_folders_use_each_other_only_along_the_allowed_arrows()
    {
        var edges = FolderGraph.Edges(AssemblyOf<Program>(), Api);
        Assert.NotEmpty(edges);
        var wrong = Violations(edges);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        var cycle = FolderGraph.Cycle(edges.Keys.Where(e => e.Inside && e.From != "" && e.To != ""));
        Assert.True(cycle is null, $"folders in a loop: {string.Join(" → ", cycle ?? [])}");
    }

    [Fact]
    public void Core_uses_nothing_of_the_api()
    {
        var edges = FolderGraph.Edges(AssemblyOf<Core.TooLargeException>(), "SpendOptimizer.Core");
        Assert.NotEmpty(edges);
        Assert.DoesNotContain(edges, e => e.Key.To.StartsWith(Api, StringComparison.Ordinal));
    }

    [Fact]
    public void The_checker_flags_a_reference_against_the_arrows_and_a_loop()
    {
        var edges = FolderGraph.Edges(AssemblyOf<ArchitectureTests>(), "SpendOptimizer.Api.Tests.Architecture.Fixture");
        var wrong = Violations(edges);
        Assert.Contains(wrong, w => w.StartsWith("Storage → Services: ", StringComparison.Ordinal));
        Assert.Contains(wrong, w => w.StartsWith("Storage → Microsoft.AspNetCore.Http (Microsoft.AspNetCore.Http is off limits)", StringComparison.Ordinal));
        // Endpoints → Storage is allowed; nothing flags it.
        Assert.DoesNotContain(wrong, w => w.StartsWith("Endpoints → Storage", StringComparison.Ordinal));
        Assert.Equal(["Storage", "Services", "Storage"], FolderGraph.Cycle(edges.Keys.Where(e => e.Inside)));
    }

    [Fact]
    public void A_nameof_leaves_no_reference_but_a_call_does()
    {
        // nameof compiles to a string: the checker reads references, not text.
        var edges = FolderGraph.Edges(AssemblyOf<ArchitectureTests>(), "SpendOptimizer.Api.Tests.Architecture.Fixture");
        Assert.DoesNotContain(edges.Keys, e => e is { From: "Storage", To: "Endpoints" });
        Assert.Contains(edges.Keys, e => e is { From: "Endpoints", To: "Storage", Inside: true });
    }
}
