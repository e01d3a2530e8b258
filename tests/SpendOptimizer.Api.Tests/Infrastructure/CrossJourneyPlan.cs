using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpendOptimizer.Api.Tests.Infrastructure;

/// <summary>
/// Reads an EXPLAIN (FORMAT JSON) plan bottom-up and names every step that mixes journeys before they are aggregated
/// one row per journey: a join of two journey-table inputs whose condition does not equate journey_id, or an aggregate
/// over raw journey rows whose group key lacks journey_id. Such a step needs rows of many journeys in one place, so it
/// can run neither inside one hash partition nor inside one Citus shard.
/// </summary>
public static partial class CrossJourneyPlan
{
    /// <summary>Where a subtree stands: whether it reads journey tables, and whether its rows are still raw (not yet one per journey).</summary>
    private readonly record struct State(bool Journeys, bool Raw);

    public static List<string> Violations(JsonElement plan, IReadOnlySet<string> journeyTables)
    {
        var found = new List<string>();
        Walk(plan, journeyTables, new Dictionary<string, State>(), found);
        return found;
    }

    /// <summary>Every node of the plan, depth first.</summary>
    public static IEnumerable<JsonElement> Nodes(JsonElement plan)
    {
        yield return plan;
        if (!plan.TryGetProperty("Plans", out var children)) yield break;
        foreach (var child in children.EnumerateArray())
            foreach (var node in Nodes(child))
                yield return node;
    }

    public static bool IsJourneyKey(string expression) => JourneyColumn().IsMatch(expression.Trim().Trim('(', ')'));

    /// <param name="ctes">What each CTE's plan yields; EXPLAIN lists a CTE before the scans that read it.</param>
    private static State Walk(JsonElement node, IReadOnlySet<string> journeyTables, Dictionary<string, State> ctes, List<string> found)
    {
        var children = node.TryGetProperty("Plans", out var plans) ? plans.EnumerateArray().ToList() : [];
        // Init plans and subplans are checked on their own; only the node's own inputs flow into it.
        var inputChildren = new List<JsonElement>();
        var inputs = new List<State>();
        foreach (var child in children)
        {
            var result = Walk(child, journeyTables, ctes, found);
            if (child.TryGetProperty("Subplan Name", out var sub) && sub.GetString()!.StartsWith("CTE ", StringComparison.Ordinal))
                ctes[sub.GetString()!["CTE ".Length..]] = result;
            if (child.TryGetProperty("Parent Relationship", out var role) && role.GetString() is "InitPlan" or "SubPlan") continue;
            inputChildren.Add(child);
            inputs.Add(result);
        }
        var type = node.GetProperty("Node Type").GetString()!;
        var here = node.TryGetProperty("Relation Name", out var rel) && journeyTables.Contains(rel.GetString()!);
        var state = type == "CTE Scan" && ctes.TryGetValue(node.GetProperty("CTE Name").GetString()!, out var cte)
            ? cte
            : new State(here || inputs.Any(i => i.Journeys), here || inputs.Any(i => i.Raw));

        if (type is "Hash Join" or "Merge Join" or "Nested Loop")
        {
            if (inputs.Count == 2 && inputs.All(s => s.Journeys) && !JoinsOnJourney(node, inputChildren))
                found.Add($"{type} ({Condition(node)}) joins journey rows without journey_id = journey_id");
        }
        else if (type == "Aggregate" && state.Raw)
        {
            var keys = node.TryGetProperty("Group Key", out var k) ? k.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
            if (!keys.Any(IsJourneyKey))
                found.Add($"Aggregate grouped by ({string.Join(", ", keys)}) over raw journey rows, before any per-journey aggregate");
            else
                state = state with { Raw = false };
        }
        return state;
    }

    private static bool JoinsOnJourney(JsonElement join, List<JsonElement> children)
    {
        var conditions = new List<string> { Condition(join) };
        // A nested loop can push its condition into the inner side's index scan, as a parameter from the outer row.
        if (join.GetProperty("Node Type").GetString() == "Nested Loop" && children.Count == 2)
            conditions.AddRange(Nodes(children[1]).SelectMany(n => Texts(n, "Index Cond", "Filter", "Recheck Cond")));
        return conditions.Any(c => JourneyEquality().IsMatch(c));
    }

    private static string Condition(JsonElement node) => string.Join(" and ", Texts(node, "Hash Cond", "Merge Cond", "Join Filter"));

    private static IEnumerable<string> Texts(JsonElement node, params string[] properties) =>
        properties.Where(p => node.TryGetProperty(p, out _)).Select(p => node.GetProperty(p).GetString()!);

    [GeneratedRegex(@"^(\w+\.)?journey_id$")]
    private static partial Regex JourneyColumn();

    [GeneratedRegex(@"\b(\w+\.)?journey_id\s*=\s*(\w+\.)?journey_id\b")]
    private static partial Regex JourneyEquality();
}
