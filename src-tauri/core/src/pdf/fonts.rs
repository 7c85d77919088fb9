//! The embedded fonts (DejaVu Sans regular and bold: Latin, Cyrillic with the Kazakh letters,
//! ₸ € $ №) and text measurement from their real glyph advances.

use std::sync::OnceLock;

pub const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
pub const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// Advance widths in font units for one face, with a fast path for the first 0x500 chars.
pub struct Metrics {
    units_per_em: f32,
    ascent: f32,
    descent: f32,
    table: Vec<u16>,
    face: ttf_parser::Face<'static>,
}

impl Metrics {
    fn new(bytes: &'static [u8]) -> Metrics {
        let face = ttf_parser::Face::parse(bytes, 0).expect("the embedded font parses");
        let table = (0u32..0x500)
            .map(|c| {
                char::from_u32(c)
                    .and_then(|ch| face.glyph_index(ch))
                    .and_then(|g| face.glyph_hor_advance(g))
                    .unwrap_or(0)
            })
            .collect();
        let em = face.units_per_em() as f32;
        Metrics {
            units_per_em: em,
            ascent: face.ascender() as f32 / em,
            descent: -(face.descender() as f32) / em,
            table,
            face,
        }
    }

    pub fn has(&self, ch: char) -> bool {
        self.face.glyph_index(ch).is_some()
    }

    fn advance(&self, ch: char) -> u16 {
        let c = ch as usize;
        if c < self.table.len() {
            return self.table[c];
        }
        self.face
            .glyph_index(ch)
            .and_then(|g| self.face.glyph_hor_advance(g))
            .unwrap_or(0)
    }

    /// How far the font's glyphs reach above and below the baseline at `size_pt`, in mm.
    pub fn ascent_descent_mm(&self, size_pt: f32) -> (f32, f32) {
        let em = size_pt * 25.4 / 72.0;
        (self.ascent * em, self.descent * em)
    }

    /// Width of `text` at `size_pt`, in millimetres.
    pub fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text.chars().map(|c| self.advance(c) as u32).sum();
        units as f32 / self.units_per_em * size_pt * 25.4 / 72.0
    }
}

/// Parsed once per process.
pub fn metrics(bold: bool) -> &'static Metrics {
    static R: OnceLock<Metrics> = OnceLock::new();
    static B: OnceLock<Metrics> = OnceLock::new();
    if bold {
        B.get_or_init(|| Metrics::new(BOLD))
    } else {
        R.get_or_init(|| Metrics::new(REGULAR))
    }
}

/// Replaces characters the font cannot show (and control characters) so nothing disappears
/// silently: they print as "?".
pub fn printable(text: &str) -> String {
    let m = metrics(false);
    text.chars()
        .map(|c| {
            if c == '\t' {
                ' '
            } else if c.is_control() || (!m.has(c) && c != ' ') {
                '?'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_cover_kazakh_russian_and_the_currency_signs() {
        for bold in [false, true] {
            let m = metrics(bold);
            for ch in "әғқңөұүһіӘҒҚҢӨҰҮҺІёЁщЩ₸€$№₽£".chars() {
                assert!(m.has(ch), "{ch} missing (bold {bold})");
            }
        }
    }

    #[test]
    fn widths_come_from_glyph_advances() {
        let m = metrics(false);
        assert!(
            m.width_mm("WWWW", 10.0) > m.width_mm("iiii", 10.0) * 2.0,
            "real advances, not character counts"
        );
        let w = m.width_mm("M", 10.0);
        assert!(
            (w - m.width_mm("M", 20.0) / 2.0).abs() < 1e-4,
            "linear in size"
        );
        assert_eq!(printable("a\u{7}b\u{10FFFF}"), "a?b?");
    }
}
