"""PyTorch twins of bench/NormFree.Bench/Cases.Training.cs (registered as cases by reference.py)."""
import gzip

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


class ZeroPad(nn.Module):
    """Option A shortcut (He et al. 2016a, §4.2): subsample by the stride, zero channels split before and after."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.front, self.back, self.stride = (cout - cin) // 2, cout - cin - (cout - cin) // 2, stride

    def forward(self, x):
        return F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, self.front, self.back))


class BasicBlock(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.norm1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(planes)
        self.shortcut = ZeroPad(cin, planes, stride) if stride != 1 or cin != planes else nn.Identity()

    def forward(self, x):
        y = F.relu(self.norm1(self.conv1(x)))
        return F.relu(self.shortcut(x) + self.norm2(self.conv2(y)))


def resnet20(in_channels=1, classes=10):
    """NormFree's ResNet.Build(ResNetConfig.ResNet20 with { InChannels = 1 }): 269,434 parameters."""
    layers, c = [nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()], 16
    for k, width in enumerate([16, 32, 64]):
        for b in range(3):
            layers.append(BasicBlock(c, width, 2 if k > 0 and b == 0 else 1))
            c = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return nn.Sequential(*layers)


def resnet20_step():
    torch.manual_seed(0)
    model = resnet20()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(128, 1, 28, 28)  # (B, C, H, W)
    y = torch.randint(0, 10, (128,))

    def step():
        opt.zero_grad(set_to_none=True)  # as NormFree's Trainer (model.zero_grad()); torch 1.13 defaults to zeroing
        F.cross_entropy(model(x), y).backward()
        opt.step()

    return step


def load_idx(kind):
    """(N, 1, 28, 28) uint8 images and (N) int64 labels of a Fashion-MNIST split."""
    with gzip.open(f"{FASHION_MNIST}/{kind}-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(f"{FASHION_MNIST}/{kind}-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.from_numpy(images.copy()), torch.from_numpy(labels.astype(np.int64))


def random_crop(x, g, p):
    """NormFree.Data.RandomCrop: pad, then one gather of an H×W window at a random offset per image, over each
    flattened padded image (4× faster here than advanced indexing with four index tensors, and the same result)."""
    B, C, H, W = x.shape
    Wp = W + 2 * p
    planes = F.pad(x, (p, p, p, p)).view(B, C, (H + 2 * p) * Wp)  # (B, C, H'·W')
    dy = torch.randint(0, 2 * p + 1, (B,), generator=g)
    dx = torch.randint(0, 2 * p + 1, (B,), generator=g)
    corner = (dy * Wp + dx).view(B, 1, 1)
    window = (torch.arange(H).view(H, 1) * Wp + torch.arange(W).view(1, W)).view(1, 1, H * W)
    return planes.gather(2, (corner + window).expand(B, C, H * W)).view(B, C, H, W)


def random_flip(x, g):
    """NormFree.Data.RandomHorizontalFlip: one gather along the width with a per-image column order."""
    B, C, H, W = x.shape
    flip = (torch.rand(B, generator=g) < 0.5).view(B, 1, 1, 1)
    forward = torch.arange(W).view(1, 1, 1, W)
    return x.gather(3, torch.where(flip, forward.flip(3), forward).expand(B, C, H, W))


def epoch_fmnist():
    """Trainer.fit for one epoch, step for step: shuffled batches of 128 (last one short), uint8 → float / 255, crop
    (pad 4) and flip from a generator per batch, SGD step, the loss and hits read back every step; then evaluation
    in batches of 1000."""
    train_x, train_y = load_idx("train")
    test_x, test_y = load_idx("t10k")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    n, batch = len(train_y), 128

    def step():
        model.train()
        order = torch.randperm(n, generator=torch.Generator().manual_seed(0))
        losses, hits = [], 0
        for b in range((n + batch - 1) // batch):
            index = order[b * batch:(b + 1) * batch]
            x = train_x.index_select(0, index).float().div_(255)
            y = train_y.index_select(0, index)
            g = torch.Generator().manual_seed(b)
            x = random_flip(random_crop(x, g, 4), g)
            opt.zero_grad(set_to_none=True)
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
            hits += (logits.argmax(1) == y).sum().item()
        model.eval()
        with torch.no_grad():
            for start in range(0, len(test_y), 1000):
                logits = model(test_x[start:start + 1000].float().div_(255))
                y = test_y[start:start + 1000]
                F.cross_entropy(logits, y).item()
                (logits.argmax(1) == y).sum().item()

    return step
