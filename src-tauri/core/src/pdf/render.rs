//! Draws a layout with printpdf: fonts parsed once per process, subset and compressed.

use super::fonts::{BOLD, REGULAR};
use super::layout::{Item, PageLayout};
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};
use std::sync::OnceLock;

fn parsed(bold: bool) -> &'static ParsedFont {
    static R: OnceLock<ParsedFont> = OnceLock::new();
    static B: OnceLock<ParsedFont> = OnceLock::new();
    let cell = if bold { &B } else { &R };
    cell.get_or_init(|| {
        ParsedFont::from_bytes(if bold { BOLD } else { REGULAR }, 0, &mut Vec::new())
            .expect("embedded font parses")
    })
}

fn mm(v: f32) -> Pt {
    Mm(v).into()
}

/// Renders pages to PDF bytes. `title` goes into the document info.
pub fn render(title: &str, pages: &[PageLayout]) -> Vec<u8> {
    let mut doc = PdfDocument::new(title);
    let uses_bold = pages.iter().any(|p| {
        p.items
            .iter()
            .any(|i| matches!(i, Item::Text { bold: true, .. }))
    });
    let regular: FontId = doc.add_font(parsed(false));
    let bold: Option<FontId> = uses_bold.then(|| doc.add_font(parsed(true)));
    let black = Color::Greyscale(Greyscale::new(0.0, None));
    let grey = Color::Greyscale(Greyscale::new(0.4, None));
    let light = Color::Greyscale(Greyscale::new(0.93, None));
    // Each distinct logo is embedded once and used on every page that shows it.
    let mut logos: Vec<(*const super::logo::Logo, printpdf::XObjectId)> = Vec::new();
    let mut out_pages = Vec::with_capacity(pages.len());
    for p in pages {
        let h = p.height;
        let mut ops = Vec::with_capacity(p.items.len() * 4);
        for it in p.items.iter().filter(|i| {
            matches!(
                i,
                Item::Rect { .. } | Item::Line { .. } | Item::Image { .. }
            )
        }) {
            match it {
                Item::Rect {
                    x,
                    y,
                    w,
                    h: rh,
                    fill,
                } => {
                    if *fill {
                        ops.push(Op::SetFillColor { col: light.clone() });
                    } else {
                        ops.push(Op::SetOutlineColor { col: black.clone() });
                        ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
                    }
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: mm(*x),
                            y: mm(h - y - rh),
                            width: mm(*w),
                            height: mm(*rh),
                            mode: Some(if *fill {
                                PaintMode::Fill
                            } else {
                                PaintMode::Stroke
                            }),
                            winding_order: None,
                        },
                    });
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    ops.push(Op::SetOutlineColor { col: black.clone() });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: Point {
                                        x: mm(*x1),
                                        y: mm(h - y1),
                                    },
                                    bezier: false,
                                },
                                LinePoint {
                                    p: Point {
                                        x: mm(*x2),
                                        y: mm(h - y2),
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
                Item::Image {
                    x,
                    y,
                    w,
                    h: ih,
                    logo,
                    ..
                } => {
                    let key = std::sync::Arc::as_ptr(logo);
                    let id = match logos.iter().find(|(k, _)| *k == key) {
                        Some((_, id)) => id.clone(),
                        None => {
                            let id = doc.add_xobject(&logo.xobject());
                            logos.push((key, id.clone()));
                            id
                        }
                    };
                    // The image fills the unit square: scale it to the box, then move it there.
                    ops.push(Op::UseXobject {
                        id,
                        transform: printpdf::XObjectTransform {
                            translate_x: Some(mm(*x)),
                            translate_y: Some(mm(h - y - ih)),
                            scale_x: Some(mm(*w).0),
                            scale_y: Some(mm(*ih).0),
                            no_auto_scale: true,
                            ..Default::default()
                        },
                    });
                }
                Item::Text { .. } => {}
            }
        }
        ops.push(Op::StartTextSection);
        let mut current: Option<(bool, f32, bool)> = None;
        for it in &p.items {
            if let Item::Text {
                x,
                y,
                size,
                bold: b,
                grey: g,
                text,
            } = it
            {
                if current.map(|(cb, cs, _)| (cb, cs)) != Some((*b, *size)) {
                    let id = if *b {
                        bold.clone().unwrap_or_else(|| regular.clone())
                    } else {
                        regular.clone()
                    };
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(id),
                        size: Pt(*size),
                    });
                }
                if current.map(|c| c.2) != Some(*g) {
                    ops.push(Op::SetFillColor {
                        col: if *g { grey.clone() } else { black.clone() },
                    });
                }
                current = Some((*b, *size, *g));
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(mm(*x), mm(h - y)),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                });
            }
        }
        ops.push(Op::EndTextSection);
        out_pages.push(PdfPage::new(Mm(p.width), Mm(p.height), ops));
    }
    // Fonts subset; streams compressed here rather than by `optimize` (which uses zlib's
    // slowest level): see `COMPRESSION`.
    let opts = PdfSaveOptions {
        subset_fonts: true,
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut lo = doc
        .with_pages(out_pages)
        .to_lopdf_document(&opts, &mut Vec::new());
    for object in lo.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            compress(stream);
        }
    }
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .expect("writing to memory does not fail");
    out
}

/// The zlib level for the PDF's streams (content, font subsets, ToUnicode maps): 1, the
/// fastest. Measured with the documents bench (README, Performance): level 9 (lopdf's) made
/// the one-page invoice in 2.6 ms median at 15.5 KB, level 1 in 2.1 ms at 16.6 KB; a
/// 1,000-line statement 59 → 29 ms, a batch of 1,000 invoices 0.9 → 0.5 ms each.
const COMPRESSION: u32 = 1;

/// Compresses a stream that allows it and is not already encoded, when that makes it smaller.
fn compress(stream: &mut lopdf::Stream) {
    use std::io::Write;
    if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
        return;
    }
    let mut encoder =
        flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(COMPRESSION));
    if encoder.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(compressed) = encoder.finish() {
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}
