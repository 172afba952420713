import { expect, test } from '@playwright/test';
import jsQR from 'jsqr';
import { openLab } from './helpers';

test('the share link shows as a QR code that a camera would read back as the same link', async ({ page }) => {
  await openLab(page, 'dataset=spiral&hidden=16,8&epochs=3');
  const link = await page.getByTestId('share-link').inputValue();
  await page.getByRole('button', { name: 'Show QR code' }).first().click();
  const code = page.getByTestId('qr-code');
  await expect(code).toBeVisible();
  // Rasterise the drawn code in the page, then read it with a QR decoder as a camera app would.
  const image = await code.evaluate(async (svg) => {
    const side = 4 * Number(svg.getAttribute('viewBox')?.split(' ')[2]);
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const canvas = new OffscreenCanvas(side, side);
    const ctx = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    ctx.drawImage(img, 0, 0, side, side);
    return { data: Array.from(ctx.getImageData(0, 0, side, side).data), side };
  });
  const read = jsQR(Uint8ClampedArray.from(image.data), image.side, image.side);
  expect(read?.data).toBe(link);
  await page.keyboard.press('Escape');
  await expect(code).toBeHidden();
});
