/** Colours charts read from the CSS custom properties, so they follow the light/dark theme. */
export interface ThemeColors {
  accent: string;
  muted: string;
  grid: string;
  text: string;
  surface: string;
  danger: string;
  ok: string;
  warn: string;
  /** Distinct colours for series, in order. */
  series: string[];
  /** Ends of the sequential palette (an ordered quantity such as the resolution). */
  sequential: [string, string];
}

const SERIES_COUNT = 6;

export function themeColors(): ThemeColors {
  const style = getComputedStyle(document.documentElement);
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    accent: get('--accent', '#3b6fd8'),
    muted: get('--text-muted', '#6b7280'),
    grid: get('--border', '#e5e7eb'),
    text: get('--text', '#111827'),
    surface: get('--surface', '#ffffff'),
    danger: get('--danger', '#c93a3a'),
    ok: get('--ok', '#2a8a4a'),
    warn: get('--warn', '#b7791f'),
    sequential: [get('--seq-low', '#f59f00'), get('--seq-high', '#3b1f8f')],
    series: Array.from({ length: SERIES_COUNT }, (_, i) => get(`--series-${i + 1}`, '#3b6fd8')),
  };
}

/** Calls back when the OS switches between light and dark; returns the unsubscribe. */
export function onThemeChange(callback: () => void): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', callback);
  return () => query.removeEventListener('change', callback);
}

/** A translucent version of a `#rrggbb` colour (for fills); other colour syntaxes come back unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1]!, 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** The colour at `t` (0…1) between two `#rrggbb` colours (sequential palettes). */
export function mix(from: string, to: string, t: number): string {
  const parse = (c: string) => {
    const m = /^#([0-9a-f]{6})$/i.exec(c);
    const n = m ? parseInt(m[1]!, 16) : 0;
    return [n >> 16, (n >> 8) & 255, n & 255];
  };
  const [a, b] = [parse(from), parse(to)];
  const k = Math.min(1, Math.max(0, t));
  return `#${a
    .map((v, i) =>
      Math.round(v + (b[i]! - v) * k)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
