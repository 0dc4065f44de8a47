"""The NormFree kernel driven by a real Jupyter client (Debian's jupyter_client), as Jupyter, VS Code and nbconvert
drive it. Run after a build:  /usr/bin/python3 lib/NormFree.Kernel/tests/test_kernel.py -v"""
import json
import os
import shutil
import signal
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
# Relative to the kernel's working directory (this folder), as a notebook's #r is relative to the notebook's folder.
LIBRARY = "../../NormFree/bin/Release/net10.0/NormFree.dll"
TIMEOUT = 60


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


def reply_to(kc, msg_id, channel="shell"):
    get = kc.get_shell_msg if channel == "shell" else kc.get_control_msg
    while msg_id not in _replies:
        msg = get(timeout=TIMEOUT)
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


def execute(kc, code):
    msg_id = kc.execute(code)
    reply = reply_to(kc, msg_id)
    return reply, outputs_of(kc, msg_id)


def of_type(outputs, msg_type):
    return [m["content"] for m in outputs if m["msg_type"] == msg_type]


class KernelTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_kernel()
        reply, _ = execute(cls.kc, f'#r "{LIBRARY}"\nusing NormFree.Notebooks;')
        assert reply["status"] == "ok", reply

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

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
        outputs = self.run_ok('var shown = display(new Table("seed", "accuracy").Add(0, 0.5));\n'
                              'shown.Update(new Table("seed", "accuracy").Add(0, 0.75));')
        shown, = of_type(outputs, "display_data")
        updated, = of_type(outputs, "update_display_data")
        display_id = shown["transient"]["display_id"]
        self.assertTrue(display_id)
        self.assertEqual(updated["transient"]["display_id"], display_id)
        self.assertIn("<td style=\"text-align:left\">0.5</td>", shown["data"]["text/html"])
        self.assertIn("0.75", updated["data"]["text/html"])
        self.assertIn("seed", shown["data"]["text/plain"])

    def test_a_trailing_display_call_is_not_also_a_result(self):
        outputs = self.run_ok('display("x")')
        self.assertEqual(len(of_type(outputs, "display_data")), 1)
        self.assertEqual(of_type(outputs, "execute_result"), [])

    def test_tensor_shows_as_text(self):
        outputs = self.run_ok("NormFree.Torch.torch.ones([2, 2])")
        text = of_type(outputs, "execute_result")[0]["data"]["text/plain"]
        self.assertTrue(text.startswith("tensor [2, 2] float32 cpu"), text)

    def test_compile_error_is_an_error_output_with_the_cell_line(self):
        reply, outputs = execute(self.kc, "var a = 1;\nvar b = a +;\n")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "CompilationError")
        error, = of_type(outputs, "error")
        self.assertEqual(error["ename"], "CompilationError")
        self.assertIn(f"In[{reply['execution_count']}] (2,", error["evalue"])
        self.assertIn("CS1525", error["evalue"])

    def test_runtime_error_is_an_error_output_and_keeps_earlier_state(self):
        reply, outputs = execute(self.kc, 'var kept = 5;\nthrow new InvalidOperationException("boom");')
        self.assertEqual(reply["status"], "error")
        error, = of_type(outputs, "error")
        self.assertEqual((error["ename"], error["evalue"]), ("InvalidOperationException", "boom"))
        self.assertTrue(any(f"In[{reply['execution_count']}]:line 2" in line for line in error["traceback"]), error["traceback"])
        self.assertEqual(of_type(self.run_ok("kept"), "execute_result")[0]["data"]["text/plain"], "5")

    def interrupt_while_running(self, code, interrupt):
        msg_id = self.kc.execute(code)
        while True:  # wait until the cell has started
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                break
        time.sleep(0.3)  # into the cell's loop (an interrupt before the cell starts would find nothing to stop)
        interrupt()
        reply = reply_to(self.kc, msg_id)
        self.assertEqual((reply["status"], reply["ename"]), ("error", "Interrupted"))
        # The cell's 'idle' comes after its error output (the interrupt request's own status is not the cell's).
        self.assertEqual([o["content"]["ename"] for o in outputs_of(self.kc, msg_id) if o["msg_type"] == "error"], ["Interrupted"])
        self.assertEqual(of_type(self.run_ok("1 + 1"), "execute_result")[0]["data"]["text/plain"], "2")

    def test_interrupt_stops_a_library_loop_cooperatively(self):
        self.interrupt_while_running("while (true) Interrupt.ThrowIfRequested();", self.km.interrupt_kernel)

    def test_interrupt_by_sigint(self):
        pid = self.km.provisioner.process.pid
        self.interrupt_while_running("while (!InterruptToken.IsCancellationRequested) { }\nInterruptToken.ThrowIfCancellationRequested();",
                                     lambda: os.kill(pid, signal.SIGINT))

    def test_interrupt_wakes_a_blocked_cell(self):
        self.interrupt_while_running("System.Threading.Thread.Sleep(600_000);", self.km.interrupt_kernel)

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
        content = reply_to(self.kc, self.kc.inspect(code, len(code)))
        self.assertTrue(content["found"])
        self.assertIn("string string.Substring(int startIndex, int length)", content["data"]["text/plain"].splitlines())
        content = reply_to(self.kc, self.kc.inspect("phrase", 3))
        self.assertEqual(content["data"]["text/plain"], "string phrase")
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


def process_gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] == "Z"
    except FileNotFoundError:
        return True


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
