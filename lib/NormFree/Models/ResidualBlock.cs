using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Models;

/// <summary>Base of every residual block, so analyses can find the blocks of any model (per-block signal
/// statistics, Brock et al. 2021) and the builder can ask a block its output width.
/// A block calls <see cref="branch_output"/> with its residual branch's output before adding the shortcut;
/// <see cref="register_branch_hook"/> observes it, as a forward hook observes the block's output.
/// With an <see cref="input"/> module, the x of each block's formula is input(x) (<see cref="unit_input"/>).</summary>
public abstract class ResidualBlock : Module
{
    readonly List<Action<ResidualBlock, Tensor>> branchHooks = [];

    /// <param name="input">Applied to the unit's input before both paths (<see cref="ResNetParts.BlockInput"/>,
    /// <see cref="BlockContext.block_input"/>); registered as "input". Null: none.</param>
    protected ResidualBlock(long in_channels, long out_channels, Module? input = null)
    {
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        if (input is not null) this.input = register_module("input", input);
    }

    public long in_channels { get; }
    public long out_channels { get; }

    /// <summary>The module applied to the unit's input before the branch and the shortcut, or null.</summary>
    public Module? input { get; }

    /// <summary>What both paths of the unit receive: <see cref="input"/> applied to <paramref name="x"/>, or a new
    /// handle to <paramref name="x"/> when there is none (the caller disposes the result either way).</summary>
    protected Tensor unit_input(Tensor x) => input is null ? x.alias() : input.call(x);

    /// <summary>Adds a hook that sees each residual-branch output (B, C, H, W) during forward; dispose the result to
    /// remove it. The tensor is the block's own temporary: a hook that keeps it must keep <c>alias()</c>.</summary>
    public IDisposable register_branch_hook(Action<ResidualBlock, Tensor> hook)
    {
        branchHooks.Add(hook);
        return new Removal(() => branchHooks.Remove(hook));
    }

    sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    /// <summary>Reports the residual branch's output to the branch hooks and returns it.</summary>
    protected Tensor branch_output(Tensor branch)
    {
        foreach (var hook in branchHooks) hook(this, branch);
        return branch;
    }

    /// <summary>Applies <paramref name="layers"/> in order, disposing the intermediates.</summary>
    protected static Tensor chain(Tensor input, params Module[] layers)
    {
        var x = input.alias();
        foreach (var layer in layers)
        {
            var y = layer.call(x);
            if (!ReferenceEquals(x, y)) x.Dispose();
            x = y;
        }
        return x;
    }

    protected override string extra_repr() => $"{in_channels} → {out_channels}";
}
