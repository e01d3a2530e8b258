using System.Reflection;
using System.Text.Json;
using SpendOptimizer.Worlds;

namespace SpendOptimizer.Api.Tests;

/// <summary>The seeded worlds and brute-force searches are oracles for tests and benchmarks: the API never ships them.</summary>
public sealed class ApiDependencyTests
{
    private static readonly string Worlds = typeof(SyntheticWorld).Assembly.GetName().Name!;

    [Fact]
    public void NeitherTheApiNorAnythingOfOursItReferencesReferencesTheWorlds()
    {
        // Follow our own assemblies from the API; a reference the compiler kept means a type of the worlds is used.
        var seen = new HashSet<string>();
        var pending = new Queue<Assembly>([typeof(Program).Assembly]);
        while (pending.TryDequeue(out var assembly))
            foreach (var name in assembly.GetReferencedAssemblies().Where(n => n.Name!.StartsWith("SpendOptimizer.", StringComparison.Ordinal)))
                if (seen.Add(name.Name!)) pending.Enqueue(Assembly.Load(name));

        Assert.Contains("SpendOptimizer.Core", seen);
        Assert.DoesNotContain(Worlds, seen);
    }

    [Fact]
    public void TheApisDependencyManifestDoesNotListTheWorlds()
    {
        // The manifest lists project references even when no type of theirs is used, and is what a publish copies.
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SpendOptimizer.Api.deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToList();

        Assert.Contains("SpendOptimizer.Core", libraries);
        Assert.DoesNotContain(Worlds, libraries);
    }
}
