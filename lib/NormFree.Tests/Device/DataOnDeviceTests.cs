using NormFree.Data;
using NormFree.Init;

namespace NormFree.Tests.DeviceAware;

/// <summary>Data and seeded draws on the device passed in: the loader's batches (augmented, normalized, mixed) land on
/// its device with the values the CPU gives, whether the data set lives on the CPU or on that device; a seeded
/// generator gives the same numbers on every device.</summary>
public class DataOnDeviceTests
{
    // 3×8×8 uint8 images of 4 classes, as the image readers store them.
    static InMemoryDataset Images(Device device)
    {
        using var g = new Generator(11);
        using var pixels = torch.randint(0, 256, [40, 3, 8, 8], generator: g).to(ScalarType.Byte);
        using var labels = torch.randint(0, 4, [40], generator: g);
        return new InMemoryDataset(pixels.to(device), labels.to(device), 4);
    }

    static BatchLoader Loader(InMemoryDataset data, Device device) => new(data, 16, shuffle: true, seed: 5, device: device,
        transforms: [new RandomCrop(2), new RandomHorizontalFlip(), new Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]), new Cutout(3)],
        mixup_alpha: 0.4);

    [Theory]
    [MemberData(nameof(AvailableDevices.All), MemberType = typeof(AvailableDevices))]
    public void BatchesLandOnTheLoadersDeviceWithTheCpuValues(string name)
    {
        Device device = name;
        using var onCpu = Images(torch.CPU);
        using var onDevice = Images(device);
        foreach (var data in new[] { onCpu, onDevice })       // the data set on the CPU, or already on the device
        {
            var reference = Loader(onCpu, torch.CPU).epoch(1).Select(Copy).ToList();
            var batches = 0;
            foreach (var (batch, expected) in Loader(data, device).epoch(1).Zip(reference))
            {
                AvailableDevices.AssertOn(device, batch.input);
                AvailableDevices.AssertOn(device, batch.target);
                AvailableDevices.AssertOn(device, batch.target_b!);
                Assert.Equal(expected.lam, batch.lam);
                using var input = batch.input.cpu();
                using var target = batch.target.cpu();
                Assert.True(input.allclose(expected.input, rtol: 1e-5, atol: 1e-6), $"batch {batch.index} differs from the CPU's");
                Assert.Equal(expected.target.data<long>(), target.data<long>());
                batches++;
            }
            Assert.Equal(3, batches);
            foreach (var (input, target, _) in reference) { input.Dispose(); target.Dispose(); }
        }
    }

    static (Tensor input, Tensor target, double lam) Copy(Batch b) => (b.input.clone(), b.target.clone(), b.lam);

    [Theory]
    [MemberData(nameof(AvailableDevices.All), MemberType = typeof(AvailableDevices))]
    public void SeededDrawsGiveTheCpuNumbersOnEveryDevice(string name)
    {
        Device device = name;
        using var scope = torch.NewDisposeScope();
        Tensor[] Draw(Device d)
        {
            using var g = new Generator(21);
            var weight = torch.empty([6, 4], device: d);
            var probabilities = torch.full([5], 0.3, device: d);
            return
            [
                torch.rand([5], device: d, generator: g), torch.randn([5], ScalarType.Float64, d, generator: g),
                torch.randint(0, 9, [5], device: d, generator: g), torch.randperm(7, device: d, generator: g),
                torch.bernoulli(probabilities, g), torch.empty_like(probabilities).bernoulli_(0.7, g),
                init.normal_(weight, 0, 2, g).clone(), init.uniform_(weight, -1, 1, g).clone(), init.orthogonal_(weight, 1, g),
            ];
        }
        var expected = Draw(torch.CPU);
        var drawn = Draw(device);
        for (var i = 0; i < drawn.Length; i++)
        {
            AvailableDevices.AssertOn(device, drawn[i]);
            using var back = drawn[i].cpu();
            Assert.Equal(expected[i].bytes.ToArray(), back.bytes.ToArray());
        }
    }
}
