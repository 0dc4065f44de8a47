using Microsoft.DotNet.Interactive;

namespace NormFree.Kernel.Execution;

/// <summary>How a cell ended: the engine's result (its events: return value, failure), whether the user interrupted
/// it, whether the engine had to be restarted because the cell did not stop, and the engine's own failure if it
/// broke (<see cref="Result"/> is null in those cases, and when an interrupt cancelled the submission).</summary>
public sealed record CellOutcome(KernelCommandResult? Result, bool Interrupted, bool EngineRestarted, Exception? EngineFailure = null);
