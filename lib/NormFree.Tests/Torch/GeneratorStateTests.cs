using NormFree.Torch;

namespace NormFree.Tests.Torch;

public class GeneratorStateTests
{
    [Fact]
    public void RestoredGeneratorStateRepeatsTheDraws()
    {
        using var g = new Generator(11);
        using (torch.randn([5], generator: g)) { }
        using var state = g.get_state();
        Assert.Equal(DType.UInt8, state.dtype);
        using var first = torch.randperm(20, generator: g);
        using var other = new Generator(99);
        other.set_state(state);
        using var again = torch.randperm(20, generator: other);
        Assert.True(first.equal(again));
    }

    [Fact]
    public void BytesRoundTripThroughFromBytes()
    {
        using var x = torch.randn([3, 4], DType.Float64);
        using var t = x.transpose(0, 1);   // non-contiguous: bytes() are row-major in the logical order
        using var back = Tensor.FromBytes(t.bytes(), DType.Float64, [4, 3]);
        Assert.True(back.equal(t));
        Assert.Throws<ArgumentException>(() => Tensor.FromBytes(new byte[7], DType.Float64, [1]));
    }
}
