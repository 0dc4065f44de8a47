using System.Text.Json;

namespace NormFree.Kernel.Protocol;

/// <summary>The connection file a Jupyter client writes and passes as <c>{connection_file}</c>: transport, address,
/// the five ports and the HMAC key (jupyter_client docs, "Connection files").</summary>
public sealed record ConnectionFile(string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort,
    int ControlPort, int HbPort, string Key, string SignatureScheme)
{
    public static ConnectionFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"connection file {path} not found (expected the JSON a Jupyter client writes)", path);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        string Text(string name, string fallback) => root.TryGetProperty(name, out var v) ? v.GetString() ?? fallback : fallback;
        int Port(string name) => root.TryGetProperty(name, out var v) ? v.GetInt32()
            : throw new InvalidDataException($"connection file {path} has no {name}");
        var scheme = Text("signature_scheme", "hmac-sha256");
        if (scheme != "hmac-sha256") throw new InvalidDataException($"connection file {path}: signature scheme {scheme} is not supported (expected hmac-sha256)");
        return new(Text("transport", "tcp"), Text("ip", "127.0.0.1"), Port("shell_port"), Port("iopub_port"),
            Port("stdin_port"), Port("control_port"), Port("hb_port"), Text("key", ""), scheme);
    }

    /// <summary>The ZeroMQ endpoint for a port: <c>tcp://ip:port</c>, or <c>ipc://ip-port</c> for the ipc transport
    /// (jupyter_client's naming).</summary>
    public string Endpoint(int port) => Transport == "ipc" ? $"ipc://{Ip}-{port}" : $"{Transport}://{Ip}:{port}";
}
