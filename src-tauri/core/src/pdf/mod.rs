//! PDF documents: a pure layout model (`layout`), the documents laid out from the books
//! (`documents`), and a small renderer to printpdf (`render`).

pub mod documents;
pub mod envelope;
pub mod fmt;
pub mod fonts;
pub mod layout;
pub mod logo;
pub mod render;
pub mod words;
