
namespace NormFree.Data;

/// <summary>A transformation of a whole batch of images at once, as a few tensor ops (no per-image loop).
/// <para>Input x (B, C, H, W) float on any device; returns a new tensor of the same shape. Random transforms draw
/// their per-image parameters from <paramref name="generator"/> (CPU, so the draws are the same on every device) and
/// move only those small tensors to x's device.</para></summary>
public interface IBatchTransform
{
    Tensor apply(Tensor x, Generator generator);
}

internal static class BatchChecks
{
    /// <summary>(B, C, H, W) or an ArgumentException naming the transform and the shape.</summary>
    public static (long B, long C, long H, long W) Images(Tensor x, string transform)
    {
        var s = x.shape;
        if (s.Length != 4) throw new ArgumentException($"{transform} expects a batch of images (B, C, H, W), got shape [{string.Join(", ", s)}]", nameof(x));
        return (s[0], s[1], s[2], s[3]);
    }
}
