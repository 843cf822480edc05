import { streamFor, type Rng } from './rng';

/** Object shapes; a class is a shape (and, past 10 classes, a shape with stripes). */
export const SHAPES = ['circle', 'square', 'triangle', 'star', 'ring', 'cross', 'hexagon', 'heart', 'crescent', 'arrow'] as const;
export type Shape = (typeof SHAPES)[number];
export const MAX_SYNTH_CLASSES = SHAPES.length * 2;

export interface SynthSettings {
  classes: number;
  /** Shorter side of every image, in pixels. */
  size: number;
  /** Object diameter as a fraction of the shorter side, drawn log-uniformly from this range. */
  objectScale: readonly [number, number];
  seed: number;
}

export const DEFAULT_SYNTH: SynthSettings = { classes: 10, size: 128, objectScale: [0.25, 0.75], seed: 0 };

/** Everything about one synthetic image: the generative model's latent variables. */
export interface Scene {
  width: number;
  height: number;
  shape: Shape;
  striped: boolean;
  /** Object diameter in pixels (its apparent size) and as a fraction of the shorter side. */
  objectPx: number;
  objectFrac: number;
  cx: number;
  cy: number;
  rotationDeg: number;
  objectHue: number;
  objectLightness: number;
  background: { hue: number; lightness: number; hue2: number; angleDeg: number; grain: number };
}

const ASPECTS = [3 / 4, 1, 4 / 3];

/** Class names in label order: "circle", …, then "striped-circle", …. */
export function synthClassNames(classes: number): string[] {
  return Array.from({ length: classes }, (_, c) => `${c >= SHAPES.length ? 'striped-' : ''}${SHAPES[c % SHAPES.length]}`);
}

/**
 * The generative model (all draws from streamFor(seed, class, index)): aspect ratio uniform in
 * {3:4, 1:1, 4:3}; object diameter d = f · shorter side with log f uniform in log objectScale;
 * centre uniform where the object fits; rotation uniform; object and background colours random
 * with a lightness gap ≥ 0.3 so the shape, not the colour, carries the class.
 */
export function sampleScene(settings: SynthSettings, classIndex: number, index: number): Scene {
  const rng = streamFor(settings.seed, classIndex, index);
  const aspect = ASPECTS[rng.int(ASPECTS.length)]!;
  const width = aspect >= 1 ? Math.round(settings.size * aspect) : settings.size;
  const height = aspect >= 1 ? settings.size : Math.round(settings.size / aspect);
  const [lo, hi] = settings.objectScale;
  const objectFrac = Math.exp(rng.uniformRange(Math.log(lo), Math.log(hi)));
  const objectPx = objectFrac * settings.size;
  const r = objectPx / 2;
  const cx = rng.uniformRange(r, width - r);
  const cy = rng.uniformRange(r, height - r);
  const objectLightness = rng.uniformRange(0.2, 0.8);
  return {
    width,
    height,
    shape: SHAPES[classIndex % SHAPES.length]!,
    striped: classIndex >= SHAPES.length,
    objectPx,
    objectFrac,
    cx,
    cy,
    rotationDeg: rng.uniformRange(0, 360),
    objectHue: rng.uniformRange(0, 360),
    objectLightness,
    background: {
      hue: rng.uniformRange(0, 360),
      lightness: contrasting(objectLightness, rng),
      hue2: rng.uniformRange(0, 360),
      angleDeg: rng.uniformRange(0, 180),
      grain: rng.uniformRange(0.05, 0.2),
    },
  };
}

function contrasting(lightness: number, rng: Rng): number {
  const options = [lightness - 0.3, lightness + 0.3].filter((l) => l >= 0.05 && l <= 0.95);
  const base = options[rng.int(options.length)] ?? (lightness < 0.5 ? 0.9 : 0.1);
  return Math.min(0.95, Math.max(0.05, base + (base > lightness ? 1 : -1) * rng.uniformRange(0, 0.1)));
}
