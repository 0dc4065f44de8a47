"""Shared input and output of the PyTorch twins (run by the C# twin tests with Debian's /usr/bin/python3).

A twin directory holds, written by the C# side:
  weights.safetensors   the C# model's state dict, named as TorchSharp names it
  batches.safetensors   x0, y0, x1, y1, ...: the batches of the steps, in order
  config.json           the run's settings (steps, lr, momentum, ...; each twin documents its keys)
and, written here, result.json: {"losses": [...], "grad_norms": [{c# name: norm}, ...], "checks": {...}}.

Debian's PyTorch 1.13 ships without the safetensors package; the format is small enough to read here
(8-byte little-endian header size N, N bytes of JSON, then the raw little-endian buffer).
"""
import json
import struct
import sys

import numpy as np
import torch

_DTYPES = {"F64": np.float64, "F32": np.float32, "I64": np.int64, "I32": np.int32, "U8": np.uint8, "BOOL": np.bool_}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    buffer = data[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(buffer[begin:end], dtype=_DTYPES[entry["dtype"]]).reshape(entry["shape"]).copy()
        tensors[name] = torch.from_numpy(array)
    return tensors


def read_run(directory):
    with open(f"{directory}/config.json") as f:
        config = json.load(f)
    weights = load_safetensors(f"{directory}/weights.safetensors")
    batches = load_safetensors(f"{directory}/batches.safetensors")
    steps = [(batches[f"x{k}"], batches[f"y{k}"]) for k in range(config["steps"])]
    return config, weights, steps


def load_mapped(model, weights, to_twin):
    """Loads the C# state dict into the twin under the stated name map, strictly (every key on both sides)."""
    mapped = {to_twin(name): tensor for name, tensor in weights.items()}
    model.load_state_dict(mapped, strict=True)


def grad_norms(model, to_csharp):
    """‖∂L/∂p‖₂ of every parameter, keyed by the C# name (0 for a parameter without a gradient)."""
    return {to_csharp(name): (p.grad.norm().item() if p.grad is not None else 0.0) for name, p in model.named_parameters()}


def write_result(directory, losses, norms, checks=None):
    with open(f"{directory}/result.json", "w") as f:
        json.dump({"losses": losses, "grad_norms": norms, "checks": checks or {}}, f)


def directory_from_argv():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} <twin directory>")
    return sys.argv[1]
