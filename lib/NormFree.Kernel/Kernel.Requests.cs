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
                var status = ScriptSession.IsComplete(request.Text("code") ?? "");
                Reply(socket, request, "is_complete_reply", status == "incomplete"
                    ? new JsonObject { ["status"] = status, ["indent"] = "    " } : new JsonObject { ["status"] = status });
                break;
            case "complete_request": Reply(socket, request, "complete_reply", Complete(request)); break;
            case "inspect_request":
                var code = request.Text("code") ?? "";
                var found = scripts.Inspect(code, Utf16Index(code, request.Number("cursor_pos", code.Length)));
                Reply(socket, request, "inspect_reply", new JsonObject
                {
                    ["status"] = "ok", ["found"] = found is not null, ["metadata"] = new JsonObject(),
                    ["data"] = found is null ? new JsonObject() : new JsonObject { ["text/plain"] = found },
                });
                break;
            case "history_request": Reply(socket, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() }); break;
            case "comm_info_request": Reply(socket, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
            case "comm_open":
                // No comm targets: close it at once, as ipykernel does for an unknown target.
                Publish("comm_close", new JsonObject { ["comm_id"] = request.Text("comm_id"), ["data"] = new JsonObject() });
                break;
            case "comm_msg" or "comm_close": break;
            case "interrupt_request":
                runner.Interrupt();
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
            ["version"] = ScriptSession.CSharpVersion,
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"C# script (Roslyn) on .NET {Environment.Version}: NormFree's notebook kernel",
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
            try { Publish("execute_result", new JsonObject { ["execution_count"] = count, ["data"] = DisplayFormatter.Format(result), ["metadata"] = new JsonObject() }); }
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

    /// <summary>Runs a cell; the trailing expression's value (null when there is none, or it is the handle a
    /// trailing <c>display(...)</c> returns), or the error to report.</summary>
    (object? Value, ErrorReport? Error) RunCell(string code, string cellName)
    {
        var task = runner.Run(token => scripts.Execute(code, cellName, token), out var interrupted);
        if (task is null || task.IsCanceled) return (null, ErrorReport.Interrupted());
        if (task.IsFaulted)
        {
            var e = task.Exception!.InnerException!;
            return (null, interrupted && e is OperationCanceledException or ThreadInterruptedException ? ErrorReport.Interrupted() : ErrorReport.Runtime(e));
        }
        var outcome = task.Result;
        if (outcome.CompileErrors.Count > 0) return (null, ErrorReport.Compilation(cellName, outcome.CompileErrors));
        if (outcome.Exception is { } ex)
            return (null, interrupted && ex is OperationCanceledException or ThreadInterruptedException ? ErrorReport.Interrupted() : ErrorReport.Runtime(ex));
        return (outcome.Value is DisplayHandle ? null : outcome.Value, null);
    }

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

    JsonObject Complete(Message request)
    {
        var code = request.Text("code") ?? "";
        var cursor = Utf16Index(code, request.Number("cursor_pos", code.Length));
        var (start, matches) = scripts.Complete(code, cursor);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(matches.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            ["cursor_start"] = CodePoints(code, start),
            ["cursor_end"] = CodePoints(code, cursor),
            ["metadata"] = new JsonObject(),
        };
    }

    /// <summary>Jupyter counts cursor positions in Unicode code points (protocol 5.2); .NET strings in UTF-16.</summary>
    static int Utf16Index(string s, int codePoints)
    {
        var i = 0;
        for (var n = 0; n < codePoints && i < s.Length; n++) i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
        return i;
    }

    static int CodePoints(string s, int utf16Index) => s[..utf16Index].EnumerateRunes().Count();
}
