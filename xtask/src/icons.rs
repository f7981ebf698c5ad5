//! The extension's icons, drawn here at every size the stores ask for
//! (16, 32, 48 and 128 pixels): a rounded square in Repro's red with a white
//! "record" ring and dot, anti-aliased by sampling each pixel 4 × 4 times,
//! written as PNG (8-bit RGBA, zlib through flate2).

use std::fs;
use std::io::Write;
use std::path::Path;

/// The sizes the manifests list.
pub const SIZES: [u32; 4] = [16, 32, 48, 128];

/// Repro's red (the record colour of the pages).
const RED: [u8; 3] = [0xd9, 0x30, 0x25];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// What covers the point `(x, y)` of a unit square: nothing, the red
/// tile, or white (ring or dot) on it.
fn paint_at(x: f64, y: f64) -> Option<[u8; 3]> {
    // The tile: a square with corners rounded at 22 % of its side.
    let radius = 0.22;
    let (cx, cy) = (x.clamp(radius, 1.0 - radius), y.clamp(radius, 1.0 - radius));
    if (x - cx).hypot(y - cy) > radius {
        return None;
    }
    let from_centre = (x - 0.5).hypot(y - 0.5);
    let on_ring = (0.255..=0.345).contains(&from_centre);
    let on_dot = from_centre <= 0.15;
    Some(if on_ring || on_dot { WHITE } else { RED })
}

/// The icon at `size` pixels, as RGBA rows.
pub fn pixels(size: u32) -> Vec<u8> {
    const SAMPLES: u32 = 4;
    let mut out = Vec::with_capacity((size * size * 4) as usize);
    for py in 0..size {
        for px in 0..size {
            let (mut colour, mut covered) = ([0u32; 3], 0u32);
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let x = (px as f64 + (sx as f64 + 0.5) / SAMPLES as f64) / size as f64;
                    let y = (py as f64 + (sy as f64 + 0.5) / SAMPLES as f64) / size as f64;
                    if let Some(rgb) = paint_at(x, y) {
                        covered += 1;
                        for (sum, c) in colour.iter_mut().zip(rgb) {
                            *sum += c as u32;
                        }
                    }
                }
            }
            let alpha = covered * 255 / (SAMPLES * SAMPLES);
            for sum in colour {
                out.push(sum.checked_div(covered).unwrap_or(0) as u8);
            }
            out.push(alpha as u8);
        }
    }
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let mut tagged = kind.to_vec();
    tagged.extend(data);
    out.extend(&tagged);
    out.extend(crate::zip::crc32(&tagged).to_be_bytes());
}

/// `rgba` (`width` × `height`) as a PNG file.
pub fn png(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 6, 0, 0, 0]); // 8 bits, RGBA, deflate, no filter, no interlace
    chunk(&mut out, b"IHDR", &header);
    let mut rows = Vec::with_capacity(rgba.len() + height as usize);
    for row in rgba.chunks((width * 4) as usize) {
        rows.push(0); // no filter
        rows.extend(row);
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&rows).map_err(|e| e.to_string())?;
    chunk(
        &mut out,
        b"IDAT",
        &encoder.finish().map_err(|e| e.to_string())?,
    );
    chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

/// Write `icon-<size>.png` for every size into `dir`.
pub fn write_icons(dir: &Path) -> Result<(), String> {
    for size in SIZES {
        let path = dir.join(format!("icon-{size}.png"));
        fs::write(&path, png(size, size, &pixels(size))?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_is_red_with_a_white_dot_and_clear_corners() {
        let size = 128;
        let icon = pixels(size);
        let at = |x: u32, y: u32| &icon[((y * size + x) * 4) as usize..][..4];
        assert_eq!(at(0, 0)[3], 0, "the corners are clear");
        assert_eq!(at(64, 64), [0xff, 0xff, 0xff, 0xff], "the dot is white");
        assert_eq!(at(64, 10), [0xd9, 0x30, 0x25, 0xff], "the tile is red");
    }

    #[test]
    fn a_png_has_its_signature_and_size() {
        let file = png(16, 16, &pixels(16)).unwrap();
        assert_eq!(&file[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&file[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(file[16..20].try_into().unwrap()), 16);
    }
}
