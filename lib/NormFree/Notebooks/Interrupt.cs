namespace NormFree.Notebooks;

/// <summary>Cooperative interruption of a running notebook cell. The notebook kernel (lib/NormFree.Kernel) sets
/// <see cref="Token"/> to a fresh token before each cell and cancels it when the user interrupts the kernel; long
/// library loops (training epochs and steps, sweeps over seeds) call <see cref="ThrowIfRequested"/> between units of
/// work so an interrupt stops them cleanly between steps. Outside a kernel (tests, .NET Interactive) the token is
/// never cancelled and the calls cost nothing.</summary>
/// <remarks>The kernel finds this class by its full name, <c>NormFree.Notebooks.Interrupt</c>, and sets the
/// <see cref="Token"/> property by reflection: the kernel does not reference the library, so both keep working if
/// either is rebuilt alone.</remarks>
public static class Interrupt
{
    /// <summary>Cancelled when the user interrupts the running cell; set by the notebook host on the thread that
    /// runs the cell, before the cell starts.</summary>
    public static CancellationToken Token { get; set; }

    public static bool IsRequested => Token.IsCancellationRequested;

    /// <summary>Throws <see cref="OperationCanceledException"/> if the user interrupted the cell.</summary>
    public static void ThrowIfRequested() => Token.ThrowIfCancellationRequested();
}
