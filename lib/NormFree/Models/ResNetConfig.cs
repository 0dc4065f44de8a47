using System.Text;

namespace NormFree.Models;

/// <summary>The residual block a <see cref="ResNetConfig"/> uses unless the parts supply their own.</summary>
public enum BlockKind
{
    /// <summary>Post-activation basic block, He et al. (2016a), Fig. 2: relu(norm(conv3×3(relu(norm(conv3×3 x)))) + shortcut x).</summary>
    Basic,

    /// <summary>Post-activation bottleneck, He et al. (2016a), Fig. 5: 1×1 → 3×3 → 1×1 (4× wider), stride on the 3×3.</summary>
    Bottleneck,

    /// <summary>Pre-activation wide block, Zagoruyko &amp; Komodakis (2016), Fig. 1(d) with dropout between the convs.</summary>
    PreActivation,
}

/// <summary>How a block's shortcut matches a change of width or resolution (He et al. 2016a, §3.3).</summary>
public enum ShortcutKind
{
    /// <summary>Option A: stride-s subsampling and zero channel padding, no parameters (the CIFAR ResNets, §4.2).</summary>
    ZeroPad,

    /// <summary>Option B: a strided 1×1 conv projection (followed by the normalization in post-activation blocks).</summary>
    Projection,
}

/// <summary>An immutable description of a CIFAR-style ResNet: a 3×3 stem conv of <see cref="StemWidth"/> channels,
/// stages k = 0..K−1 of <c>BlocksPerStage[k]</c> blocks with <c>Widths[k]</c> planes (stride 2 at the start of every
/// stage but the first), global average pool, Linear. Saved with every result, so a number can be traced to its net.
/// Named variants: <see cref="ResNet(int)"/> (ResNet20/32/44/56/110), <see cref="BottleneckResNet"/>,
/// <see cref="WideResNet"/>; change anything with <c>with { InChannels = 1, Normalization = false }</c>.</summary>
public sealed record ResNetConfig(string Name, BlockKind Block, int[] BlocksPerStage, long[] Widths, long StemWidth, ShortcutKind Shortcut)
{
    /// <summary>Image channels: 3 for CIFAR, 1 for Fashion-MNIST.</summary>
    public long InChannels { get; init; } = 3;
    public long NumClasses { get; init; } = 10;
    /// <summary>BatchNorm after each conv, before the ReLU (He et al. 2016a, §3.4); Identity when false.</summary>
    public bool Normalization { get; init; } = true;
    /// <summary>A per-channel bias in every conv (the reference nets have none; BN makes it redundant).</summary>
    public bool ConvBias { get; init; } = false;
    /// <summary>Dropout probability between the two convs of a pre-activation block (Zagoruyko &amp; Komodakis 2016, §2.4).</summary>
    public double Dropout { get; init; } = 0;

    /// <summary>Residual branches in the whole net (L in FixUp).</summary>
    public int TotalBlocks => BlocksPerStage.Sum();

    /// <summary>He et al. (2016a), §4.2: depth 6n + 2, n basic blocks per stage, widths 16/32/64, option A
    /// shortcuts.</summary>
    public static ResNetConfig ResNet(int depth)
    {
        if (depth < 8 || (depth - 2) % 6 != 0) throw new ArgumentException($"a CIFAR ResNet has depth 6n + 2 (8, 14, 20, …), got {depth}", nameof(depth));
        var n = (depth - 2) / 6;
        return new($"ResNet-{depth}", BlockKind.Basic, [n, n, n], [16, 32, 64], 16, ShortcutKind.ZeroPad);
    }

    public static ResNetConfig ResNet20 => ResNet(20);
    public static ResNetConfig ResNet32 => ResNet(32);
    public static ResNetConfig ResNet44 => ResNet(44);
    public static ResNetConfig ResNet56 => ResNet(56);
    public static ResNetConfig ResNet110 => ResNet(110);

    /// <summary>He et al. (2016b), §4.1 (ResNet-164 is depth 164): depth 9n + 2, n bottleneck blocks per stage with
    /// 16/32/64 planes (64/128/256 output channels), projection shortcuts.
    /// NOTE: post-activation bottlenecks (the 2016a design); He et al. (2016b) report ResNet-164 both ways.</summary>
    public static ResNetConfig BottleneckResNet(int depth)
    {
        if (depth < 11 || (depth - 2) % 9 != 0) throw new ArgumentException($"a CIFAR bottleneck ResNet has depth 9n + 2 (11, 20, …, 164), got {depth}", nameof(depth));
        var n = (depth - 2) / 9;
        return new($"ResNet-{depth} (bottleneck)", BlockKind.Bottleneck, [n, n, n], [16, 32, 64], 16, ShortcutKind.Projection);
    }

    /// <summary>Zagoruyko &amp; Komodakis (2016), Table 1: WRN-d-k has (d − 4)/6 pre-activation blocks per stage,
    /// widths 16k/32k/64k after a 16-channel stem, 1×1 projection shortcuts where the shape changes.</summary>
    public static ResNetConfig WideResNet(int depth, int k, double dropout = 0)
    {
        if (depth < 10 || (depth - 4) % 6 != 0) throw new ArgumentException($"a Wide-ResNet has depth 6n + 4 (10, 16, 22, 28, 40, …), got {depth}", nameof(depth));
        if (k < 1) throw new ArgumentException($"widening factor must be ≥ 1, got {k}", nameof(k));
        var n = (depth - 4) / 6;
        return new($"WRN-{depth}-{k}", BlockKind.PreActivation, [n, n, n], [16L * k, 32L * k, 64L * k], 16, ShortcutKind.Projection)
        {
            Dropout = dropout,
        };
    }

    public bool Equals(ResNetConfig? other) =>
        other is not null && Name == other.Name && Block == other.Block && BlocksPerStage.SequenceEqual(other.BlocksPerStage) &&
        Widths.SequenceEqual(other.Widths) && StemWidth == other.StemWidth && Shortcut == other.Shortcut &&
        InChannels == other.InChannels && NumClasses == other.NumClasses && Normalization == other.Normalization &&
        ConvBias == other.ConvBias && Dropout == other.Dropout;

    public override int GetHashCode() => HashCode.Combine(Name, Block, string.Join(",", BlocksPerStage), string.Join(",", Widths), InChannels, NumClasses, Normalization, ConvBias);

    bool PrintMembers(StringBuilder b)
    {
        b.Append($"Name = {Name}, Block = {Block}, BlocksPerStage = [{string.Join(", ", BlocksPerStage)}], Widths = [{string.Join(", ", Widths)}], ");
        b.Append($"StemWidth = {StemWidth}, Shortcut = {Shortcut}, InChannels = {InChannels}, NumClasses = {NumClasses}, ");
        b.Append($"Normalization = {Normalization}, ConvBias = {ConvBias}, Dropout = {Dropout}");
        return true;
    }
}
