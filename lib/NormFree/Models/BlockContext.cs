using NormFree.Nn;

namespace NormFree.Models;

/// <summary>Everything a block factory knows about the block it makes: channels in, the stage's planes, stride,
/// position (stage, index within the stage, blocks in this stage, residual branches in the whole net), the config
/// and the parts. Inits that depend on depth read it: FixUp's L^(−1/(2m−2)) uses <see cref="TotalBlocks"/>;
/// WN-init's γ = 1/B_k uses <see cref="BlocksInStage"/>. A block may output any channel count (e.g. Farkas blocks
/// add one); the builder reads it from <see cref="ResidualBlock.out_channels"/>.</summary>
public sealed record BlockContext(ResNetConfig Config, ResNetParts Parts, long InChannels, long Planes, long Stride,
    int Stage, int Index, int BlocksInStage, int TotalBlocks)
{
    public nn.Module<Tensor, Tensor> conv(long inChannels, long outChannels, long kernelSize, long stride = 1) =>
        Parts.conv(Config, inChannels, outChannels, kernelSize, stride);

    public nn.Module<Tensor, Tensor> norm(long channels) => Parts.norm(Config, channels);

    public nn.Module<Tensor, Tensor> act() => Parts.act();

    /// <summary>The module for this unit's input (<see cref="ResNetParts.BlockInput"/>), or null.</summary>
    public nn.Module<Tensor, Tensor>? block_input() => Parts.block_input(InChannels);

    /// <summary>The module for the end of this block's residual branch of <paramref name="channels"/> outputs
    /// (<see cref="ResNetParts.BranchEnd"/>), or null.</summary>
    public nn.Module<Tensor, Tensor>? branch_end(long channels) => Parts.branch_end(channels);

    public nn.Module<Tensor, Tensor> shortcut(long inChannels, long outChannels, long stride, bool withNorm = true) =>
        Parts.shortcut(Config, inChannels, outChannels, stride, withNorm);
}
