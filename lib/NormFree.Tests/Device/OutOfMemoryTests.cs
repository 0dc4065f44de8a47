using NormFree.Torch;

namespace NormFree.Tests.DeviceAware;

/// <summary>Running out of memory surfaces as <see cref="TorchOutOfMemoryException"/>, recognised from the allocators'
/// messages (verbatim shapes from libtorch 1.13 and 2.x; no GPU is needed to check the classification).</summary>
public class OutOfMemoryTests
{
    [Theory]
    // libtorch 1.13, CUDACachingAllocator
    [InlineData("CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity; 6.93 GiB already allocated; 11.31 MiB free; 7.06 GiB reserved in total by PyTorch) If reserved memory is >> allocated memory try setting max_split_size_mb to avoid fragmentation.")]
    // libtorch 2.x
    [InlineData("CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.02 GiB is free. Of the allocated memory 76.20 GiB is allocated by PyTorch, and 1.12 GiB is reserved by PyTorch but unallocated.")]
    // the message as the binding wraps an operator's error
    [InlineData("aten::conv2d: CUDA out of memory. Tried to allocate 512.00 MiB (GPU 0; 15.78 GiB total capacity)")]
    // a CUDA call that could not allocate, and cuBLAS's workspace
    [InlineData("CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported at some other API call")]
    [InlineData("CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`")]
    // the CPU allocator
    [InlineData("[enforce fail at alloc_cpu.cpp:83] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate 4398046511104 bytes. Error code 12 (Cannot allocate memory)")]
    public void AllocatorFailuresBecomeTorchOutOfMemoryException(string message)
    {
        var e = TorchException.FromMessage(message);
        Assert.IsType<TorchOutOfMemoryException>(e);
        Assert.Equal(message, e.Message);
        Assert.IsAssignableFrom<TorchException>(e); // code that catches TorchException still catches it
    }

    [Theory]
    [InlineData("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)")]
    [InlineData("Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!")]
    [InlineData("CUDA error: an illegal memory access was encountered")]
    [InlineData("out of memory")] // no allocator said it
    public void OtherErrorsStayPlainTorchExceptions(string message) =>
        Assert.Equal(typeof(TorchException), TorchException.FromMessage(message).GetType());
}
