using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks.Experiments;

public class ReferenceFloorTests
{
    [Fact]
    public void A_mean_exactly_at_the_floor_reaches_it_despite_floating_point_summation()
    {
        double[] runs = [0.7195, 0.8405, 0.84]; // 2.4 / 3 = 0.8 exactly; summed in doubles it is one ulp below
        Assert.True(new ReferenceFloor(new Arm("ref", runs), 0.8).Reached);
        Assert.False(new ReferenceFloor(new Arm("ref", [0.7995, 0.8, 0.8]), 0.8).Reached); // a real shortfall, 1/6000
    }
}
