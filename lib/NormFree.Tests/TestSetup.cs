using System.Runtime.CompilerServices;

namespace NormFree.Tests;

static class TestSetup
{
    /// <summary>One intra-op thread for the tests: xunit already runs test classes in parallel on every core, and
    /// libtorch's OpenMP threads on top oversubscribe them; on a shared machine an OpenMP barrier waiting for a
    /// descheduled thread turns a tiny conv2d from ~0.1 ms into tens of ms (measured at load 24 on 2 cores).
    /// Test tensors are tiny, so one thread loses nothing. OMP_NUM_THREADS, when set, still wins.</summary>
#pragma warning disable CA2255 // a test assembly is the place for process-wide test settings
    [ModuleInitializer]
    internal static void OneIntraOpThread()
    {
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) torch.set_num_threads(1);
    }

    /// <summary>The tests run on the CPU unless one passes a device in (the device-aware ones in Device/ run on every
    /// device this process sees): on a GPU box <see cref="Devices.default_device"/> would be cuda, and the bit-for-bit
    /// resume tests hold on the CPU only.</summary>
    [ModuleInitializer]
    internal static void CpuUnlessToldOtherwise() => Devices.default_device = torch.CPU;
#pragma warning restore CA2255
}
