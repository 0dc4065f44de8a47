"""The NormFree kernel driven by a real Jupyter client (Debian's jupyter_client), as Jupyter, VS Code and nbconvert
drive it. Independent of the NormFree library: where a test needs the library's interrupt hook, it compiles a
stand-in with the same type name. Run after a build:  /usr/bin/python3 lib/NormFree.Kernel/tests/test_kernel.py -v"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import jupyter_client
import zmq
from jupyter_client.session import Session

HERE = os.path.dirname(os.path.abspath(__file__))
KERNEL_DLL = os.path.normpath(os.path.join(HERE, "..", "bin", "Release", "net10.0", "NormFree.Kernel.dll"))
LIBRARY_DLL = os.path.normpath(os.path.join(HERE, "..", "..", "NormFree", "bin", "Release", "net10.0", "NormFree.dll"))
TIMEOUT = 60
# A process started in the background by a non-interactive shell (`cmd &`) ignores SIGINT, and the kernels it starts
# inherit that, so test_interrupt_by_sigint's signal would never arrive: the kernels get the default disposition.
signal.signal(signal.SIGINT, signal.default_int_handler)
# A NuGet restore (a `dotnet restore` of a generated project) takes a while, longer on a cold cache.
RESTORE_TIMEOUT = 300

# The library's interrupt hook (NormFree.Notebooks.Interrupt.Token, found by the kernel by name), as a stand-in.
INTERRUPT_STAND_IN = """
namespace NormFree.Notebooks;
public static class Interrupt
{
    public static System.Threading.CancellationToken Token { get; set; }
    public static void ThrowIfRequested() => Token.ThrowIfCancellationRequested();
}
"""


def compile_interrupt_stand_in():
    """Compiles the stand-in with the SDK's C# compiler into a temporary folder; returns the DLL's path."""
    sdk_version, sdk_root = subprocess.run(["dotnet", "--list-sdks"], capture_output=True, text=True, check=True) \
        .stdout.strip().splitlines()[-1].split(" ", 1)
    dotnet_root = os.path.dirname(sdk_root.strip("[]"))
    csc = os.path.join(sdk_root.strip("[]"), sdk_version, "Roslyn", "bincore", "csc.dll")
    ref_packs = os.path.join(dotnet_root, "packs", "Microsoft.NETCore.App.Ref")
    ref = os.path.join(ref_packs, sorted(os.listdir(ref_packs))[-1], "ref", "net10.0", "System.Runtime.dll")
    folder = tempfile.mkdtemp(prefix="normfree-interrupt-")
    source, dll = os.path.join(folder, "Interrupt.cs"), os.path.join(folder, "InterruptStandIn.dll")
    with open(source, "w") as f:
        f.write(INTERRUPT_STAND_IN)
    subprocess.run(["dotnet", csc, "-nologo", "-target:library", "-nostdlib", f"-r:{ref}", f"-out:{dll}", source],
                   check=True, capture_output=True)
    return dll


def use_kernelspec_for_this_build():
    """Puts a 'normfree' kernelspec for the kernel built in this checkout first on JUPYTER_PATH."""
    root = tempfile.mkdtemp(prefix="normfree-kernelspec-")
    os.makedirs(os.path.join(root, "kernels", "normfree"))
    spec = {"argv": [shutil.which("dotnet"), KERNEL_DLL, "{connection_file}"], "display_name": "C# (NormFree)",
            "language": "csharp", "interrupt_mode": "message"}
    with open(os.path.join(root, "kernels", "normfree", "kernel.json"), "w") as f:
        json.dump(spec, f)
    os.environ["JUPYTER_PATH"] = root + os.pathsep + os.environ.get("JUPYTER_PATH", "")


use_kernelspec_for_this_build()


def start_kernel():
    km = jupyter_client.KernelManager(kernel_name="normfree")
    km.start_kernel(cwd=HERE)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


_replies = {}  # replies that arrived while waiting for another one, by request id


def reply_to(kc, msg_id, channel="shell", timeout=TIMEOUT):
    get = kc.get_shell_msg if channel == "shell" else kc.get_control_msg
    while msg_id not in _replies:
        msg = get(timeout=timeout)
        _replies[msg["parent_header"].get("msg_id")] = msg["content"]
    return _replies.pop(msg_id)


def outputs_of(kc, msg_id):
    """The iopub messages a request caused, up to its 'idle' status."""
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                return outputs
            continue
        outputs.append(msg)


def execute(kc, code, timeout=TIMEOUT):
    msg_id = kc.execute(code)
    reply = reply_to(kc, msg_id, timeout=timeout)
    return reply, outputs_of(kc, msg_id)


def of_type(outputs, msg_type):
    return [m["content"] for m in outputs if m["msg_type"] == msg_type]


class KernelTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_kernel()
        # Relative to the kernel's working directory, as a notebook's #r is relative to the notebook's folder.
        cls.stand_in = compile_interrupt_stand_in()
        reply, _ = execute(cls.kc, f'#r "{os.path.relpath(cls.stand_in, HERE)}"\nusing NormFree.Notebooks;')
        assert reply["status"] == "ok", reply

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)
        shutil.rmtree(os.path.dirname(cls.stand_in), ignore_errors=True)

    def run_ok(self, code):
        reply, outputs = execute(self.kc, code)
        self.assertEqual(reply["status"], "ok", reply)
        return outputs

    def test_kernel_info(self):
        msg_id = self.kc.kernel_info()
        info = reply_to(self.kc, msg_id)
        self.assertEqual(info["protocol_version"], "5.3")
        self.assertEqual(info["language_info"]["name"], "csharp")
        self.assertEqual(info["language_info"]["file_extension"], ".cs")
        self.assertEqual(info["implementation"], "normfree")

    def test_state_carries_across_cells_and_trailing_expression_is_the_result(self):
        self.run_ok("var answer = 20;")
        reply, outputs = execute(self.kc, "answer * 2 + 2")
        results = of_type(outputs, "execute_result")
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0]["data"]["text/plain"], "42")
        self.assertEqual(results[0]["execution_count"], reply["execution_count"])
        self.assertEqual(of_type(outputs, "execute_input")[0]["code"], "answer * 2 + 2")
        self.assertEqual(of_type(self.run_ok("answer"), "execute_result")[0]["data"]["text/plain"], "20")

    def test_top_level_await(self):
        outputs = self.run_ok("await Task.Delay(10);\nawait Task.FromResult(7)")
        self.assertEqual(of_type(outputs, "execute_result")[0]["data"]["text/plain"], "7")

    def test_console_output_is_streamed_while_the_cell_runs(self):
        outputs = self.run_ok('Console.WriteLine("first");\nSystem.Threading.Thread.Sleep(1000);\n'
                              'Console.WriteLine("second");\nConsole.Error.Write("careful");')
        streams = [(s["name"], s["text"]) for s in of_type(outputs, "stream")]
        # "first" went out on its own, before the cell wrote "second": output is not held until the cell ends.
        self.assertEqual(streams[0], ("stdout", "first\n"))
        self.assertEqual("".join(t for n, t in streams if n == "stdout"), "first\nsecond\n")
        self.assertEqual("".join(t for n, t in streams if n == "stderr"), "careful")

    def test_native_output_is_captured(self):
        outputs = self.run_ok('static class Libc { [System.Runtime.InteropServices.DllImport("libc")] public static extern nint write(int fd, byte[] text, nint count); }\n'
                              'Libc.write(2, "from native code\\n"u8.ToArray(), 17);')
        self.assertIn(("stderr", "from native code\n"), [(s["name"], s["text"]) for s in of_type(outputs, "stream")])

    def test_display_and_update_in_place(self):
        outputs = self.run_ok('var shown = display(HTML("<b>0.5</b>"));\n'
                              'shown.Update(HTML("<b>0.75</b>"));')
        shown, = of_type(outputs, "display_data")
        updated, = of_type(outputs, "update_display_data")
        display_id = shown["transient"]["display_id"]
        self.assertTrue(display_id)
        self.assertEqual(updated["transient"]["display_id"], display_id)
        self.assertEqual(shown["data"]["text/html"], "<b>0.5</b>")
        self.assertEqual(updated["data"]["text/html"], "<b>0.75</b>")
        self.assertIn("text/plain", shown["data"])
        # From a later cell too (a training loop's curve redrawn by the next cell).
        again, = of_type(self.run_ok('shown.Update(HTML("<b>1</b>"));'), "update_display_data")
        self.assertEqual((again["transient"]["display_id"], again["data"]["text/html"]), (display_id, "<b>1</b>"))

    def test_values_show_as_plain_text(self):
        outputs = self.run_ok('display(new List<int> { 1, 2, 3 });\n"text"')
        self.assertEqual(of_type(outputs, "display_data")[0]["data"]["text/plain"], "[ 1, 2, 3 ]")
        self.assertEqual(of_type(outputs, "execute_result")[0]["data"], {"text/plain": "text"})

    def test_types_describe_their_renderings_by_the_formatter_source_convention(self):
        # What the library's tables rely on: an attribute named TypeFormatterSourceAttribute, matched by name.
        outputs = self.run_ok(
            "class TypeFormatterSourceAttribute : Attribute\n"
            "{\n"
            "    public TypeFormatterSourceAttribute(Type source) => FormatterSourceType = source;\n"
            "    public Type FormatterSourceType { get; }\n"
            "    public string[] PreferredMimeTypes { get; set; }\n"
            "}\n"
            "class Rendering { public string MimeType => \"text/html\"; public bool Format(object value, System.IO.TextWriter w) { w.Write(\"<i>r</i>\"); return true; } }\n"
            "class RenderingSource { public IEnumerable<object> CreateTypeFormatters() => new object[] { new Rendering() }; }\n"
            "[TypeFormatterSource(typeof(RenderingSource), PreferredMimeTypes = new[] { \"text/html\", \"text/plain\" })]\n"
            "class Rendered { public override string ToString() => \"plain\"; }\n"
            "new Rendered()")
        self.assertEqual(of_type(outputs, "execute_result")[0]["data"], {"text/html": "<i>r</i>", "text/plain": "plain"})

    def test_a_trailing_display_call_is_not_also_a_result(self):
        outputs = self.run_ok('display("x")')
        self.assertEqual(len(of_type(outputs, "display_data")), 1)
        self.assertEqual(of_type(outputs, "execute_result"), [])

    def test_nuget_package_reference(self):
        reply, outputs = execute(self.kc, '#r "nuget: Humanizer.Core, 2.14.1"\nusing Humanizer;\n"PascalCaseInputString".Humanize()',
                                 timeout=RESTORE_TIMEOUT)
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(of_type(outputs, "execute_result")[0]["data"]["text/plain"], "Pascal case input string")

    def test_kernel_extension_of_a_nuget_package_is_loaded(self):
        # Plotly.NET.Interactive carries its chart formatter as a kernel extension (interactive-extensions/dotnet);
        # Plotly.NET 6 needs FSharp.Core 10.1, which the kernel brings.
        reply, _ = execute(self.kc, '#r "nuget: Plotly.NET.Interactive, 6.0.0"\n#r "nuget: Plotly.NET.CSharp, 0.14.0"',
                           timeout=RESTORE_TIMEOUT)
        self.assertEqual(reply["status"], "ok", reply)
        outputs = self.run_ok("Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 1.0, 2.0 }, y: new[] { 1.0, 4.0 })")
        html = of_type(outputs, "execute_result")[0]["data"].get("text/html", "")
        self.assertIn("Plotly.newPlot", html)

    def test_compile_error_is_an_error_output_with_the_cell_line(self):
        reply, outputs = execute(self.kc, "var a = 1;\nvar b = a +;\n")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "CompilationError")
        error, = of_type(outputs, "error")
        self.assertEqual(error["ename"], "CompilationError")
        self.assertIn(f"In[{reply['execution_count']}] (2,", error["evalue"])
        self.assertIn("CS1525", error["evalue"])
        reply, _ = execute(self.kc, "var c = 1;\nc = c +\n    undefinedName;")
        self.assertEqual(reply["evalue"], f"In[{reply['execution_count']}] (3,5): error CS0103: The name 'undefinedName' does not exist in the current context")

    def test_compile_error_after_a_directive_counts_lines_in_the_cell(self):
        reply, _ = execute(self.kc, '#r "nuget: Humanizer.Core, 2.14.1"\nvar d = 1;\nd = undefinedName;', timeout=RESTORE_TIMEOUT)
        self.assertIn(f"In[{reply['execution_count']}] (3,5): error CS0103", reply["evalue"])

    def test_runtime_error_is_an_error_output_and_keeps_earlier_state(self):
        self.run_ok("var kept = 5;")
        reply, outputs = execute(self.kc, 'void Fail() => throw new InvalidOperationException("boom");\nFail();')
        self.assertEqual(reply["status"], "error")
        error, = of_type(outputs, "error")
        self.assertEqual((error["ename"], error["evalue"]), ("InvalidOperationException", "boom"))
        self.assertTrue(any("Fail()" in line for line in error["traceback"][1:]), error["traceback"])
        self.assertFalse(any("Microsoft.DotNet.Interactive" in line for line in error["traceback"]), error["traceback"])
        self.assertEqual(of_type(self.run_ok("kept"), "execute_result")[0]["data"]["text/plain"], "5")

    def test_runtime_error_names_the_cell_and_the_line_in_it(self):
        self.run_ok('int Explode(int i) =>\n    i > 0 ? throw new ArgumentException("late") : i;')
        reply, outputs = execute(self.kc, '#r "nuget: Humanizer.Core, 2.14.1"\nvar ok = 1;\nvar v = Explode(ok);', timeout=RESTORE_TIMEOUT)
        cell = f"In[{reply['execution_count']}]"
        error, = of_type(outputs, "error")
        self.assertIn(f"   at {cell}, line 3", error["traceback"], error["traceback"])
        self.assertTrue(any(line.startswith("   at Explode(Int32 i) in an earlier cell") and line.endswith("line 2 of its code")
                            for line in error["traceback"]), error["traceback"])

    def interrupt_while_running(self, code, interrupt):
        msg_id = self.kc.execute(code)
        while True:  # wait until the cell has started
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                break
        time.sleep(0.5)  # into the cell's loop (an interrupt before the cell starts would find nothing to stop)
        interrupt()
        reply = reply_to(self.kc, msg_id)
        self.assertEqual((reply["status"], reply["ename"]), ("error", "Interrupted"))
        # The cell's 'idle' comes after its error output (the interrupt request's own status is not the cell's).
        outputs = outputs_of(self.kc, msg_id)
        self.assertEqual([o["ename"] for o in of_type(outputs, "error")], ["Interrupted"])
        return outputs

    def assert_state_kept_after_interrupt(self, code, interrupt):
        self.run_ok("var before = 41;")
        outputs = self.interrupt_while_running(code, interrupt)
        self.assertNotIn("restarted", "".join(s["text"] for s in of_type(outputs, "stream")))
        self.assertEqual(of_type(self.run_ok("before + 1"), "execute_result")[0]["data"]["text/plain"], "42")

    def test_interrupt_stops_a_loop_that_checks_the_library_token(self):
        self.assert_state_kept_after_interrupt("while (true) Interrupt.ThrowIfRequested();", self.km.interrupt_kernel)

    def test_interrupt_by_sigint(self):
        pid = self.km.provisioner.process.pid
        self.assert_state_kept_after_interrupt(
            "while (!InterruptToken.IsCancellationRequested) { }\nInterruptToken.ThrowIfCancellationRequested();",
            lambda: os.kill(pid, signal.SIGINT))

    def test_interrupt_stops_awaiting_code(self):
        self.assert_state_kept_after_interrupt("await Task.Delay(600_000);", self.km.interrupt_kernel)

    def test_telemetry_is_off_for_what_the_engine_starts(self):
        outputs = self.run_ok('Environment.GetEnvironmentVariable("DOTNET_CLI_TELEMETRY_OPTOUT")')
        self.assertEqual(of_type(outputs, "execute_result")[0]["data"]["text/plain"], "1")

    def test_listens_on_loopback_only(self):
        listening = listening_addresses(self.km.provisioner.process.pid)
        ports = self.km.get_connection_info()
        self.assertTrue({ports[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
                        <= {port for _, port in listening}, listening)
        self.assertEqual([a for a in listening if a[0] not in ("127.0.0.1", "::1")], [])

    def test_cells_queued_behind_a_failing_cell_are_aborted(self):
        failing = self.kc.execute('System.Threading.Thread.Sleep(1000);\nthrow new Exception("stop");')
        queued = self.kc.execute("1 + 1")  # sent while the first still runs, as "run all" does
        self.assertEqual(reply_to(self.kc, failing)["status"], "error")
        self.assertEqual(reply_to(self.kc, queued)["status"], "aborted")
        outputs_of(self.kc, queued)
        self.run_ok("1 + 1")  # sent after the error: runs

    def test_complete_members_of_a_variable(self):
        self.run_ok('var word = "abc";')
        code = "word.Len"
        content = reply_to(self.kc, self.kc.complete(code, len(code)))
        self.assertIn("Length", content["matches"])
        self.assertEqual((content["cursor_start"], content["cursor_end"]), (5, 8))
        code = "Console.WriteL"
        self.assertEqual(reply_to(self.kc, self.kc.complete(code, len(code)))["matches"], ["WriteLine"])

    def test_inspect_shows_signatures_and_variables(self):
        self.run_ok('var phrase = "abc";')
        code = "phrase.Substring"
        content = reply_to(self.kc, self.kc.inspect(code, len(code) - 1))
        self.assertTrue(content["found"], content)
        self.assertIn("string.Substring(int startIndex)", content["data"]["text/plain"])
        content = reply_to(self.kc, self.kc.inspect("phrase", 3))
        self.assertIn("string phrase", content["data"]["text/plain"])
        self.assertFalse(reply_to(self.kc, self.kc.inspect("   ", 1))["found"])

    def test_is_complete(self):
        self.assertEqual(reply_to(self.kc, self.kc.is_complete("for (var i = 0; i < 3; i++) {"))["status"], "incomplete")
        self.assertEqual(reply_to(self.kc, self.kc.is_complete("1 + 1"))["status"], "complete")

    def test_comm_info(self):
        content = reply_to(self.kc, self.kc.comm_info())
        self.assertEqual((content["status"], content["comms"]), ("ok", {}))

    def test_a_message_with_a_wrong_signature_is_ignored(self):
        info = self.km.get_connection_info()
        socket = zmq.Context.instance().socket(zmq.DEALER)
        socket.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        try:
            forged = Session(key=b"not-the-key")
            forged.send(socket, "kernel_info_request", {})
            self.assertEqual(socket.poll(1000), 0, "the kernel answered a message signed with the wrong key")
        finally:
            socket.close(linger=0)
        self.assertEqual(reply_to(self.kc, self.kc.kernel_info())["status"], "ok")


def listening_addresses(pid):
    """(address, port) of every TCP socket the process listens on, from /proc/net/tcp and tcp6."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = []
    for table, width in (("tcp", 8), ("tcp6", 32)):
        with open(f"/proc/net/{table}") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state != "0A" or inode not in inodes:  # 0A: LISTEN
                    continue
                address_hex, port_hex = local.split(":")
                packed = bytes.fromhex(address_hex)
                # The kernel writes each 32-bit word in host (little-endian) order.
                packed = b"".join(packed[i:i + 4][::-1] for i in range(0, len(packed), 4))
                family = socket.AF_INET if width == 8 else socket.AF_INET6
                found.append((socket.inet_ntop(family, packed), int(port_hex, 16)))
    return found


def process_gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] == "Z"
    except FileNotFoundError:
        return True


class LibraryLoadingTests(unittest.TestCase):
    """The workbook's library in a kernel of its own (its types would clash with the interrupt stand-in that
    KernelTests loads)."""

    def test_a_library_and_its_dependencies_share_one_torchsharp(self):
        # NormFree.dll and TorchSharp.PyBridge both reference TorchSharp; loaded twice, a call from one into the other
        # (a checkpoint's optimizer through PyBridge) fails with MissingMethodException.
        km, kc = start_kernel()
        folder = tempfile.mkdtemp(prefix="normfree-checkpoint-")
        try:
            reply, outputs = execute(kc, f'#r "{LIBRARY_DLL}"\n'
                                     'var net = TorchSharp.torch.nn.Linear(3, 2);\n'
                                     'var sgd = TorchSharp.torch.optim.SGD(net.parameters(), 0.1);\n'
                                     f'NormFree.Training.Checkpoint.save(@"{folder}/epoch-1", net, sgd, 1, new NormFree.Training.History());\n'
                                     'AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == "TorchSharp")', timeout=RESTORE_TIMEOUT)
            self.assertEqual(reply["status"], "ok", outputs)
            self.assertEqual(of_type(outputs, "execute_result")[0]["data"]["text/plain"], "1")
            self.assertTrue(os.listdir(folder))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            kc.stop_channels()
            km.shutdown_kernel(now=True)


class TightLoopTests(unittest.TestCase):
    """A cell that checks no token and never awaits cannot be stopped; the kernel replaces its C# engine (in a kernel
    of its own: the state of earlier cells is gone afterwards)."""

    def test_interrupt_of_a_tight_loop_restarts_the_engine_and_says_so(self):
        km, kc = start_kernel()
        try:
            self.assertEqual(execute(kc, "var before = 1;")[0]["status"], "ok")
            msg_id = kc.execute("while (true) { }")
            while True:
                msg = kc.get_iopub_msg(timeout=TIMEOUT)
                if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                    break
            time.sleep(0.5)
            started = time.time()
            km.interrupt_kernel()
            reply = reply_to(kc, msg_id)
            self.assertLess(time.time() - started, 20)
            self.assertEqual((reply["status"], reply["ename"]), ("error", "Interrupted"))
            outputs = outputs_of(kc, msg_id)
            stderr = "".join(s["text"] for s in of_type(outputs, "stream") if s["name"] == "stderr")
            self.assertIn("the C# engine was restarted", stderr)
            reply, outputs = execute(kc, "1 + 1")
            self.assertEqual(of_type(outputs, "execute_result")[0]["data"]["text/plain"], "2")
            self.assertEqual(execute(kc, "before")[0]["ename"], "CompilationError")
            self.assertEqual(of_type(execute(kc, 'display("x"); 3')[1], "execute_result")[0]["data"]["text/plain"], "3")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


class LifecycleTests(unittest.TestCase):
    def test_shutdown_request_ends_the_process_by_itself(self):
        km, kc = start_kernel()
        process = km.provisioner.process
        reply_to(kc, kc.shutdown(), channel="control")
        # The kernel exits on its own with status 0 (not killed by the client after a grace period).
        self.assertEqual(process.wait(timeout=20), 0)
        kc.stop_channels()
        km.cleanup_resources()

    def test_kernel_exits_when_its_client_dies(self):
        client = subprocess.Popen([sys.executable, "-c",
                                   "import sys, time, jupyter_client\n"
                                   f"km = jupyter_client.KernelManager(kernel_name='normfree'); km.start_kernel(cwd={HERE!r})\n"
                                   "print(km.provisioner.process.pid, flush=True); time.sleep(600)"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        pid = int(client.stdout.readline())
        client.kill()
        client.wait()
        client.stdout.close()
        deadline = time.time() + 30
        while not process_gone(pid) and time.time() < deadline:
            time.sleep(0.2)
        gone = process_gone(pid)
        if not gone:
            os.kill(pid, signal.SIGKILL)
        self.assertTrue(gone, "the kernel outlived its client")


if __name__ == "__main__":
    unittest.main()
