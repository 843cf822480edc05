"""Peer of `npm run bench:data`: PIL decode + torchvision RandomResizedCrop(K) + flip + ToTensor + Normalize,
one image at a time on one thread. Prints one JSON line. Usage: data_torchvision.py <imageDir> <k>"""
import json
import os
import resource
import sys
import time

import torch
from PIL import Image
from torchvision import transforms

torch.set_num_threads(1)
folder, k = sys.argv[1], int(sys.argv[2])
files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".jpg"))
pipeline = transforms.Compose(
    [
        transforms.RandomResizedCrop(k),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ]
)
torch.manual_seed(1)
cpu0, wall0 = time.process_time(), time.perf_counter()
for f in files:
    with open(f, "rb") as fh:
        img = Image.open(fh).convert("RGB")
    pipeline(img)
cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
print(json.dumps({
    "path": "torchvision+PIL",
    "k": k,
    "img_s_per_core": len(files) / cpu,
    "img_s_wall": len(files) / wall,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
