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
    pub const DIN_A: Envelope = Envelope {
        preset: Preset::DinA,
        dx: 0.0,
        dy: 0.0,
    };
    pub const DIN_B: Envelope = Envelope {
        preset: Preset::DinB,
        dx: 0.0,
        dy: 0.0,
    };
    pub const US10: Envelope = Envelope {
        preset: Preset::Us10,
        dx: 0.0,
        dy: 0.0,
    };

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

    /// The part of the page that shows through the window however the folded sheet sits in
    /// the envelope, as (x, y, width, height) in mm, offset included. A DIN sheet fills its
    /// envelope, so that is the window. A US letter folded in three (3⅔ in) rides up to 11.6 mm
    /// in its 4⅛ in envelope: only the band seen at both extremes, from the window's top with
    /// the sheet pushed up (4⅛ − ½ − 1⅛ in from the top) to its bottom with the sheet resting
    /// down (3⅔ − ½ in), always shows.
    pub fn safe_band(self) -> (f32, f32, f32, f32) {
        let (x, y, w, h) = self.window();
        match self.preset {
            Preset::Us10 => {
                let top = (4.125 - 0.5 - 1.125) * IN + self.dy;
                (x, top, w, y + h - top)
            }
            _ => (x, y, w, h),
        }
    }

    /// Where the recipient block goes: its left edge, the return-address line's baseline (DIN
    /// only: a US window is too low to hold one, the return address goes on the envelope), the
    /// top and bottom of the room for the recipient lines (3 mm inside the safe band) and
    /// their largest width.
    pub fn address_area(self) -> AddressArea {
        let (x, y, w, h) = self.safe_band();
        let inset = 5.0;
        match self.preset {
            Preset::Us10 => {
                // Never nearer than 6 mm to the paper's edge, whatever the user's offset.
                let left = (x + inset).max(6.0);
                AddressArea {
                    x: left,
                    return_line: None,
                    top: y + 3.0,
                    bottom: y + h - 3.0,
                    width: (x + w - 3.0 - left).min(90.0),
                }
            }
            _ => {
                // The first recipient line's baseline 14 mm below the window's top, as DIN 5008 places it.
                let (up, _) = super::fonts::metrics(true).ascent_descent_mm(10.0);
                AddressArea {
                    x: x + inset,
                    return_line: Some(y + 5.5),
                    top: y + 14.0 - up,
                    bottom: y + h - 3.0,
                    width: 74.0,
                }
            }
        }
    }
}

/// See [`Envelope::address_area`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AddressArea {
    pub x: f32,
    pub return_line: Option<f32>,
    pub top: f32,
    pub bottom: f32,
    pub width: f32,
}
