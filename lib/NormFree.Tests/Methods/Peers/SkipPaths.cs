using NormFree.Methods.Peers;
using NormFree.Models;

namespace NormFree.Tests.Methods.Peers;

/// <summary>What each block kind computes with its residual branch removed, and a check that a net's every block
/// computes exactly that.</summary>
static class SkipPaths
{
    /// <summary>The block's output without its branch, written from each block's formula.</summary>
    public static Tensor Of(ResidualBlock block, Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = block switch
        {
            BasicBlock b => b.act2.call(b.shortcut.call(x)),                                     // relu(s(x))
            Bottleneck b => b.act3.call(b.shortcut.call(x)),
            PreActBlock b => b.shortcut is null ? x.alias() : b.shortcut.call(b.act1.call(b.norm1.call(x))),
            NFBlock b => b.shortcut is null ? x.alias() : b.shortcut.call(b.act1.call(x) / b.beta),
            _ => throw new ArgumentException($"no skip path known for {block.GetType().Name}"),
        };
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Runs <paramref name="net"/> on <paramref name="x"/> and asserts that every block's output equals, bit for
    /// bit, its skip path applied to the block's input.</summary>
    public static void AssertEveryBlockIsItsSkipPath(ResNet net, Tensor x)
    {
        var seen = new List<(ResidualBlock block, Tensor input, Tensor output)>();
        var hooks = net.blocks.Select(b => b.register_forward_hook((m, i, o) =>
        {
            // Out of any dispose scope the forward pass opens: they are read after it ends.
            seen.Add(((ResidualBlock)m, i.alias().DetachFromDisposeScope(), o.alias().DetachFromDisposeScope()));
            return null!; // keep the output
        })).ToList();
        try
        {
            using (torch.no_grad())
            using (var y = net.call(x)) { }
            Assert.Equal(net.blocks.Count, seen.Count);
            using var _ = torch.no_grad();
            foreach (var (block, input, output) in seen)
                using (var expected = Of(block, input))
                    Assert.True(output.Equals(expected), $"block {net.blocks.ToList().IndexOf(block)} ({block.GetType().Name}) is not its skip path");
        }
        finally
        {
            foreach (var h in hooks) h.remove();
            foreach (var (_, i, o) in seen) { i.Dispose(); o.Dispose(); }
        }
    }
}
