
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

    /// <summary>A first-stage conv of <see cref="resnet20_step"/>: 16 → 16 channels, 3×3, on a (128, 16, 28, 28)
    /// batch, forward and both gradients (input and weight). With <see cref="conv_down_step"/> it names the kernels
    /// behind resnet20_step's ratio (README, Benchmarks).</summary>
    public static Action conv_stage1_step() => conv_with_input_gradient(16, 16, 28, stride: 1);

    /// <summary>The first conv of ResNet-20's second stage: 16 → 32 channels, 3×3, stride 2, on a (128, 16, 28, 28)
    /// batch, forward and both gradients.</summary>
    public static Action conv_down_step() => conv_with_input_gradient(16, 32, 28, stride: 2);

    /// <summary>Batch norm in training mode on ResNet-20's first-stage activations, (128, 16, 28, 28): forward and the
    /// gradients of input, weight and bias (with a dense output gradient).</summary>
    public static Action batchnorm_step()
    {
        var x = torch.randn([128, 16, 28, 28], device: Device).requires_grad_();                // (B, C, H, W)
        var weight = torch.ones([16], device: Device).requires_grad_();
        var bias = torch.zeros([16], device: Device).requires_grad_();
        var (mean, variance) = (torch.zeros([16], device: Device), torch.ones([16], device: Device));
        var g = torch.randn([128, 16, 28, 28], device: Device);
        return () =>
        {
            using var scope = torch.NewDisposeScope();
            F.batch_norm(x, mean, variance, weight, bias, training: true).backward([g]);
            x.grad = null;
            weight.grad = null;
            bias.grad = null;
        };
    }

    static Action conv_with_input_gradient(int inChannels, int outChannels, int size, int stride)
    {
        var x = torch.randn([128, inChannels, size, size], device: Device).requires_grad_();    // (B, C, H, W)
        var w = torch.randn([outChannels, inChannels, 3, 3], device: Device).requires_grad_();
        var outSize = (size - 1) / stride + 1;
        // A dense output gradient, as in a network (sum().backward() would pass a stride-0 expanded one).
        var g = torch.randn([128, outChannels, outSize, outSize], device: Device);
        return () =>
        {
            using var scope = torch.NewDisposeScope();
            F.conv2d(x, w, null, [stride, stride], [1, 1]).backward([g]);
            x.grad = null;
            w.grad = null;
        };
    }
}
