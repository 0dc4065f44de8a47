using NormFree.Torch;

namespace NormFree.Tests.Torch;

/// <summary>The leak check every leak test shares: run the code once (caches, lazy state, the first call's
/// allocations), let the garbage of earlier tests be finalized, then run it again and require both the managed and
/// the native count of live tensors to be where they were. Tests that use it belong to <see cref="GlobalState"/>, since
/// no other test may create or free tensors while they count.</summary>
static class LeakCheck
{
    public static void AssertNoLeak(Action action, int repeats = 1)
    {
        action();
        SettleGarbage();
        var managed = Tensor.LiveCount;
        var native = torch.native_live_tensors();
        for (var i = 0; i < repeats; i++) action();
        Assert.True(managed == Tensor.LiveCount, $"managed tensors: {managed} before, {Tensor.LiveCount} after {repeats} run(s)");
        Assert.True(native == torch.native_live_tensors(), $"native tensors: {native} before, {torch.native_live_tensors()} after {repeats} run(s)");
    }

    /// <summary>Collects, runs the finalizers of what was collected (they free native handles), and collects what they
    /// released, so that live-tensor counts reflect only reachable tensors.</summary>
    public static void SettleGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
