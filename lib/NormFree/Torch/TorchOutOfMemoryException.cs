namespace NormFree.Torch;

/// <summary>libtorch could not allocate a tensor: the GPU's memory is full (libtorch's "CUDA out of memory. Tried to
/// allocate …") or the host's is ("DefaultCPUAllocator: can't allocate memory"). Catch it to retry with a smaller
/// batch; the message is libtorch's, with the sizes it tried.</summary>
public sealed class TorchOutOfMemoryException : TorchException
{
    public TorchOutOfMemoryException(string message) : base(message) { }

    // The allocators' own wording: c10/cuda/CUDACachingAllocator.cpp ("CUDA out of memory.") and
    // c10/core/impl/alloc_cpu.cpp ("DefaultCPUAllocator: can't allocate memory"), the same in libtorch 1.13 and 2.x.
    static readonly string[] Markers = ["CUDA out of memory", "DefaultCPUAllocator: can't allocate memory"];

    internal static bool Recognizes(string message) => Markers.Any(m => message.Contains(m, StringComparison.Ordinal));
}
