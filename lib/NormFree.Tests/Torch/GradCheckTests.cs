using System.Reflection;
using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Tests.Torch;

/// <summary>Every differentiable wrapper against central finite differences in float64 (issue 2, acceptance 2).</summary>
public class GradCheckTests
{
    public static TheoryData<string> Cases => new(GradCases.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesCentralDifferences(string name)
    {
        var c = GradCases.All.Single(c => c.Name == name);
        foreach (var seed in Seeds.Values)
        {
            using var scope = torch.NewDisposeScope();
            using var generator = new Generator(seed);
            var problem = c.Make(generator);
            GradCheck.Verify(problem.F, problem.Wrt, seed);
        }
    }

    [Fact]
    public void CheckerCatchesAWrongGradient()
    {
        // x·detach(x) has gradient x, not 2x: the checker must see the difference.
        using var x = torch.randn([4], DType.Float64);
        var (error, _) = GradCheck.Check(v => { using var d = v[0].detach(); return v[0] * d; }, [x]);
        Assert.True(error > 0.1, $"error {error}");
    }

    /// <summary>Each public wrapper that returns tensors is in the table or exempt with a reason, so a wrapper added
    /// later without a gradient check fails here: add a case to <see cref="GradCases.All"/>.</summary>
    [Fact]
    public void EveryTensorReturningWrapperHasACase()
    {
        var covered = GradCases.All.SelectMany(c => c.Covers).Concat(GradCases.Exempt.Keys).ToHashSet();
        var missing = Wrappers().Where(w => !covered.Contains(w)).Distinct().Order().ToList();
        Assert.True(missing.Count == 0, "no gradient-check case (GradCases.All) or exemption for: " + string.Join(", ", missing));
        var unknown = covered.Where(c => !Wrappers().Contains(c)).ToList();
        Assert.True(unknown.Count == 0, "GradCases names wrappers that do not exist: " + string.Join(", ", unknown));
    }

    static HashSet<string> Wrappers()
    {
        var names = new HashSet<string>();
        foreach (var (type, prefix) in new[] { (typeof(Tensor), "Tensor"), (typeof(torch), "torch"), (typeof(F), "F") })
            foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                if (ReturnsTensors(m.ReturnType) && !(m.IsSpecialName && m.Name.StartsWith("set_")))
                    names.Add($"{prefix}.{m.Name}");
        return names;
    }

    static bool ReturnsTensors(Type t) =>
        t == typeof(Tensor) || t == typeof(Tensor[]) || t == typeof(Tensor?[]) ||
        (t.IsGenericType && t.FullName!.StartsWith("System.ValueTuple") && t.GetGenericArguments().Any(a => a == typeof(Tensor)));
}

/// <summary>Gradient checks that need the global generator re-seeded before every evaluation (dropout draws its mask
/// from it), so they run with the global-state tests.</summary>
[Collection(GlobalState.Name)]
public class SeededGradCheckTests
{
    [Theory]
    [MemberData(nameof(Seeds.Three), MemberType = typeof(Seeds))]
    public void DropoutMatchesCentralDifferencesUnderAFixedMask(ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(seed);
        var x = torch.randn([4, 5], DType.Float64, generator: generator);
        Func<Tensor[], Tensor> f = v => { torch.manual_seed(seed); return F.dropout(v[0], 0.3) * v[0]; };
        GradCheck.Verify(f, [x], seed);
        using var eval = F.dropout(x, 0.3, training: false);
        Assert.True(eval.equal(x));
    }
}
