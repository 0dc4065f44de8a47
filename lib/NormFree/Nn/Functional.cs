using NormFree.Torch;

namespace NormFree.Nn;

/// <summary>torch.nn.functional: stateless network functions, each a boxed call of its ATen operator.</summary>
public static class F
{
    /// <summary>2-D convolution. input (B, C_in, H, W), weight (C_out, C_in/groups, kH, kW) → (B, C_out, H', W').</summary>
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        Ops.conv2d.Call(input, weight, bias, new[] { stride, stride }, new[] { padding, padding }, new[] { dilation, dilation }, groups);

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups = 1) =>
        Ops.conv2d.Call(input, weight, bias, stride, padding, dilation, groups);

    /// <summary>y = x Wᵀ + b. input (*, in), weight (out, in) → (*, out).</summary>
    public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) => Ops.linear.Call(input, weight, bias);

    public static Tensor relu(Tensor x) => Ops.relu.Call(x);
    public static Tensor leaky_relu(Tensor x, double negative_slope = 0.01) => Ops.leaky_relu.Call(x, negative_slope);
    public static Tensor elu(Tensor x, double alpha = 1.0) => Ops.elu.Call(x, alpha);
    public static Tensor sigmoid(Tensor x) => Ops.sigmoid.Call(x);
    public static Tensor tanh(Tensor x) => Ops.tanh.Call(x);

    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1−p) when training; identity otherwise.</summary>
    public static Tensor dropout(Tensor x, double p = 0.5, bool training = true)
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        return Ops.dropout.Call(x, p, training);
    }

    /// <summary>Batch normalization over (B, H, W) per channel; in training mode uses batch statistics and updates
    /// the running ones in place (momentum as in PyTorch: new = (1 − m)·old + m·batch).</summary>
    public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        Ops.batch_norm.Call(input, weight, bias, running_mean, running_var, training, momentum, eps, true);

    public static Tensor avg_pool2d(Tensor x, long kernel_size, long? stride = null, long padding = 0) =>
        Ops.avg_pool2d.Call(x, new[] { kernel_size, kernel_size }, new[] { stride ?? kernel_size, stride ?? kernel_size }, new[] { padding, padding });

    public static Tensor max_pool2d(Tensor x, long kernel_size, long? stride = null, long padding = 0) =>
        Ops.max_pool2d.Call(x, new[] { kernel_size, kernel_size }, new[] { stride ?? kernel_size, stride ?? kernel_size }, new[] { padding, padding });

    public static Tensor adaptive_avg_pool2d(Tensor x, long output_size) => Ops.adaptive_avg_pool2d.Call(x, new[] { output_size, output_size });

    /// <summary>Pads the last dimensions: <paramref name="pad"/> = (left, right, top, bottom, ...) as in PyTorch;
    /// mode "constant" (with <paramref name="value"/>) or "reflect" (4-D input, last two dims).</summary>
    public static Tensor pad(Tensor x, long[] pad, string mode = "constant", double value = 0) => mode switch
    {
        "constant" => Ops.constant_pad_nd.Call(x, pad, value),
        // NOTE: libtorch 1.13's reflection_pad2d reads four padding values unchecked (a shorter list crashes the
        // process), so the length is checked here, as PyTorch's Python F.pad does.
        "reflect" when pad.Length != 4 => throw new ArgumentException($"reflect padding takes 4 values (left, right, top, bottom), got {pad.Length}", nameof(pad)),
        "reflect" => Ops.reflection_pad2d.Call(x, pad),
        _ => throw new ArgumentException($"unknown pad mode '{mode}': expected constant or reflect", nameof(mode)),
    };

    public static Tensor log_softmax(Tensor x, long dim) => Ops.log_softmax.Call(x, dim);
    public static Tensor softmax(Tensor x, long dim) => Ops.softmax.Call(x, dim);

    /// <summary>Mean cross-entropy of logits (B, K) against class indices (B) (int64), with optional label smoothing.</summary>
    public static Tensor cross_entropy(Tensor logits, Tensor target, double label_smoothing = 0.0) =>
        Ops.cross_entropy.Call(logits, target, Arg.None, 1L, -100L, label_smoothing);

    public static Tensor mse_loss(Tensor input, Tensor target) => Ops.mse_loss.Call(input, target, 1L);

    /// <summary>Mean negative log-likelihood of log-probabilities (B, K) at class indices (B) (int64).</summary>
    public static Tensor nll_loss(Tensor log_probs, Tensor target) => Ops.nll_loss.Call(log_probs, target, Arg.None, 1L, -100L);
}
