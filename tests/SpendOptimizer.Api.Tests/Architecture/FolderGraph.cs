using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SpendOptimizer.Api.Tests.Architecture;

/// <summary>
/// Which folder (namespace) of a compiled assembly uses which: every type a type's signatures, attributes and method
/// bodies name, with compiler-made types (lambdas, async state machines) counted as their declaring type's.
/// </summary>
public static class FolderGraph
{
    public sealed record Edge(string From, string To, bool Inside);

    /// <summary>
    /// Edges from each folder of <paramref name="prefix"/> to every folder of it and every outside namespace it uses
    /// (<c>Inside</c> tells which), with one example each.
    /// </summary>
    public static Dictionary<Edge, string> Edges(string assemblyPath, string prefix)
    {
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        var edges = new Dictionary<Edge, string>();
        foreach (var type in assembly.MainModule.GetTypes())
        {
            var from = Folder(Outermost(type).Namespace, prefix);
            if (from is null) continue;
            foreach (var used in Used(type))
            {
                var ns = Outermost(used).Namespace;
                var to = Folder(ns, prefix);
                if (ns == "" || to == from) continue;
                edges.TryAdd(new Edge(from, to ?? ns, to is not null), $"{type.FullName} uses {used.FullName}");
            }
        }
        return edges;
    }

    /// <summary>The folder a namespace is in: its first segment after <paramref name="prefix"/> ("" for the root), or null outside it.</summary>
    public static string? Folder(string ns, string prefix) =>
        ns == prefix ? "" : ns.StartsWith(prefix + ".", StringComparison.Ordinal) ? ns[(prefix.Length + 1)..].Split('.')[0] : null;

    /// <summary>The folders on a cycle, if any: each edge between folders of the prefix, looked for in a depth-first walk.</summary>
    public static IReadOnlyList<string>? Cycle(IEnumerable<Edge> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Distinct().Order().ToList());
        var state = new Dictionary<string, int>(); // 1: on the current path, 2: done
        var path = new List<string>();
        List<string>? Visit(string n)
        {
            state[n] = 1;
            path.Add(n);
            foreach (var m in next.GetValueOrDefault(n) ?? [])
            {
                if (state.GetValueOrDefault(m) == 1) return [.. path[path.IndexOf(m)..], m];
                if (state.GetValueOrDefault(m) == 0 && Visit(m) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[n] = 2;
            return null;
        }
        foreach (var n in next.Keys.Order())
            if (state.GetValueOrDefault(n) == 0 && Visit(n) is { } cycle) return cycle;
        return null;
    }

    private static TypeReference Outermost(TypeReference t)
    {
        while (t.DeclaringType is not null) t = t.DeclaringType;
        return t;
    }

    private static IEnumerable<TypeReference> Used(TypeDefinition type)
    {
        if (type.BaseType is not null) foreach (var t in Expand(type.BaseType)) yield return t;
        foreach (var i in type.Interfaces) foreach (var t in Expand(i.InterfaceType)) yield return t;
        foreach (var t in Attributes(type)) yield return t;
        foreach (var f in type.Fields)
        {
            foreach (var t in Expand(f.FieldType)) yield return t;
            foreach (var t in Attributes(f)) yield return t;
        }
        foreach (var p in type.Properties)
        {
            foreach (var t in Expand(p.PropertyType)) yield return t;
            foreach (var t in Attributes(p)) yield return t;
        }
        foreach (var m in type.Methods)
        {
            foreach (var t in Expand(m.ReturnType)) yield return t;
            foreach (var t in Attributes(m)) yield return t;
            foreach (var p in m.Parameters)
            {
                foreach (var t in Expand(p.ParameterType)) yield return t;
                foreach (var t in Attributes(p)) yield return t;
            }
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) foreach (var t in Expand(v.VariableType)) yield return t;
            foreach (var ins in m.Body.Instructions)
            {
                var operand = ins.Operand switch
                {
                    TypeReference t => Expand(t),
                    MethodReference r => Expand(r.DeclaringType).Concat(Expand(r.ReturnType)).Concat(r.Parameters.SelectMany(p => Expand(p.ParameterType)))
                        .Concat(r is GenericInstanceMethod g ? g.GenericArguments.SelectMany(Expand) : []),
                    FieldReference f => Expand(f.DeclaringType).Concat(Expand(f.FieldType)),
                    _ => [],
                };
                foreach (var t in operand) yield return t;
            }
        }
    }

    private static IEnumerable<TypeReference> Attributes(ICustomAttributeProvider p) =>
        p.HasCustomAttributes ? p.CustomAttributes.SelectMany(a => Expand(a.AttributeType)) : [];

    /// <summary>A type and what it is built from: element types, generic arguments.</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference t)
    {
        switch (t)
        {
            case GenericParameter:
                yield break;
            case GenericInstanceType g:
                foreach (var x in Expand(g.ElementType)) yield return x;
                foreach (var a in g.GenericArguments) foreach (var x in Expand(a)) yield return x;
                yield break;
            case TypeSpecification s:
                foreach (var x in Expand(s.ElementType)) yield return x;
                yield break;
            default:
                yield return t;
                yield break;
        }
    }
}
