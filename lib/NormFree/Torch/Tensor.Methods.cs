namespace NormFree.Torch;

// Tensor methods with PyTorch's names, each a boxed call of the ATen operator of the same name.
public partial class Tensor
{
    // ---- arithmetic ----------------------------------------------------------------------------------------
    public Tensor add(Tensor other, double alpha = 1) => Ops.add.Call(this, other, Alpha(alpha));
    public Tensor add(double other) => Ops.add_s.Call(this, other);
    public Tensor add_(Tensor other, double alpha = 1) { Ops.add_.CallInPlace(this, other, Alpha(alpha)); return this; }
    public Tensor add_(double other) { Ops.add_s_.CallInPlace(this, other); return this; }
    public Tensor sub(Tensor other, double alpha = 1) => Ops.sub.Call(this, other, Alpha(alpha));
    public Tensor sub(double other) => Ops.sub_s.Call(this, other);
    public Tensor sub_(Tensor other, double alpha = 1) { Ops.sub_.CallInPlace(this, other, Alpha(alpha)); return this; }
    public Tensor sub_(double other) { Ops.sub_s_.CallInPlace(this, other); return this; }
    public Tensor mul(Tensor other) => Ops.mul.Call(this, other);
    public Tensor mul(double other) => Ops.mul_s.Call(this, other);
    public Tensor mul_(Tensor other) { Ops.mul_.CallInPlace(this, other); return this; }
    public Tensor mul_(double other) { Ops.mul_s_.CallInPlace(this, other); return this; }
    public Tensor div(Tensor other) => Ops.div.Call(this, other);
    public Tensor div(double other) => Ops.div_s.Call(this, other);
    public Tensor div_(Tensor other) { Ops.div_.CallInPlace(this, other); return this; }
    public Tensor div_(double other) { Ops.div_s_.CallInPlace(this, other); return this; }
    /// <summary>alpha as an int Scalar when it is whole: ATen rejects a float alpha for integer tensors.</summary>
    static Arg Alpha(double alpha) => alpha == Math.Round(alpha) && Math.Abs(alpha) < 1L << 53 ? (Arg)(long)alpha : (Arg)alpha;
    public Tensor neg() => Ops.neg.Call(this);
    public Tensor pow(double exponent) => Ops.pow_s.Call(this, exponent);
    public Tensor pow(Tensor exponent) => Ops.pow_t.Call(this, exponent);
    public Tensor exp() => Ops.exp.Call(this);
    public Tensor log() => Ops.log.Call(this);
    public Tensor sqrt() => Ops.sqrt.Call(this);
    public Tensor abs() => Ops.abs.Call(this);
    public Tensor sign() => Ops.sign.Call(this);
    public Tensor clamp(double? min = null, double? max = null) => Ops.clamp.Call(this, Arg.Optional(min), Arg.Optional(max));
    public Tensor clamp_(double? min = null, double? max = null) { Ops.clamp_.CallInPlace(this, Arg.Optional(min), Arg.Optional(max)); return this; }
    public Tensor maximum(Tensor other) => Ops.maximum.Call(this, other);
    public Tensor minimum(Tensor other) => Ops.minimum.Call(this, other);
    /// <summary>this += value · t1 · t2</summary>
    public Tensor addcmul_(Tensor t1, Tensor t2, double value = 1) { Ops.addcmul_.CallInPlace(this, t1, t2, value); return this; }
    /// <summary>this += value · t1 / t2</summary>
    public Tensor addcdiv_(Tensor t1, Tensor t2, double value = 1) { Ops.addcdiv_.CallInPlace(this, t1, t2, value); return this; }
    public Tensor relu() => Ops.relu.Call(this);
    public Tensor relu_() { Ops.relu_.CallInPlace(this); return this; }
    public Tensor sigmoid() => Ops.sigmoid.Call(this);
    public Tensor tanh() => Ops.tanh.Call(this);

    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator +(Tensor a, double b) => a.add(b);
    public static Tensor operator +(double a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator -(Tensor a, double b) => a.sub(b);
    public static Tensor operator -(double a, Tensor b) => Ops.rsub_s.Call(b, a);
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator *(Tensor a, double b) => a.mul(b);
    public static Tensor operator *(double a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator /(Tensor a, double b) => a.div(b);
    public static Tensor operator -(Tensor a) => a.neg();

    // ---- comparisons ---------------------------------------------------------------------------------------
    public Tensor eq(Tensor other) => Ops.eq.Call(this, other);
    public Tensor eq(double other) => Ops.eq_s.Call(this, other);
    public Tensor ne(Tensor other) => Ops.ne.Call(this, other);
    public Tensor ne(double other) => Ops.ne_s.Call(this, other);
    public Tensor lt(Tensor other) => Ops.lt.Call(this, other);
    public Tensor lt(double other) => Ops.lt_s.Call(this, other);
    public Tensor le(Tensor other) => Ops.le.Call(this, other);
    public Tensor le(double other) => Ops.le_s.Call(this, other);
    public Tensor gt(Tensor other) => Ops.gt.Call(this, other);
    public Tensor gt(double other) => Ops.gt_s.Call(this, other);
    public Tensor ge(Tensor other) => Ops.ge.Call(this, other);
    public Tensor ge(double other) => Ops.ge_s.Call(this, other);
    public Tensor isfinite() => Ops.isfinite.Call(this);
    public Tensor all() => Ops.all.Call(this);
    public Tensor any() => Ops.any.Call(this);
    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8) => Ops.allclose.CallScalar(this, other, rtol, atol) != 0;
    /// <summary>True when shapes and every element are equal.</summary>
    public bool equal(Tensor other) => Ops.equal.CallScalar(this, other) != 0;

    // ---- reductions ----------------------------------------------------------------------------------------
    public Tensor sum() => Ops.sum.Call(this);
    public Tensor sum(long[] dim, bool keepdim = false) => Ops.sum_dim.Call(this, dim, keepdim);
    public Tensor sum(long dim, bool keepdim = false) => Ops.sum_dim.Call(this, new[] { dim }, keepdim);
    public Tensor mean() => Ops.mean.Call(this);
    public Tensor mean(long[] dim, bool keepdim = false) => Ops.mean_dim.Call(this, dim, keepdim);
    public Tensor mean(long dim, bool keepdim = false) => Ops.mean_dim.Call(this, new[] { dim }, keepdim);
    public Tensor var(long[]? dim = null, bool unbiased = true, bool keepdim = false) => Ops.var_dim.Call(this, dim, unbiased, keepdim);
    public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => Ops.var_dim.Call(this, new[] { dim }, unbiased, keepdim);
    public Tensor std(long[]? dim = null, bool unbiased = true, bool keepdim = false) => Ops.std_dim.Call(this, dim, unbiased, keepdim);
    public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => Ops.std_dim.Call(this, new[] { dim }, unbiased, keepdim);
    public Tensor max() => Ops.max.Call(this);
    public (Tensor values, Tensor indices) max(long dim, bool keepdim = false) => Ops.max_dim.Call2(this, dim, keepdim);
    public Tensor min() => Ops.min.Call(this);
    public (Tensor values, Tensor indices) min(long dim, bool keepdim = false) => Ops.min_dim.Call2(this, dim, keepdim);
    public Tensor argmax(long? dim = null, bool keepdim = false) => Ops.argmax.Call(this, Arg.Optional(dim), keepdim);
    public Tensor argmin(long? dim = null, bool keepdim = false) => Ops.argmin.Call(this, Arg.Optional(dim), keepdim);
    /// <summary>Vector p-norm over <paramref name="dim"/> (all elements when null).</summary>
    public Tensor norm(double p = 2, long[]? dim = null, bool keepdim = false) => Ops.vector_norm.Call(this, p, dim, keepdim);
    public Tensor logsumexp(long[] dim, bool keepdim = false) => Ops.logsumexp.Call(this, dim, keepdim);
    public Tensor logsumexp(long dim, bool keepdim = false) => Ops.logsumexp.Call(this, new[] { dim }, keepdim);

    // ---- linear algebra ------------------------------------------------------------------------------------
    public Tensor matmul(Tensor other) => Ops.matmul.Call(this, other);
    public Tensor mm(Tensor other) => Ops.mm.Call(this, other);
    public Tensor bmm(Tensor other) => Ops.bmm.Call(this, other);
    public Tensor t() => Ops.t.Call(this);
    public Tensor T => t();

    // ---- shape ---------------------------------------------------------------------------------------------
    public Tensor view(params long[] shape) => Ops.view.Call(this, shape);
    public Tensor reshape(params long[] shape) => Ops.reshape.Call(this, shape);
    public Tensor permute(params long[] dims) => Ops.permute.Call(this, dims);
    public Tensor transpose(long dim0, long dim1) => Ops.transpose.Call(this, dim0, dim1);
    public Tensor flatten(long start_dim = 0, long end_dim = -1) => Ops.flatten.Call(this, start_dim, end_dim);
    public Tensor squeeze() => Ops.squeeze.Call(this);
    public Tensor squeeze(long dim) => Ops.squeeze_dim.Call(this, dim);
    public Tensor unsqueeze(long dim) => Ops.unsqueeze.Call(this, dim);
    public Tensor expand(params long[] shape) => Ops.expand.Call(this, shape);
    public Tensor expand_as(Tensor other) => expand(other.shape);
    public Tensor[] chunk(long chunks, long dim = 0) => NonNull(Ops.chunk.CallMany(this, chunks, dim));
    public Tensor narrow(long dim, long start, long length) => Ops.narrow.Call(this, dim, start, length);
    public Tensor index_select(long dim, Tensor index) => Ops.index_select.Call(this, dim, index);
    public Tensor select(long dim, long index) => Ops.select.Call(this, dim, index);
    /// <summary>Elements start ≤ i &lt; end (step apart) along <paramref name="dim"/>; null bounds mean the ends.</summary>
    public Tensor slice(long dim, long? start, long? end, long step = 1) => Ops.slice.Call(this, dim, Arg.Optional(start), Arg.Optional(end), step);
    public Tensor gather(long dim, Tensor index) => Ops.gather.Call(this, dim, index);
    public Tensor masked_fill(Tensor mask, double value) => Ops.masked_fill.Call(this, mask, value);
    /// <summary>Advanced indexing with one index tensor per leading dimension (null: take all).</summary>
    public Tensor index(params Tensor?[] indices) => Ops.index.Call(this, Arg.OptionalTensors(indices));
    public Tensor contiguous() => Ops.contiguous.Call(this);
    public Tensor clone() => Ops.clone.Call(this);
    /// <summary>A tensor sharing the data but cut from the autograd graph.</summary>
    public Tensor detach() => Ops.detach.Call(this);
    public Tensor repeat(params long[] repeats) => Ops.repeat.Call(this, repeats);
    public Tensor flip(params long[] dims) => Ops.flip.Call(this, dims);

    /// <summary>x[i] along the first dimension.</summary>
    public Tensor this[long i] => select(0, i);
    /// <summary>x[a..b] (also x[^k..], x[..]): a view of rows a ≤ i &lt; b along the first dimension, as Python's x[a:b].</summary>
    public Tensor this[Range rows] => slice(0, Bound(rows.Start), Bound(rows.End));
    /// <summary>x[i, j, ...]: one index per leading dimension.</summary>
    public Tensor this[long i, long j] { get { using var row = select(0, i); return row.select(0, j); } }

    // ^0 (the end) is past every row; slice clamps it to the size, as Python does with x[a:].
    static long Bound(Index i) => i.IsFromEnd ? (i.Value == 0 ? long.MaxValue : -i.Value) : i.Value;

    static Tensor[] NonNull(Tensor?[] results) => Array.ConvertAll(results, r => r ?? throw new TorchException("undefined tensor in result"));

    // ---- conversion and in-place fills ---------------------------------------------------------------------
    public Tensor to(DType dtype) => Ops.to_dtype_layout.Call(this, dtype, Arg.None, Arg.None, Arg.None, false, false);
    public Tensor to(Device device) => Ops.to_dtype_layout.Call(this, Arg.None, Arg.None, device, Arg.None, false, false);
    public Tensor to(DType dtype, Device device) => Ops.to_dtype_layout.Call(this, dtype, Arg.None, device, Arg.None, false, false);
    public Tensor cpu() => to(Device.CPU);
    public Tensor cuda(int index = 0) => to(Device.CUDA(index));
    public Tensor copy_(Tensor source) { Ops.copy_.CallInPlace(this, source); return this; }
    public Tensor zero_() { Ops.zero_.CallInPlace(this); return this; }
    public Tensor fill_(double value) { Ops.fill_.CallInPlace(this, value); return this; }
    // With a Generator (a CPU generator) the numbers are drawn on the CPU and copied in, as torch.rand does with one.
    public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        if (generator is null) Ops.uniform_.CallInPlace(this, from, to);
        else FillFromCpu(t => Ops.uniform_.CallInPlace(t, from, to, generator));
        return this;
    }

    public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        if (generator is null) Ops.normal_.CallInPlace(this, mean, std);
        else FillFromCpu(t => Ops.normal_.CallInPlace(t, mean, std, generator));
        return this;
    }

    void FillFromCpu(Action<Tensor> fill)
    {
        using var drawn = torch.empty(shape, dtype, Device.CPU);
        fill(drawn);
        copy_(drawn);
    }
}
