/**
 * How the CLI, the report and the UI write a duration: "4.2 s", "42 s", "3 min 05 s", "2 h 07 min".
 * Rounded once, before it is split, so 479.6 s is "8 min 00 s" and never "7 min 60 s".
 */
export function durationText(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}
