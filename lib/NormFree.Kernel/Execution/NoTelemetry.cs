namespace NormFree.Kernel.Execution;

/// <summary>Nothing phones home. The engine packages send no telemetry themselves, but <c>#r "nuget: ..."</c> runs
/// <c>dotnet restore</c> in a child process, and the .NET CLI reports usage, checks for workload updates and prints
/// first-run banners unless told not to. Set before the engine starts any child process (children inherit it).</summary>
static class NoTelemetry
{
    static readonly (string Name, string Value)[] OptOuts =
    [
        ("DOTNET_CLI_TELEMETRY_OPTOUT", "1"),
        ("DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT", "1"),
        ("DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE", "1"),
        ("DOTNET_NOLOGO", "1"),
        ("DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "1"),
        ("DOTNET_GENERATE_ASPNET_CERTIFICATE", "false"),
    ];

    public static void Apply()
    {
        foreach (var (name, value) in OptOuts) Environment.SetEnvironmentVariable(name, value);
    }
}
