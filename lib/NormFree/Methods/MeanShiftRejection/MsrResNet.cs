using NormFree.Init;
using NormFree.Models;
using NormFree.Nn;
using NormFree.Optim;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>A ResNet trained with Mean Shift Rejection (Ruff et al. 2019, §3–§4), assembled from the shared builder:
/// the paper's net is He et al. (2016a)'s CIFAR ResNet (<see cref="ResNetConfig.ResNet(int)"/>: depth 6n + 2,
/// post-activation basic blocks, option-A shortcuts) with no normalization, and these choices:
/// <list type="bullet">
/// <item>every conv is <see cref="WeightNorm"/> in the exponential mode, W = e^g·V, e^g = 0.8 at init (§3.1);</item>
/// <item>CZMI on the spatial kernels V except the first layer's (§3.2, §2), unit-norm uniform V elsewhere, conv
/// biases 0;</item>
/// <item>optionally <see cref="MultiplicativeNoise"/> at every residual unit's input (§4.4).</item>
/// </list>
/// Training adds <see cref="luma_loss"/> to the task loss (instead of weight decay) and applies
/// <see cref="zero_mean_gradients"/> between backward and the optimizer step; or, with a trainer whose loss is the task
/// loss alone, hands it <see cref="gradient_hooks"/> (LUMA's gradient, then CZMG) to run there. <see cref="fold"/> gives the plain
/// network for inference.</summary>
public static class MsrResNet
{
    /// <summary>The net of <paramref name="net"/> (normalization switched off) with the choices of
    /// <paramref name="config"/>.</summary>
    public static ResNet Build(ResNetConfig net, MsrConfig config) =>
        ResNet.Build(net with { Normalization = false }, Parts(config));

    /// <summary>The builder choices of Mean Shift Rejection.</summary>
    public static ResNetParts Parts(MsrConfig config) => new()
    {
        Conv = s => new WeightNorm(nn.Conv2d(s.InChannels, s.OutChannels, s.KernelSize, s.Stride, s.Padding, bias: s.Bias),
            WeightNormMode.Exponential, config.InitialScale),
        BlockInput = config.Noise > 0 ? _ => new MultiplicativeNoise(config.Noise) : null,
        Init = model => initialize(model, config),
    };

    /// <summary>CZMI on <see cref="zero_mean_kernels"/>, <see cref="msr.unit_uniform_"/> on every other conv kernel,
    /// conv biases 0, e^g back to its initial value. The Linear head keeps its own (PyTorch default) init.</summary>
    public static void initialize(ResNet model, MsrConfig config)
    {
        var zeroMean = zero_mean_kernels(model, config).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var conv in model.modules().OfType<Conv2d>())
        {
            if (zeroMean.Contains(conv.weight)) msr.czm_init_(conv.weight);
            else msr.unit_uniform_(conv.weight);
            if (conv.bias is not null) init.zeros_(conv.bias);
        }
        foreach (var wn in model.modules().OfType<WeightNorm>()) wn.reset_gain();
    }

    /// <summary>Every conv kernel V (the direction inside each <see cref="WeightNorm"/>): what LUMA anchors.</summary>
    public static IReadOnlyList<Parameter> kernels(ResNet model) =>
        model.modules().OfType<Conv2d>().Select(c => c.weight).ToList();

    /// <summary>The kernels CZMI initialises and CZMG adjusts: every spatial (k &gt; 1) conv kernel, except the first
    /// layer's (the convs of the stem) unless <see cref="MsrConfig.ZeroMeanFirstLayer"/>.</summary>
    public static IReadOnlyList<Parameter> zero_mean_kernels(ResNet model, MsrConfig config) =>
        zero_mean_kernels(model, config.ZeroMeanFirstLayer);

    /// <summary>Every spatial (k &gt; 1) conv kernel, the first layer's (the convs of the stem) only when
    /// <paramref name="firstLayer"/>; for any <see cref="ResNet"/>.</summary>
    public static IReadOnlyList<Parameter> zero_mean_kernels(ResNet model, bool firstLayer)
    {
        var first = model.stem.modules().OfType<Conv2d>().ToHashSet();
        return model.modules().OfType<Conv2d>()
            .Where(c => c.kernel_size[0] * c.kernel_size[1] > 1 && (firstLayer || !first.Contains(c)))
            .Select(c => c.weight).ToList();
    }

    /// <summary>LUMA over every conv kernel (§3.4): λ · Σ_f (‖V_f‖₂ − 1)², to add to the task loss.</summary>
    public static Tensor luma_loss(ResNet model, MsrConfig config) => msr.luma(kernels(model), config.Luma);

    /// <summary>The CZMG step (§3.3) for this model's zero-mean kernels with the config's z.</summary>
    public static ZeroMeanGradients zero_mean_gradients(ResNet model, MsrConfig config) =>
        new(zero_mean_kernels(model, config), config.Zmg);

    /// <summary>LUMA (§3.4) over every conv kernel as a gradient hook, for a trainer whose loss is the task loss alone.</summary>
    public static LumaGradient luma_gradient(ResNet model, MsrConfig config) => new(kernels(model), config.Luma);

    /// <summary>The gradient hooks of the method, in order: LUMA's gradient, then CZMG (which acts on the gradient of the
    /// whole loss, §3.3). The trainer runs them between backward and the optimizer step (its <c>gradient_hooks</c>; by
    /// hand: <c>GradientHooks.apply(model.parameters(), hooks)</c>); use SGD without weight decay. Make them once the
    /// model is on its device: moving a TorchSharp module replaces its parameters.</summary>
    public static IReadOnlyList<IGradientHook> gradient_hooks(ResNet model, MsrConfig config) =>
        [luma_gradient(model, config), zero_mean_gradients(model, config)];

    /// <summary>The plain network for inference (§3.1: "the exponentiated scaling is combined into the weights"):
    /// the same <see cref="ResNetConfig"/> built from plain <see cref="Conv2d"/>s with W = e^g·V, the biases and the
    /// head copied, and no noise (its eval-mode identity). The result is in eval mode; it computes what
    /// <paramref name="model"/> computes in eval mode.</summary>
    public static ResNet fold(ResNet model)
    {
        var plain = ResNet.Build(model.config);
        var reference = model.parameters().First();
        plain.to(reference.device, reference.dtype);
        var state = model.state_dict();
        var folded = new List<Tensor>();
        try
        {
            using (torch.no_grad())
                foreach (var (name, wn) in model.named_modules().Where(e => e.module is WeightNorm).Select(e => (e.name, (WeightNorm)e.module)))
                {
                    state.Remove($"{name}.weight_g");
                    state.Remove($"{name}.layer.weight");
                    var w = wn.weight(); // W = e^g · V
                    folded.Add(w);
                    state[$"{name}.weight"] = w;
                    if (!state.Remove($"{name}.layer.bias", out var bias)) continue;
                    state[$"{name}.bias"] = bias;
                }
            plain.load_state_dict(state);
        }
        finally
        {
            foreach (var w in folded) w.Dispose();
        }
        plain.eval();
        return plain;
    }
}
