//! Window envelopes: where the recipient block goes so the address shows through the window.
//!
//! - DIN 5008 form A / form B (A4, DL/C5/C6 windows): address field 85 × 45 mm, 20 mm from the
//!   left edge, its top 27 mm (A) or 45 mm (B) from the top; fold marks at 87/192 mm (A) or
//!   105/210 mm (B); punch mark at 148.5 mm.
//! - US #10 (Letter, folded in three): the window is 4½ × 1⅛ in, ⅞ in from the envelope's left
//!   and ½ in from its bottom. The folded letter (11/3 in high) rests on the envelope's bottom
//!   with the top third facing the window, so the window's bottom edge is 11/3 − ½ in below the
//!   page top and its top edge 11/3 − 1⅝ in below it; the 8½ in letter sits centred in the
//!   9½ in envelope, so the window starts ⅞ − ½ in from the page's left edge. Fold marks at 1/3
//!   and 2/3 of the page.

use super::layout::Paper;

/// The envelope presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    DinA,
    DinB,
    Us10,
}

/// An envelope preset and the user's offset (mm, right and down) for their own envelopes and
/// printer: the recipient block and the calibration outline move by it; fold and punch marks
/// stay where the paper folds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Envelope {
    pub preset: Preset,
    pub dx: f32,
    pub dy: f32,
}

const IN: f32 = 25.4;

/// The largest offset accepted, in mm (either way).
pub const MAX_OFFSET_MM: f32 = 15.0;

impl Envelope {
    pub const CODES: &'static [&'static str] = &["din5008a", "din5008b", "us10"];
    pub const DIN_A: Envelope = Envelope { preset: Preset::DinA, dx: 0.0, dy: 0.0 };
    pub const DIN_B: Envelope = Envelope { preset: Preset::DinB, dx: 0.0, dy: 0.0 };
    pub const US10: Envelope = Envelope { preset: Preset::Us10, dx: 0.0, dy: 0.0 };

    pub fn parse(s: &str) -> Option<Envelope> {
        match s {
            "din5008a" => Some(Envelope::DIN_A),
            "din5008b" => Some(Envelope::DIN_B),
            "us10" => Some(Envelope::US10),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self.preset {
            Preset::DinA => "din5008a",
            Preset::DinB => "din5008b",
            Preset::Us10 => "us10",
        }
    }

    /// The same preset moved by the user's offset.
    pub fn with_offset(self, dx: f32, dy: f32) -> Envelope {
        Envelope { dx, dy, ..self }
    }

    pub fn paper(self) -> Paper {
        match self.preset {
            Preset::Us10 => Paper::Letter,
            _ => Paper::A4,
        }
    }

    /// The window on the page as printed for this user: (x, y, width, height) in mm from the
    /// top-left corner, offset included.
    pub fn window(self) -> (f32, f32, f32, f32) {
        let (x, y, w, h) = match self.preset {
            Preset::DinA => (20.0, 27.0, 85.0, 45.0),
            Preset::DinB => (20.0, 45.0, 85.0, 45.0),
            Preset::Us10 => {
                let panel = 11.0 / 3.0 * IN;
                let top = panel - (0.5 + 1.125) * IN;
                ((0.875 - 0.5) * IN, top, 4.5 * IN, 1.125 * IN)
            }
        };
        (x + self.dx, y + self.dy, w, h)
    }

    /// Fold marks (y in mm) and the punch mark, drawn at the left edge.
    pub fn fold_marks(self) -> Vec<f32> {
        match self.preset {
            Preset::DinA => vec![87.0, 192.0],
            Preset::DinB => vec![105.0, 210.0],
            Preset::Us10 => vec![11.0 / 3.0 * IN, 22.0 / 3.0 * IN],
        }
    }

    pub fn punch_mark(self) -> Option<f32> {
        match self.preset {
            Preset::Us10 => None,
            _ => Some(148.5),
        }
    }

    /// Where the return-address line and the first recipient line go, and how many recipient
    /// lines fit with a 3 mm margin inside the window.
    pub fn address_slots(self) -> (f32, f32, f32, usize) {
        let (x, y, _, h) = self.window();
        let inset = 5.0;
        let (ret, first) = match self.preset {
            Preset::Us10 => (y + 5.2, y + 10.0),
            _ => (y + 5.5, y + 14.0),
        };
        let line = 4.4;
        let lines = (((y + h - 3.0) - first) / line).floor() as usize + 1;
        (x + inset, ret, first, lines.min(7))
    }
}
