//! Moving in and out: CSV import of customers (with opening balances) and of unbilled
//! services, and CSV exports for the accountant.
//!
//! Import is two commands over the same analysis: `import_preview` reads the file, detects
//! encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1251) and delimiter
//! (`;`, `,`, tab, `|`), maps columns from their headers (in kk, ru or en; the caller can
//! override), converts every cell and runs every row through the same validation the
//! commands use, and lists every row's problems with its line number. Nothing is written.
//! `import_csv` repeats the analysis and, only when there is no problem at all, writes every
//! row in one transaction: all or nothing.
//!
//! Amounts accept `1 234,50` and `1,234.50`; a value like `1,234` is ambiguous alone, so the
//! file's other amounts decide, and when none does the preview asks (`needsDecimalChoice`).
//! Dates accept `2026-11-27`, `27.11.2026` and `27/11/2026` (`dateOrder: mdy` for US files).
//!
//! Exports are UTF-8 with a BOM so Excel shows Cyrillic correctly; with `delimiter: ";"`
//! (what Excel expects in Kazakh and Russian locales) amounts use a decimal comma too.
//!
//! The parts: `import` (the analysis and the import) and `export`; reading and writing CSV
//! itself is `crate::csvfile`.

mod export;
mod import;

pub use crate::csvfile::{
    escape_cell, unescape_cell, DateOrder, DecimalSeparator, Delimiter, Encoding,
};
pub use export::*;
pub use import::*;

#[cfg(test)]
mod tests {
    use crate::csvfile::normalize::*;
    use crate::csvfile::*;
    use chrono::NaiveDate;

    #[test]
    fn amounts_in_both_conventions() {
        assert_eq!(vote("1 234,50"), Vote::DecimalComma);
        assert_eq!(vote("1,234.50"), Vote::DecimalDot);
        assert_eq!(vote("1.234,50 ₸"), Vote::DecimalComma);
        assert_eq!(vote("1,234"), Vote::Ambiguous);
        assert_eq!(
            vote("0,234"),
            Vote::DecimalComma,
            "a leading zero is never a thousands group"
        );
        assert_eq!(vote("12,5"), Vote::DecimalComma);
        assert_eq!(
            vote("1,234,567"),
            Vote::DecimalDot,
            "two commas are thousands"
        );
        assert_eq!(vote("1500"), Vote::Integer);
        assert_eq!(
            normalize_number("1 234,50", ',').as_deref(),
            Some("1234.50")
        );
        assert_eq!(
            normalize_number("1,234.50", '.').as_deref(),
            Some("1234.50")
        );
        assert_eq!(
            normalize_number("-1 234,50 тг.", ',').as_deref(),
            Some("-1234.50")
        );
        assert_eq!(normalize_number("(12.5)", '.').as_deref(), Some("-12.5"));
        assert_eq!(normalize_number("1,234", ',').as_deref(), Some("1.234"));
        assert_eq!(normalize_number("1,234", '.').as_deref(), Some("1234"));
        assert_eq!(normalize_number("12a4", '.'), None);
        assert_eq!(normalize_number("12abc", '.'), None);
        assert_eq!(
            normalize_number("$1,234.50", '.').as_deref(),
            Some("1234.50")
        );
        assert_eq!(
            normalize_number("1234.50 KZT", '.').as_deref(),
            Some("1234.50")
        );
        assert_eq!(normalize_number("1e400", '.'), None);
        assert_eq!(normalize_number("NaN", '.'), None);
        assert_eq!(normalize_number("1,2,3", ','), None);
    }

    #[test]
    fn dates_in_local_formats() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(normalize_date("2026-11-27", false), Some(d));
        assert_eq!(normalize_date("27.11.2026", false), Some(d));
        assert_eq!(normalize_date("27.11.2026 0:00:00", false), Some(d));
        assert_eq!(normalize_date("27/11/2026", false), Some(d));
        assert_eq!(normalize_date("11/27/2026", true), Some(d));
        assert_eq!(normalize_date("27.11.26", false), Some(d));
        assert_eq!(normalize_date("30.02.2026", false), None);
        assert_eq!(normalize_date("2026-02-30", false), None);
        assert_eq!(normalize_date("yesterday", false), None);
    }

    #[test]
    fn encodings_and_delimiters_are_detected() {
        let cp1251 = encoding_rs::WINDOWS_1251
            .encode("Имя;Сумма\r\nҚайрат;1 234,50\r\n")
            .0
            .into_owned();
        // Windows-1251 has no Kazakh letters: Excel writes them as '?'. Cyrillic survives.
        let (text, enc) = decode(&cp1251, None).unwrap();
        assert_eq!(enc, "windows-1251");
        assert!(text.starts_with("Имя;Сумма"));
        let (text, enc) = decode("\u{feff}name,balance\n".as_bytes(), None).unwrap();
        assert_eq!((text.as_str(), enc), ("name,balance\n", "utf-8-bom"));
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("a,b,c\n"), b',');
        assert_eq!(
            detect_delimiter("\"a;x\",b,c\n"),
            b',',
            "delimiters inside quotes do not count"
        );
        assert_eq!(detect_delimiter("a\tb\n"), b'\t');
        assert_eq!(detect_delimiter("name\n"), b',');
    }

    #[test]
    fn text_cells_that_would_be_formulas_are_neutralised_and_read_back_unchanged() {
        for cell in [
            "=HYPERLINK(\"http://x\",\"pay\")",
            "+7 701 123 45 67",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "'quoted",
            "''",
            "'=x",
        ] {
            let out = escape_cell(cell);
            assert!(
                out.starts_with('\''),
                "{cell:?} is written as text: {out:?}"
            );
            assert_eq!(unescape_cell(&out), cell, "and imported back as it was");
        }
        for cell in ["-1234.50", "-12,5", "0", "Алма", "2026-11-27", "", "-"] {
            let expect_same = cell != "-";
            assert_eq!(escape_cell(cell) == cell, expect_same, "{cell:?}");
        }
        assert_eq!(
            unescape_cell("'abc"),
            "'abc",
            "a user's own apostrophe before plain text stays"
        );
        let csv = write_csv(
            Style { delimiter: b';' },
            &["name", "phone", "balance"],
            vec![vec![
                "=cmd|' /C calc'!A0".into(),
                "+7 701 000 00 00".into(),
                "-15,00".into(),
            ]],
        )
        .unwrap();
        assert!(csv.contains("'=cmd"), "{csv}");
        assert!(csv.contains(";'+7 701"), "{csv}");
        assert!(
            csv.contains(";-15,00\r\n"),
            "a negative amount stays a number: {csv}"
        );
        let t = read_table(csv.trim_start_matches('\u{feff}'), b';').unwrap();
        assert_eq!(
            t.rows[0].1,
            ["=cmd|' /C calc'!A0", "+7 701 000 00 00", "-15,00"]
        );
    }

    #[test]
    fn a_file_with_too_many_columns_is_refused_before_its_headers_are_built() {
        let wide = format!("{}\n", ",".repeat(2_000_000));
        assert_eq!(
            read_table(&wide, b',').err().map(|e| e.message_key()),
            Some("error.csv.tooManyColumns")
        );
        let quoted = format!("\"{}\",b\n1,2\n", ",".repeat(10_000));
        assert_eq!(
            read_table(&quoted, b',').unwrap().headers.len(),
            2,
            "delimiters inside quotes are not columns"
        );
        let inch = format!("size 5\",b\n{}", "1,2\n".repeat(600));
        assert_eq!(
            read_table(&inch, b',').unwrap().headers.len(),
            2,
            "a quote inside a plain field opens nothing"
        );
        let row = format!("a,b\n{}\n", ",".repeat(MAX_COLUMNS + 1));
        assert_eq!(
            read_table(&row, b',').err().map(|e| e.message_key()),
            Some("error.csv.tooManyColumns"),
            "a wide data row too"
        );
    }

    #[test]
    fn quoted_fields_keep_newlines_and_lines_are_counted() {
        let t = read_table(
            "name,address\n\"Asel\",\"Abay 1\nAlmaty\"\n\nBolat,x\n",
            b',',
        )
        .unwrap();
        assert_eq!(t.headers, ["name", "address"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(
            t.rows[0],
            (2, vec!["Asel".to_string(), "Abay 1\nAlmaty".to_string()])
        );
        assert_eq!(t.rows[1].0, 5, "the line number where the record starts");
    }

    #[test]
    fn headers_map_in_any_language() {
        assert_eq!(
            header_key("Контактное лицо"),
            header_key("контактное  лицо")
        );
        assert_eq!(normalize_language("Қазақша"), "kk");
        assert_eq!(normalize_currency("тг."), "KZT");
        assert_eq!(normalize_currency("usd"), "USD");
    }
}
