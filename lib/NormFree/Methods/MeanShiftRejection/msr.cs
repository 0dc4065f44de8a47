using NormFree.Nn;

namespace NormFree.Methods.MeanShiftRejection;

/// <summary>The pure tensor functions of Mean Shift Rejection (Ruff, Beck &amp; Bach 2019, "Mean Shift Rejection:
/// Training Deep Neural Networks Without Minibatch Statistics or Normalization", arXiv 1911.13173), each under its
/// equation. Conv kernels are V of shape (C_out, C_in, k, k): a filter is one output channel V_f (C_in, k, k), a
/// slice is one (filter, input channel) pair V_{f,c} (k, k). The modules and the model builder live beside this file
/// (<see cref="MultiplicativeNoise"/>, <see cref="ZeroMeanGradients"/>, <see cref="MsrResNet"/>).</summary>
public static class msr
{
    /// <summary>The spatial dims of a conv kernel: the mean over them is a slice's common-mode (DC) component.</summary>
    static readonly long[] SpatialDims = [2, 3];

    /// <summary>Channel-wise zero-mean initialisation (CZMI), §3.2, in place on a spatial kernel (k &gt; 1):
    /// every slice sums to 0 and every filter has Euclidean norm 1, so the filter is immune to a per-channel constant
    /// added to its input (§2: Σ_i W_{f,c,i} = 0 cancels the shift S_c).</summary>
    /// <param name="weight">(C_out, C_in, k, k) with k·k &gt; 1.</param>
    public static Tensor czm_init_(Tensor weight, Generator? generator = null)
    {
        CheckSpatialKernel(weight, nameof(czm_init_));
        using var _ = torch.no_grad();
        weight.uniform_(-1, 1, generator); // X = U(−1, +1)
        using (var dc = weight.mean(SpatialDims, keepdim: true)) // E(X: spatial dims), (C_out, C_in, 1, 1)
            weight.sub_(dc); // X' = X − E(X: spatial dims)
        return normalize_filters_(weight); // V = X' / ‖X'‖, per filter
    }

    /// <summary>The same draw without the mean subtraction, for the kernels CZMI leaves out (the first layer, §2, and
    /// pointwise 1×1 kernels, §3.2): X ~ U(−1, 1), V = X / ‖X‖ per filter, so LUMA's anchor ‖V_f‖ = 1 holds at init.
    /// NOTE: the paper does not say how those kernels are initialised; unit norm is the choice consistent with
    /// LUMA (§3.4) and with the exponentiated scale e^g = 0.8 setting each filter's magnitude (§3.1).</summary>
    /// <param name="weight">(C_out, ...), any kernel size.</param>
    public static Tensor unit_uniform_(Tensor weight, Generator? generator = null)
    {
        if (weight.dim() < 2) throw new ArgumentException($"unit_uniform_ expects a weight (C_out, ...), got shape {Shapes.Format(weight.shape)}", nameof(weight));
        using var _ = torch.no_grad();
        weight.uniform_(-1, 1, generator);
        return normalize_filters_(weight);
    }

    /// <summary>Divides every filter (output unit) of <paramref name="weight"/> by its Euclidean norm, in place.</summary>
    static Tensor normalize_filters_(Tensor weight)
    {
        using var norms = filter_norms(weight, keepdim: true); // (C_out, 1, ..., 1)
        return weight.div_(norms);
    }

    /// <summary>‖V_f‖₂ of every filter f: (C_out), or (C_out, 1, ..., 1) with <paramref name="keepdim"/>.</summary>
    public static Tensor filter_norms(Tensor weight, bool keepdim = false)
    {
        var fanIn = Enumerable.Range(1, (int)weight.dim() - 1).Select(d => (long)d).ToArray();
        return torch.linalg.vector_norm(weight, 2, fanIn, keepdim);
    }

    /// <summary>Channel-wise zero-mean gradients (CZMG), §3.3:
    /// ∇V' = ∇V − z · E(∇V: spatial dims), per slice.
    /// The slice-mean (common-mode) component of the gradient, normal to the CZM isocline, is scaled by 1 − z and
    /// the zero-mean component is untouched; z = 1 keeps a CZM kernel exactly on the isocline under SGD.
    /// NOTE: this is the paper's rule. A later version of the authors' code uses ∇V·(1 + z) − z·E(∇V), which also
    /// amplifies the zero-mean component; that variant is not implemented.</summary>
    /// <param name="grad">∇V, (C_out, C_in, k, k) with k·k &gt; 1.</param>
    /// <param name="z">The zmg factor in [0, 1]: 0.85 for ResNet-110 (§3.3), 0 disables CZMG.</param>
    public static Tensor zero_mean_gradient(Tensor grad, double z)
    {
        CheckSpatialKernel(grad, nameof(zero_mean_gradient));
        CheckZmg(z);
        using var dc = grad.mean(SpatialDims, keepdim: true); // E(∇V: spatial dims), (C_out, C_in, 1, 1)
        return grad.add(dc, alpha: -z); // ∇V − z · E(∇V)
    }

    /// <summary>L2 unity magnitude anchoring (LUMA), §3.4, summed over every filter of every kernel:
    /// L = λ · Σ_f (‖V_f‖₂ − 1)². It replaces weight decay: it pulls each filter's magnitude to 1, not to 0, and
    /// leaves the scale e^g, the biases and all other parameters alone.</summary>
    /// <param name="kernels">Each (C_out, ...): the V of every conv.</param>
    /// <param name="lambda">The loss weight, 5e-4 in the paper (§4: the replaced weight decay's).</param>
    /// <returns>A scalar, differentiable in the kernels.</returns>
    public static Tensor luma(IEnumerable<Tensor> kernels, double lambda)
    {
        if (lambda < 0) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "the LUMA weight must be ≥ 0");
        Tensor? total = null;
        foreach (var v in kernels)
        {
            using var norms = filter_norms(v); // ‖V_f‖₂, (C_out)
            using var deviation = norms - 1; // ‖V_f‖₂ − 1
            using var squared = deviation * deviation;
            using var sum = squared.sum(); // Σ_f (‖V_f‖₂ − 1)²
            var next = total is null ? sum.alias() : total + sum;
            total?.Dispose();
            total = next;
        }
        if (total is null) throw new ArgumentException("LUMA needs at least one kernel", nameof(kernels));
        using (total) return total * lambda; // λ · Σ_f (‖V_f‖₂ − 1)²
    }

    /// <summary>The gradient of LUMA (§3.4) with respect to one kernel V, in closed form:
    /// ∂/∂V_f λ·(‖V_f‖₂ − 1)² = 2λ·(‖V_f‖₂ − 1)·V_f / ‖V_f‖₂ per filter f — a pull along V_f toward magnitude 1, so
    /// it never moves a filter off the CZM isocline. <see cref="LumaGradient"/> adds it inside the optimizer step.</summary>
    /// <param name="v">(C_out, ...), filters of nonzero magnitude.</param>
    /// <param name="lambda">The loss weight λ ≥ 0.</param>
    public static Tensor luma_gradient(Tensor v, double lambda)
    {
        if (lambda < 0) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "the LUMA weight must be ≥ 0");
        using var norms = filter_norms(v, keepdim: true); // ‖V_f‖₂, (C_out, 1, ..., 1)
        using var pull = (norms - 1) / norms;              // (‖V_f‖ − 1) / ‖V_f‖
        using var scaled = pull * (2 * lambda);
        return v * scaled;                                  // 2λ (‖V_f‖ − 1) V_f / ‖V_f‖
    }

    /// <summary>Multiplicative noise injection, §4.4: y = x ⊙ u with u ~ U(1 − a, 1 + a) drawn per sample and per
    /// channel and constant over positions (unit mean, amplitude a = 0.1 in the paper); the identity when not
    /// training.</summary>
    /// <param name="x">(B, C, ...).</param>
    /// <param name="amplitude">a in [0, 1].</param>
    public static Tensor multiplicative_noise(Tensor x, double amplitude, bool training, Generator? generator = null)
    {
        CheckAmplitude(amplitude);
        if (x.dim() < 2) throw new ArgumentException($"multiplicative_noise expects input (B, C, ...), got shape {Shapes.Format(x.shape)}", nameof(x));
        if (!training || amplitude == 0) return x.alias();
        var noiseShape = x.shape.Select((n, d) => d < 2 ? n : 1L).ToArray(); // (B, C, 1, ..., 1)
        using var u = torch.empty(noiseShape, x.dtype, x.device);
        u.uniform_(1 - amplitude, 1 + amplitude, generator); // u ~ U(1 − a, 1 + a)
        return x * u;
    }

    /// <summary>How far a kernel is from the CZM isocline: ‖M‖ / ‖V‖, where M is V's slice-mean component
    /// (each slice replaced by its mean). 0 on the isocline, 1 for a kernel whose slices are constant.</summary>
    /// <param name="weight">(C_out, C_in, k, k) with k·k &gt; 1.</param>
    public static double common_mode_fraction(Tensor weight)
    {
        CheckSpatialKernel(weight, nameof(common_mode_fraction));
        using var _ = torch.no_grad();
        using var dc = weight.mean(SpatialDims, keepdim: true); // (C_out, C_in, 1, 1)
        using var common = dc.expand_as(weight); // M: each slice's mean at every position
        using var commonNorm = common.norm();
        using var norm = weight.norm();
        return commonNorm.ToDouble() / norm.ToDouble();
    }

    /// <summary>The mean-shift response of a conv (§2): how far its outputs move when a per-channel constant S_c is
    /// added to input channel c, as max |y(x + S) − y(x)| / max |y(x)| over the interior outputs (whose k×k window
    /// avoids the zero padding, so only Σ_i W_{f,c,i}·S_c can move them: 0 for a CZM filter) and over the border
    /// outputs (within <c>padding</c> of an edge, where the padded zeros are not shifted and any filter moves).</summary>
    /// <param name="conv">A stride-1 conv with explicit (zero) padding.</param>
    /// <param name="x">Input (B, C_in, H, W).</param>
    /// <param name="shift">S, broadcastable to x: (1, C_in, 1, 1) for a per-channel shift.</param>
    public static (double Interior, double Border) mean_shift_response(Conv2d conv, Tensor x, Tensor shift)
    {
        if (conv.stride.Any(s => s != 1)) throw new ArgumentException($"mean_shift_response needs a stride-1 conv, got stride {Shapes.Format(conv.stride)}", nameof(conv));
        if (conv.padding is not { Length: 2 } padding)
            throw new ArgumentException("mean_shift_response needs a conv with explicit padding (ph, pw)", nameof(conv));
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var y = conv.call(x); // (B, C_out, H', W')
        var moved = conv.call(x + shift) - y;
        var diff = moved.abs();
        var scale = y.abs().max().ToDouble();
        var (ph, pw, h, w) = (padding[0], padding[1], y.size(2), y.size(3));
        if (h <= 2 * ph || w <= 2 * pw) throw new ArgumentException($"mean_shift_response: output {h}×{w} has no interior inside a padding of {ph}×{pw}", nameof(x));
        var interior = diff.narrow(2, ph, h - 2 * ph).narrow(3, pw, w - 2 * pw).max().ToDouble();
        var border = diff.clone();
        border.narrow(2, ph, h - 2 * ph).narrow(3, pw, w - 2 * pw).zero_(); // keep the border positions only
        return (interior / scale, border.max().ToDouble() / scale);
    }

    // ---- argument checks -----------------------------------------------------------------------------------

    static void CheckSpatialKernel(Tensor t, string function)
    {
        if (t.dim() != 4)
            throw new ArgumentException($"{function} expects a conv kernel (C_out, C_in, k, k), got shape {Shapes.Format(t.shape)}");
        if (t.size(2) * t.size(3) < 2)
            throw new ArgumentException($"{function} needs a spatial kernel (k > 1); a pointwise kernel {Shapes.Format(t.shape)} has no slice mean to reject (§3.2)");
    }

    internal static void CheckZmg(double z)
    {
        if (!(z >= 0 && z <= 1)) throw new ArgumentOutOfRangeException(nameof(z), z, "the zmg factor z must be in [0, 1] (§3.3)");
    }

    internal static void CheckAmplitude(double amplitude)
    {
        if (!(amplitude >= 0 && amplitude <= 1)) throw new ArgumentOutOfRangeException(nameof(amplitude), amplitude, "the noise amplitude a must be in [0, 1] so that 1 ± a stays ≥ 0");
    }
}
