namespace NormFree.Methods.MeanShiftRejection;

/// <summary>The choices of Mean Shift Rejection (Ruff et al. 2019) for one run, saved with its results. Every conv
/// kernel is reparameterised W = e^g·V (§3.1) and CZM-initialised (§3.2); the rest is switchable. The learning rate
/// belongs to the optimizer, not here (Table 1 varies it alongside these).
/// Named variants: <see cref="CZMI"/>, <see cref="CZMIG"/>, <see cref="CZMIGNoise"/> (the paper's best row).</summary>
/// <param name="Name">Label for charts and tables.</param>
public sealed record MsrConfig(string Name)
{
    /// <summary>z, the zmg factor of CZMG (§3.3): 0.85 for ResNet-110 (§3.3, Fig. 3); 0 disables CZMG.</summary>
    public double Zmg { get; init; } = 0.85;

    /// <summary>e^g at init (§3.1): "typically we set it to 0.8"; 1 may diverge after a few hundred steps.</summary>
    public double InitialScale { get; init; } = 0.8;

    /// <summary>λ of LUMA (§3.4), 5e-4: the weight decay it replaces (§4).</summary>
    public double Luma { get; init; } = 5e-4;

    /// <summary>a of the multiplicative noise at every residual unit's input (§4.4), 0.1; 0: no noise module.</summary>
    public double Noise { get; init; } = 0.1;

    /// <summary>Whether CZMI and CZMG also cover the first (image) conv. The paper leaves it out (§2, "we do not apply
    /// this to the first layer"); the authors' public code includes it.</summary>
    public bool ZeroMeanFirstLayer { get; init; } = false;

    /// <summary>Table 1's "CZMI" rows: zero-mean init, plain gradients (z = 0), no noise.</summary>
    public static MsrConfig CZMI => new("CZMI") { Zmg = 0, Noise = 0 };

    /// <summary>Table 1's "CZMIG" rows without noise: CZMI + CZMG with z = 0.85.</summary>
    public static MsrConfig CZMIG => new("CZMIG") { Noise = 0 };

    /// <summary>The paper's best row (Table 1: 94.03 ± 0.14 on CIFAR-10 at LR 0.4): CZMIG, z = 0.85, noise a = 0.1.</summary>
    public static MsrConfig CZMIGNoise => new("CZMIG + noise");
}
