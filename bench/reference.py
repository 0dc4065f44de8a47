"""PyTorch twins of the cases in bench/NormFree.Bench/Cases*.cs: each function has the C# case's name, does its setup
and returns the step to time. Run by the .NET harness as a peer process (`--serve`), or alone to print timings."""
import gc
import sys
import time

import torch

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def dispatch_small():
    x = torch.randn(16)

    def step():
        y = x
        for _ in range(5):
            y = (y * 1.01 + 0.1).relu() - 0.05  # 4 ops, 5 times

    return step


@case
def conv_step():
    x = torch.randn(128, 16, 32, 32)  # (B, C, H, W)
    w = torch.randn(16, 16, 3, 3).requires_grad_()

    def step():
        torch.nn.functional.conv2d(x, w, None, padding=1).relu().sum().backward()
        w.grad = None

    return step


@case
def conv_stage1_step():
    return conv_with_input_gradient(16, 16, 28, 1)


@case
def conv_down_step():
    return conv_with_input_gradient(16, 32, 28, 2)


@case
def batchnorm_step():
    x = torch.randn(128, 16, 28, 28).requires_grad_()  # (B, C, H, W)
    weight, bias = torch.ones(16).requires_grad_(), torch.zeros(16).requires_grad_()
    mean, variance = torch.zeros(16), torch.ones(16)
    g = torch.randn(128, 16, 28, 28)

    def step():
        torch.nn.functional.batch_norm(x, mean, variance, weight, bias, training=True).backward(g)
        x.grad = weight.grad = bias.grad = None

    return step


def conv_with_input_gradient(cin, cout, size, stride):
    x = torch.randn(128, cin, size, size).requires_grad_()  # (B, C, H, W)
    w = torch.randn(cout, cin, 3, 3).requires_grad_()
    size_out = (size - 1) // stride + 1
    g = torch.randn(128, cout, size_out, size_out)  # a dense output gradient, as in a network

    def step():
        torch.nn.functional.conv2d(x, w, None, stride, 1).backward(g)
        x.grad = None
        w.grad = None

    return step


from reference_training import epoch_fmnist, resnet20_step  # noqa: E402  (issue 3's training cases)

case(resnet20_step)
case(epoch_fmnist)


def timed(step, iterations):
    """Milliseconds per iteration over `iterations` back-to-back calls: wall clock, and CPU time of the process."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(iterations):
        step()
    return ((time.perf_counter() - wall) * 1000 / iterations, (time.process_time() - cpu) * 1000 / iterations)


def rss_mb():
    """Resident set size of this process (native memory included) in MB, from /proc, after a garbage collection: the
    same reading as the harness takes of its own process."""
    gc.collect()
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def serve():
    """Line protocol with the .NET harness: `prepare NAME` -> `ok`, `run NAME N` -> `WALL_MS CPU_MS` per iteration,
    `rss` -> `rss MB` (this process's VmRSS), `quit`."""
    steps = {}
    for line in sys.stdin:
        words = line.split()
        try:
            if words[0] == "prepare":
                if words[1] not in CASES:
                    raise KeyError(f"bench/reference.py has no function {words[1]}")
                steps[words[1]] = CASES[words[1]]()
                print("ok", flush=True)
            elif words[0] == "run":
                wall, cpu = timed(steps[words[1]], int(words[2]))
                print(f"{wall:.9f} {cpu:.9f}", flush=True)
            elif words[0] == "rss":
                print(f"rss {rss_mb():.3f}", flush=True)
            elif words[0] == "quit":
                return
        except Exception as e:  # the harness shows the message and stops
            print(f"error {type(e).__name__}: {e}".replace("\n", " "), flush=True)


def main():
    args = sys.argv[1:]
    threads = int(args[args.index("--threads") + 1]) if "--threads" in args else None
    if threads:
        torch.set_num_threads(threads)
    if "--serve" in args:
        print(f"ready torch {torch.__version__} threads {torch.get_num_threads()}", flush=True)
        serve()
        return
    for name, make in CASES.items():
        step = make()
        step()
        print(f"{name}: {min(timed(step, 10)[0] for _ in range(3)):.4f} ms")


if __name__ == "__main__":
    main()
