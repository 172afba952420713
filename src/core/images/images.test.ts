import { describe, expect, it } from 'vitest';
import { classCounts, classFolders, ImageSetError, MAX_IMAGE_CLASSES, MAX_IMAGES } from './folders';
import { GRAY_28, RGB_32, sizeNotice, toExample } from './pixels';

describe('class folders', () => {
  it('groups images by folder, under a shared root, skipping clutter and non-images', () => {
    const set = classFolders(['pets/dogs/a.jpg', 'pets/cats/1.PNG', 'pets/cats/2.webp', 'pets/dogs/b.jpeg', 'pets/readme.txt', '__MACOSX/pets/cats/._1.PNG', 'pets/cats/.DS_Store']);
    expect(set.classes).toEqual(['cats', 'dogs']);
    expect(set.files).toEqual([
      { path: 'pets/cats/1.PNG', label: 0 },
      { path: 'pets/cats/2.webp', label: 0 },
      { path: 'pets/dogs/a.jpg', label: 1 },
      { path: 'pets/dogs/b.jpeg', label: 1 },
    ]);
    expect(set.skipped).toEqual(['pets/readme.txt']);
    expect(classCounts(set)).toEqual([{ name: 'cats', count: 2 }, { name: 'dogs', count: 2 }]);
  });

  it.each([
    ['no class folders', ['a.png', 'b.png'], /No class folders/],
    ['a single class', ['cats/1.png', 'cats/2.png'], /Only one class folder \("cats"\)/],
    ['a class with one image', ['cats/1.png', 'cats/2.png', 'dogs/1.png'], /"dogs" has fewer than 2 images/],
  ])('names %s', (_, paths, message) => {
    expect(() => classFolders(paths)).toThrow(ImageSetError);
    expect(() => classFolders(paths)).toThrow(message);
  });

  it('names the image cap (50,000) and the class cap (100), and takes a set at the image cap', () => {
    const atCap = Array.from({ length: MAX_IMAGES }, (_, i) => `c${i % 2}/${i}.png`);
    expect(classFolders(atCap).files).toHaveLength(MAX_IMAGES);
    expect(() => classFolders([...atCap, 'c0/extra.png'])).toThrow(/50,001 images; the lab trains on at most 50,000\. Nothing was loaded/);
    const manyClasses = Array.from({ length: (MAX_IMAGE_CLASSES + 1) * 2 }, (_, i) => `k${i >> 1}/${i}.png`);
    expect(() => classFolders(manyClasses)).toThrow(/101 class folders; the lab trains at most 100 classes/);
  });
});

describe('pixels to an example', () => {
  const solid = (w: number, h: number, rgba: [number, number, number, number]) => Uint8ClampedArray.from({ length: w * h * 4 }, (_, i) => rgba[i % 4] as number);

  it('resizes to 28x28 grayscale by BT.601 luma, in [0, 1]', () => {
    const x = toExample(solid(100, 60, [255, 0, 0, 255]), 100, 60, GRAY_28);
    expect(x).toHaveLength(28 * 28);
    expect(x[0]).toBeCloseTo(0.299, 5);
    expect(x[783]).toBeCloseTo(0.299, 5);
  });

  it('keeps RGB at 32x32 and counts transparency as white', () => {
    const x = toExample(solid(8, 8, [0, 0, 0, 0]), 8, 8, RGB_32);
    expect(x).toHaveLength(32 * 32 * 3);
    expect(Array.from(x).every((v) => v === 1)).toBe(true);
  });

  it('averages the pixels under each target pixel (a half-black, half-white image stays split)', () => {
    const w = 56;
    const rgba = Uint8ClampedArray.from({ length: w * w * 4 }, (_, i) => ((i / 4) % w < w / 2 && i % 4 !== 3 ? 0 : 255));
    const x = toExample(rgba, w, w, GRAY_28);
    expect(x[0]).toBeCloseTo(0, 5);
    expect(x[27]).toBeCloseTo(1, 5);
  });

  it('says when images of several sizes were resized', () => {
    expect(sizeNotice([{ width: 28, height: 28 }, { width: 28, height: 28 }], GRAY_28)).toBeNull();
    expect(sizeNotice([{ width: 640, height: 480 }, { width: 28, height: 28 }], GRAY_28)).toMatch(/2 sizes \(640x480, 28x28\).*resized to 28x28/);
  });
});

describe('a drawn digit', () => {
  it('is scaled into a 20x20 box and centred by its mass in 28x28, white on black', async () => {
    const { digitFromInk, inkFromRgba } = await import('./digit');
    const w = 200;
    const ink = new Float32Array(w * w);
    // A vertical bar, like a "1", drawn off-centre at the top left.
    for (let y = 10; y < 110; y++) for (let x = 20; x < 40; x++) ink[y * w + x] = 1;
    const d = digitFromInk(ink, w, w) as Float32Array;
    let rows = 0, mass = 0, mx = 0;
    for (let y = 0; y < 28; y++) {
      let inRow = false;
      for (let x = 0; x < 28; x++) {
        const v = d[y * 28 + x] as number;
        if (v > 0.5) inRow = true;
        mass += v; mx += v * (x + 0.5);
      }
      if (inRow) rows++;
    }
    expect(rows).toBe(20);
    expect(mx / mass).toBeCloseTo(14, 0);
    expect(digitFromInk(new Float32Array(16), 4, 4)).toBeNull();
    expect(Array.from(inkFromRgba([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0]))).toEqual([1, 0, 0]);
  });
});
