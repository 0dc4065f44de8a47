namespace NormFree.Methods.Farkas;

/// <summary>How a Farkas layer builds its extra unit from the n free ones (Pooladian et al. 2019, §3, "AggFunc").</summary>
public enum Aggregation
{
    /// <summary>ȳ = −Σᵢ yᵢ: the construction of Theorem 3.2; the paper's CIFAR tables (1 and 2) use it.</summary>
    Sum,

    /// <summary>ȳ = −(1/n) Σᵢ yᵢ: the guarantee still holds (ReLU is positively homogeneous) and the extra row's
    /// norm no longer grows with n (§3); the paper uses it on ImageNet, in Table 4 and for the 101-layer large-LR run,
    /// and the reference code uses it everywhere.</summary>
    Mean,
}
