"""PyTorch twin of the Mean Shift Rejection ResNet (Ruff, Beck, Bach 2019), written from the paper's §3 as
shared/papers/02-mean-shift-rejection.md states it, not from NormFree's C#:

  every conv W = e^g * V, one g per filter (e^g = 0.8 at init); He et al.'s CIFAR ResNet without normalization
  (post-activation basic blocks, option-A shortcuts: stride-2 subsampling plus zero channels padded on both sides)
  CZMI: V of every spatial kernel but the first layer's has zero-mean (filter, input-channel) slices; every filter
        has norm 1 (checked on the loaded weights; the first layer is unit-norm, not zero-mean)
  loss: cross-entropy + LUMA, lambda * sum_f (|V_f| - 1)^2 over every kernel V (not g, not biases)
  CZMG: after backward, before the step, grad V <- grad V - z * mean_spatial(grad V) for the spatial kernels but
        the first layer's
  SGD with momentum, no weight decay.

config.json keys: steps, lr, momentum, luma, zmg, blocks (per stage), in_channels, dtype.
Reported per step: the cross-entropy (LUMA apart) and the gradient norms after CZMG (the gradient the step uses).

Name map, C# -> twin: stem.conv.weight_g -> conv1.g, stem.conv.layer.weight -> conv1.v,
stageK.i.convJ.weight_g -> layerK.i.convJ.g, stageK.i.convJ.layer.weight -> layerK.i.convJ.v, head.fc.* -> fc.*.
"""
import math
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

import twinio


class ExpScaledConv(nn.Module):
    """W = e^g * V (no normalisation of V), a 3x3 'same' or strided conv without bias."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.v = nn.Parameter(torch.empty(cout, cin, 3, 3))
        self.g = nn.Parameter(torch.full((cout,), math.log(0.8)))
        self.stride = stride

    def forward(self, x):
        return F.conv2d(x, self.g.exp().view(-1, 1, 1, 1) * self.v, None, self.stride, 1)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = ExpScaledConv(cin, cout, stride)
        self.conv2 = ExpScaledConv(cout, cout)
        self.cin, self.cout, self.stride = cin, cout, stride

    def forward(self, x):
        out = self.conv2(F.relu(self.conv1(x)))
        identity = x
        if self.stride != 1 or self.cin != self.cout:
            extra = self.cout - self.cin
            identity = F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, extra // 2, extra - extra // 2))
        return F.relu(out + identity)


class MsrResNet(nn.Module):
    def __init__(self, blocks, in_channels, num_classes=10):
        super().__init__()
        self.conv1 = ExpScaledConv(in_channels, 16)
        cin = 16
        for k, width in enumerate([16, 32, 64]):
            layer = []
            for i in range(blocks):
                layer.append(Block(cin, width, 2 if (k > 0 and i == 0) else 1))
                cin = width
            setattr(self, f"layer{k + 1}", nn.Sequential(*layer))
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))

    def kernels(self):
        return [m.v for m in self.modules() if isinstance(m, ExpScaledConv)]

    def zero_mean_kernels(self):  # the paper: not the first (RGB) layer
        return [v for v in self.kernels() if v is not self.conv1.v]


def to_twin(name):
    name = re.sub(r"^stem\.conv\.", "conv1.", name)
    name = re.sub(r"^stage(\d+)\.", r"layer\1.", name)
    name = re.sub(r"^head\.fc\.", "fc.", name)
    return name.replace(".layer.weight", ".v").replace(".weight_g", ".g")


def to_csharp(name):
    name = re.sub(r"^conv1\.", "stem.conv.", name)
    name = re.sub(r"^layer(\d+)\.", r"stage\1.", name)
    name = re.sub(r"^fc\.", "head.fc.", name)
    return re.sub(r"\.v$", ".layer.weight", re.sub(r"\.g$", ".weight_g", name))


def filter_norms(v):
    return v.flatten(1).norm(dim=1)


def init_checks(model):
    zero_mean = model.zero_mean_kernels()
    return {
        "czmi_max_slice_mean": max(v.mean(dim=(2, 3)).abs().max().item() for v in zero_mean),
        "max_filter_norm_error": max((filter_norms(v) - 1).abs().max().item() for v in model.kernels()),
        "max_scale_error": max((m.g.exp() - 0.8).abs().max().item() for m in model.modules() if isinstance(m, ExpScaledConv)),
        "first_layer_slice_mean": model.conv1.v.mean(dim=(2, 3)).abs().max().item(),
        "zero_mean_kernels": len(zero_mean),
    }


def main():
    directory = twinio.directory_from_argv()
    config, weights, steps = twinio.read_run(directory)
    dtype = getattr(torch, config.get("dtype", "float64"))
    torch.set_num_threads(1)
    model = MsrResNet(config["blocks"], config["in_channels"]).to(dtype)
    twinio.load_mapped(model, weights, to_twin)
    checks = init_checks(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"], weight_decay=0)
    losses, norms = [], []
    for x, y in steps:
        optimizer.zero_grad()
        ce = F.cross_entropy(model(x.to(dtype)), y)
        luma = config["luma"] * sum(((filter_norms(v) - 1) ** 2).sum() for v in model.kernels())
        (ce + luma).backward()
        with torch.no_grad():  # CZMG
            for v in model.zero_mean_kernels():
                v.grad -= config["zmg"] * v.grad.mean(dim=(2, 3), keepdim=True)
        losses.append(ce.item())
        norms.append(twinio.grad_norms(model, to_csharp))
        optimizer.step()
    twinio.write_result(directory, losses, norms, checks)


if __name__ == "__main__":
    main()
