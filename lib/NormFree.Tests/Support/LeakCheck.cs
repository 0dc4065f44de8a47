namespace NormFree.Tests;

/// <summary>The leak check every leak test shares: run the code once (caches, lazy state, the first call's
/// allocations), then run it again and require this thread's count of live tensors to be where it was (TorchSharp's
/// <see cref="DisposeScopeManager.Statistics"/>: tensors this thread created minus those it disposed, so a tensor left
/// to the finalizer stays counted, and other threads' tests do not move it).
/// <para>Not the process-wide <see cref="Tensor.TotalCount"/>: TorchSharp keeps one count per Parameter a module
/// wraps, even after the module is disposed, so code that builds a module would look leaky. Tests that read the
/// process-wide count (or memory) belong to <see cref="GlobalState"/>.</para></summary>
static class LeakCheck
{
    /// <summary>Tensors created on this thread and not yet disposed on it.</summary>
    public static long ThreadLive => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    public static void AssertNoLeak(Action action, int repeats = 1)
    {
        action();
        var thread = ThreadLive;
        for (var i = 0; i < repeats; i++) action();
        Assert.True(thread == ThreadLive, $"tensors live on this thread: {thread} before, {ThreadLive} after {repeats} run(s)");
    }

    /// <summary>Collects, runs the finalizers of what was collected (they free native handles), and collects what they
    /// released, so that the process-wide count reflects only reachable tensors.</summary>
    public static void SettleGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
