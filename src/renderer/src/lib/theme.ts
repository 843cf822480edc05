/** Chart colours read from the CSS custom properties, so charts follow the light/dark theme. */
export function themeColors(): { accent: string; muted: string; grid: string; text: string } {
  const style = getComputedStyle(document.documentElement);
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    accent: get('--accent', '#3b6fd8'),
    muted: get('--text-muted', '#6b7280'),
    grid: get('--border', '#e5e7eb'),
    text: get('--text', '#111827'),
  };
}
