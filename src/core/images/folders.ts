/**
 * Image datasets from class folders: `cats/1.png`, `dogs/a.jpg` (one folder per class, at the top
 * of a zip or of a dropped folder, optionally under one shared root folder). Pure: it sees only
 * paths; decoding happens in the worker.
 */

/** A problem with the images as a whole (single class, no folders, too many files). */
export class ImageSetError extends Error {
  override readonly name = 'ImageSetError';
}

/** The most images one dataset may hold. */
export const MAX_IMAGES = 50_000;
/** The most classes (labels are stored as one byte). */
export const MAX_IMAGE_CLASSES = 100;

const IMAGE_FILE = /\.(png|jpe?g|webp)$/i;

export interface ClassFile {
  readonly path: string;
  readonly label: number;
}

export interface ClassFolders {
  readonly classes: readonly string[];
  readonly files: readonly ClassFile[];
  /** Files that are not images, or lie outside a class folder, and were skipped. */
  readonly skipped: readonly string[];
}

/** Hidden files and the folders archivers add (`__MACOSX/`, `.DS_Store`). */
function isClutter(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX' || part === 'Thumbs.db');
}

/** Drops a root folder that every image shares (`pets/cats/1.png` -> `cats/1.png`). */
function withoutSharedRoot(paths: readonly string[]): string[] {
  const images = paths.filter((p) => IMAGE_FILE.test(p));
  const firsts = new Set(images.map((p) => p.split('/')[0]));
  const deep = images.length > 0 && images.every((p) => p.split('/').length >= 3);
  return firsts.size === 1 && deep ? paths.map((p) => (p.startsWith(`${[...firsts][0]}/`) ? p.slice(p.indexOf('/') + 1) : p)) : [...paths];
}

/** Groups image paths by their class folder. Throws an ImageSetError when they cannot make a dataset. */
export function classFolders(allPaths: readonly string[]): ClassFolders {
  const files = allPaths.map((p) => p.replace(/\\/g, '/').replace(/^\/+/, '')).filter((p) => !p.endsWith('/') && !isClutter(p));
  const paths = withoutSharedRoot(files);
  const skipped: string[] = [];
  const byClass = new Map<string, string[]>();
  paths.forEach((p, i) => {
    const parts = p.split('/');
    if (parts.length < 2 || !IMAGE_FILE.test(p)) return void skipped.push(files[i] as string);
    const name = parts[0] as string;
    const list = byClass.get(name);
    if (list) list.push(files[i] as string);
    else byClass.set(name, [files[i] as string]);
  });
  if (byClass.size === 0) throw new ImageSetError('No class folders with images were found. Put the images of each class in a folder named after the class (for example cats/ and dogs/), then zip or drop those folders.');
  if (byClass.size === 1) throw new ImageSetError(`Only one class folder ("${[...byClass.keys()][0]}") holds images: a classifier needs at least two.`);
  if (byClass.size > MAX_IMAGE_CLASSES) throw new ImageSetError(`There are ${byClass.size} class folders; the lab trains at most ${MAX_IMAGE_CLASSES} classes. Nothing was loaded.`);
  const total = [...byClass.values()].reduce((a, f) => a + f.length, 0);
  if (total > MAX_IMAGES) throw new ImageSetError(`There are ${total.toLocaleString('en')} images; the lab trains on at most ${MAX_IMAGES.toLocaleString('en')}. Nothing was loaded: split the folders or leave some images out.`);
  const classes = [...byClass.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const thin = classes.filter((c) => (byClass.get(c) as string[]).length < 2);
  if (thin.length) throw new ImageSetError(`Class ${thin.map((c) => `"${c}"`).join(', ')} has fewer than 2 images, so it cannot be in both training and test data.`);
  return { classes, files: classes.flatMap((c, label) => (byClass.get(c) as string[]).map((path) => ({ path, label }))), skipped };
}

/** Images per class, for the page. */
export function classCounts(set: ClassFolders): { name: string; count: number }[] {
  return set.classes.map((name, i) => ({ name, count: set.files.filter((f) => f.label === i).length }));
}
