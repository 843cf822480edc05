/**
 * The exported recipe's train.py, kept here as text so the lab (and its bundled Electron build)
 * writes it without reading files at run time. Plain PyTorch + torchvision; its settings come from
 * the recipe.json written next to it (recipe-config.ts). test/lab/recipes runs it under
 * torch.distributed.run.
 */
export const TORCHRUN_TRAIN_PY = String.raw`"""FixRes Lab training recipe: plain PyTorch + torchvision, one process or DistributedDataParallel.

  python3 train.py --data IMAGEFOLDER --out OUT [--epochs N] [--workers 4]
  torchrun --standalone --nproc_per_node N train.py --data IMAGEFOLDER --out OUT
  torchrun --nnodes M --nproc_per_node N --rdzv_backend c10d --rdzv_endpoint HOST:29500 train.py ...
  (add --max_restarts 1 to restart the workers from the last checkpoint when one of them dies)

The settings come from recipe.json next to this file (--recipe to use another). IMAGEFOLDER is
root/<class>/*.jpg, or root/train/<class>/... with an optional root/val/<class>/... for validation.
"batch_size" in the recipe is the global batch: each of the world's processes takes
batch_size / world_size, so the learning rate and schedule stay those of the lab's run (BatchNorm
statistics are per process, over its share). Every epoch ends with OUT/checkpoint.pt (written to a
temporary file, then renamed); a rerun, or torchrun's elastic restart, resumes after it. At the end
OUT/model.safetensors (torchvision key names) and OUT/config.json (timm's layout) are written for
"fixres model import OUT/model.safetensors". gloo on CPU, nccl on GPUs.
"""
import argparse
import json
import math
import os
import signal
import struct
import time
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
import torchvision
from torchvision import datasets, transforms
from torchvision.models.resnet import BasicBlock, Bottleneck

TORCHVISION_ARCHS = ("resnet18", "resnet34", "resnet50", "resnet101", "resnet152")
INTERPOLATION = {
    "bilinear": transforms.InterpolationMode.BILINEAR,
    "bicubic": transforms.InterpolationMode.BICUBIC,
    "nearest": transforms.InterpolationMode.NEAREST,
}


def scaled(channels, width):
    """The lab's c(n) = max(1, round(n * width)), rounding halves up as JavaScript does."""
    return max(1, int(math.floor(channels * width + 0.5)))


class ResnetMini(nn.Module):
    """The lab's resnet-mini: 3x3 stem conv + BN, three stages of BasicBlocks (16, 32, 64 x width;
    strides 1, 2, 2), global average pooling, fc. Module names are torchvision's, so its state
    dict imports back into the lab."""

    def __init__(self, blocks, num_classes, width):
        super().__init__()
        stem = scaled(16, width)
        self.conv1 = nn.Conv2d(3, stem, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(stem)
        self.relu = nn.ReLU(inplace=True)
        inplanes = stem
        for stage, (base, count) in enumerate(zip((16, 32, 64), blocks)):
            planes = scaled(base, width)
            layers = []
            for b in range(count):
                stride = 2 if stage > 0 and b == 0 else 1
                downsample = None
                if stride != 1 or inplanes != planes:
                    downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
                layers.append(BasicBlock(inplanes, planes, stride, downsample))
                inplanes = planes
            setattr(self, "layer%d" % (stage + 1), nn.Sequential(*layers))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(inplanes, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def build_model(recipe):
    arch, classes = recipe["arch"], len(recipe["classes"])
    if arch == "resnet-mini":
        return ResnetMini(recipe.get("blocks") or [1, 1, 1], classes, recipe.get("width", 1))
    if arch in TORCHVISION_ARCHS:
        return getattr(torchvision.models, arch)(num_classes=classes)
    raise SystemExit("recipe.json names an unknown architecture %r" % arch)


def train_transform(r):
    k, interpolation = r["k_train"], INTERPOLATION[r["interpolation"]]
    if r["augment"] == "rrc":
        steps = [transforms.RandomResizedCrop(k, scale=tuple(r["scale"]), ratio=tuple(r["ratio"]), interpolation=interpolation)]
    else:  # da1: the test transform at K_train
        steps = [transforms.Resize(int(k / r["crop_pct"]), interpolation=interpolation), transforms.CenterCrop(k)]
    if r["hflip"]:
        steps.append(transforms.RandomHorizontalFlip())
    if r["jitter"] > 0:
        steps.append(transforms.ColorJitter(r["jitter"], r["jitter"], r["jitter"]))
    return transforms.Compose(steps + [transforms.ToTensor(), transforms.Normalize(r["mean"], r["std"])])


def test_transform(r):
    k = r["k_test"]
    return transforms.Compose([
        transforms.Resize(int(k / r["crop_pct"]), interpolation=INTERPOLATION[r["interpolation"]]),
        transforms.CenterCrop(k),
        transforms.ToTensor(),
        transforms.Normalize(r["mean"], r["std"]),
    ])


def learning_rate_at(s, step, steps_per_epoch, epochs):
    """The lab's schedule (src/core/schedules.ts) as a pure function of the optimiser step."""
    total = max(1, steps_per_epoch * epochs)
    warmup = min(total, int(math.floor(s["warmup_epochs"] * steps_per_epoch + 0.5)))
    base = s["base_lr"]
    if step < warmup:
        start = s["warmup_start_factor"]
        return base * (start + (1 - start) * step / warmup)
    progress = min(1.0, (step - warmup) / (total - warmup)) if total > warmup else 1.0
    if s["kind"] == "constant":
        return base
    if s["kind"] == "step":
        epoch = step // steps_per_epoch
        return base * s["gamma"] ** sum(1 for m in s["milestones"] if epoch >= m)
    if s["kind"] == "cosine":
        return s["min_lr"] + (base - s["min_lr"]) * 0.5 * (1 + math.cos(math.pi * progress))
    return base + (s["min_lr"] - base) * progress


def main_branch_batchnorms(model):
    """BatchNorms outside the shortcuts, in order: the last is the one right before pooling."""
    return [m for name, m in model.named_modules() if isinstance(m, nn.BatchNorm2d) and "downsample" not in name]


def select_trainable(model, mode):
    """Which parameters get gradients. last-bn+classifier is the official FixRes fine-tune: only fc
    trains; the last BN re-estimates its running statistics in train mode (set_modes)."""
    for name, p in model.named_parameters():
        if mode == "full":
            p.requires_grad = True
        elif mode == "bn+classifier":
            p.requires_grad = name.startswith("fc.") or isinstance(module_of(model, name), nn.BatchNorm2d)
        else:
            p.requires_grad = name.startswith("fc.")


def module_of(model, param_name):
    return model.get_submodule(param_name.rsplit(".", 1)[0])


def set_modes(model, mode):
    if mode == "full":
        model.train()
        return
    model.eval()
    if mode == "bn+classifier":
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.train()
    elif mode == "last-bn+classifier":
        main_branch_batchnorms(model)[-1].train()


def sgd(model, o):
    """SGD as the lab's: weight decay on conv and linear weights (ndim > 1), not on BN or biases."""
    trained = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for _, p in trained if p.ndim > 1], "weight_decay": o["weight_decay"]},
        {"params": [p for _, p in trained if p.ndim <= 1], "weight_decay": 0.0},
    ]
    groups = [g for g in groups if g["params"]]
    return torch.optim.SGD(groups, lr=o["lr"], momentum=o["momentum"], nesterov=o["nesterov"])


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.int64: "I64", torch.int32: "I32"}
DTYPES_OF = {v: k for k, v in SAFETENSORS_DTYPES.items()}


def save_safetensors(state, path, metadata):
    """The safetensors format without its package: u64 header length, JSON header, raw little-endian data."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for key, tensor in state.items():
        data = tensor.detach().cpu().contiguous().numpy().tobytes()
        header[key] = {"dtype": SAFETENSORS_DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    atomic_write(path, lambda f: (f.write(struct.pack("<Q", len(text))), f.write(text), [f.write(b) for b in blobs]))


def load_safetensors(path):
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    state = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(data[8 + length + begin:8 + length + end])
        state[key] = torch.frombuffer(raw, dtype=DTYPES_OF[info["dtype"]]).reshape(info["shape"]).clone()
    return state


def load_weights(model, state, source):
    """Strict but for num_batches_tracked, which the lab's safetensors leave out (PyTorch counts afresh)."""
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit("%s does not fit %s: missing %s, unexpected %s" % (source, type(model).__name__, missing[:5], unexpected[:5]))


def atomic_write(path, write):
    path = Path(path)
    temporary = path.with_name(".%s.%d.tmp" % (path.name, os.getpid()))
    with open(temporary, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def image_folders(root):
    root = Path(root)
    if (root / "train").is_dir():
        return root / "train", (root / "val" if (root / "val").is_dir() else None)
    return root, None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="ImageFolder root (or root/train + root/val)")
    parser.add_argument("--out", required=True, help="folder for checkpoint.pt, model.safetensors, config.json, log.jsonl")
    parser.add_argument("--recipe", default=str(Path(__file__).with_name("recipe.json")))
    parser.add_argument("--epochs", type=int, help="override the recipe's epochs")
    parser.add_argument("--init", help="start from these weights (safetensors; a fine-tune's default: init.safetensors next to the recipe)")
    parser.add_argument("--workers", type=int, default=2, help="DataLoader workers per process")
    parser.add_argument("--kill-after-epoch", type=int, help=argparse.SUPPRESS)  # tests: SIGKILL rank 1 once, after this epoch's checkpoint
    args = parser.parse_args()
    recipe = json.loads(Path(args.recipe).read_text())
    epochs = args.epochs or recipe["epochs"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    distributed = "WORLD_SIZE" in os.environ
    if distributed:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    rank, world = (dist.get_rank(), dist.get_world_size()) if distributed else (0, 1)
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device("cuda", local_rank) if torch.cuda.is_available() else torch.device("cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    if recipe["batch_size"] % world:
        raise SystemExit("the global batch %d does not split over %d processes" % (recipe["batch_size"], world))
    per_process = recipe["batch_size"] // world

    train_dir, val_dir = image_folders(args.data)
    train_set = datasets.ImageFolder(str(train_dir), train_transform(recipe))
    if train_set.classes != recipe["classes"]:
        raise SystemExit("%s has classes %s, the recipe %s" % (train_dir, train_set.classes, recipe["classes"]))
    val_set = datasets.ImageFolder(str(val_dir), test_transform(recipe)) if val_dir else None

    torch.manual_seed(recipe["seed"])
    model = build_model(recipe)
    init = args.init or (recipe.get("init") and str(Path(args.recipe).with_name(recipe["init"])))
    if init:
        load_weights(model, load_safetensors(init), init)
    mode = recipe["trainable"]
    select_trainable(model, mode)
    model.to(device)
    optimizer = sgd(model, recipe["optimizer"])
    start_epoch, checkpoint_file = 0, out / "checkpoint.pt"
    if checkpoint_file.exists():
        saved = torch.load(checkpoint_file, map_location="cpu")
        if saved["recipe"] != recipe:
            raise SystemExit("%s is the checkpoint of another recipe (run %s): choose another --out" % (checkpoint_file, saved["recipe"].get("run_id")))
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        start_epoch = saved["epoch"] + 1
        if rank == 0:
            print(json.dumps({"resumed_after_epoch": saved["epoch"]}), flush=True)
    net = nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if device.type == "cuda" else None) if distributed else model

    sampler = torch.utils.data.distributed.DistributedSampler(train_set, world, rank, shuffle=True, seed=recipe["seed"], drop_last=True)
    loader = torch.utils.data.DataLoader(train_set, per_process, sampler=sampler, num_workers=args.workers, drop_last=True)
    if len(loader) == 0:
        raise SystemExit("%d training images make no batch of %d per process: lower batch_size" % (len(train_set), per_process))
    loss_fn = nn.CrossEntropyLoss(label_smoothing=recipe["optimizer"]["label_smoothing"])
    for epoch in range(start_epoch, epochs):
        # Augmentation is a function of (seed, epoch, rank): a resumed run sees the crops an uninterrupted one would.
        torch.manual_seed(recipe["seed"] * 1000003 + epoch * 1009 + rank)
        sampler.set_epoch(epoch)
        set_modes(net.module if distributed else net, mode)
        started, totals = time.time(), torch.zeros(3, dtype=torch.float64)
        for batch, (images, labels) in enumerate(loader):
            lr = learning_rate_at(recipe["schedule"], epoch * len(loader) + batch, len(loader), epochs)
            for group in optimizer.param_groups:
                group["lr"] = lr
            images, labels = images.to(device), labels.to(device)
            logits = net(images)
            loss = loss_fn(logits, labels)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            totals += torch.tensor([loss.item() * len(labels), (logits.argmax(1) == labels).sum().item(), len(labels)], dtype=torch.float64)
        if distributed:
            totals = all_reduced(totals, device)
        row = {"epoch": epoch + 1, "loss": totals[0].item() / totals[2].item(), "acc": totals[1].item() / totals[2].item(), "lr": lr,
               "seconds": round(time.time() - started, 3), "world_size": world}
        if val_set is not None:
            row["val_acc"] = evaluate(net, val_set, per_process, rank, world, device, distributed)
        if rank == 0:
            state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch, "recipe": recipe}
            atomic_write(checkpoint_file, lambda f: torch.save(state, f))
            with open(out / "log.jsonl", "a") as log:
                log.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)
        if distributed:
            dist.barrier()
        if args.kill_after_epoch == epoch + 1 and rank == 1 and os.environ.get("TORCHELASTIC_RESTART_COUNT", "0") == "0":
            os.kill(os.getpid(), signal.SIGKILL)
    if rank == 0:
        write_result(model, recipe, out, epochs, world)
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


def evaluate(net, val_set, batch, rank, world, device, distributed):
    """Top-1 on the validation folder at K_test, each process on its share (padded shares counted once)."""
    indices = list(range(rank, len(val_set), world))
    loader = torch.utils.data.DataLoader(torch.utils.data.Subset(val_set, indices), batch)
    net.eval()
    counts = torch.zeros(2, dtype=torch.float64)
    with torch.no_grad():
        for images, labels in loader:
            logits = net.module(images.to(device)) if distributed else net(images.to(device))
            counts += torch.tensor([(logits.argmax(1).cpu() == labels).sum().item(), len(labels)], dtype=torch.float64)
    if distributed:
        counts = all_reduced(counts, device)
    return counts[0].item() / max(1.0, counts[1].item())


def all_reduced(tensor, device):
    """Sums a small CPU tensor over the processes (nccl reduces only tensors on the GPU)."""
    on_device = tensor.to(device)
    dist.all_reduce(on_device)
    return on_device.cpu()


def write_result(model, recipe, out, epochs, world):
    state = {k: v for k, v in model.state_dict().items()}
    save_safetensors(state, out / "model.safetensors", {"format": "pt", "fixres_run_id": str(recipe["run_id"])})
    k_train, k_test = recipe["k_train"], recipe["k_test"]
    config = {
        "architecture": recipe["arch"],
        "num_classes": len(recipe["classes"]),
        "model_args": {"width": recipe.get("width", 1), "blocks": recipe.get("blocks")},
        "pretrained_cfg": {
            "input_size": [3, k_train, k_train],
            "test_input_size": [3, k_test, k_test],
            "crop_pct": recipe["crop_pct"],
            "crop_mode": "center",
            "interpolation": recipe["interpolation"],
            "mean": recipe["mean"],
            "std": recipe["std"],
            "num_classes": len(recipe["classes"]),
            "first_conv": "conv1",
            "classifier": "fc",
        },
        "label_names": recipe["classes"],
        "fixres_lab": {"recipe_of_run": recipe["run_id"], "lab_id": recipe["lab_id"], "kind": recipe["kind"], "epochs": epochs, "world_size": world,
                       "torch": torch.__version__},
    }
    atomic_write(out / "config.json", lambda f: f.write((json.dumps(config, indent=2) + "\n").encode("utf-8")))


if __name__ == "__main__":
    main()
`;
