namespace NormFree.Tests;

/// <summary>Seeds for tests that must hold on several random draws: <c>[MemberData(nameof(Seeds.Three), MemberType = typeof(Seeds))]</c>.</summary>
public static class Seeds
{
    public static readonly ulong[] Values = [1, 2, 3];
    public static TheoryData<ulong> Three => new(Values);
}
