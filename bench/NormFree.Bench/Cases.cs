
namespace NormFree.Bench;

/// <summary>The benchmark cases. A case is a public static method here returning the step to time (setup runs once,
/// before timing), plus a function of the same name in bench/reference.py doing the same in PyTorch. Add a case in
/// another file of this partial class (e.g. Cases.Training.cs) and its Python twin; the harness finds both by name.</summary>
public static partial class Cases
{
    /// <summary>Measurements a case reports besides its time (case → metric → value, e.g. epoch_fmnist's data share),
    /// printed after its row and written into its entry of the results.</summary>
    public static readonly Dictionary<string, Dictionary<string, double>> Extra = [];

    /// <summary>Where the cases put their tensors and models (the harness's --device; cpu unless told).</summary>
    public static Device Device { get; set; } = torch.CPU;

    /// <summary>A chain of 20 elementwise ops on a 16-element tensor: almost all of the time is the call path
    /// (binding vs Python interpreter + pybind), not arithmetic.</summary>
    public static Action dispatch_small()
    {
        var x = torch.randn([16], device: Device);
        return () =>
        {
            using var scope = torch.NewDisposeScope();
            var y = x;
            for (var i = 0; i < 5; i++)
                y = (y * 1.01 + 0.1).relu() - 0.05;                                            // 4 ops, 5 times
        };
    }

    /// <summary>conv2d + relu + sum + backward on a (128, 16, 32, 32) batch with 16 3×3 filters: the kernels dominate,
    /// so the ratio shows what the binding adds to real work.</summary>
    public static Action conv_step()
    {
        var x = torch.randn([128, 16, 32, 32], device: Device);                            // (B, C, H, W)
        var w = torch.randn([16, 16, 3, 3], device: Device).requires_grad_();
        return () =>
        {
            using var scope = torch.NewDisposeScope();
            F.conv2d(x, w, null, padding: [1, 1]).relu().sum().backward();
            w.grad = null;
        };
    }
}
