/**
 * Every page outside the app that the app may link to: an external link in the renderer must
 * come from here, because the main process opens nothing else in the user's browser. A page made
 * to call `window.open` with another URL (say one taken from a file or dataset name) opens nothing.
 */
export const EXTERNAL_LINKS = {
  /** Touvron et al., "Fixing the train-test resolution discrepancy" (FixRes), the method the app applies. */
  paper: 'https://arxiv.org/abs/1906.06423',
} as const;

const allowed = new Set(Object.values(EXTERNAL_LINKS).map((url) => new URL(url).href));

/** True for an http(s) URL of EXTERNAL_LINKS, compared parsed (so `HTTPS://ARXIV.org/…` matches, look-alikes do not). */
export function isExternalLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && allowed.has(parsed.href);
}
