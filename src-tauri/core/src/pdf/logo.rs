//! The business logo on documents. JPEG goes into the PDF as it is (PDF reads JPEG natively:
//! `DCTDecode`), so nothing is re-encoded or lost; PNG is decoded (the `png` crate) into
//! 8-bit colour plus, when it has transparency, a soft mask, and compressed with Flate.
//! Either way only the logo's own bytes (or its pixels) are added: no image library.

use printpdf::{DictItem, ExternalStream, ExternalXObject, Px};
use std::collections::BTreeMap;

/// A decoded logo, ready to be placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    pub width: u32,
    pub height: u32,
    pixels: Pixels,
}

#[derive(Debug, Clone, PartialEq)]
enum Pixels {
    /// JPEG bytes with their number of colour components (1 grey, 3 RGB, 4 CMYK).
    Jpeg { bytes: Vec<u8>, components: u8 },
    /// 8-bit samples (1 grey or 3 RGB per pixel) and an optional 8-bit alpha plane.
    Raw {
        samples: Vec<u8>,
        components: u8,
        alpha: Option<Vec<u8>>,
    },
}

/// The largest logo decoded (pixels): a logo is printed at most 60 × 20 mm.
const MAX_PIXELS: u64 = 4096 * 4096;

impl Logo {
    /// Reads a PNG or JPEG; `None` for anything else or a damaged file (the document is then
    /// printed without the logo rather than not at all).
    pub fn decode(bytes: &[u8]) -> Option<Logo> {
        if bytes.starts_with(&[0xFF, 0xD8]) {
            return jpeg(bytes);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return png_logo(bytes);
        }
        None
    }

    /// Width ÷ height.
    pub fn aspect(&self) -> f32 {
        self.width as f32 / self.height.max(1) as f32
    }

    /// The dictionary of an 8-bit image of this logo's size in `space`.
    fn image_dict(&self, space: &str) -> BTreeMap<String, DictItem> {
        let name = |s: &str| DictItem::Name(s.as_bytes().to_vec());
        BTreeMap::from([
            ("Type".to_string(), name("XObject")),
            ("Subtype".to_string(), name("Image")),
            ("Width".to_string(), DictItem::Int(self.width as i64)),
            ("Height".to_string(), DictItem::Int(self.height as i64)),
            ("BitsPerComponent".to_string(), DictItem::Int(8)),
            ("ColorSpace".to_string(), name(space)),
        ])
    }

    /// The PDF image XObject.
    pub fn xobject(&self) -> ExternalXObject {
        let space = |c: u8| match c {
            1 => "DeviceGray",
            4 => "DeviceCMYK",
            _ => "DeviceRGB",
        };
        let (dict, content, compress) = match &self.pixels {
            Pixels::Jpeg { bytes, components } => {
                let mut dict = self.image_dict(space(*components));
                dict.insert("Filter".to_string(), DictItem::Name(b"DCTDecode".to_vec()));
                if *components == 4 {
                    // Adobe's CMYK JPEGs are stored inverted.
                    dict.insert(
                        "Decode".to_string(),
                        DictItem::Array(
                            [1, 0, 1, 0, 1, 0, 1, 0]
                                .iter()
                                .map(|v| DictItem::Int(*v))
                                .collect(),
                        ),
                    );
                }
                (dict, bytes.clone(), false)
            }
            Pixels::Raw {
                samples,
                components,
                alpha,
            } => {
                let mut dict = self.image_dict(space(*components));
                if let Some(a) = alpha {
                    let mask = ExternalStream {
                        dict: self.image_dict("DeviceGray"),
                        content: a.clone(),
                        compress: true,
                    };
                    dict.insert("SMask".to_string(), DictItem::Stream { stream: mask });
                }
                (dict, samples.clone(), true)
            }
        };
        ExternalXObject {
            stream: ExternalStream {
                dict,
                content,
                compress,
            },
            width: Some(Px(self.width as usize)),
            height: Some(Px(self.height as usize)),
            dpi: None,
        }
    }
}

/// Width, height and components from the JPEG's start-of-frame segment, after checking the
/// file's structure: every segment within the file, a frame header with a size and 1, 3 or 4
/// components, quantisation tables, a scan, and the end-of-image marker after it. The bytes go
/// into the PDF as they are (`DCTDecode`), so this is the reading a PDF viewer will need. Any
/// input, however damaged, gives `Some` or `None`, never a panic (fuzzed in `tests/fuzz.rs`).
fn jpeg(bytes: &[u8]) -> Option<Logo> {
    let mut i = 2;
    let mut frame: Option<(u32, u32, u8)> = None;
    let mut tables = false;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        // Markers without a length: TEM and RST0..RST7 (only inside scans) and a stray SOI.
        if marker == 0x01 || (0xD0..=0xD8).contains(&marker) {
            return None;
        }
        if marker == 0xD9 {
            return None; // the end before any scan
        }
        let len = u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]) as usize;
        if len < 2 {
            return None;
        }
        let seg = bytes.get(i + 4..i + 2 + len)?;
        match marker {
            // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if ![0xC4, 0xC8, 0xCC].contains(&marker) => {
                if frame.is_some() || seg.len() < 6 {
                    return None;
                }
                let (height, width, components) = (
                    u16::from_be_bytes([seg[1], seg[2]]) as u32,
                    u16::from_be_bytes([seg[3], seg[4]]) as u32,
                    seg[5],
                );
                if width == 0
                    || height == 0
                    || ![1, 3, 4].contains(&components)
                    || seg.len() < 6 + 3 * components as usize
                {
                    return None;
                }
                if width as u64 * height as u64 > MAX_PIXELS {
                    return None;
                }
                frame = Some((width, height, components));
            }
            0xDB => tables = true,
            0xDA => {
                let (width, height, components) = frame?;
                if !tables || seg.is_empty() || seg[0] == 0 || seg[0] > 4 {
                    return None;
                }
                // Entropy-coded data follows; the image ends with FF D9 somewhere after it.
                let data = bytes.get(i + 2 + len..)?;
                if !data.windows(2).any(|w| w == [0xFF, 0xD9]) {
                    return None;
                }
                return Some(Logo {
                    width,
                    height,
                    pixels: Pixels::Jpeg {
                        bytes: bytes.to_vec(),
                        components,
                    },
                });
            }
            _ => {}
        }
        i += 2 + len;
    }
}

fn png_logo(bytes: &[u8]) -> Option<Logo> {
    let mut dec = png::Decoder::new_with_limits(
        std::io::Cursor::new(bytes),
        png::Limits { bytes: 128 << 20 },
    );
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().ok()?;
    {
        let info = reader.info();
        if info.width as u64 * info.height as u64 > MAX_PIXELS {
            return None;
        }
    }
    let mut buf = vec![0; reader.output_buffer_size()?];
    let out = reader.next_frame(&mut buf).ok()?;
    buf.truncate(out.line_size * out.height as usize);
    let (width, height) = (out.width, out.height);
    let n = (width * height) as usize;
    let (components, has_alpha) = match out.color_type {
        png::ColorType::Grayscale => (1u8, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => return None, // EXPAND turns palettes into RGB(A)
    };
    let stride = components as usize + has_alpha as usize;
    if buf.len() < n * stride {
        return None;
    }
    let (samples, alpha) = if has_alpha {
        let mut samples = Vec::with_capacity(n * components as usize);
        let mut alpha = Vec::with_capacity(n);
        for px in buf.chunks_exact(stride).take(n) {
            samples.extend_from_slice(&px[..components as usize]);
            alpha.push(px[components as usize]);
        }
        // A fully opaque alpha channel needs no mask.
        let opaque = alpha.iter().all(|&a| a == 255);
        (samples, (!opaque).then_some(alpha))
    } else {
        (buf, None)
    };
    Some(Logo {
        width,
        height,
        pixels: Pixels::Raw {
            samples,
            components,
            alpha,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3 × 2 RGBA PNG with one transparent pixel, written with the png crate.
    pub fn sample_png(alpha: u8) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, 3, 2);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc.write_header().unwrap();
            let mut data = vec![255u8; 3 * 2 * 4];
            data[3] = alpha;
            w.write_image_data(&data).unwrap();
        }
        out
    }

    #[test]
    fn png_is_decoded_with_its_transparency_as_a_mask() {
        let logo = Logo::decode(&sample_png(0)).unwrap();
        assert_eq!((logo.width, logo.height), (3, 2));
        let x = logo.xobject();
        assert!(
            x.stream.dict.contains_key("SMask"),
            "transparent pixels keep their transparency"
        );
        assert_eq!(
            x.stream.content.len(),
            3 * 2 * 3,
            "RGB samples without the alpha"
        );
        let opaque = Logo::decode(&sample_png(255)).unwrap().xobject();
        assert!(
            !opaque.stream.dict.contains_key("SMask"),
            "an opaque PNG needs no mask"
        );
    }

    #[test]
    fn jpeg_goes_in_as_it_is_and_junk_is_not_a_logo() {
        // The smallest frame header a JPEG needs: SOI, APP0 (skipped), SOF0 24 × 10, 3 components.
        // Then a quantisation table, the scan header, a little entropy-coded data and EOI.
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        j.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
        j.extend_from_slice(&[1u8; 64]);
        j.extend_from_slice(&[
            0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x0A, 0x00, 0x18, 0x03, 1, 0x11, 0, 2, 0x11, 0, 3,
            0x11, 0,
        ]);
        j.extend_from_slice(&[
            0xFF, 0xDA, 0x00, 0x0C, 0x03, 1, 0x00, 2, 0x11, 3, 0x11, 0x00, 0x3F, 0x00, 0x12, 0x34,
            0xFF, 0xD9,
        ]);
        let logo = Logo::decode(&j).unwrap();
        assert_eq!((logo.width, logo.height), (24, 10));
        let x = logo.xobject();
        assert_eq!(x.stream.content, j, "the JPEG bytes, untouched");
        assert_eq!(
            x.stream.dict.get("Filter"),
            Some(&DictItem::Name(b"DCTDecode".to_vec()))
        );
        assert!(Logo::decode(b"GIF89a").is_none());
        assert!(Logo::decode(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]).is_none());
        assert!(
            Logo::decode(&sample_png(0)[..40]).is_none(),
            "a cut PNG is not a logo"
        );
        assert!(
            Logo::decode(&j[..j.len() - 2]).is_none(),
            "a JPEG cut before its end marker is not a logo"
        );
    }

    #[test]
    fn a_damaged_jpeg_header_is_refused_not_read_past_its_end() {
        // `set_logo {"dataBase64":"/9j/wAAC"}`: SOI then a frame header of length 2.
        assert!(Logo::decode(&[0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x02]).is_none());
        for cut in [3usize, 4, 5, 7, 9] {
            let mut j = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, cut as u8];
            j.extend_from_slice(&[8, 0, 10, 0, 24, 3, 1, 0x11, 0][..cut.saturating_sub(2).min(9)]);
            assert!(Logo::decode(&j).is_none(), "frame header of length {cut}");
        }
        // Every prefix of a valid file: refused or read, never a panic.
        let good = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logo.jpg"),
        )
        .unwrap();
        assert!(Logo::decode(&good).is_some());
        for n in 0..good.len().min(2000) {
            let _ = Logo::decode(&good[..n]);
        }
    }
}
