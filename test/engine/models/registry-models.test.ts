import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../src/engine/models/create-model';
import { selectTrainable } from '../../../src/engine/models/layer-selection';
import { modelLayers, trainedLayers } from '../../../src/shared/models/layers';
import { ARCH_NAMES, MODELS, type ArchName } from '../../../src/shared/models/registry';
import { LAYOUT_PERMUTATION } from '../../../src/shared/models/torch-keys';
import { TRAINABLE_MODES } from '../../../src/shared/models/trainable';
import { hasReferencePython, REFERENCE_MISSING, runReference } from '../../helpers/python-reference';
import { useTestBackend } from '../../helpers/tf-backend';

const NUM_CLASSES = 10;
// resnet-mini at its default depth and at an uneven one, so stage and block numbering is exercised.
const CASES: { arch: ArchName; blocks?: [number, number, number] }[] = [
  ...ARCH_NAMES.map((arch) => ({ arch })),
  { arch: 'resnet-mini', blocks: [2, 1, 3] },
];
const built = new Map<(typeof CASES)[number], tfl.LayersModel>();
const label = (c: (typeof CASES)[number]) => `${c.arch}${c.blocks ? ` [${c.blocks}]` : ''}`;

beforeAll(async () => {
  await useTestBackend();
  // Names and shapes only: zero weights build in a fraction of the time (ResNet-152 alone takes 8 s seeded).
  for (const c of CASES)
    built.set(c, createModel({ arch: c.arch, numClasses: NUM_CLASSES, blocks: c.blocks, weightsFollow: true }));
}, 60_000);
afterAll(() => built.forEach((m) => m.dispose()));

describe('the model registry against the models the engine builds', () => {
  it.each(CASES.map((c) => [label(c), c] as const))('lists every weight layer of %s with its kind', (_name, c) => {
    const kindOf = { Conv2D: 'conv', BatchNormalization: 'bn', Dense: 'dense' } as Record<string, string>;
    const layers = built
      .get(c)!
      .layers.filter((l) => l.weights.length > 0)
      .map((l) => ({ name: l.name, kind: kindOf[l.getClassName()] }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(modelLayers(c.arch, c.blocks).sort(byName)).toEqual(layers.sort(byName));
  });

  it.each(CASES.map((c) => [label(c), c] as const))('names the layers each trainable mode trains in %s', (_name, c) => {
    for (const mode of TRAINABLE_MODES) {
      expect(trainedLayers(c.arch, mode, c.blocks).sort(), mode).toEqual(selectTrainable(built.get(c)!, mode).sort());
    }
  });

  it('names the BatchNorm before pooling as torchvision does for ResNet-50 (layer4.2.bn3)', () => {
    expect(trainedLayers('resnet50', 'last-bn+classifier')).toEqual(['s4b3_bn3', 'classifier']);
    expect(MODELS.resnet50.torchKeys.toTorch('s4b3_bn3/gamma')?.key).toBe('layer4.2.bn3.weight');
  });
});

type StateShapes = Record<string, number[]>;

describe.skipIf(!hasReferencePython())('torchvision key mapping (live, Debian python3-torchvision)', () => {
  let reference: StateShapes[];
  beforeAll(() => {
    reference = runReference<StateShapes[]>('torchvision_state_dict.py', {
      numClasses: NUM_CLASSES,
      models: CASES.map((c) => ({ arch: c.arch, blocks: c.blocks ?? MODELS[c.arch].blocks })),
    });
  }, 120_000); // importing torch and building ResNet-50 takes seconds on a loaded machine

  it.each(CASES.map((c, i) => [label(c), c, i] as const))(
    'maps every weight of %s onto exactly the state dict torchvision saves, with permuted shapes',
    (_name, c, i) => {
      const mapping = MODELS[c.arch].torchKeys;
      const ours: StateShapes = {};
      for (const w of built.get(c)!.weights) {
        const torch = mapping.toTorch(w.originalName);
        expect(torch, w.originalName).not.toBeNull();
        ours[torch!.key] = LAYOUT_PERMUTATION[torch!.layout].labToTorch.map((axis) => w.shape[axis]!);
      }
      const theirs = Object.fromEntries(Object.entries(reference[i]!).filter(([key]) => !mapping.ignored(key)));
      expect(ours).toEqual(theirs);
      for (const key of Object.keys(theirs)) expect(mapping.toTorch(mapping.toLab(key)!.weight)?.key).toBe(key);
    },
  );
});
if (!hasReferencePython()) console.warn(`torchvision key mapping ${REFERENCE_MISSING}`);
