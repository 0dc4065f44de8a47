"""PyTorch twin of a FarkasNet (Pooladian, Finlay, Oberman 2019), written from shared/papers/01-farkas-layers.md, not
from NormFree's C#:

  Farkas conv, n free units -> n + 1 outputs: y = conv(x, W) (no bias), extra unit agg(-y) over the n units,
    b_bar = max(agg(-b[0:n]), b[n]); relu(cat[y, extra] + cat[b[0:n], b_bar]); 'same' padding k // 2
  residual block c -> c + 1: h = BN(FarkasConv(c -> c, 3x3)); y = conv3x3(h) (plain, no bias); s = x + y;
    relu(cat[s, agg(-s)] + cat[bias[0:c], max(agg(-bias[0:c]), bias[c])]), then BN
  net: stem FarkasConv(in -> 16, 3x3) + BN; per stage, when the width changes, FarkasConv 1x1 + BN + AvgPool2d(2);
    blocks; global average pool; Linear. BN without affine, after every ReLU.
  SGD with momentum and weight decay; BN in training mode (batch statistics, running statistics updated).

config.json keys: steps, lr, momentum, weight_decay, aggregation ("sum" or "mean"), blocks (per stage),
  in_channels, dtype.
Name map, C# -> twin: the identity (the modules are named as the C# state dict names them).
"""
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

import twinio


def agg(t, dim, how):
    return t.sum(dim) if how == "sum" else t.mean(dim)


def farkas_preactivation(y, b, how):
    """cat[y, agg(-y)] + cat[b[:n], max(agg(-b[:n]), b[n])], units along dim 1."""
    n = y.shape[1]
    extra = agg(-y, 1, how).unsqueeze(1)
    b_bar = torch.maximum(agg(-b[:n], 0, how), b[n]).reshape(1)
    shape = (1, n + 1) + (1,) * (y.dim() - 2)
    return torch.cat([y, extra], 1) + torch.cat([b[:n], b_bar]).view(shape)


class FarkasConv(nn.Module):
    def __init__(self, cin, cout, k, how):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(cout - 1, cin, k, k))
        self.bias = nn.Parameter(torch.empty(cout))
        self.k, self.how = k, how

    def forward(self, x):
        return F.relu(farkas_preactivation(F.conv2d(x, self.weight, None, 1, self.k // 2), self.bias, self.how))


def bn(c):
    return nn.BatchNorm2d(c, affine=False)


class FarkasBlock(nn.Module):
    def __init__(self, c, how):
        super().__init__()
        self.branch = nn.Sequential(OrderedDict(
            farkas1=FarkasConv(c, c, 3, how), norm1=bn(c), conv2=nn.Conv2d(c, c, 3, padding=1, bias=False)))
        self.bias = nn.Parameter(torch.empty(c + 1))
        self.norm = bn(c + 1)
        self.how = how

    def forward(self, x):
        s = x + self.branch(x)
        return self.norm(F.relu(farkas_preactivation(s, self.bias, self.how)))


def farkas_net(blocks, in_channels, how, base=16, classes=10):
    stages = OrderedDict(stem=nn.Sequential(OrderedDict(farkas=FarkasConv(in_channels, base, 3, how), norm=bn(base))))
    channels = base
    for k, n in enumerate(blocks):
        width = base << k
        layers = OrderedDict()
        if channels != width:
            layers["transition"] = nn.Sequential(OrderedDict(
                farkas=FarkasConv(channels, width, 1, how), norm=bn(width), pool=nn.AvgPool2d(2)))
            channels = width
        for i in range(n):
            layers[str(i)] = FarkasBlock(channels, how)
            channels += 1
        stages[f"stage{k + 1}"] = nn.Sequential(layers)
    stages["head"] = nn.Sequential(OrderedDict(pool=nn.AdaptiveAvgPool2d(1), flatten=nn.Flatten(), fc=nn.Linear(channels, classes)))
    return nn.Sequential(stages)


def main():
    directory = twinio.directory_from_argv()
    config, weights, steps = twinio.read_run(directory)
    dtype = getattr(torch, config.get("dtype", "float64"))
    torch.set_num_threads(1)
    model = farkas_net(config["blocks"], config["in_channels"], config["aggregation"]).to(dtype)
    twinio.load_mapped(model, weights, lambda name: name)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"], weight_decay=config["weight_decay"])
    losses, norms = [], []
    for x, y in steps:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x.to(dtype)), y)
        loss.backward()
        losses.append(loss.item())
        norms.append(twinio.grad_norms(model, lambda name: name))
        optimizer.step()
    # The running statistics after the steps, as a check of the BN buffers' updates.
    running = {name: buf.norm().item() for name, buf in model.named_buffers() if name.endswith("running_var")}
    twinio.write_result(directory, losses, norms, {"running_var_norms": running})


if __name__ == "__main__":
    main()
