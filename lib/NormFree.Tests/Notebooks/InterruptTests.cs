using NormFree.Data;
using NormFree.Notebooks;

namespace NormFree.Tests.Notebooks;

/// <summary>Sets the process-wide interrupt token, so it runs alone.</summary>
[Collection(GlobalState.Name)]
public class InterruptTests
{
    [Fact]
    public void An_interrupt_stops_a_data_loader_between_batches()
    {
        using var inputs = torch.zeros([6, 1, 2, 2]);
        using var labels = torch.zeros([6], ScalarType.Int64);
        using var ds = new InMemoryDataset(inputs.clone(), labels.clone(), 2);
        var loader = new BatchLoader(ds, batch_size: 2);
        using var cts = new CancellationTokenSource();
        var seen = 0;
        try
        {
            Interrupt.Token = cts.Token;
            Assert.Throws<OperationCanceledException>(() =>
            {
                foreach (var _ in loader.epoch(0))
                {
                    seen++;
                    cts.Cancel();   // the user presses interrupt during the first batch
                }
            });
        }
        finally { Interrupt.Token = default; }
        Assert.Equal(1, seen);
        Assert.Equal(3, loader.epoch(0).Count());   // and the next run is not affected
    }
}
