using NormFree.Init;
using NormFree.Nn;

namespace NormFree.Methods.ConstNet;

/// <summary>The replica toy of Blumenfeld et al. (2020), Appendix E: a one-hidden-layer ReLU net
/// <c>f(x) = W2·relu(W1·x)</c> (no biases) whose m hidden units are <see cref="replicas"/> copies of each of m/r unique
/// He-initialised rows of W1, plus ε·N(0, 1)·√(2/fan_in) noise on W1 — fewer unique features at init, and how little
/// noise it takes to make them diverge again.
/// <para>Shapes: (B, inputs) → (B, classes); W1 (m, inputs), W2 (classes, m).</para></summary>
public sealed class ReplicaMlp : nn.Module<Tensor, Tensor>
{
    public Linear hidden { get; }
    public Linear output { get; }
    public int replicas { get; }
    public double epsilon { get; }

    public ReplicaMlp(long inputs, long width, long classes, int replicas, double epsilon, Generator? generator = null) : base(nameof(ReplicaMlp))
    {
        if (replicas < 1 || width % replicas != 0)
            throw new ArgumentException($"the width ({width}) must be a multiple of the number of replicas ({replicas})", nameof(replicas));
        this.replicas = replicas;
        this.epsilon = epsilon;
        hidden = nn.Linear(inputs, width, hasBias: false);
        register_module("hidden", hidden);
        output = nn.Linear(width, classes, hasBias: false);
        register_module("output", output);
        reset_parameters(generator);
    }

    public void reset_parameters(Generator? generator = null)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var (width, inputs) = (hidden.weight.size(0), hidden.weight.size(1));
        var heStd = Math.Sqrt(2.0 / inputs); // He et al. (2015), eq. 10
        var unique = torch.randn([width / replicas, inputs], generator: generator) * heStd; // (m/r, inputs)
        var copies = unique.repeat([replicas, 1]); // (m, inputs): unit u and u + m/r, u + 2m/r, … are replicas
        var noise = torch.randn([width, inputs], generator: generator) * (epsilon * heStd);
        hidden.weight.copy_(copies + noise);
        init.kaiming_normal_(output.weight, nonlinearity: "linear", generator: generator);
    }

    public override Tensor forward(Tensor input)
    {
        Shapes.Expect(input, 2, "ReplicaMlp", $"(B, {hidden.weight.size(1)})", hidden.weight.size(1));
        using var h = hidden.call(input); // (B, m)
        using var a = F.relu(h);
        return output.call(a); // (B, classes)
    }

    // Every member is registered by name above; skip TorchSharp's field scan (run when a parent registers this
    // module), which would register the auto-properties' backing fields a second time.
    protected override void RegisterComponents() { }
}
