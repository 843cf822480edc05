import { describe, expect, it } from 'vitest';
import { parseClassList, parseTimmConfig } from '../../src/core/timm-config';

describe('parseTimmConfig', () => {
  it("reads timm's config.json (pretrained_cfg nested, label names at the top)", () => {
    const cfg = parseTimmConfig({
      architecture: 'resnet50.a1_in1k',
      num_classes: 3,
      num_features: 2048,
      pretrained_cfg: {
        input_size: [3, 224, 224],
        test_input_size: [3, 288, 288],
        crop_pct: 0.95,
        interpolation: 'bicubic',
        mean: [0.485, 0.456, 0.406],
        std: [0.229, 0.224, 0.225],
      },
      label_names: ['tench', 'goldfish', 'shark'],
    });
    expect(cfg).toEqual({
      architecture: 'resnet50',
      numClasses: 3,
      inputSize: 224,
      testInputSize: 288,
      cropPct: 0.95,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      interpolation: 'bicubic',
      labelNames: ['tench', 'goldfish', 'shark'],
      recipe: null,
    });
  });

  it("reads the note a torchrun recipe's train.py leaves: the run it reproduced, in which lab, and how it trained", () => {
    const note = { recipe_of_run: 7, lab_id: 'abc', kind: 'finetune', epochs: 3, world_size: 2, torch: '1.13.0' };
    expect(parseTimmConfig({ architecture: 'resnet-mini', fixres_lab: note }).recipe).toEqual({
      runId: 7,
      labId: 'abc',
      kind: 'finetune',
      epochs: 3,
      worldSize: 2,
      torch: '1.13.0',
    });
    expect(parseTimmConfig({ fixres_lab: { recipe_of_run: null } }).recipe).toMatchObject({ runId: null, kind: 'train' });
    expect(() => parseTimmConfig({ fixres_lab: { recipe_of_run: 'seven' } })).toThrow(/"recipe_of_run"/);
  });

  it("reads the older single-dict form (FixRes Lab's preprocessing.json) and leaves what is absent null", () => {
    expect(
      parseTimmConfig({ architecture: 'resnet18', input_size: [3, 160, 160], crop_pct: 0.875, labels: { 0: 'a', 1: 'b' } }),
    ).toMatchObject({
      architecture: 'resnet18',
      inputSize: 160,
      testInputSize: null,
      mean: null,
      labelNames: ['a', 'b'],
    });
  });

  it('refuses values of the wrong kind, naming the field', () => {
    expect(() => parseTimmConfig({ pretrained_cfg: { crop_pct: 1.5 } })).toThrow(/"crop_pct" is 1.5/);
    expect(() => parseTimmConfig({ pretrained_cfg: { input_size: [3, 224, 192] } })).toThrow(/"input_size"/);
    expect(() => parseTimmConfig([1])).toThrow(/not a JSON object/);
  });
});

describe('parseClassList', () => {
  it('reads one name per line, a JSON list, and an ImageNet-style class index', () => {
    expect(parseClassList('cat\r\ndog\n\nfox\n')).toEqual(['cat', 'dog', 'fox']);
    expect(parseClassList('["cat", "dog"]')).toEqual(['cat', 'dog']);
    expect(parseClassList('{"1": ["n02", "goldfish"], "0": ["n01", "tench"]}')).toEqual(['tench', 'goldfish']);
  });

  it('refuses an index with gaps and an empty file', () => {
    expect(() => parseClassList('{"0": "a", "2": "c"}')).toThrow(/without gaps/);
    expect(() => parseClassList('\n\n')).toThrow(/no class names/);
  });
});
