using NormFree.Nn;

namespace NormFree.Methods.WeightNormInit;

/// <summary>One fully connected residual block of Arpit et al. (2019), §4 and the synthetic ResNet of Fig. 1
/// (official notebook <c>synthetic_data_experiment.ipynb</c>, <c>F(W, h)</c>):
/// <code>  F(h) = fc2(relu(fc1(h))),   h ← h + F(h)  </code>
/// fc1: features → hidden (role <see cref="WeightNormRole.BlockConv1"/>, γ = 2), fc2: hidden → features
/// (<see cref="WeightNormRole.BlockConv2"/>, γ = 1/B), both weight-normalised, no ReLU after the sum.
/// <para>Shapes: (N, features) → (N, features).</para></summary>
public sealed class WeightNormDenseBlock : nn.Module<Tensor, Tensor>
{
    public WeightNorm fc1 { get; }
    public nn.Module<Tensor, Tensor> act { get; }
    public WeightNorm fc2 { get; }

    public WeightNormDenseBlock(long features, long hidden) : base(nameof(WeightNormDenseBlock))
    {
        fc1 = new WeightNorm(nn.Linear(features, hidden));
        act = nn.ReLU();
        fc2 = new WeightNorm(nn.Linear(hidden, features));
        register_module("fc1", fc1);
        register_module("act", act);
        register_module("fc2", fc2);
    }

    public override Tensor forward(Tensor h)
    {
        Shapes.Expect(h, 2, nameof(WeightNormDenseBlock), "(N, features)", fc1.weight_v.size(1));
        using var a = fc1.call(h);       // (N, hidden)
        using var r = act.call(a);
        using var branch = fc2.call(r);  // (N, features)
        return h + branch;               // no ReLU after the sum (§4)
    }

    // Members are registered by name in the constructor; skip TorchSharp's field scan of the backing fields.
    protected override void RegisterComponents() { }
}

/// <summary>One stage of B fully connected residual blocks (<see cref="WeightNormDenseBlock"/>, modules "block1" …
/// "blockB"), the synthetic ResNet of Arpit et al. (2019), Fig. 1 (right): features n₀ = 500, hidden width m, B = 40,
/// no stem and no classifier. The proposed init predicts ‖h^b‖/‖h⁰‖ ≈ (1 + 1/B)^(b/2) (each block adds ‖h‖²/B).</summary>
public static class WeightNormResidualMlp
{
    /// <param name="features">n₀, the width of the residual stream (and of the input).</param>
    /// <param name="hidden">m, the width inside each block.</param>
    /// <param name="blocks">B, the number of blocks (the stage's B_k: conv2's γ = 1/B).</param>
    /// <param name="scheme">The init of every layer, by role.</param>
    /// <param name="init_batch">Required by, and only used for, the data-dependent scheme: (N, features).</param>
    /// <param name="generator">Generator for V (null: the global one).</param>
    public static Sequential Build(long features, long hidden, int blocks, WeightNormScheme scheme, Tensor? init_batch = null, Generator? generator = null)
    {
        if (blocks < 1) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "a stage has at least one block");
        if (scheme == WeightNormScheme.DataDependent && init_batch is null)
            throw new ArgumentException("the data-dependent init needs an init batch", nameof(init_batch));
        var net = nn.Sequential();
        for (var b = 0; b < blocks; b++)
        {
            var block = new WeightNormDenseBlock(features, hidden);
            WeightNormSchemes.init_(block.fc1, scheme, WeightNormRole.BlockConv1, b, blocks, generator);
            WeightNormSchemes.init_(block.fc2, scheme, WeightNormRole.BlockConv2, b, blocks, generator);
            net.append($"block{b + 1}", block);
        }
        if (scheme == WeightNormScheme.DataDependent) DataDependentInit.apply(net, init_batch!);
        return net;
    }
}
