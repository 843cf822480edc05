import { configValue } from './format';

/** One config key across runs: its value per run (as shown) and whether they differ. */
export interface ConfigDiffRow {
  key: string;
  values: string[];
  differs: boolean;
}

/** Every key of every config, in first-seen order, with differing keys flagged. */
export function configDiff(configs: readonly Record<string, unknown>[]): ConfigDiffRow[] {
  const keys: string[] = [];
  for (const c of configs) for (const k of Object.keys(c)) if (!keys.includes(k)) keys.push(k);
  return keys.map((key) => {
    const values = configs.map((c) => configValue(c[key]));
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}
