import { defaultOf, enumValues, isOptionalField, listItems, numberBounds } from '../shared/hparams/introspect';
import type { FlagSpec } from './hparam-flags';

const WIDTH = 100;

/** The `--json` row of a command's help. */
export const JSON_FLAG: [string, string] = ['--json', 'Print the result as JSON (progress stays on stderr)'];

const num = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(4))) : String(v));
const valueOf = (v: unknown) => (Array.isArray(v) ? v.map(num).join(',') : num(v));

/** What stands for a flag's value in a usage line: its default, its choices, or a placeholder. */
function valueText(spec: FlagSpec): string {
  const fallback = defaultOf(spec.field);
  if (spec.kind === 'enum') return enumValues(spec.field).join('|');
  if (fallback !== undefined) return valueOf(fallback);
  if (spec.meta.valueName) return spec.meta.valueName;
  if (spec.kind === 'numbers') return listItems(spec.field)?.count === 2 ? 'a,b' : 'a,b,…';
  return spec.kind === 'number' ? 'N' : 'TEXT';
}

/** `[--k-train 32]`, `[--no-hflip]`; a required flag without brackets (`--k-test K`). */
export function flagToken(spec: FlagSpec): string {
  if (spec.kind === 'switch' || spec.kind === 'negated') return `[--${spec.flag}]`;
  return isOptionalField(spec.field) ? `[--${spec.flag} ${valueText(spec)}]` : `--${spec.flag} ${valueText(spec)}`;
}

/** The usage tokens of the flags, required ones first. */
export function flagTokens(specs: readonly FlagSpec[]): string[] {
  const required = specs.filter((s) => !isOptionalField(s.field));
  return [...required, ...specs.filter((s) => !required.includes(s))].map(flagToken);
}

/** `head` followed by the tokens, wrapped under it. */
export function wrapUsage(head: string, tokens: readonly string[], indent = 17): string {
  const lines = [head];
  for (const token of tokens) {
    const last = lines.at(-1)!;
    if (last.length + 1 + token.length > WIDTH && last.trim()) lines.push(`${' '.repeat(indent)}${token}`);
    else lines[lines.length - 1] = `${last} ${token}`;
  }
  return lines.join('\n');
}

function rangeText(spec: FlagSpec): string {
  if (spec.kind !== 'number') return '';
  const b = numberBounds(spec.field);
  if (b.min !== null && b.max !== null && b.minInclusive && b.maxInclusive) return `${num(b.min)}–${num(b.max)}`;
  const parts = [
    b.min === null ? '' : `${b.minInclusive ? '≥' : '>'} ${num(b.min)}`,
    b.max === null ? '' : `${b.maxInclusive ? '≤' : '<'} ${num(b.max)}`,
  ];
  return parts.filter(Boolean).join(', ');
}

/** `text` cut into lines of at most WIDTH, every line after the first indented by `indent`. */
function wrapText(text: string, indent: number): string[] {
  const lines = [''];
  for (const word of text.split(' ')) {
    const last = lines.at(-1)!;
    if (last && indent + last.length + 1 + word.length > WIDTH) lines.push(word);
    else lines[lines.length - 1] = last ? `${last} ${word}` : word;
  }
  return lines.map((line, i) => (i ? `${' '.repeat(indent)}${line}` : line));
}

/**
 * `fixres <command> --help`: one flag per line (required first) with its label, unit, help,
 * range and default, then an enum's choices; `extra` rows ([flag, text]) for the command's own flags.
 */
export function flagHelp(specs: readonly FlagSpec[], extra: readonly [string, string][] = []): string {
  const required = specs.filter((s) => !isOptionalField(s.field));
  const rows: [string, string, string[]][] = [...required, ...specs.filter((s) => !required.includes(s))].map((spec) => {
    const m = spec.meta;
    const name = spec.kind === 'enum' ? `--${spec.flag} ${m.valueName ?? 'NAME'}` : flagToken(spec).replace(/^\[|\]$/g, '');
    const fallback = defaultOf(spec.field);
    const switched = spec.kind === 'switch' || spec.kind === 'negated';
    const values = spec.kind === 'enum' ? enumValues(spec.field) : [];
    const described = values.some((v) => m.options?.[v] && m.options[v] !== v);
    const choices = described ? '' : values.join(' | ');
    const facts = [choices || rangeText(spec), fallback === undefined || switched ? '' : `default ${valueOf(fallback)}`];
    const title = `${m.label}${m.unit ? ` (${m.unit})` : ''}`;
    const onUnless = spec.kind === 'negated' ? ` (on unless --${spec.flag})` : '';
    const text = `${title}: ${m.help}${onUnless}${facts.some(Boolean) ? ` [${facts.filter(Boolean).join('; ')}]` : ''}`;
    const words = described ? values.map((v) => (m.options?.[v] && m.options[v] !== v ? `  ${v}: ${m.options[v]}` : `  ${v}`)) : [];
    return [name, text, words];
  });
  for (const [name, text] of extra) rows.push([name, text, []]);
  const pad = Math.min(24, Math.max(...rows.map(([name]) => name.length)) + 2);
  const lines: string[] = [];
  for (const [name, text, words] of rows) {
    const body = wrapText(text, pad + 2);
    if (name.length >= pad) lines.push(`  ${name}`, `  ${''.padEnd(pad)}${body.join('\n')}`);
    else lines.push(`  ${name.padEnd(pad)}${body.join('\n')}`);
    for (const word of words) lines.push(`  ${''.padEnd(pad)}${word}`);
  }
  return lines.join('\n');
}
