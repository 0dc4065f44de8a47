using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace NormFree.Kernel;

// The shell and control requests (messaging docs, "Messages on the shell (ROUTER/DEALER) channel").
public sealed partial class Kernel
{
    void Dispatch(ZmqSocket socket, List<byte[]> frames)
    {
        Message request;
        try { request = wire.Decode(frames); }
        catch (InvalidDataException e) { log.WriteLine($"[normfree kernel] dropped a message: {e.Message}"); return; }
        // Outputs belong to the shell request being served; a control request (an interrupt during a cell) gets its
        // own busy/idle, which must not read as the running cell's.
        var header = request.Header.ToJsonString();
        if (socket == shell) parentHeader = header;
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, header);
        try { Handle(socket, request); }
        catch (Exception e) when (e is not ZmqException)
        {
            // A request the kernel could not serve still gets its reply, so no client waits forever.
            log.WriteLine($"[normfree kernel] {request.Type} failed: {e}");
            if (request.Type.EndsWith("_request", StringComparison.Ordinal))
                Reply(socket, request, request.Type.Replace("_request", "_reply"), new JsonObject
                {
                    ["status"] = "error", ["ename"] = e.GetType().Name, ["evalue"] = e.Message, ["traceback"] = new JsonArray(),
                });
        }
        finally { Publish("status", new JsonObject { ["execution_state"] = "idle" }, header); }
    }

    void Handle(ZmqSocket socket, Message request)
    {
        switch (request.Type)
        {
            case "kernel_info_request": Reply(socket, request, "kernel_info_reply", KernelInfo()); break;
            case "execute_request": Execute(request); break;
            case "is_complete_request":
                var status = SubmissionSyntax.IsComplete(request.Text("code") ?? "");
                Reply(socket, request, "is_complete_reply", status == "incomplete"
                    ? new JsonObject { ["status"] = status, ["indent"] = "    " } : new JsonObject { ["status"] = status });
                break;
            case "complete_request": Reply(socket, request, "complete_reply", Complete(request)); break;
            case "inspect_request": Reply(socket, request, "inspect_reply", Inspect(request)); break;
            case "history_request": Reply(socket, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }); break;
            case "comm_info_request": Reply(socket, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
            case "comm_open":
                // No comm targets: close it at once, as ipykernel does for an unknown target.
                Publish("comm_close", new JsonObject { ["comm_id"] = request.Text("comm_id"), ["data"] = new JsonObject() });
                break;
            case "comm_msg" or "comm_close": break;
            case "interrupt_request":
                cells.Interrupt();
                Reply(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                Reply(socket, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = request.Flag("restart", false) });
                exiting.Set();
                break;
            default: log.WriteLine($"[normfree kernel] ignored {request.Type}"); break;
        }
    }

    static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = Message.ProtocolVersion,
        ["implementation"] = "normfree",
        ["implementation_version"] = typeof(Kernel).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
        ["language_info"] = new JsonObject
        {
            ["name"] = "csharp",
            ["version"] = SubmissionSyntax.CSharpVersion,
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"C# ({SubmissionSyntax.CSharpVersion}, .NET Interactive's C# engine) on .NET {Environment.Version}: NormFree's notebook kernel",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };

    void Execute(Message request)
    {
        var code = request.Text("code") ?? "";
        var silent = request.Flag("silent", false);
        if (request.Flag("store_history", !silent)) executionCount++;
        var count = executionCount;
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count });

        var (result, error) = RunCell(code, $"In[{count}]");
        FlushOutput();
        if (error is null && result is not null && !silent)
        {
            try { Publish("execute_result", new JsonObject { ["execution_count"] = count, ["data"] = MimeBundle.From(result.FormattedValues, result.Value), ["metadata"] = new JsonObject() }); }
            catch (Exception e) { error = ErrorReport.Runtime(e); }
        }
        if (error is null)
        {
            Reply(shell, request, "execute_reply", new JsonObject
            {
                ["status"] = "ok", ["execution_count"] = count, ["user_expressions"] = new JsonObject(), ["payload"] = new JsonArray(),
            });
            return;
        }
        var traceback = new JsonArray(error.Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
        Publish("error", new JsonObject { ["ename"] = error.Name, ["evalue"] = error.Value, ["traceback"] = traceback.DeepClone() });
        // Before the reply: only what the client queued without knowing of the error is aborted.
        if (request.Flag("stop_on_error", true)) AbortQueuedExecutions();
        Reply(shell, request, "execute_reply", new JsonObject
        {
            ["status"] = "error", ["execution_count"] = count, ["ename"] = error.Name, ["evalue"] = error.Value, ["traceback"] = traceback,
        });
    }

    const string EngineRestartNotice =
        "The cell was still running {0} s after the interrupt (code that checks no cancellation token), so the C# engine " +
        "was restarted: variables, usings and #r references of earlier cells are gone; run them again. The abandoned code " +
        "runs on in the background (a loop keeps a CPU core busy) until the kernel itself is restarted.\n";

    /// <summary>Runs a cell; its trailing expression's value (null when there is none, or it is what a trailing
    /// <c>display(...)</c> returns), or the error to report.</summary>
    (ReturnValueProduced? Value, ErrorReport? Error) RunCell(string code, string cellName)
    {
        var outcome = cells.Run(code);
        if (outcome.EngineRestarted)
        {
            stderr.Write(string.Format(System.Globalization.CultureInfo.InvariantCulture, EngineRestartNotice, EngineSupervisor.StopGrace.TotalSeconds));
            return (null, ErrorReport.Interrupted());
        }
        if (outcome.Result is not { } result)
            return (null, outcome.Interrupted || outcome.EngineFailure is null ? ErrorReport.Interrupted() : ErrorReport.Runtime(outcome.EngineFailure));
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
            return (null, outcome.Interrupted ? ErrorReport.Interrupted() : ErrorReport.Failed(failed, cellName, ErrorReport.LinesBefore(Compiled(result), code)));
        var value = result.Events.OfType<ReturnValueProduced>().LastOrDefault();
        return (value?.Value is DisplayedValue ? null : value, null);
    }

    /// <summary>The C# the engine compiled for the cell: the cell without its <c>#r "nuget: ..."</c> lines.</summary>
    static string? Compiled(KernelCommandResult result) =>
        (result.Events.OfType<CodeSubmissionReceived>().LastOrDefault()?.Command as SubmitCode)?.Code;

    /// <summary>After a failed cell, execute requests already waiting (a "run all") are answered as aborted rather
    /// than run on a broken state; other requests are served normally.</summary>
    void AbortQueuedExecutions()
    {
        var failed = parentHeader;
        while (shell.HasMessage())
        {
            var frames = shell.Receive();
            Message queued;
            try { queued = wire.Decode(frames); }
            catch (InvalidDataException) { continue; }
            if (queued.Type != "execute_request") { Dispatch(shell, frames); continue; }
            var header = queued.Header.ToJsonString();
            Publish("status", new JsonObject { ["execution_state"] = "busy" }, header);
            Reply(shell, queued, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = executionCount });
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, header);
        }
        parentHeader = failed;
    }
}
