/** Formatting for numbers the views show: one place, so every view writes them alike. */
import { durationText } from '../../../shared/duration-text';

const DASH = '—';

/** 0.8123 → "81.2 %". */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : `${(value * 100).toFixed(digits)} %`;
}

/** A number with a fixed count of decimals, or a dash. */
export function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? DASH : value.toFixed(digits);
}

/** Seconds as "42 s", "3 min 05 s", "2 h 07 min", or a dash. */
export function duration(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0 ? DASH : durationText(seconds);
}

/** Images per second, 3 significant figures. */
export function rate(imgPerSec: number | null | undefined): string {
  if (imgPerSec === null || imgPerSec === undefined || !Number.isFinite(imgPerSec)) return DASH;
  return `${imgPerSec >= 100 ? Math.round(imgPerSec).toLocaleString('en-US') : imgPerSec.toPrecision(3)} img/s`;
}

/** An ISO timestamp as a short local date and time. */
export function when(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return DASH;
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A config value as text (arrays as "a – b", booleans as yes/no, objects as "key value; key value"). */
export function configValue(value: unknown): string {
  if (value === undefined || value === null) return DASH;
  if (Array.isArray(value)) return value.map(configValue).join(' – ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k} ${Array.isArray(v) ? v.map(configValue).join(', ') : configValue(v)}`)
      .join('; ');
  return String(value);
}
