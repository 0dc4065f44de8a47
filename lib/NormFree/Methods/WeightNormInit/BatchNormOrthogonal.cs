using NormFree.Init;
using NormFree.Models;
using NormFree.Nn;

namespace NormFree.Methods.WeightNormInit;

/// <summary>The BatchNorm baseline of Arpit et al. (2019), §5 ("BN w/ orthogonal init"): the reference net of the
/// config with BatchNorm after every conv (post-activation basic blocks for ResNets, pre-activation blocks for
/// WRNs, as in the official BN-WRN), every conv weight orthogonal on its (C_out, C_in·k·k) matrix with gain 1,
/// conv biases 0; BatchNorm γ = 1, β = 0 and the Linear head keep their defaults.</summary>
public static class BatchNormOrthogonal
{
    public static ResNetParts Parts(Generator? generator = null) => new() { Init = net => Initialise(net, generator) };

    public static ResNet Build(ResNetConfig config, Generator? generator = null) =>
        ResNet.Build(config with { Normalization = true }, Parts(generator));

    public static void Initialise(ResNet net, Generator? generator = null)
    {
        foreach (var conv in net.modules().OfType<Conv2d>())
        {
            init.orthogonal_(conv.weight, 1, generator);
            if (conv.bias is not null) init.zeros_(conv.bias);
        }
    }
}
