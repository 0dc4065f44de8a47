"""PyTorch twin of the CIFAR ResNet of He et al. (2016a), §4.2, written from the paper, not from NormFree's C#:

  a 3x3 conv of 16 filters, then 3 stages of n basic blocks with 16/32/64 filters on feature maps of size
  H, H/2, H/4 (subsampling by a stride-2 first conv of the second and third stages), global average pooling and a
  10-way fully connected layer; 6n + 2 weighted layers. Batch normalization right after each convolution, before
  the activation (§3.4), or none (the plain net: the slot is the identity). Shortcuts are identities; where the
  dimensions increase, option A (§3.3): stride-2 subsampling and extra zero channels (split on both sides, the
  common PyTorch CIFAR code's choice). Convs have no bias.
  Training: cross-entropy, SGD with momentum and weight decay on every parameter (BN's gamma and beta included).

config.json keys: steps, lr, momentum, weight_decay, blocks (n per stage), in_channels, bn (bool), dtype.
Reported per step: the loss and the gradient norms before the step; checks: every BN buffer after the last step
(running_mean, running_var as lists, num_batches_tracked).

Names: the twin's modules carry the C# names (stem.conv, stem.norm, stageK.i.conv1/norm1/conv2/norm2, head.fc),
so the name map is the identity.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import twinio


def norm(channels, bn):
    return nn.BatchNorm2d(channels) if bn else nn.Identity()


class Stem(nn.Module):
    def __init__(self, cin, bn):
        super().__init__()
        self.conv = nn.Conv2d(cin, 16, 3, 1, 1, bias=False)
        self.norm = norm(16, bn)

    def forward(self, x):
        return F.relu(self.norm(self.conv(x)))


class Block(nn.Module):
    def __init__(self, cin, cout, stride, bn):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.norm1 = norm(cout, bn)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.norm2 = norm(cout, bn)
        self.cin, self.cout, self.stride = cin, cout, stride

    def forward(self, x):
        out = self.norm2(self.conv2(F.relu(self.norm1(self.conv1(x)))))
        identity = x
        if self.stride != 1 or self.cin != self.cout:  # option A
            extra = self.cout - self.cin
            identity = F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, extra // 2, extra - extra // 2))
        return F.relu(out + identity)


class Head(nn.Module):
    def __init__(self, cin, classes):
        super().__init__()
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


class CifarResNet(nn.Module):
    def __init__(self, blocks, in_channels, bn, num_classes=10):
        super().__init__()
        self.stem = Stem(in_channels, bn)
        cin = 16
        for k, width in enumerate([16, 32, 64]):
            layer = []
            for i in range(blocks):
                layer.append(Block(cin, width, 2 if (k > 0 and i == 0) else 1, bn))
                cin = width
            setattr(self, f"stage{k + 1}", nn.Sequential(*layer))
        self.head = Head(64, num_classes)

    def forward(self, x):
        return self.head(self.stage3(self.stage2(self.stage1(self.stem(x)))))


def main():
    directory = twinio.directory_from_argv()
    config, weights, steps = twinio.read_run(directory)
    dtype = getattr(torch, config.get("dtype", "float32"))
    torch.set_num_threads(1)
    model = CifarResNet(config["blocks"], config["in_channels"], config["bn"]).to(dtype)
    twinio.load_mapped(model, {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in weights.items()}, lambda n: n)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"],
                                weight_decay=config["weight_decay"])
    losses, norms = [], []
    for x, y in steps:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x.to(dtype)), y)
        loss.backward()
        losses.append(loss.item())
        norms.append(twinio.grad_norms(model, lambda n: n))
        optimizer.step()
    buffers = {name: (b.tolist() if b.is_floating_point() else int(b.item())) for name, b in model.named_buffers()}
    twinio.write_result(directory, losses, norms, {"buffers": buffers, "parameters": len(list(model.parameters()))})


if __name__ == "__main__":
    main()
