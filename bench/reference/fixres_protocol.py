"""The lab's train-small / test-large protocol in PyTorch: the reference docs/RESULTS.md compares with.

Run with Debian's python3-torch / python3-torchvision (one thread, like the lab's engine here):
    nice /usr/bin/python3 bench/reference/fixres_protocol.py --data DIR --selection split.json \
        --k-train 24 --width 0.5 --epochs 20 --lr 0.05 --warmup 2 --seed 0 --k-tests 16,20,...,48 --out out.json

Same data (DIR/train/<class>, DIR/val/<class>: the lab's ImageFolder split), same crops
(torchvision RandomResizedCrop(K, scale, ratio) + horizontal flip for training; Resize(floor(K /
crop_pct)) + CenterCrop(K) for testing; PIL bilinear with antialiasing; ImageNet mean/std), same
model shape (resnet-mini: 3×3 stem, one basic block per stage at 16/32/64 × width, stride 2 in
stages 2 and 3, global pooling, linear classifier; convolutions padded like TensorFlow 'same' as
the lab's builder does, or symmetrically with --padding symmetric), same training (SGD momentum
0.9, weight decay 5e-4 on conv and linear weights only, linear warm-up from 0.1× then cosine to 0
per step, batch 32, last short batch dropped) and the same fine-tune recipe (src/core/finetune-recipe.ts:
only the classifier has gradients, model.eval() with the BN before pooling in train(), SGD
momentum 0.9 and weight decay 1e-4 on every trained parameter, lr 8·1e-3·batch/512, ×0.1 after
30/56 of the epochs, epochs for ~600 steps, the test transform at K_test on shuffled training
images). K_test is picked on the selection half of the validation images (`--selection`, written
by bench/selection-split.ts with the lab's own split) and the fine-tune is tried at up to three
K_test from the untuned best to 1.4× it, as the lab's workflow does.

Writes per-image correctness for every measured setting; bench/results-compare.ts turns it into
top-1 with Wilson intervals on the held-out half and McNemar tests, with the lab's own code.
"""
import argparse
import json
import math
import random
import resource
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

IMAGENET = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])


def args_():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--selection", required=True, help="JSON {relPath: 1 selection | 0 held out} of the validation images")
    p.add_argument("--out", required=True)
    p.add_argument("--k-train", type=int, required=True)
    p.add_argument("--k-tests", required=True)
    p.add_argument("--width", type=float, default=0.5)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--warmup", type=float, default=2)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--crop-pct", type=float, default=0.875)
    p.add_argument("--scale", default="0.08,1")
    p.add_argument("--ratio", default="0.75,1.3333333333333333")
    p.add_argument("--candidates", type=int, default=3)
    p.add_argument("--k-large", type=int, default=0, help="also train at this K and fine-tune the small model there (payoff)")
    p.add_argument("--padding", choices=["tf-same", "symmetric"], default="tf-same")
    p.add_argument("--threads", type=int, default=1)
    return p.parse_args()


class Conv(nn.Conv2d):
    """Conv2d without bias, padded like TensorFlow 'same' (the extra zero bottom/right) or symmetrically."""

    def __init__(self, cin, cout, kernel, stride, padding):
        super().__init__(cin, cout, kernel, stride=stride, padding=0, bias=False)
        self.kernel, self.step, self.mode = kernel, stride, padding

    def forward(self, x):
        if self.mode == "symmetric":
            return F.conv2d(x, self.weight, None, self.step, self.kernel // 2)
        pads = []
        for size in (x.shape[3], x.shape[2]):
            out = math.ceil(size / self.step)
            total = max((out - 1) * self.step + self.kernel - size, 0)
            pads += [total // 2, total - total // 2]
        return F.conv2d(F.pad(x, pads), self.weight, None, self.step, 0)


def conv_bn(cin, cout, kernel, stride, padding):
    return nn.Sequential(Conv(cin, cout, kernel, stride, padding), nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, padding):
        super().__init__()
        self.conv1 = conv_bn(cin, cout, 3, stride, padding)
        self.conv2 = conv_bn(cout, cout, 3, 1, padding)
        self.down = conv_bn(cin, cout, 1, stride, padding) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.conv2(F.relu(self.conv1(x)))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class ResnetMini(nn.Module):
    def __init__(self, classes, width, padding):
        super().__init__()
        c = [max(1, round(n * width)) for n in (16, 32, 64)]
        self.stem = conv_bn(3, c[0], 3, 1, padding)
        self.stages = nn.Sequential(
            BasicBlock(c[0], c[0], 1, padding), BasicBlock(c[0], c[1], 2, padding), BasicBlock(c[1], c[2], 2, padding)
        )
        self.classifier = nn.Linear(c[2], classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        nn.init.zeros_(self.classifier.bias)

    def last_bn(self):
        """The BN right before pooling: the last block's main-branch BN (the lab's s3b1_bn2)."""
        return self.stages[2].conv2[1]

    def forward(self, x):
        x = self.stages(F.relu(self.stem(x)))
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def test_transform(k, crop_pct):
    return transforms.Compose(
        [transforms.Resize(math.floor(k / crop_pct)), transforms.CenterCrop(k), transforms.ToTensor(), transforms.Normalize(*IMAGENET)]
    )


def train_transform(k, scale, ratio):
    return transforms.Compose(
        [
            transforms.RandomResizedCrop(k, scale=scale, ratio=ratio),
            transforms.RandomHorizontalFlip(),
            transforms.ToTensor(),
            transforms.Normalize(*IMAGENET),
        ]
    )


def lr_at(step, total, warmup_steps, base):
    """The lab's schedule (src/core/schedules.ts): linear warm-up from 0.1× base, then cosine to 0."""
    if step < warmup_steps:
        return base * (0.1 + 0.9 * step / warmup_steps)
    progress = min(1.0, (step - warmup_steps) / max(1, total - warmup_steps))
    return base * 0.5 * (1 + math.cos(math.pi * progress))


def loader(dataset, batch, shuffle, seed, drop_last):
    g = torch.Generator()
    g.manual_seed(seed)
    return DataLoader(dataset, batch_size=batch, shuffle=shuffle, generator=g, drop_last=drop_last, num_workers=0)


def train(model, data_dir, a, k, log):
    ds = datasets.ImageFolder(Path(data_dir) / "train", transform=train_transform(k, a.scale, a.ratio))
    decay = [p for p in model.parameters() if p.ndim > 1]
    rest = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": a.weight_decay}, {"params": rest, "weight_decay": 0}], lr=a.lr, momentum=0.9)
    steps_per_epoch = len(ds) // a.batch
    total, warmup = steps_per_epoch * a.epochs, round(a.warmup * steps_per_epoch)
    step, images, t0 = 0, 0, time.perf_counter()
    for epoch in range(a.epochs):
        model.train()
        for x, y in loader(ds, a.batch, True, a.seed * 1000 + epoch, True):
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, warmup, a.lr)
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            images += len(y)
        log(f"train K{k} epoch {epoch + 1}/{a.epochs} loss {loss.item():.3f}")
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "imgPerSec": images / seconds}


def evaluate(model, data_dir, k, crop_pct):
    """Per validation image (ImageFolder order, with its path relative to the dataset): right or wrong at K_test."""
    ds = datasets.ImageFolder(Path(data_dir) / "val", transform=test_transform(k, crop_pct))
    model.eval()
    correct = []
    with torch.no_grad():
        for x, y in loader(ds, 256, False, 0, False):
            correct += (model(x).argmax(1) == y).int().tolist()
    paths = [str(Path(p).relative_to(data_dir)) for p, _ in ds.samples]
    return paths, correct


def finetune(model, data_dir, a, k, log):
    """The official recipe (src/core/finetune-recipe.ts), the test transform at k on shuffled training images."""
    ds = datasets.ImageFolder(Path(data_dir) / "train", transform=test_transform(k, a.crop_pct))
    for p in model.parameters():
        p.requires_grad = False
    for p in model.classifier.parameters():
        p.requires_grad = True
    steps_per_epoch = max(1, len(ds) // a.batch)
    epochs = min(30, max(2, math.ceil(600 / steps_per_epoch)))
    milestone = min(epochs - 1, max(1, round(epochs * 30 / 56)))
    lr = 8 * 1e-3 * a.batch / 512
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[milestone], gamma=0.1)
    t0 = time.perf_counter()
    for epoch in range(epochs):
        model.eval()
        model.last_bn().train()
        for x, y in loader(ds, a.batch, True, a.seed * 1000 + 500 + epoch, True):
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        log(f"fine-tune K{k} epoch {epoch + 1}/{epochs} loss {loss.item():.3f}")
    return {"seconds": time.perf_counter() - t0, "epochs": epochs, "lr": lr, "milestone": milestone}


def candidates(k_tests, best, count, max_ratio=1.4):
    """src/core/finetune-candidates.ts: grid sizes in [best, 1.4·best], thinned evenly to `count`."""
    grid = [k for k in sorted({*k_tests, best}) if best <= k <= max_ratio * best]
    if len(grid) <= count:
        return grid
    return sorted({grid[round(i * (len(grid) - 1) / max(1, count - 1))] for i in range(count)})


def pick(points, selection):
    """The K_test with the best top-1 on the selection half (ties: the smaller)."""
    def score(p):
        sel = [c for c, s in zip(p["correct"], p["selectionMask"]) if s == 1]
        return sum(sel) / max(1, len(sel))

    return max(points, key=lambda p: (score(p), -p["kTest"]))


def main():
    a = args_()
    a.scale = tuple(float(v) for v in a.scale.split(","))
    a.ratio = tuple(float(v) for v in a.ratio.split(","))
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    np.random.seed(a.seed)
    selection = json.loads(Path(a.selection).read_text())
    k_tests = [int(k) for k in a.k_tests.split(",")]
    classes = len(datasets.ImageFolder(Path(a.data) / "train").classes)
    start = time.perf_counter()
    log = lambda m: print(f"[{time.perf_counter() - start:7.0f} s] {m}", flush=True)

    def measured(model, k, series):
        paths, correct = evaluate(model, a.data, k, a.crop_pct)
        return {"kTest": k, "series": series, "paths": paths, "correct": correct, "selectionMask": [selection[p] for p in paths]}

    model = ResnetMini(classes, a.width, a.padding)
    trained = train(model, a.data, a, a.k_train, log)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    untuned = [measured(model, k, "baseline") for k in k_tests]
    best = pick(untuned, selection)["kTest"]
    tried = []
    for k in candidates(k_tests, best, a.candidates):
        model.load_state_dict(state)
        info = finetune(model, a.data, a, k, log)
        tried.append({**measured(model, k, "finetuned"), **info})
    out = {
        "engine": f"pytorch {torch.__version__}",
        "args": {k: v for k, v in vars(a).items()},
        "train": trained,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "points": untuned + tried,
    }
    if a.k_large:
        large = ResnetMini(classes, a.width, a.padding)
        torch.manual_seed(a.seed)
        out["large"] = {"kTrain": a.k_large, "train": train(large, a.data, a, a.k_large, log)}
        out["large"]["points"] = [measured(large, k, "large") for k in sorted({*k_tests, a.k_large})]
        model.load_state_dict(state)
        info = finetune(model, a.data, a, a.k_large, log)
        out["large"]["smallFinetuned"] = {**measured(model, a.k_large, "finetuned-at-large"), **info}
    Path(a.out).write_text(json.dumps(out))
    log(f"wrote {a.out}")


main()
