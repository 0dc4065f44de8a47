using NormFree.Models;

namespace NormFree.Methods.Farkas;

/// <summary>A FarkasNet: the macro-architecture <see cref="Net"/> (see <see cref="FarkasNet.Architecture(int)"/>;
/// its <c>Normalization</c> switches the BatchNorm after every ReLU) and the Farkas choices. Saved with every result.
/// Change anything with <c>with</c>: <c>FarkasNetConfig.FarkasNet18 with { Aggregation = Aggregation.Mean }</c>.</summary>
/// <param name="Aggregation">Sum for the paper's CIFAR tables (§4.1), Mean for ImageNet, Table 4 and the 101-layer
/// large-LR run (§4.2–4.3).</param>
/// <param name="ZeroLast">Every block's last conv and bias start at zero (Table 4).</param>
public sealed record FarkasNetConfig(ResNetConfig Net, Aggregation Aggregation = Aggregation.Sum, bool ZeroLast = false)
{
    /// <summary>Tables 1–2: the 18/34/50/101-layer nets, sum aggregation, BN after each ReLU.</summary>
    public static FarkasNetConfig FarkasNet(int depth) => new(Farkas.FarkasNet.Architecture(depth));

    public static FarkasNetConfig FarkasNet18 => FarkasNet(18);
    public static FarkasNetConfig FarkasNet34 => FarkasNet(34);
    public static FarkasNetConfig FarkasNet50 => FarkasNet(50);
    public static FarkasNetConfig FarkasNet101 => FarkasNet(101);

    /// <summary>Table 4: the 34-layer net with mean aggregation and zero_last, no BN (trained at the medium LR 0.05).</summary>
    public static FarkasNetConfig Table4 => new(Farkas.FarkasNet.Architecture(34) with { Normalization = false }, Aggregation.Mean, ZeroLast: true);
}
