using NormFree.Init;
using NormFree.Nn;

namespace NormFree.Models;

/// <summary>Whole-model inits for <see cref="ResNetParts.Init"/>.</summary>
public static class ResNetInit
{
    /// <summary>He et al. (2015), eq. 10, as used by He et al. (2016a), §3.4: every conv weight ~ N(0, 2/fan_in),
    /// conv biases 0; BatchNorm γ = 1, β = 0 and the Linear head keep their defaults. Inside a
    /// <see cref="WeightNorm"/> this draws the direction V only; the gain g keeps its value (call its
    /// <c>reset_gain()</c> to make W = V again in the Normalized mode without an initial gain).</summary>
    public static void He(ResNet model)
    {
        foreach (var conv in model.modules().OfType<Conv2d>())
        {
            init.kaiming_normal_(conv.weight, mode: "fan_in", nonlinearity: "relu");
            if (conv.bias is not null) init.zeros_(conv.bias);
        }
    }
}
