using NormFree.Kernel.Execution;
using NormFree.Kernel.Protocol;

// Usage: dotnet NormFree.Kernel.dll <connection_file>   (what the kernelspec's argv runs)
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: NormFree.Kernel <connection_file>  (a Jupyter client starts it through the 'normfree' kernelspec)");
    return 2;
}
NoTelemetry.Apply();
OneCopyPerAssembly.Install();
var kernel = new NormFree.Kernel.Kernel(ConnectionFile.Read(args[0]));
return kernel.Run();
