using System.Runtime.CompilerServices;
using NormFree.Torch;

namespace NormFree.Tests.Torch;

/// <summary>Who frees a tensor: its dispose scope, its owner, or (outside every scope) the GC backstop.</summary>
[Collection(GlobalState.Name)]
public class DisposeScopeTests
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Abandon(int count)
    {
        for (var i = 0; i < count; i++) torch.ones([3]);                // never disposed, in no scope
    }

    [Fact]
    public void ScopeFreesItsTensorsAndKeepsWhatMovesOut()
    {
        LeakCheck.SettleGarbage();
        var before = torch.native_live_tensors();
        Tensor kept, outer;
        using (var scope1 = torch.NewDisposeScope())
        {
            using (var scope2 = torch.NewDisposeScope())
            {
                var a = torch.ones([2]);
                var b = a + 1;
                kept = (b * 2).DetachFromDisposeScope();
                outer = (b * 3).MoveToOuterDisposeScope();
                Assert.Equal(2, scope2.Count);                          // a and b; the two products left
            }
            Assert.False(outer.IsDisposed);
            Assert.Equal(1, scope1.Count);
        }
        Assert.True(outer.IsDisposed);
        Assert.False(kept.IsDisposed);
        using (var sum = kept.sum()) Assert.Equal(8.0, sum.item());     // (1 + 1)·2, twice
        kept.Dispose();
        LeakCheck.SettleGarbage();
        Assert.Equal(before, torch.native_live_tensors());
    }

    /// <summary>Runs <paramref name="abandon"/>, which drops tensors without disposing them; after a collection the
    /// native handle count must be back where it was.</summary>
    static void AssertCollected(Action abandon)
    {
        LeakCheck.SettleGarbage();
        var before = torch.native_live_tensors();
        abandon();
        LeakCheck.SettleGarbage();
        Assert.Equal(before, torch.native_live_tensors());
    }

    [Fact]
    public void GcBackstopFreesTensorsOutsideEveryScope() => AssertCollected(() => Abandon(100));

    [Fact]
    public void TensorDetachedFromAScopeIsFreedByTheBackstopWhenAbandoned() => AssertCollected(DetachAndAbandon);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void DetachAndAbandon()
    {
        using var scope = torch.NewDisposeScope();
        for (var i = 0; i < 10; i++) torch.ones([3]).DetachFromDisposeScope();
    }

    [Fact]
    public void ScopedTensorsSurviveCollectionsWhileTheScopeLives()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.ones([4]) * 5;
        LeakCheck.SettleGarbage();
        Assert.False(t.IsDisposed);
        Assert.Equal(20.0, t.sum().item());
    }
}
