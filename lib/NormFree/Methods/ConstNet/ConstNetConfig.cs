using NormFree.Models;

namespace NormFree.Methods.ConstNet;

/// <summary>How a <see cref="ConstNet"/>'s weights start (Blumenfeld et al. 2020, §4).</summary>
public enum ConstNetInit
{
    /// <summary>Identical features: averaging conv1 and 1×1 skips, zero block convs, zero classifier.</summary>
    Const,

    /// <summary>The comparison net: the same architecture with every conv He-initialised (He et al. 2015, eq. 10)
    /// and PyTorch's default classifier.</summary>
    He,
}

/// <summary>An immutable ConstNet description (Blumenfeld et al. 2020, §4 and Appendix C): a Wide-ResNet of
/// single-conv pre-activation blocks, widths 16 / 16k / 32k / 64k, <see cref="BlocksPerStage"/> blocks per stage.
/// WRN-16-10 of the paper: k = 10, 4 blocks per stage (12 "skippable" convolutions).
/// <para><see cref="Dropout"/> acts on every block's branch output (the paper's 1%); <see cref="DropL1"/> adds the same
/// dropout after conv1 ("dropl1"), the only thing that can break symmetry in the first layer.</para></summary>
public sealed record ConstNetConfig(int WidthFactor, bool Normalization, ConstNetInit Init = ConstNetInit.Const)
{
    public int BlocksPerStage { get; init; } = 4;
    public long InChannels { get; init; } = 3;
    public long NumClasses { get; init; } = 10;
    public double Dropout { get; init; } = 0;
    public bool DropL1 { get; init; } = false;

    /// <summary>WRN-16-k as run in the paper (§4: k = 10, with BN).</summary>
    public static ConstNetConfig WRN16(int k, bool normalization = true) => new(k, normalization);

    public string Name => $"{(Init == ConstNetInit.Const ? "ConstNet" : "He")}-16-{WidthFactor}{(Normalization ? "" : " (no BN)")}";

    /// <summary>The shared builder's description of the same macro-architecture.</summary>
    public ResNetConfig ToResNetConfig()
    {
        if (WidthFactor < 1) throw new ArgumentException($"widening factor must be ≥ 1, got {WidthFactor}");
        if (BlocksPerStage < 1) throw new ArgumentException($"need at least one block per stage, got {BlocksPerStage}");
        long k = WidthFactor;
        return new ResNetConfig(Name, BlockKind.PreActivation, [BlocksPerStage, BlocksPerStage, BlocksPerStage],
            [16 * k, 32 * k, 64 * k], 16, ShortcutKind.Projection)
        {
            InChannels = InChannels,
            NumClasses = NumClasses,
            Normalization = Normalization,
            Dropout = Dropout,
        };
    }
}
