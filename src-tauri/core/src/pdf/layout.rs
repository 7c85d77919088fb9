//! A pure layout model: pages of positioned text runs, rules and boxes in millimetres (origin
//! top-left, y down). Documents are laid out here and only then drawn by `render`, so layouts
//! can be tested as text dumps and by geometry (e.g. "the address is inside the window").

use super::fonts::{metrics, printable};
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        grey: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A profile image in a box (top-left corner, size in mm): `name` is `logo`, `signature`
    /// or `seal`.
    Image {
        name: &'static str,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        logo: std::sync::Arc<super::logo::Logo>,
    },
    /// A rectangle; `fill` paints it light grey, otherwise it is outlined.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: bool,
    },
}

impl Item {
    /// The box the item covers on the page, (left, top, right, bottom) in mm: a text's advance
    /// width from the font's ascent to its descent, an image's box. Rules and shading have none
    /// (text may sit on them).
    pub fn bbox(&self) -> Option<(f32, f32, f32, f32)> {
        match self {
            Item::Text {
                x,
                y,
                size,
                bold,
                text,
                ..
            } => {
                let (up, down) = metrics(*bold).ascent_descent_mm(*size);
                Some((*x, y - up, x + width(text, *size, *bold), y + down))
            }
            Item::Image { x, y, w, h, .. } => Some((*x, *y, x + w, y + h)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageLayout {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
    /// Named groups of items (indexes into `items`), for tests that check where a part of
    /// the page sits: `recipient` is the address block in the envelope window.
    pub marks: Vec<(&'static str, std::ops::Range<usize>)>,
}

/// Paper sizes in mm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    /// A4 turned sideways, for wide official forms (the act of completed works, Р-1).
    A4Landscape,
    Letter,
}

impl Paper {
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A4Landscape => (297.0, 210.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

/// Writes pages; keeps a cursor and opens new pages with a repeated header when needed.
pub struct Doc {
    pub paper: Paper,
    pub pages: Vec<PageLayout>,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
    pub y: f32,
}

/// A page for the in-app preview, in mm: each text with its measured width `w` (so the preview
/// can stretch the webview's font to the PDF's exact advance widths).
#[derive(Debug, Serialize)]
pub struct PageView {
    pub width: f32,
    pub height: f32,
    pub items: Vec<ItemView>,
}

/// One item of a previewed page, positions rounded to 0.01 mm.
#[derive(Debug, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum ItemView {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        grey: bool,
        text: String,
        w: f32,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: bool,
    },
    Image {
        name: &'static str,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// A laid-out page as the preview draws it.
pub fn page_view(p: &PageLayout) -> PageView {
    let r = |v: f32| (v * 100.0).round() / 100.0;
    let items = p
        .items
        .iter()
        .map(|it| match it {
            Item::Text {
                x,
                y,
                size,
                bold,
                grey,
                text,
            } => ItemView::Text {
                x: r(*x),
                y: r(*y),
                size: *size,
                bold: *bold,
                grey: *grey,
                text: text.clone(),
                w: r(width(text, *size, *bold)),
            },
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
            } => ItemView::Line {
                x1: r(*x1),
                y1: r(*y1),
                x2: r(*x2),
                y2: r(*y2),
                width: *width,
            },
            Item::Rect { x, y, w, h, fill } => ItemView::Rect {
                x: r(*x),
                y: r(*y),
                w: r(*w),
                h: r(*h),
                fill: *fill,
            },
            Item::Image {
                name, x, y, w, h, ..
            } => ItemView::Image {
                name,
                x: r(*x),
                y: r(*y),
                w: r(*w),
                h: r(*h),
            },
        })
        .collect();
    PageView {
        width: p.width,
        height: p.height,
        items,
    }
}

/// Points → mm for line heights.
pub fn pt(p: f32) -> f32 {
    p * 25.4 / 72.0
}

pub fn width(text: &str, size: f32, bold: bool) -> f32 {
    metrics(bold).width_mm(text, size)
}

/// The largest size from `size` down to `floor` (in 0.25 pt steps) at which `text` fits in
/// `max` mm; `None` when it does not fit even at the floor. For one-line fields that must
/// shrink rather than overflow.
pub fn fit_size(text: &str, size: f32, floor: f32, bold: bool, max: f32) -> Option<f32> {
    let mut s = size;
    loop {
        if width(text, s, bold) <= max {
            return Some(s);
        }
        if s <= floor {
            return None;
        }
        s = (s - 0.25).max(floor);
    }
}

/// Breaks `text` into lines no wider than `max` mm (words longer than a line are cut).
pub fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size, bold) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            // A single word too long for the line: cut it.
            let mut piece = String::new();
            for ch in word.chars() {
                piece.push(ch);
                if width(&piece, size, bold) > max {
                    piece.pop();
                    out.push(std::mem::take(&mut piece));
                    piece.push(ch);
                }
            }
            line = piece;
        }
        out.push(line);
    }
    while out.len() > 1 && out.last().map(|l| l.is_empty()).unwrap_or(false) {
        out.pop();
    }
    out
}

impl Doc {
    pub fn new(paper: Paper) -> Doc {
        let (w, h) = paper.size();
        let mut d = Doc {
            paper,
            pages: Vec::new(),
            left: 20.0,
            right: w - 20.0,
            top: 20.0,
            bottom: h - 22.0,
            y: 20.0,
        };
        d.new_page();
        d
    }

    pub fn new_page(&mut self) {
        let (w, h) = self.paper.size();
        self.pages.push(PageLayout {
            width: w,
            height: h,
            items: Vec::new(),
            marks: Vec::new(),
        });
        self.y = self.top;
    }

    /// The number of items on the current page (to open a mark with [`Doc::mark`]).
    pub fn item_count(&self) -> usize {
        self.pages.last().map_or(0, |p| p.items.len())
    }

    /// Names the items added on the current page since `from` (see [`PageLayout::marks`]).
    pub fn mark(&mut self, name: &'static str, from: usize) {
        let end = self.item_count();
        self.page().marks.push((name, from..end));
    }

    /// A title in `size` bold at the cursor, wrapped to the text width; the cursor ends on
    /// its last baseline.
    pub fn title(&mut self, size: f32, text: &str) {
        let (left, right) = (self.left, self.right);
        let lines = wrap(&printable(text), size, true, right - left);
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                self.y += pt(size) * 1.2;
            }
            self.text(left, self.y, size, true, l);
        }
    }

    fn page(&mut self) -> &mut PageLayout {
        self.pages.last_mut().expect("a document always has a page")
    }

    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let text = printable(text);
        if !text.trim().is_empty() {
            self.page().items.push(Item::Text {
                x,
                y,
                size,
                bold,
                grey: false,
                text,
            });
        }
    }

    pub fn grey_text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        let text = printable(text);
        if !text.trim().is_empty() {
            self.page().items.push(Item::Text {
                x,
                y,
                size,
                bold: false,
                grey: true,
                text,
            });
        }
    }

    /// Text ending exactly at `right` (amounts).
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, text: &str) {
        let text = printable(text);
        let w = width(&text, size, bold);
        self.text(right - w, y, size, bold, &text);
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.page().items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
        });
    }

    /// The logo fitted into a `max_w` × `max_h` box at (x, y), keeping its proportions.
    pub fn logo(
        &mut self,
        x: f32,
        y: f32,
        max_w: f32,
        max_h: f32,
        logo: &std::sync::Arc<super::logo::Logo>,
    ) {
        self.image("logo", x, y, max_w, max_h, logo);
    }

    /// A named image fitted into a `max_w` × `max_h` box at (x, y), keeping its proportions.
    pub fn image(
        &mut self,
        name: &'static str,
        x: f32,
        y: f32,
        max_w: f32,
        max_h: f32,
        img: &std::sync::Arc<super::logo::Logo>,
    ) {
        let (w, h) = if img.aspect() >= max_w / max_h {
            (max_w, max_w / img.aspect())
        } else {
            (max_h * img.aspect(), max_h)
        };
        self.page().items.push(Item::Image {
            name,
            x,
            y,
            w,
            h,
            logo: img.clone(),
        });
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: bool) {
        self.page().items.push(Item::Rect { x, y, w, h, fill });
    }

    /// Wrapped paragraph at the cursor; returns its height.
    pub fn paragraph(&mut self, x: f32, max: f32, size: f32, bold: bool, text: &str) -> f32 {
        let lh = pt(size) * 1.35;
        let lines = wrap(&printable(text), size, bold, max);
        let start = self.y;
        for l in lines {
            self.ensure(lh);
            self.y += lh;
            self.text(x, self.y - lh * 0.25, size, bold, &l);
        }
        self.y - start
    }

    /// Starts a new page unless `h` mm still fit.
    pub fn ensure(&mut self, h: f32) -> bool {
        if self.y + h > self.bottom {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Names the document and the customer at the top of every page after the first, so a
    /// page that comes loose from the others still says what it belongs to: one line, smaller
    /// type (down to 6.5 pt) for long names, then the customer's name shortened with "…".
    pub fn running_head(&mut self, document: &str, customer: &str) {
        let (left, right) = (self.left, self.right);
        let (document, customer) = (printable(document), printable(customer));
        let full = format!("{document} — {customer}");
        let (size, line) = match fit_size(&full, 8.0, 6.5, false, right - left) {
            Some(size) => (size, full),
            None => {
                // Too long even at 6.5 pt: the longer of the two is shortened, a character at
                // a time, so each keeps its beginning.
                let (mut doc, mut name): (Vec<char>, Vec<char>) =
                    (document.chars().collect(), customer.chars().collect());
                let (doc_len, name_len) = (doc.len(), name.len());
                let join = |doc: &[char], name: &[char]| {
                    let part = |p: &[char], full: usize| {
                        let t: String = p.iter().collect();
                        if p.len() < full {
                            format!("{}…", t.trim_end())
                        } else {
                            t
                        }
                    };
                    format!("{} — {}", part(doc, doc_len), part(name, name_len))
                };
                let mut line = join(&doc, &name);
                while width(&line, 6.5, false) > right - left && doc.len() + name.len() > 2 {
                    if doc.len() > name.len() {
                        doc.pop();
                    } else {
                        name.pop();
                    }
                    line = join(&doc, &name);
                }
                (6.5, line)
            }
        };
        for p in self.pages.iter_mut().skip(1) {
            p.items.push(Item::Text {
                x: left,
                y: 13.0,
                size,
                bold: false,
                grey: true,
                text: line.clone(),
            });
        }
    }

    /// Adds "page n / m" (in the given words) to every page once the document is complete.
    pub fn number_pages(&mut self, label: impl Fn(usize, usize) -> String) {
        let n = self.pages.len();
        let right = self.right;
        for (i, p) in self.pages.iter_mut().enumerate() {
            let text = label(i + 1, n);
            let w = width(&text, 8.0, false);
            p.items.push(Item::Text {
                x: right - w,
                y: p.height - 10.0,
                size: 8.0,
                bold: false,
                grey: true,
                text,
            });
        }
    }
}

/// A stable text dump of a layout for golden tests (0.1 mm precision).
pub fn dump(pages: &[PageLayout]) -> String {
    let mut out = String::new();
    for (i, p) in pages.iter().enumerate() {
        let _ = writeln!(out, "page {} {:.1}x{:.1}", i + 1, p.width, p.height);
        for it in &p.items {
            let _ = match it {
                Item::Text {
                    x,
                    y,
                    size,
                    bold,
                    text,
                    ..
                } => writeln!(
                    out,
                    "  text {x:.1},{y:.1} {size}{} {text:?}",
                    if *bold { "b" } else { "" }
                ),
                Item::Line { x1, y1, x2, y2, .. } => {
                    writeln!(out, "  line {x1:.1},{y1:.1} {x2:.1},{y2:.1}")
                }
                Item::Rect { x, y, w, h, fill } => writeln!(
                    out,
                    "  rect {x:.1},{y:.1} {w:.1}x{h:.1}{}",
                    if *fill { " fill" } else { "" }
                ),
                Item::Image {
                    name,
                    x,
                    y,
                    w,
                    h,
                    logo,
                } => writeln!(
                    out,
                    "  {name} {x:.1},{y:.1} {w:.1}x{h:.1} ({}x{} px)",
                    logo.width, logo.height
                ),
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_never_overflows_and_keeps_every_character() {
        let text = "Ремонт холодильника Samsung RB37 с заменой компрессора, заправкой фреоном R600a и выездом мастера в пригород";
        let lines = wrap(text, 9.0, false, 50.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(width(l, 9.0, false) <= 50.0 + 1e-3, "{l} is too wide");
        }
        assert_eq!(lines.join(" "), text);
        let long = "Ү".repeat(200);
        let cut = wrap(&long, 9.0, false, 30.0);
        assert!(cut.iter().all(|l| width(l, 9.0, false) <= 30.0));
        assert_eq!(cut.concat(), long);
    }

    #[test]
    fn right_aligned_text_ends_at_the_column_edge() {
        let mut d = Doc::new(Paper::A4);
        d.text_right(190.0, 50.0, 9.0, false, "1 234 567,89 ₸");
        let Item::Text {
            x,
            text,
            size,
            bold,
            ..
        } = &d.pages[0].items[0]
        else {
            panic!()
        };
        assert!((x + width(text, *size, *bold) - 190.0).abs() < 0.1);
    }
}
