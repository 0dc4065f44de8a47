
namespace NormFree.Init;

/// <summary>torch.nn.init: fill a weight tensor in place (under no_grad) from a distribution whose scale follows
/// the tensor's fans. Every random initializer takes an optional <see cref="Generator"/> so an experiment's draws do
/// not depend on what else used the global generator. Each returns its argument, as in PyTorch.
/// <para>Fans of a weight (C_out, C_in, k₁, k₂, ...): fan_in = C_in·k₁·k₂·…, fan_out = C_out·k₁·k₂·… (a Linear
/// weight (out, in) is the case without kernel dims).</para></summary>
public static class init
{
    // ---- fans and gains ------------------------------------------------------------------------------------

    /// <summary>(fan_in, fan_out) of a weight with at least two dims; see the class doc.</summary>
    public static (long fan_in, long fan_out) calculate_fan_in_and_fan_out(Tensor tensor)
    {
        var s = tensor.shape;
        if (s.Length < 2)
            throw new ArgumentException($"fan in and fan out need a tensor with at least 2 dims, got shape [{string.Join(", ", s)}]", nameof(tensor));
        long receptive = 1;
        for (var i = 2; i < s.Length; i++) receptive *= s[i];
        return (s[1] * receptive, s[0] * receptive);
    }

    /// <summary>The fan selected by <paramref name="mode"/>: "fan_in" (preserves forward variance) or "fan_out"
    /// (preserves backward variance).</summary>
    public static long calculate_fan(Tensor tensor, string mode = "fan_in")
    {
        var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
        return mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"mode '{mode}' is not supported: expected fan_in or fan_out", nameof(mode)),
        };
    }

    /// <summary>The gain that keeps the variance of a signal through <paramref name="nonlinearity"/>, as in PyTorch:
    /// linear, conv*, sigmoid → 1; tanh → 5/3; relu → √2; leaky_relu → √(2 / (1 + slope²)) (slope
    /// <paramref name="param"/>, default 0.01); selu → 3/4.</summary>
    public static double calculate_gain(string nonlinearity, double? param = null)
    {
        switch (nonlinearity)
        {
            case "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid":
                return 1.0;
            case "tanh":
                return 5.0 / 3.0;
            case "relu":
                return Math.Sqrt(2.0);
            case "leaky_relu":
                var slope = param ?? 0.01;
                return Math.Sqrt(2.0 / (1 + slope * slope));
            case "selu":
                return 3.0 / 4.0; // PyTorch's value (it preserves the gradient scale in self-normalizing nets)
            default:
                throw new ArgumentException($"unsupported nonlinearity '{nonlinearity}'", nameof(nonlinearity));
        }
    }

    // ---- plain fills ---------------------------------------------------------------------------------------

    /// <summary>U(a, b).</summary>
    public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        if (b < a) throw new ArgumentException($"uniform_ needs a ≤ b, got a = {a}, b = {b}");
        using var _ = torch.no_grad();
        return tensor.uniform_(a, b, generator);
    }

    /// <summary>N(mean, std²).</summary>
    public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        if (std < 0) throw new ArgumentOutOfRangeException(nameof(std), std, "std must be non-negative");
        using var _ = torch.no_grad();
        return tensor.normal_(mean, std, generator);
    }

    public static Tensor constant_(Tensor tensor, double value)
    {
        using var _ = torch.no_grad();
        return tensor.fill_(value);
    }

    public static Tensor zeros_(Tensor tensor) => constant_(tensor, 0);
    public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

    // ---- variance scaling ----------------------------------------------------------------------------------

    /// <summary>Glorot &amp; Bengio (2010), eq. 16: U(−a, a), a = gain·√(6 / (fan_in + fan_out)).</summary>
    public static Tensor xavier_uniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
        var a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return uniform_(tensor, -a, a, generator);
    }

    /// <summary>Glorot &amp; Bengio (2010): N(0, std²), std = gain·√(2 / (fan_in + fan_out)).</summary>
    public static Tensor xavier_normal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
        return normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>He et al. (2015), §2.2: U(−b, b), b = gain·√(3 / fan), gain = calculate_gain(nonlinearity, a)
    /// (<paramref name="a"/> is the leaky-ReLU negative slope).</summary>
    public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        var bound = calculate_gain(nonlinearity, a) * Math.Sqrt(3.0 / calculate_fan(tensor, mode));
        return uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>He et al. (2015), eq. 10: N(0, std²), std = gain / √fan.</summary>
    public static Tensor kaiming_normal_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        var std = calculate_gain(nonlinearity, a) / Math.Sqrt(calculate_fan(tensor, mode));
        return normal_(tensor, 0, std, generator);
    }

    /// <summary>PyTorch's default for Linear and Conv layers (<c>reset_parameters</c> in linear.py / conv.py):
    /// weight ~ kaiming_uniform_(a = √5), which is U(±1/√fan_in); bias ~ U(±1/√fan_in) with the weight's fan_in.</summary>
    public static void default_(Tensor weight, Tensor? bias, Generator? generator = null)
    {
        kaiming_uniform_(weight, a: Math.Sqrt(5), generator: generator);
        if (bias is null) return;
        var (fanIn, _) = calculate_fan_in_and_fan_out(weight);
        var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        uniform_(bias, -bound, bound, generator);
    }

    // ---- orthogonal ----------------------------------------------------------------------------------------

    /// <summary>Saxe et al. (2014): the weight viewed as a (rows = C_out, cols = C_in·k·k) matrix becomes
    /// gain × a (semi-)orthogonal matrix drawn uniformly (Haar): orthonormal rows when rows ≤ cols (W Wᵀ = gain²·I),
    /// orthonormal columns when rows ≥ cols (Wᵀ W = gain²·I). Drawn as the Q of a QR decomposition of a Gaussian
    /// matrix with the signs of diag(R) folded into Q (Mezzadri 2007), as PyTorch does.</summary>
    public static Tensor orthogonal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var s = tensor.shape;
        if (s.Length < 2)
            throw new ArgumentException($"orthogonal_ needs a tensor with at least 2 dims, got shape [{string.Join(", ", s)}]", nameof(tensor));
        using var _ = torch.no_grad();
        using var q = random_orthogonal(s[0], tensor.numel() / s[0], tensor, generator); // (rows, cols)
        using var scaled = q.mul(gain);
        using var shaped = scaled.reshape(s);
        return tensor.copy_(shaped);
    }

    /// <summary>Delta-orthogonal init (Xiao et al. 2018, Algorithm 2) for a conv weight (C_out, C_in, k, k):
    /// zeros everywhere except the kernel centre, where the (C_out, C_in) matrix is gain × orthogonal (as in
    /// <see cref="orthogonal_"/>, so rows or columns are orthonormal). A conv initialised so is, at init, a 1×1
    /// orthogonal conv: it preserves the norm of every pixel's channel vector (when C_out ≥ C_in).</summary>
    public static Tensor delta_orthogonal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var s = tensor.shape;
        if (s.Length < 3)
            throw new ArgumentException($"delta_orthogonal_ needs a conv weight (C_out, C_in, k, ...), got shape [{string.Join(", ", s)}]", nameof(tensor));
        for (var i = 2; i < s.Length; i++)
            if (s[i] % 2 == 0)
                throw new ArgumentException($"delta_orthogonal_ needs odd kernel sizes to have a centre, got shape [{string.Join(", ", s)}]", nameof(tensor));
        using var _ = torch.no_grad();
        tensor.zero_();
        using var q = random_orthogonal(s[0], s[1], tensor, generator); // (C_out, C_in)
        using var scaled = q.mul(gain);
        // Walk down to the centre tap: W[:, :, k₁/2, k₂/2, ...].
        var centre = tensor.alias();
        for (var i = 2; i < s.Length; i++)
        {
            var next = centre.select(2, s[i] / 2);
            centre.Dispose();
            centre = next;
        }
        using (centre) centre.copy_(scaled);
        return tensor;
    }

    /// <summary>A (rows, cols) Haar-random matrix with orthonormal rows (rows ≤ cols) or columns (rows ≥ cols),
    /// with <paramref name="like"/>'s dtype and device.</summary>
    static Tensor random_orthogonal(long rows, long cols, Tensor like, Generator? generator)
    {
        var transpose = rows < cols; // QR gives orthonormal columns: work on the tall matrix
        long[] shape = transpose ? [cols, rows] : [rows, cols];
        using var a = torch.randn(shape, like.dtype, generator is null ? like.device : torch.CPU, generator: generator);
        var (q, r) = torch.linalg.qr(a);
        using (q)
        using (r)
        {
            // Sign fix: Q·diag(sign(diag R)) makes the decomposition unique, so Q is Haar-distributed.
            using var d = torch.diag(r);
            using var signs = d.sign();
            using var fixedQ = q.mul(signs);
            using var oriented = transpose ? fixedQ.t() : fixedQ.alias();
            using var dense = oriented.contiguous();
            return dense.to(like.device);
        }
    }
}
