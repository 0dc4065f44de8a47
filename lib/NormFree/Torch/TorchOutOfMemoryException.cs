namespace NormFree.Torch;

/// <summary>libtorch could not allocate a tensor: the GPU's memory is full (libtorch's "CUDA out of memory. Tried to
/// allocate …") or the host's is ("DefaultCPUAllocator: can't allocate memory"). Catch it to retry with a smaller
/// batch; the message is libtorch's, with the sizes it tried.</summary>
public sealed class TorchOutOfMemoryException : TorchException
{
    public TorchOutOfMemoryException(string message) : base(message) { }

    // The wording libtorch 1.13 and 2.x use: the caching allocator (c10/cuda/CUDACachingAllocator.cpp, "CUDA out of
    // memory."), a CUDA call checked by C10_CUDA_CHECK ("CUDA error: " + cudaGetErrorString(cudaErrorMemoryAllocation)),
    // cuBLAS creating its workspace, and the CPU allocator (c10/core/impl/alloc_cpu.cpp).
    static readonly string[] Markers =
        ["CUDA out of memory", "CUDA error: out of memory", "CUBLAS_STATUS_ALLOC_FAILED", "DefaultCPUAllocator: can't allocate memory"];

    internal static bool Recognizes(string message) => Markers.Any(m => message.Contains(m, StringComparison.Ordinal));
}
