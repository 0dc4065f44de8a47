"""PyTorch twin of FixUp's CIFAR ResNet (Zhang, Dauphin, Ma, ICLR 2019), written from the paper and its official code
(hongyi-zhang/Fixup, cifar/models/fixup_resnet_cifar.py and cifar/cifar_train.py), not from NormFree's C#.

  block: out = relu(conv1(x + b1a) + b1b); out = conv2(out + b2a) * scale + b2b; relu(out + shortcut(x + b1a))
  net:   relu(conv3x3(x) + bias1) -> 3 stages of n blocks (16, 32, 64) -> avgpool -> fc(x + bias2)
  init:  conv1 ~ N(0, 2 / (C_out k k)) * L^(-1/2), conv2 = 0, fc = 0 (weight and bias), biases 0, scales 1
  SGD:   parameters named *bias* and *scale* at lr/10, the others at lr; momentum 0.9; weight decay

config.json keys: steps, lr, momentum, weight_decay, blocks (per stage), in_channels,
  shortcut: "official" (AvgPool2d(1, 2) then zeros appended after the channels, as the official code) or
            "centered" (He et al.'s option A as most CIFAR ResNets write it: zeros padded on both sides),
  scalar_weight_decay: the decay of the lr/10 group (the official code decays every group),
  dtype: "float64" or "float32".

Name map, C# -> twin: stem.conv.weight -> conv1.weight, stem.bias.bias -> bias1, stageK.i.<b>.bias -> layerK.i.<b>
(b in bias1a, bias1b, bias2a, bias2b), stageK.i.scale.scale -> layerK.i.scale, stageK.i.convJ.weight ->
layerK.i.convJ.weight, head.bias.bias -> bias2, head.fc.* -> fc.*.
"""
import math
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

import twinio


def conv3x3(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


class FixupBasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride, shortcut):
        super().__init__()
        self.bias1a = nn.Parameter(torch.zeros(1))
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bias1b = nn.Parameter(torch.zeros(1))
        self.bias2a = nn.Parameter(torch.zeros(1))
        self.conv2 = conv3x3(planes, planes)
        self.scale = nn.Parameter(torch.ones(1))
        self.bias2b = nn.Parameter(torch.zeros(1))
        self.stride, self.inplanes, self.planes, self.shortcut = stride, inplanes, planes, shortcut

    def forward(self, x):
        out = self.conv1(x + self.bias1a)
        out = F.relu(out + self.bias1b)
        out = self.conv2(out + self.bias2a)
        out = out * self.scale + self.bias2b
        identity = x
        if self.stride != 1 or self.inplanes != self.planes:
            sub = F.avg_pool2d(x + self.bias1a, 1, stride=self.stride)
            extra = self.planes - self.inplanes
            if self.shortcut == "official":
                identity = torch.cat((sub, torch.zeros_like(sub)), 1)
            else:
                identity = F.pad(sub, (0, 0, 0, 0, extra // 2, extra - extra // 2))
        return F.relu(out + identity)


class FixupResNet(nn.Module):
    def __init__(self, blocks, in_channels, shortcut, num_classes=10):
        super().__init__()
        self.num_layers = 3 * blocks
        self.conv1 = conv3x3(in_channels, 16)
        self.bias1 = nn.Parameter(torch.zeros(1))
        inplanes = 16
        for k, planes in enumerate([16, 32, 64]):
            layer = []
            for i in range(blocks):
                stride = 2 if (k > 0 and i == 0) else 1
                layer.append(FixupBasicBlock(inplanes, planes, stride, shortcut))
                inplanes = planes
            setattr(self, f"layer{k + 1}", nn.Sequential(*layer))
        self.bias2 = nn.Parameter(torch.zeros(1))
        self.fc = nn.Linear(64, num_classes)
        for m in self.modules():  # the official init (only checked here: the weights come from C#)
            if isinstance(m, FixupBasicBlock):
                nn.init.normal_(m.conv1.weight, mean=0, std=math.sqrt(2 / (m.conv1.weight.shape[0] * 9)) * self.num_layers ** (-0.5))
                nn.init.constant_(m.conv2.weight, 0)
            elif isinstance(m, nn.Linear):
                nn.init.constant_(m.weight, 0)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = F.relu(self.conv1(x) + self.bias1)
        x = self.layer3(self.layer2(self.layer1(x)))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x + self.bias2)


def to_twin(name):
    if name.startswith("stem.conv."):
        return "conv1." + name[len("stem.conv."):]
    if name == "stem.bias.bias":
        return "bias1"
    if name == "head.bias.bias":
        return "bias2"
    if name.startswith("head.fc."):
        return "fc." + name[len("head.fc."):]
    m = re.fullmatch(r"stage(\d+)\.(\d+)\.(.*)", name)
    rest = m.group(3)
    rest = re.sub(r"^(bias1a|bias1b|bias2a|bias2b)\.bias$", r"\1", rest)
    rest = re.sub(r"^scale\.scale$", "scale", rest)
    return f"layer{m.group(1)}.{m.group(2)}.{rest}"


def to_csharp(name):
    if name.startswith("conv1."):
        return "stem.conv." + name[len("conv1."):]
    if name == "bias1":
        return "stem.bias.bias"
    if name == "bias2":
        return "head.bias.bias"
    if name.startswith("fc."):
        return "head.fc." + name[len("fc."):]
    m = re.fullmatch(r"layer(\d+)\.(\d+)\.(.*)", name)
    rest = m.group(3)
    rest = re.sub(r"^(bias1a|bias1b|bias2a|bias2b)$", r"\1.bias", rest)
    rest = re.sub(r"^scale$", "scale.scale", rest)
    return f"stage{m.group(1)}.{m.group(2)}.{rest}"


def init_checks(model):
    """Whether the loaded (C#) weights have the structure of the official init."""
    checks = {"conv2_zero": True, "fc_zero": True, "scalars_official": True, "conv1_std_ratio": []}
    for m in model.modules():
        if isinstance(m, FixupBasicBlock):
            checks["conv2_zero"] &= bool(m.conv2.weight.abs().max() == 0)
            expected = math.sqrt(2 / (m.conv1.weight.shape[0] * 9)) * model.num_layers ** (-0.5)
            checks["conv1_std_ratio"].append(m.conv1.weight.std().item() / expected)
            checks["scalars_official"] &= all(bool(b.item() == 0) for b in (m.bias1a, m.bias1b, m.bias2a, m.bias2b)) and m.scale.item() == 1
    checks["fc_zero"] = bool(model.fc.weight.abs().max() == 0 and model.fc.bias.abs().max() == 0)
    checks["scalars_official"] &= model.bias1.item() == 0 and model.bias2.item() == 0
    return checks


def main():
    directory = twinio.directory_from_argv()
    config, weights, steps = twinio.read_run(directory)
    dtype = getattr(torch, config.get("dtype", "float64"))
    torch.set_num_threads(1)
    model = FixupResNet(config["blocks"], config["in_channels"], config["shortcut"]).to(dtype)
    twinio.load_mapped(model, weights, to_twin)
    checks = init_checks(model)
    lr = config["lr"]
    slow = [p for n, p in model.named_parameters() if "bias" in n or "scale" in n]
    others = [p for n, p in model.named_parameters() if not ("bias" in n or "scale" in n)]
    optimizer = torch.optim.SGD(
        [{"params": slow, "lr": lr / 10, "weight_decay": config["scalar_weight_decay"]}, {"params": others}],
        lr=lr, momentum=config["momentum"], weight_decay=config["weight_decay"])
    losses, norms = [], []
    for x, y in steps:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x.to(dtype)), y)
        loss.backward()
        losses.append(loss.item())
        norms.append(twinio.grad_norms(model, to_csharp))
        optimizer.step()
    twinio.write_result(directory, losses, norms, checks)


if __name__ == "__main__":
    main()
