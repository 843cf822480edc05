/**
 * A keydown handler for a disclosure (a button that opens a panel): Escape closes the open panel
 * and puts focus back on its button, since the focused element inside goes away with the panel.
 */
export function escapeCloses(options: {
  isOpen: () => boolean;
  close: () => void;
  toggle: () => HTMLElement | undefined;
}): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key !== 'Escape' || !options.isOpen()) return;
    options.close();
    options.toggle()?.focus();
  };
}
