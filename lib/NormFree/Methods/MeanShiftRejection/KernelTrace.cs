using NormFree.Models;
using NormFree.Nn;
using NormFree.Optim;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>One <see cref="KernelTrace"/> reading: the filter magnitudes ‖K_f‖₂ of every conv kernel of a net at a
/// training step, the share of deflated filters, and how far the spatial kernels sit from the CZM isocline.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="MeanNorm">Mean of ‖K_f‖₂ over all filters of all conv kernels.</param>
/// <param name="StdNorm">Their standard deviation (over filters, n − 1).</param>
/// <param name="DeflatedFraction">Share of filters with ‖K_f‖₂ &lt; <see cref="KernelTrace.DeflationThreshold"/> × their
/// norm at the first reading.</param>
/// <param name="CommonModeFraction">Mean of <see cref="msr.common_mode_fraction"/> over the spatial kernels past the
/// first layer (0 on the CZM isocline; ≈ 1/3 for a random 3×3 kernel).</param>
public sealed record KernelSnapshot(long Step, double MeanNorm, double StdNorm, double DeflatedFraction, double CommonModeFraction);

/// <summary>Filter magnitudes over training (Ruff et al. 2019, §3.4, §4.3): with BatchNorm and L2 weight decay the
/// kernel magnitudes settle at 0.4–0.6 and about 25 % of the filters "deflate" — their magnitude runs toward zero, so
/// their effective learning rate (∝ 1/‖K_f‖² for a scale-invariant filter) spirals up and they stop learning; LUMA
/// keeps every ‖V_f‖ near 1. The kernels are the <see cref="Conv2d"/> weights: W for a plain conv, the direction V
/// inside a <see cref="WeightNorm"/> (the tensor LUMA anchors).
/// <para>NOTE: the paper gives no threshold for "deflated". Here a filter is deflated when its magnitude fell below
/// <see cref="DeflationThreshold"/> = 10 % of its own magnitude at the first reading (at init): relative, because He
/// init starts filters at different magnitudes (‖W_f‖² ≈ 2·fan_in/fan_in = 2 for a same-width 3×3 conv, 1 where the
/// width doubles), CZMI at 1.</para>
/// <para>Read it by hand with <see cref="record"/>, or hand it to the trainer as the last gradient hook: it then reads
/// the kernels at every <see cref="every"/>-th step, before that step's update, i.e. after the updates done so far (a
/// trainer needs no per-step callback). The constructor takes the reading at step 0; make it once the model is on its
/// device (moving a TorchSharp module replaces its parameters).</para></summary>
public sealed class KernelTrace : IGradientHook
{
    /// <summary>A filter is deflated below this fraction of its initial magnitude (our definition, see the NOTE).</summary>
    public const double DeflationThreshold = 0.1;

    readonly IReadOnlyList<Parameter> kernels, spatial;
    readonly List<KernelSnapshot> snapshots = [];
    double[]? initial;

    long updates;

    /// <summary>Traces every conv kernel of <paramref name="model"/>, reading them now (step 0: the initial magnitudes).</summary>
    /// <param name="every">As a gradient hook, read after every this many optimizer updates.</param>
    public KernelTrace(ResNet model, int every = 1)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), every, "the reading interval must be ≥ 1 step");
        this.every = every;
        kernels = MsrResNet.kernels(model);
        spatial = MsrResNet.zero_mean_kernels(model, firstLayer: false);
        record(0);
    }

    /// <summary>Optimizer updates between two readings taken as a gradient hook.</summary>
    public int every { get; }

    /// <summary>The gradient hook: counts the updates done before this step and reads the kernels every
    /// <see cref="every"/> of them. The gradients are left alone.</summary>
    public void apply(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> grads)
    {
        if (updates > 0 && updates % every == 0) record(updates);
        updates++;
    }

    public IReadOnlyList<KernelSnapshot> Snapshots => snapshots;

    /// <summary>The magnitude ‖K_f‖₂ of every filter of every conv kernel, in module order.</summary>
    public double[] norms()
    {
        using var _ = torch.no_grad();
        return kernels.SelectMany(k => { using var n = msr.filter_norms(k); using var d = n.to(ScalarType.Float64); return d.data<double>().ToArray(); }).ToArray();
    }

    /// <summary>Reads the kernels now (after <paramref name="step"/> optimizer updates) and appends a snapshot. The first
    /// reading (the constructor's) fixes every filter's initial magnitude.</summary>
    public KernelSnapshot record(long step)
    {
        var current = norms();
        initial ??= current;
        var mean = current.Average();
        var std = Math.Sqrt(current.Sum(n => (n - mean) * (n - mean)) / Math.Max(1, current.Length - 1));
        var deflated = current.Where((n, i) => n < DeflationThreshold * initial[i]).Count() / (double)current.Length;
        var drift = spatial.Count == 0 ? double.NaN : spatial.Average(k => msr.common_mode_fraction(k));
        var snapshot = new KernelSnapshot(step, mean, std, deflated, drift);
        snapshots.Add(snapshot);
        return snapshot;
    }
}
