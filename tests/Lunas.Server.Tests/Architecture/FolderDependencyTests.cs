using System.Reflection;
using System.Reflection.Emit;

namespace Lunas.Server.Tests.Architecture;

/// <summary>
/// The server's feature folders (namespaces <c>Lunas.Server.X</c>) reference each other one way only: the folder graph,
/// read from the compiled assembly (signatures, fields, locals and every type, field and method a method body uses),
/// has no cycle. A <c>const</c> is copied into its user by the compiler and so is not seen; everything else is.
/// </summary>
public class FolderDependencyTests
{
    private static readonly Assembly Server = typeof(LunasApp).Assembly;

    [Fact]
    public void FolderGraph_HasNoCycle_InTheServerAssembly()
    {
        var graph = FolderGraph();

        var cycle = FindCycle(graph);

        Assert.True(cycle is null, cycle is null ? "" : "folder cycle: " + string.Join(" -> ", cycle.Select((folder, i) =>
            i + 1 < cycle.Count ? $"{folder} ({graph[folder][cycle[i + 1]]})" : folder)));
    }

    [Fact]
    public void FolderGraph_SeesReferencesMadeOnlyInMethodBodies_WhenAFolderCallsAnother()
    {
        // NotificationsApi uses Payments only inside method bodies (PaymentEnvelope.Iso, Outbox.Pending): a scan of
        // signatures alone would miss it, and so would miss a cycle made that way.
        var graph = FolderGraph();

        Assert.True(graph.TryGetValue("Notifications", out var uses) && uses.ContainsKey("Payments"));
        Assert.False(graph.TryGetValue("Payments", out var back) && back.ContainsKey("Notifications"));
    }

    [Fact]
    public void FindCycle_ReportsTheCycle_WhenTwoFoldersUseEachOther()
    {
        var graph = new Dictionary<string, Dictionary<string, string>>
        {
            ["A"] = new() { ["B"] = "a.X -> b.Y" },
            ["B"] = new() { ["C"] = "b.Y -> c.Z" },
            ["C"] = new() { ["A"] = "c.Z -> a.X" },
        };

        Assert.Equal(["A", "B", "C", "A"], FindCycle(graph));
    }

    /// <summary>Folder → folder it uses → one example reference (for the failure message).</summary>
    private static Dictionary<string, Dictionary<string, string>> FolderGraph()
    {
        var graph = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in Server.GetTypes())
        {
            if (Folder(type) is not { } from) continue;
            foreach (var used in ReferencedTypes(type).SelectMany(Flatten))
            {
                if (Folder(used) is { } to && to != from)
                {
                    var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = new(StringComparer.Ordinal);
                    edges.TryAdd(to, $"{type.FullName} uses {used.FullName}");
                }
            }
        }
        return graph;
    }

    private static string? Folder(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || type.Assembly != Server || !ns.StartsWith("Lunas.Server.", StringComparison.Ordinal)) return null;
        return ns["Lunas.Server.".Length..].Split('.')[0];
    }

    private static List<string>? FindCycle(Dictionary<string, Dictionary<string, string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            var at = path.IndexOf(node);
            if (at >= 0) return [.. path[at..], node];
            if (!done.Add(node)) return null;
            path.Add(node);
            foreach (var next in graph.TryGetValue(node, out var edges) ? edges.Keys.Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                if (Visit(next) is { } cycle) return cycle;
            }
            path.RemoveAt(path.Count - 1);
            return null;
        }
        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(node) is { } cycle) return cycle;
        }
        return null;
    }

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static
                                          | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        if (type.BaseType is { } baseType) yield return baseType;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var field in type.GetFields(Declared)) yield return field.FieldType;
        foreach (var property in type.GetProperties(Declared)) yield return property.PropertyType;
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info) yield return info.ReturnType;
            foreach (var parameter in method.GetParameters()) yield return parameter.ParameterType;
            foreach (var used in BodyTypes(type, method)) yield return used;
        }
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var t in Flatten(type.GetElementType()!)) yield return t;
            yield break;
        }
        yield return type;
        if (!type.IsGenericType) yield break;
        foreach (var argument in type.GetGenericArguments().Where(a => !a.IsGenericParameter).SelectMany(Flatten))
        {
            yield return argument;
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The locals of a method body and the types, fields and methods its instructions name.</summary>
    private static IEnumerable<Type> BodyTypes(Type type, MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null) yield break;
        foreach (var local in body.LocalVariables) yield return local.LocalType;
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = type.IsGenericTypeDefinition ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethodDefinition ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var op = OpCodesByValue[code];
            i += op.Size;
            if (op.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok)
            {
                foreach (var used in Resolve(method.Module, BitConverter.ToInt32(il, i), typeArguments, methodArguments)) yield return used;
            }
            i += OperandSize(op.OperandType, il, i);
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    private static IEnumerable<Type> Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        MemberInfo? member;
        try
        {
            member = module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            yield break;
        }
        switch (member)
        {
            case Type t:
                yield return t;
                break;
            case FieldInfo f:
                yield return f.DeclaringType!;
                yield return f.FieldType;
                break;
            case MethodBase m:
                if (m.DeclaringType is { } declaring) yield return declaring;
                if (m is MethodInfo info) yield return info.ReturnType;
                foreach (var p in m.GetParameters()) yield return p.ParameterType;
                if (m.IsGenericMethod && !m.IsGenericMethodDefinition)
                {
                    foreach (var a in m.GetGenericArguments()) yield return a;
                }
                break;
        }
    }
}
