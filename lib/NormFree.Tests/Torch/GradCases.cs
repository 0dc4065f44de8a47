using NormFree.Nn;
using NormFree.Torch;

namespace NormFree.Tests.Torch;

/// <summary>A differentiable function and random float64 inputs for it: <see cref="Wrt"/> are checked,
/// anything else it needs (indices, masks, running statistics) it holds by closure.</summary>
public sealed record GradProblem(Tensor[] Wrt, Func<Tensor[], Tensor> F);

/// <summary>One gradient-check case: <see cref="Covers"/> names the wrappers it exercises ("Tensor.add",
/// "torch.cat", "F.conv2d"), so <see cref="GradCheckTests"/> can prove every differentiable wrapper has one.</summary>
public sealed record GradCase(string Name, string[] Covers, Func<Generator, GradProblem> Make);

/// <summary>The gradient-check table. Inputs are drawn away from kinks with probability ~1 (randn), and kept
/// positive where the function needs it (log, sqrt, pow's base, divisors).</summary>
public static class GradCases
{
    static Tensor Randn(Generator g, params long[] shape) => torch.randn(shape, DType.Float64, generator: g);
    /// <summary>|randn| + ½: away from 0, where log, sqrt, 1/x and x^y are smooth.</summary>
    static Tensor Positive(Generator g, params long[] shape) { using var r = Randn(g, shape); using var a = r.abs(); return a + 0.5; }
    static Tensor Indices(Generator g, long high, params long[] shape) => torch.randint(0, high, shape, generator: g);
    static Tensor Mask(Generator g, params long[] shape) { using var u = torch.rand(shape, DType.Float64, generator: g); return u.gt(0.5); }

    static GradCase Case(string name, string covers, Func<Generator, GradProblem> make) => new(name, covers.Split(' '), make);
    static GradProblem P(Tensor[] wrt, Func<Tensor[], Tensor> f) => new(wrt, f);
    /// <summary>A one-input case on randn of the given shape.</summary>
    static GradCase Unary(string name, string covers, long[] shape, Func<Tensor, Tensor> f) => Case(name, covers, g => P([Randn(g, shape)], x => f(x[0])));
    static GradCase UnaryPositive(string name, string covers, long[] shape, Func<Tensor, Tensor> f) => Case(name, covers, g => P([Positive(g, shape)], x => f(x[0])));
    static GradCase Binary(string name, string covers, long[] a, long[] b, Func<Tensor, Tensor, Tensor> f) => Case(name, covers, g => P([Randn(g, a), Randn(g, b)], x => f(x[0], x[1])));
    /// <summary>An in-place op applied to a clone, so autograd records it on a non-leaf.</summary>
    static Tensor OnClone(Tensor x, Action<Tensor> inPlace) { var y = x.clone(); inPlace(y); return y; }
    static Tensor Flat(params Tensor[] parts) => torch.cat(Array.ConvertAll(parts, p => p.flatten()));

    static readonly long[] V = [5], M = [3, 4], B = [2, 3, 4];

    public static readonly GradCase[] All =
    [
        // ---- arithmetic (broadcasting in the binary ones) -----------------------------------------------------
        Binary("add", "Tensor.add Tensor.op_Addition", M, [4], (a, b) => a.add(b, 0.7) + (a + b)),
        Unary("add scalar", "Tensor.add Tensor.op_Addition", M, a => a.add(2.5) + (1.5 + a)),
        Binary("sub", "Tensor.sub Tensor.op_Subtraction", M, [3, 1], (a, b) => a.sub(b, 0.3) + (a - b)),
        Unary("sub scalar", "Tensor.sub Tensor.op_Subtraction", M, a => a.sub(2.5) * (1.5 - a)),
        Binary("mul", "Tensor.mul Tensor.op_Multiply", M, M, (a, b) => a.mul(b) + a * b * b),
        Unary("mul scalar", "Tensor.mul Tensor.op_Multiply", M, a => a.mul(-1.5) + 2 * a * 3),
        Case("div", "Tensor.div Tensor.op_Division", g => P([Randn(g, M), Positive(g, M)], x => x[0].div(x[1]) + x[0] / x[1] / x[1])),
        Unary("div scalar", "Tensor.div Tensor.op_Division", M, a => a.div(4) + a / 3),
        Unary("neg", "Tensor.neg Tensor.op_UnaryNegation", M, a => a.neg() * -a),
        UnaryPositive("pow scalar", "Tensor.pow", M, a => a.pow(2.7) + a.pow(-1.3)),
        Case("pow tensor", "Tensor.pow", g => P([Positive(g, M), Randn(g, M)], x => x[0].pow(x[1]))),
        Unary("exp", "Tensor.exp", M, a => a.exp()),
        UnaryPositive("log", "Tensor.log", M, a => a.log()),
        UnaryPositive("sqrt", "Tensor.sqrt", M, a => a.sqrt()),
        Unary("abs", "Tensor.abs", M, a => a.abs() * a),
        Unary("sign", "Tensor.sign", M, a => a.sign() * a.exp()),
        Unary("clamp", "Tensor.clamp", M, a => a.clamp(-0.5, 0.6) + a.clamp(min: 0.1) * a.clamp(max: -0.2)),
        Binary("maximum minimum", "Tensor.maximum Tensor.minimum", M, M, (a, b) => a.maximum(b) * a.minimum(b).exp()),
        Unary("sigmoid tanh", "Tensor.sigmoid Tensor.tanh", M, a => a.sigmoid() * a.tanh()),
        Unary("relu", "Tensor.relu", M, a => a.relu() * a),

        // ---- in-place variants on non-leaf tensors -----------------------------------------------------------
        Binary("add_ sub_", "Tensor.add_ Tensor.sub_", M, M, (a, b) => OnClone(a, y => y.add_(b, 2).add_(0.5).sub_(b.exp(), 0.5).sub_(1.5).mul_(a))),
        Binary("mul_ div_", "Tensor.mul_ Tensor.div_", M, M, (a, b) => OnClone(a, y => y.mul_(b).mul_(3).div_(b.exp()).div_(2))),
        Unary("clamp_ relu_", "Tensor.clamp_ Tensor.relu_", M, a => OnClone(a, y => y.mul_(a).clamp_(-0.3, 1.2).sub_(0.2).relu_())),
        Case("addcmul_ addcdiv_", "Tensor.addcmul_ Tensor.addcdiv_", g => P([Randn(g, M), Randn(g, M), Positive(g, M)],
            x => OnClone(x[0], y => y.addcmul_(x[1], x[2], 0.5).addcdiv_(x[1], x[2], -2)))),
        Binary("copy_", "Tensor.copy_", M, M, (a, b) => OnClone(a, y => y.copy_(b.exp())) * a),
        Unary("zero_ fill_ on views", "Tensor.zero_ Tensor.fill_", M, a => OnClone(a, y => { using var r0 = y.narrow(0, 0, 1); r0.zero_(); using var c1 = y.select(1, 2); c1.fill_(3); }) * a),

        // ---- reductions --------------------------------------------------------------------------------------
        Unary("sum", "Tensor.sum", B, a => Flat(a.sum(), a.sum(1), a.sum([0L, 2], keepdim: true))),
        Unary("mean", "Tensor.mean", B, a => Flat(a.mean(), a.mean(-1), a.mean([0L, 1], keepdim: true))),
        Unary("var", "Tensor.var", B, a => Flat(a.var(), a.var(1), a.var([0L, 2], unbiased: false, keepdim: true))),
        Unary("std", "Tensor.std", B, a => Flat(a.std(), a.std(2), a.std([1L, 2], unbiased: false))),
        Unary("max min", "Tensor.max Tensor.min", B, a => Flat(a.max(), a.max(1).values, a.min(), a.min(2, keepdim: true).values)),
        Unary("norm", "Tensor.norm", B, a => Flat(a.norm(), a.norm(1, [1L]), a.norm(3, [0L, 2], keepdim: true))),
        Unary("logsumexp", "Tensor.logsumexp", B, a => Flat(a.logsumexp(1), a.logsumexp([0L, 2], keepdim: true))),

        // ---- linear algebra ----------------------------------------------------------------------------------
        Binary("matmul broadcast", "Tensor.matmul torch.matmul", B, [4, 2], (a, b) => a.matmul(b) + torch.matmul(a, b)),
        Binary("mm", "Tensor.mm torch.mm", M, [4, 2], (a, b) => a.mm(b) * torch.mm(a, b)),
        Binary("bmm", "Tensor.bmm torch.bmm", B, [2, 4, 3], (a, b) => a.bmm(b) + torch.bmm(a, b)),
        Unary("t T diag", "Tensor.t Tensor.get_T torch.diag", M, a => Flat(a.t(), a.T, torch.diag(a), torch.diag(a, 1))),
        // QR of a full-rank tall matrix is smooth (Householder signs do not flip under tiny perturbations).
        Unary("linalg_qr", "torch.linalg_qr", [5, 3], a => { var (q, r) = torch.linalg_qr(a); return Flat(q, r); }),
        Unary("pdist", "torch.pdist", [5, 3], a => Flat(torch.pdist(a), torch.pdist(a, 1), torch.pdist(a, 3))),

        // ---- shape -------------------------------------------------------------------------------------------
        Unary("view reshape", "Tensor.view Tensor.reshape", B, a => Flat(a.view(6, 4), a.transpose(0, 2).reshape(-1, 2))),
        Unary("permute transpose flatten", "Tensor.permute Tensor.transpose Tensor.flatten", B, a => a.permute(2, 0, 1).transpose(0, 1).flatten(1) * a.flatten().sum()),
        Unary("squeeze unsqueeze", "Tensor.squeeze Tensor.unsqueeze", [3, 1, 4], a => Flat(a.squeeze(), a.squeeze(1).unsqueeze(0).exp())),
        Binary("expand", "Tensor.expand Tensor.expand_as", [3, 1], M, (a, b) => a.expand(2, 3, 4) * a.expand_as(b).sum()),
        Unary("chunk", "Tensor.chunk", [7, 2], a => { var c = a.chunk(3); return Flat(c[0], c[2].exp()); }),
        Unary("narrow select slice", "Tensor.narrow Tensor.select Tensor.slice", B, a => Flat(a.narrow(2, 1, 2), a.select(1, 2), a.slice(2, 1, null, 2), a.slice(0, null, -1))),
        Unary("indexers", "Tensor.get_Item", B, a => Flat(a[1], a[0, 2], a[1..], a[..^1])),
        Case("index_select", "Tensor.index_select", g => { var i = Indices(g, 4, 6); return P([Randn(g, B)], x => x[0].index_select(2, i)); }),
        Case("gather", "Tensor.gather", g => { var i = Indices(g, 4, 2, 3, 5); return P([Randn(g, B)], x => x[0].gather(2, i)); }),
        Case("index", "Tensor.index", g => { var i = Indices(g, 2, 5); var j = Indices(g, 4, 5); return P([Randn(g, B)], x => Flat(x[0].index(i, null, j), x[0].index(null, i))); }),
        Case("masked_fill", "Tensor.masked_fill", g => { var m = Mask(g, M); return P([Randn(g, B)], x => x[0].masked_fill(m, 2.5)); }),
        Case("where", "torch.where", g => { var c = Mask(g, B); return P([Randn(g, B), Randn(g, M)], x => torch.where(c, x[0], x[1])); }),
        Binary("cat stack", "torch.cat torch.stack", M, M, (a, b) => Flat(torch.cat([a, b], 1), torch.stack([a, b.exp()], 2))),
        Unary("repeat flip", "Tensor.repeat Tensor.flip", M, a => Flat(a.repeat(2, 1, 3), a.flip(0, 1) * a)),
        Unary("contiguous clone alias", "Tensor.contiguous Tensor.clone Tensor.alias", M, a => Flat(a.t().contiguous(), a.clone().exp(), a.alias())),
        Unary("to", "Tensor.to Tensor.cpu", M, a => Flat(a.to(DType.Float64), a.to(Device.CPU), a.to(DType.Float64, Device.CPU), a.cpu())),

        // ---- activations -------------------------------------------------------------------------------------
        Unary("F activations", "F.relu F.leaky_relu F.elu F.sigmoid F.tanh", V, a => Flat(F.relu(a) * a, F.leaky_relu(a, 0.2) * a, F.elu(a, 1.3), F.sigmoid(a), F.tanh(a))),
        Unary("softmax log_softmax", "F.softmax F.log_softmax", M, a => Flat(F.softmax(a, 1), F.log_softmax(a, 0))),

        // ---- layers ------------------------------------------------------------------------------------------
        Case("linear", "F.linear", g => P([Randn(g, 2, 3, 4), Randn(g, 5, 4), Randn(g, 5)], x => Flat(F.linear(x[0], x[1], x[2]), F.linear(x[0], x[1])))),
        Case("conv2d stride 2 padding 1", "F.conv2d", g => P([Randn(g, 2, 2, 5, 5), Randn(g, 3, 2, 3, 3), Randn(g, 3)],
            x => F.conv2d(x[0], x[1], x[2], stride: 2, padding: 1))),
        Case("conv2d dilation 2 groups 2", "F.conv2d", g => P([Randn(g, 1, 4, 6, 5), Randn(g, 4, 2, 3, 2)],
            x => F.conv2d(x[0], x[1], null, dilation: 2, groups: 2))),
        Case("conv2d per-axis stride padding dilation, depthwise", "F.conv2d", g => P([Randn(g, 1, 2, 5, 6), Randn(g, 2, 1, 3, 3), Randn(g, 2)],
            x => F.conv2d(x[0], x[1], x[2], [2, 1], [1, 2], [1, 2], groups: 2))),
        Case("batch_norm training", "F.batch_norm", g =>
        {
            var mean = torch.zeros([3], DType.Float64);
            var var = torch.ones([3], DType.Float64);
            return P([Randn(g, 4, 3, 2, 2), Randn(g, 3), Randn(g, 3)], x => F.batch_norm(x[0], mean, var, x[1], x[2], training: true, eps: 1e-3));
        }),
        Case("batch_norm training without running statistics", "F.batch_norm", g => P([Randn(g, 5, 2, 3)], x => F.batch_norm(x[0], null, null, training: true))),
        Case("batch_norm eval", "F.batch_norm", g =>
        {
            var mean = Randn(g, 3);
            var var = Positive(g, 3);
            return P([Randn(g, 4, 3, 2, 2), Randn(g, 3), Randn(g, 3)], x => F.batch_norm(x[0], mean, var, x[1], x[2], training: false));
        }),
        Unary("avg_pool2d", "F.avg_pool2d", [2, 2, 6, 7], a => Flat(F.avg_pool2d(a, 2), F.avg_pool2d(a, 3, stride: 2, padding: 1))),
        Unary("max_pool2d", "F.max_pool2d", [2, 2, 6, 7], a => Flat(F.max_pool2d(a, 2), F.max_pool2d(a, 3, stride: 2, padding: 1))),
        Unary("adaptive_avg_pool2d", "F.adaptive_avg_pool2d", [2, 2, 5, 7], a => Flat(F.adaptive_avg_pool2d(a, 3), F.adaptive_avg_pool2d(a, 1))),
        Unary("pad", "F.pad", [1, 2, 3, 4], a => Flat(F.pad(a, [1, 2, 0, 1], "constant", 0.5), F.pad(a, [2, 1, 1, 2], "reflect"), F.pad(a, [1, 1]))),

        // ---- losses ------------------------------------------------------------------------------------------
        Case("cross_entropy", "F.cross_entropy", g => { var t = Indices(g, 5, 4); return P([Randn(g, 4, 5)], x => Flat(F.cross_entropy(x[0], t), F.cross_entropy(x[0], t, label_smoothing: 0.1))); }),
        Case("nll_loss", "F.nll_loss", g => { var t = Indices(g, 5, 4); return P([Randn(g, 4, 5)], x => F.nll_loss(F.log_softmax(x[0], 1), t)); }),
        Binary("mse_loss", "F.mse_loss", M, M, (a, b) => F.mse_loss(a, b)),
    ];

    /// <summary>Wrappers that return tensors but are not in <see cref="All"/>, each with the reason.</summary>
    public static readonly Dictionary<string, string> Exempt = new()
    {
        ["Tensor.eq"] = "comparison", ["Tensor.ne"] = "comparison", ["Tensor.lt"] = "comparison", ["Tensor.le"] = "comparison",
        ["Tensor.gt"] = "comparison", ["Tensor.ge"] = "comparison", ["Tensor.isfinite"] = "boolean", ["Tensor.all"] = "boolean",
        ["Tensor.any"] = "boolean", ["Tensor.argmax"] = "integer indices", ["Tensor.argmin"] = "integer indices",
        ["Tensor.detach"] = "cuts the graph by design", ["Tensor.cuda"] = "needs a GPU",
        ["Tensor.uniform_"] = "random fill", ["Tensor.normal_"] = "random fill",
        ["Tensor.requires_grad_"] = "autograd bookkeeping", ["Tensor.get_grad"] = "autograd bookkeeping", ["Tensor.DetachFromDisposeScope"] = "memory bookkeeping",
        ["Tensor.MoveToOuterDisposeScope"] = "memory bookkeeping", ["Tensor.From"] = "creation from .NET data", ["Tensor.FromBytes"] = "creation from raw bytes",
        ["torch.zeros"] = "factory", ["torch.ones"] = "factory", ["torch.full"] = "factory", ["torch.empty"] = "factory",
        ["torch.eye"] = "factory", ["torch.arange"] = "factory", ["torch.zeros_like"] = "factory", ["torch.ones_like"] = "factory",
        ["torch.randn_like"] = "random factory", ["torch.rand_like"] = "random factory", ["torch.tensor"] = "creation from .NET data",
        ["torch.scalar"] = "factory", ["torch.rand"] = "random factory", ["torch.randn"] = "random factory",
        ["torch.randint"] = "random factory", ["torch.randperm"] = "random factory", ["torch.bernoulli"] = "random draws",
        ["torch.get_rng_state"] = "generator state", ["torch.grad"] = "the autograd entry point itself (HessianTests)",
        ["F.dropout"] = "random mask: checked under a fixed global seed in SeededGradCheckTests",
    };
}
