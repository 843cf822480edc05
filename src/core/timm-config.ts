/** What a timm `config.json` (or the lab's own exported preprocessing.json) says about a model. */
export interface TimmConfig {
  /** timm's architecture name, without its pretrained tag (`resnet50.a1_in1k` → `resnet50`). */
  architecture: string | null;
  numClasses: number | null;
  inputSize: number | null;
  testInputSize: number | null;
  cropPct: number | null;
  mean: [number, number, number] | null;
  std: [number, number, number] | null;
  interpolation: 'bilinear' | 'bicubic' | 'nearest' | null;
  labelNames: string[] | null;
  /** FixRes Lab's note in a recipe's config.json: the run the recipe reproduced and how it trained. */
  recipe: RecipeNote | null;
}

/** What train.py (a run's exported torchrun recipe) says about the training that made the weights. */
export interface RecipeNote {
  /** The run whose recipe trained these weights (null: a recipe from the run form, never stored). */
  runId: number | null;
  /** The lab database the recipe came from (its lasting id). */
  labId: string | null;
  kind: string;
  epochs: number | null;
  worldSize: number | null;
  torch: string | null;
}

/**
 * Reads timm's config.json: `{architecture, num_classes, pretrained_cfg: {input_size: [3, H, W],
 * test_input_size, crop_pct, interpolation, mean, std}, label_names}`, or the older single-dict
 * form where those fields sit at the top (as FixRes Lab's preprocessing.json writes them).
 * Fields it lacks or cannot use are null; a value of the wrong kind is an error naming the field.
 */
export function parseTimmConfig(json: unknown): TimmConfig {
  if (!isRecord(json)) throw new Error('it is not a JSON object');
  const cfg = isRecord(json['pretrained_cfg'])
    ? { ...json['pretrained_cfg'], ...pick(json, ['num_classes', 'label_names']) }
    : json;
  const architecture = typeof json['architecture'] === 'string' ? json['architecture'].split('.')[0]! : null;
  return {
    architecture,
    numClasses: optional(cfg, 'num_classes', positiveInt),
    inputSize: optional(cfg, 'input_size', squareSide),
    testInputSize: optional(cfg, 'test_input_size', squareSide),
    cropPct: optional(cfg, 'crop_pct', (v) => (typeof v === 'number' && v > 0 && v <= 1 ? v : undefined)),
    mean: optional(cfg, 'mean', triple),
    std: optional(cfg, 'std', (v) => (triple(v)?.every((x) => x > 0) ? triple(v) : undefined)),
    interpolation: optional(cfg, 'interpolation', (v) =>
      v === 'bilinear' || v === 'bicubic' || v === 'nearest' ? v : undefined,
    ),
    labelNames: optional(cfg, 'label_names', labelList) ?? optional(cfg, 'labels', labelList),
    recipe: isRecord(json['fixres_lab']) ? recipeNote(json['fixres_lab']) : null,
  };
}

function recipeNote(note: Record<string, unknown>): RecipeNote {
  return {
    runId: optional(note, 'recipe_of_run', positiveInt),
    labId: typeof note['lab_id'] === 'string' ? note['lab_id'] : null,
    kind: typeof note['kind'] === 'string' ? note['kind'] : 'train',
    epochs: optional(note, 'epochs', positiveInt),
    worldSize: optional(note, 'world_size', positiveInt),
    torch: typeof note['torch'] === 'string' ? note['torch'] : null,
  };
}

function optional<T>(cfg: Record<string, unknown>, key: string, read: (v: unknown) => T | undefined): T | null {
  const value = cfg[key];
  if (value === undefined || value === null) return null;
  const parsed = read(value);
  if (parsed === undefined) throw new Error(`"${key}" is ${JSON.stringify(value)?.slice(0, 60)}, which this field cannot be`);
  return parsed;
}

function pick(json: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => json[k] !== undefined).map((k) => [k, json[k]]));
}

function positiveInt(v: unknown): number | undefined {
  return Number.isInteger(v) && (v as number) > 0 ? (v as number) : undefined;
}

/** `[3, H, W]` with H = W (FixRes Lab's models are square-input), or a bare side. */
function squareSide(v: unknown): number | undefined {
  if (positiveInt(v)) return v as number;
  if (!Array.isArray(v) || v.length !== 3 || !v.every(positiveInt)) return undefined;
  return v[1] === v[2] ? (v[1] as number) : undefined;
}

function triple(v: unknown): [number, number, number] | undefined {
  return Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x))
    ? (v as [number, number, number])
    : undefined;
}

/** A list of names, or timm's `{index: name}` / Keras's `{index: [id, name]}` maps without gaps. */
function labelList(v: unknown): string[] | undefined {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  if (!isRecord(v)) return undefined;
  const entries = Object.entries(v);
  const names: string[] = [];
  for (const [key, value] of entries) {
    const index = Number(key);
    const name =
      typeof value === 'string'
        ? value
        : Array.isArray(value) && typeof value.at(-1) === 'string'
          ? (value.at(-1) as string)
          : null;
    if (!Number.isInteger(index) || index < 0 || index >= entries.length || name === null) return undefined;
    names[index] = name;
  }
  return names.length === entries.length && !names.includes(undefined as never) ? names : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Class names from a classes file: a JSON list, a JSON `{index: name}` / `{index: [id, name]}`
 * map (ImageNet's class index), or plain text with one name per line (blank lines ignored).
 */
export function parseClassList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new Error(`it looks like JSON but does not parse (${(err as Error).message})`);
    }
    const names = labelList(json);
    if (!names) throw new Error('its JSON is neither a list of names nor a {index: name} map without gaps');
    return names;
  }
  const names = trimmed
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (!names.length) throw new Error('it has no class names');
  return names;
}
