"""PyTorch side of `npm run bench:peer`: the app's resnet-mini, trained and evaluated on the CPU.

Mirrors src/engine/models/resnet-mini.ts layer for layer: 3x3 stem conv (16, no bias) -> BN -> ReLU;
three stages of one torchvision-style BasicBlock (16, 32, 64 channels; stride 1, 2, 2; 1x1 conv + BN
shortcut where the shape changes); global average pooling; Linear(64, classes). Convolutions pad
exactly like TensorFlow's 'same' (asymmetric on stride 2: the extra zero goes bottom/right), BN has
eps 1e-5 and momentum 0.1, the loss is softmax cross-entropy and the optimiser SGD with momentum 0.9.

With --arch resnet18|resnet50 it measures evaluation only, of torchvision's model of that name
(the lab's resnet18/resnet50 are the same networks), for the ONNX Runtime comparison.

Prints one JSON object: {"engine": "pytorch", "backend": "cpu", "arch", "threads", "k", "batch",
"train_img_s", "eval_img_s", "train_cpu_img_s", "eval_cpu_img_s", "peak_rss_mb", "version"}.
"""
import argparse
import json
import math
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SameConv(nn.Conv2d):
    """Conv2d with TensorFlow 'same' padding (no bias), symmetric pads folded into the conv."""

    def __init__(self, cin, cout, kernel, stride):
        super().__init__(cin, cout, kernel, stride=stride, padding=0, bias=False)
        self.kernel, self.step = kernel, stride

    def forward(self, x):
        pads = []
        for size in (x.shape[3], x.shape[2]):  # F.pad order: width first
            out = math.ceil(size / self.step)
            total = max((out - 1) * self.step + self.kernel - size, 0)
            pads += [total // 2, total - total // 2]
        if pads[0] == pads[1] == pads[2] == pads[3]:
            return F.conv2d(x, self.weight, None, self.step, pads[0])
        return F.conv2d(F.pad(x, pads), self.weight, None, self.step, 0)


def conv_bn(cin, cout, kernel, stride):
    return nn.Sequential(SameConv(cin, cout, kernel, stride), nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = conv_bn(cin, cout, 3, stride)
        self.conv2 = conv_bn(cout, cout, 3, 1)
        self.down = conv_bn(cin, cout, 1, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        y = self.conv2(F.relu(self.conv1(x)))
        return F.relu(y + (self.down(x) if self.down is not None else x))


class ResnetMini(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = conv_bn(3, 16, 3, 1)
        self.stages = nn.Sequential(BasicBlock(16, 16, 1), BasicBlock(16, 32, 2), BasicBlock(32, 64, 2))
        self.classifier = nn.Linear(64, classes)

    def forward(self, x):
        x = self.stages(F.relu(self.stem(x)))
        return self.classifier(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def measure(fn, warmup, windows, per_window):
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(windows):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(per_window):
            fn()
        wall.append((time.perf_counter() - w0) / per_window)
        cpu.append((time.process_time() - c0) / per_window)
    return statistics.median(wall), statistics.median(cpu)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--k", type=int, default=32)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--per-window", type=int, default=4)
    p.add_argument("--arch", default="resnet-mini", choices=["resnet-mini", "resnet18", "resnet50"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    x = torch.randn(a.batch, 3, a.k, a.k)
    if a.arch != "resnet-mini":
        return eval_only(a, x)
    model = ResnetMini()
    labels = torch.randint(0, 10, (a.batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def train_step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), labels)
        loss.backward()
        opt.step()
        loss.item()

    def eval_step():
        with torch.inference_mode():
            model(x).sum().item()

    model.train()
    train_wall, train_cpu = measure(train_step, a.warmup, a.windows, a.per_window)
    model.eval()
    eval_wall, eval_cpu = measure(eval_step, a.warmup, a.windows, a.per_window * 4)
    print(json.dumps({
        "engine": "pytorch", "backend": "cpu", "arch": a.arch, "threads": a.threads, "k": a.k, "batch": a.batch,
        "train_img_s": a.batch / train_wall, "eval_img_s": a.batch / eval_wall,
        "train_cpu_img_s": a.batch / train_cpu, "eval_cpu_img_s": a.batch / eval_cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "version": torch.__version__,
    }))


def eval_only(a, x):
    import torchvision

    model = getattr(torchvision.models, a.arch)(num_classes=10).eval()

    def eval_step():
        with torch.inference_mode():
            model(x).sum().item()

    wall, cpu = measure(eval_step, a.warmup, a.windows, a.per_window)
    print(json.dumps({
        "engine": "pytorch", "backend": "cpu", "arch": a.arch, "threads": a.threads, "k": a.k, "batch": a.batch,
        "train_img_s": 0, "eval_img_s": a.batch / wall, "train_cpu_img_s": 0, "eval_cpu_img_s": a.batch / cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "version": torch.__version__,
    }))


if __name__ == "__main__":
    sys.exit(main())
