using NormFree.Nn;

namespace NormFree.Models;

/// <summary>Base of every residual block, so analyses can find the blocks of any model (per-block signal
/// statistics, Brock et al. 2021) and the builder can ask a block its output width.
/// A block calls <see cref="branch_output"/> with its residual branch's output before adding the shortcut;
/// <see cref="register_branch_hook"/> observes it, as a forward hook observes the block's output.
/// With an <see cref="input"/> module, the x of each block's formula is input(x) (<see cref="unit_input"/>); with a
/// <see cref="branch_end"/> module, the branch F(x) joins the shortcut as branch_end(F(x)) (<see cref="branch_output"/>).</summary>
public abstract class ResidualBlock : nn.Module<Tensor, Tensor>
{
    readonly List<Action<ResidualBlock, Tensor>> branchHooks = [];

    /// <param name="input">Applied to the unit's input before both paths (<see cref="ResNetParts.BlockInput"/>,
    /// <see cref="BlockContext.block_input"/>); registered as "input". Null: none.</param>
    /// <param name="branch_end">Applied to the residual branch's output before it joins the shortcut
    /// (<see cref="ResNetParts.BranchEnd"/>, <see cref="BlockContext.branch_end"/>); registered as "branch_end". Null: none.</param>
    protected ResidualBlock(long in_channels, long out_channels, nn.Module<Tensor, Tensor>? input = null, nn.Module<Tensor, Tensor>? branch_end = null) : base(nameof(ResidualBlock))
    {
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.input = input;
        this.branch_end = branch_end;
        if (input is not null) register_module("input", input);
        if (branch_end is not null) register_module("branch_end", branch_end);
    }

    public long in_channels { get; }
    public long out_channels { get; }

    /// <summary>The module applied to the unit's input before the branch and the shortcut, or null.</summary>
    public nn.Module<Tensor, Tensor>? input { get; }

    /// <summary>The module applied to the residual branch's output before the sum (e.g. SkipInit's α), or null.</summary>
    public nn.Module<Tensor, Tensor>? branch_end { get; }

    /// <summary>What both paths of the unit receive: <see cref="input"/> applied to <paramref name="x"/>, or a new
    /// handle to <paramref name="x"/> when there is none (the caller disposes the result either way).</summary>
    protected Tensor unit_input(Tensor x) => input is null ? x.alias() : input.call(x);

    /// <summary>Adds a hook that sees each residual-branch output F(x) (B, C, H, W) during forward, before
    /// <see cref="branch_end"/> (as the NF-ResNet reference code measures the residual variance before its skip gain);
    /// dispose the result to remove it. The tensor is the block's own temporary: a hook that keeps it must keep
    /// <c>alias()</c>.</summary>
    public IDisposable register_branch_hook(Action<ResidualBlock, Tensor> hook)
    {
        branchHooks.Add(hook);
        return new Removal(() => branchHooks.Remove(hook));
    }

    sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    /// <summary>Reports the residual branch's output to the branch hooks and returns what joins the shortcut:
    /// <paramref name="branch"/> itself, or with a <see cref="branch_end"/> a new tensor branch_end(branch). The caller
    /// disposes both <paramref name="branch"/> and the result (disposing one tensor twice is harmless).</summary>
    protected Tensor branch_output(Tensor branch)
    {
        foreach (var hook in branchHooks) hook(this, branch);
        return branch_end is null ? branch : branch_end.call(branch);
    }

    /// <summary>Applies <paramref name="layers"/> in order, disposing the intermediates (<see cref="Sequential.chain"/>).</summary>
    protected static Tensor chain(Tensor input, params nn.Module<Tensor, Tensor>[] layers)
    {
        var x = input;
        foreach (var layer in layers)
        {
            var y = layer.call(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y)) x.Dispose();
            x = y;
        }
        return ReferenceEquals(x, input) ? input.alias() : x;
    }

    // Members are registered by name in the constructor; TorchSharp's field scan would register the auto-properties'
    // backing fields a second time (register_module runs it on every child).
    protected override void RegisterComponents() { }
}
