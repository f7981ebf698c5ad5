// Reading an image's pixels in the browser, for the tests that check what
// a picture shows (black-outs, annotations, thumbnails).

/**
 * The RGB of each `[x, y]` (rounded) of the image at `url` (a `data:` URL,
 * or an address `page` may load), decoded by the browser in `page`.
 */
export async function pixelsOf(page, url, points) {
  return page.evaluate(async ({ url, points }) => {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    return points.map(([x, y]) => Array.from(ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3)));
  }, { url, points });
}

/** The same, for a PNG given as base64. */
export const pngPixels = (page, base64, points) => pixelsOf(page, `data:image/png;base64,${base64}`, points);
