using NormFree.Init;
using NormFree.Nn;

namespace NormFree.Methods.WeightNormInit;

/// <summary>How a weight-normalised net starts: the proposed init and the baselines of Arpit et al. (2019).</summary>
public enum WeightNormScheme
{
    /// <summary>Orthogonal V, b = 0, g = √(γ·fan_in/fan_out) with γ by role (<see cref="ProposedInit"/>).</summary>
    Proposed,

    /// <summary>Orthogonal V, b = 0, g = 1 for every unit: the "g = 1" curves of Fig. 1.</summary>
    UnitGain,

    /// <summary>PyTorch's weight_norm as used in the paper: V He-normal (N(0, 2/fan_in)), b = 0, g = ‖V‖, so
    /// W = V at init. NOTE: the spec says "V default init"; the official code's "traditional" init (which the
    /// paper calls PyTorch default WN) draws V He-normal, and that is what this does.</summary>
    PyTorchDefault,

    /// <summary>Salimans &amp; Kingma (2016), §3: orthogonal V, then on a first batch, layer by layer,
    /// g = 1/σ, b = −μ/σ of the pre-activations (<see cref="DataDependentInit"/>). Needs an init batch.</summary>
    DataDependent,

    /// <summary>The proposed init with conv2 of the b-th block of a stage (b = 1, 2, …) at γ = (0.9^b)² instead
    /// of 1/B_k: the "stage-wise Hanin" baseline (after Hanin &amp; Rolnick 2018; official code,
    /// <c>init_extra_param = 'hanin'</c>). ResNets only.</summary>
    StageWiseHanin,
}

/// <summary>Applies a <see cref="WeightNormScheme"/> to one weight-normalised layer given its role.</summary>
public static class WeightNormSchemes
{
    /// <param name="layer">The layer to initialise.</param>
    /// <param name="scheme">The init.</param>
    /// <param name="role">Where the layer sits (sets γ).</param>
    /// <param name="block_index">0-based index of the layer's block within its stage (ResNet roles only).</param>
    /// <param name="blocks_in_stage">B_k, blocks in the layer's stage (ResNet roles only).</param>
    /// <param name="generator">Generator for V (null: the global one).</param>
    public static void init_(WeightNorm layer, WeightNormScheme scheme, WeightNormRole role, int block_index = 0, int blocks_in_stage = 1, Generator? generator = null)
    {
        switch (scheme)
        {
            case WeightNormScheme.Proposed:
                ProposedInit.init_(layer, ProposedInit.gamma(role, blocks_in_stage), generator);
                break;
            case WeightNormScheme.StageWiseHanin:
                if (role == WeightNormRole.Hidden) throw new ArgumentException("stage-wise Hanin is defined for the convs of a ResNet, not for feedforward layers", nameof(role));
                // Official code: resblock_id counts from 1 within the stage, γ = (0.9^resblock_id)².
                var gamma = role == WeightNormRole.BlockConv2 ? Math.Pow(0.9, 2 * (block_index + 1)) : ProposedInit.gamma(role, blocks_in_stage);
                ProposedInit.init_(layer, gamma, generator);
                break;
            case WeightNormScheme.UnitGain:
            case WeightNormScheme.DataDependent: // g and b are then set from data by DataDependentInit
                ProposedInit.orthogonal_(layer, 1, generator);
                break;
            case WeightNormScheme.PyTorchDefault:
                init.kaiming_normal_(layer.weight_v, mode: "fan_in", nonlinearity: "relu", generator: generator);
                if (WeightedLayer.bias(layer.layer) is { } b) init.zeros_(b);
                using (torch.no_grad()) // g = ‖V‖, so W = V
                using (var norms = layer.unit_norms())
                    layer.weight_g.copy_(norms);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown scheme");
        }
    }
}
