using NormFree.Nn;

namespace NormFree.Models;

/// <summary>A ResNet assembled from a <see cref="ResNetConfig"/> and <see cref="ResNetParts"/>:
/// stem → stage1 … stageK (each a <see cref="Sequential"/> of residual blocks "0", "1", …, stride 2 at the start of
/// every stage but the first; with <see cref="ResNetParts.Transition"/> a "transition" module opens each stage that
/// changes width or resolution and the blocks keep their shape) → head. <see cref="Build"/> is the one builder every method plugs into.
/// <para>Shapes: (B, InChannels, H, W) → (B, NumClasses).</para></summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>
{
    public ResNetConfig config { get; }
    public nn.Module<Tensor, Tensor> stem { get; }
    public IReadOnlyList<Sequential> stages { get; }
    public nn.Module<Tensor, Tensor> head { get; }
    /// <summary>Every residual block in forward order.</summary>
    public IReadOnlyList<ResidualBlock> blocks { get; }
    /// <summary>Channels entering the head.</summary>
    public long feature_channels { get; }

    ResNet(ResNetConfig config, ResNetParts parts) : base(nameof(ResNet))
    {
        if (config.BlocksPerStage.Length != config.Widths.Length || config.BlocksPerStage.Length == 0)
            throw new ArgumentException($"{config.Name}: BlocksPerStage ({config.BlocksPerStage.Length}) and Widths ({config.Widths.Length}) must name the same, non-zero number of stages");
        this.config = config;
        stem = (parts.Stem ?? DefaultStem)(config, parts);
        register_module("stem", stem);
        var makeBlock = parts.Block ?? DefaultBlock(config.Block);
        var channels = config.StemWidth;
        var stageList = new List<Sequential>();
        var blockList = new List<ResidualBlock>();
        for (var k = 0; k < config.BlocksPerStage.Length; k++)
        {
            var stage = nn.Sequential();
            long stageStride = k > 0 ? 2 : 1; // He et al. (2016a), §4.2: subsample by 2 at every stage start but the first
            if (parts.Transition is { } transition && (channels != config.Widths[k] || stageStride != 1))
            {
                stage.append("transition", transition(config, parts, channels, config.Widths[k], stageStride));
                channels = config.Widths[k];
                stageStride = 1;
            }
            for (var b = 0; b < config.BlocksPerStage[k]; b++)
            {
                var stride = b == 0 ? stageStride : 1;
                var block = makeBlock(new BlockContext(config, parts, channels, config.Widths[k], stride, k, b, config.BlocksPerStage[k], config.TotalBlocks));
                if (block.in_channels != channels)
                    throw new InvalidOperationException($"block {k}.{b} was made for {block.in_channels} input channels, the net has {channels}");
                stage.append(b.ToString(), block);
                blockList.Add(block);
                channels = block.out_channels; // a block may change the width (e.g. Farkas blocks add a channel)
            }
            register_module($"stage{k + 1}", stage);
            stageList.Add(stage);
        }
        stages = stageList;
        blocks = blockList;
        feature_channels = channels;
        head = (parts.Head ?? DefaultHead)(config, parts, channels);
        register_module("head", head);
        parts.Init?.Invoke(this);
    }

    /// <summary>Builds the net described by <paramref name="config"/> from <paramref name="parts"/> (defaults: the
    /// reference pieces).</summary>
    public static ResNet Build(ResNetConfig config, ResNetParts? parts = null) => new(config, parts ?? new ResNetParts());

    static bool PreActivation(ResNetConfig c) => c.Block == BlockKind.PreActivation;

    static Func<BlockContext, ResidualBlock> DefaultBlock(BlockKind kind) => kind switch
    {
        BlockKind.Basic => ctx => new BasicBlock(ctx),
        BlockKind.Bottleneck => ctx => new Bottleneck(ctx),
        BlockKind.PreActivation => ctx => new PreActBlock(ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown block kind"),
    };

    static nn.Module<Tensor, Tensor> DefaultStem(ResNetConfig c, ResNetParts p)
    {
        var conv = p.conv(c, c.InChannels, c.StemWidth, 3);
        // A pre-activation net normalises at the start of each block instead (He et al. 2016b, §3.2).
        return PreActivation(c) ? conv : nn.Sequential(("conv", conv), ("norm", p.norm(c, c.StemWidth)), ("act", p.act()));
    }

    static nn.Module<Tensor, Tensor> DefaultHead(ResNetConfig c, ResNetParts p, long channels)
    {
        var head = nn.Sequential();
        if (PreActivation(c)) head.append("norm", p.norm(c, channels)).append("act", p.act());
        return head.append("pool", nn.AdaptiveAvgPool2d(1)).append("flatten", nn.Flatten()).append("fc", nn.Linear(channels, c.NumClasses));
    }

    public override Tensor forward(Tensor input)
    {
        Shapes.Expect(input, 4, config.Name, $"(B, {config.InChannels}, H, W)", config.InChannels);
        var x = stem.call(input); // (B, StemWidth, H, W)
        foreach (var stage in stages)
        {
            var y = stage.call(x); // (B, C_k, H/2^k, W/2^k)
            x.Dispose();
            x = y;
        }
        using (x) return head.call(x); // (B, NumClasses)
    }

    // Members are registered by name in the constructor; TorchSharp's field scan would register the auto-properties'
    // backing fields a second time (register_module runs it on every child).
    protected override void RegisterComponents() { }
}
