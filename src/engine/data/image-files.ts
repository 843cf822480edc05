/** File extensions the lab decodes (through sharp/libvips). */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif']);

export function isImageFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && IMAGE_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

/** Folder names recognised as the train and validation halves of a pre-split dataset. */
export const SPLIT_FOLDERS: Record<string, 'train' | 'val'> = {
  train: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  test: 'val',
};
