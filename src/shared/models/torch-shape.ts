import { MODELS, type ArchName } from './registry';

/** What torch keys tell about a ResNet: blocks per stage, block type and stem width. */
export interface TorchResnetShape {
  blocks: number[];
  block: 'basic' | 'bottleneck';
  /** Output channels of `conv1` (the stem), when the keys came with shapes. */
  stemChannels: number | null;
}

/** Reads blocks per `layerN`, the block type (`conv3` means bottleneck) and the stem width from torchvision keys. */
export function torchResnetShape(shapes: ReadonlyMap<string, readonly number[]>): TorchResnetShape {
  const blocks: number[] = [];
  let bottleneck = false;
  for (const key of shapes.keys()) {
    const m = /^layer([1-9]\d*)\.(0|[1-9]\d*)\.(conv\d)\.weight$/.exec(key);
    if (!m) continue;
    const stage = Number(m[1]) - 1;
    blocks[stage] = Math.max(blocks[stage] ?? 0, Number(m[2]) + 1);
    if (m[3] === 'conv3') bottleneck = true;
  }
  return {
    blocks: Array.from(blocks, (n) => n ?? 0),
    block: bottleneck ? 'bottleneck' : 'basic',
    stemChannels: shapes.get('conv1.weight')?.[0] ?? null,
  };
}

/**
 * The registered architecture whose torchvision keys these are (blocks per stage and block type
 * match; an architecture with configurable blocks matches any depth of its stage count), or null.
 */
export function guessArch(shapes: ReadonlyMap<string, readonly number[]>): ArchName | null {
  const found = torchResnetShape(shapes);
  const fits = (arch: ArchName) => {
    const entry = MODELS[arch];
    if (entry.block !== found.block || entry.blocks.length !== found.blocks.length) return false;
    return entry.blocksConfigurable ? found.blocks.every((n) => n > 0) : entry.blocks.every((n, i) => n === found.blocks[i]);
  };
  return (Object.keys(MODELS) as ArchName[]).find(fits) ?? null;
}
