//! Fuzzing with proptest (#8): random JSON for every command through `api::call` (the path the
//! IPC handler and the CLI use), random bytes and mangled CSV for the importer, random files
//! as backups to restore. Properties: nothing panics, every refusal is a known error code,
//! a refused write changes nothing, the books stay sound.
//!
//! Cases per target: `ESEP_FUZZ_CASES` (default 600 in CI; e.g. 20000 for a long run).
//! Failures proptest finds are kept in `tests/fuzz.proptest-regressions` and replayed first.

mod common;
use common::Books;
use esep_core::{api, backup, db, Ctx};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use serde_json::{json, Map, Value};
use std::cell::{Cell, RefCell};

fn cases() -> u32 {
    std::env::var("ESEP_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600)
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/fuzz.proptest-regressions",
        ))),
        ..Config::default()
    })
}

/// Argument names every command knows, from the command table's own descriptions.
fn arg_names() -> Vec<String> {
    let mut names: Vec<String> = api::COMMANDS
        .iter()
        .flat_map(|c| {
            c.args()
                .split(|ch: char| !ch.is_ascii_alphanumeric())
                .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[0-9]{1,6}(\\.[0-9]{1,4})?",
        "-?[0-9 ,.]{1,12}",
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
        Just("1e400".to_string()),
        Just("NaN".to_string()),
        Just("Infinity".to_string()),
        Just("'; DROP TABLE invoices; --".to_string()),
        Just("\u{202e}\u{200f}e\u{301}😀\u{0}".to_string()),
        "\\PC{0,40}",
        Just("KZT".to_string()),
        Just("kk".to_string()),
        Just("invoice".to_string()),
        Just("customers".to_string()),
    ]
}

fn value(names: Vec<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..50).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, move |inner| {
        let names = names.clone();
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(names), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn args(names: Vec<String>) -> impl Strategy<Value = Value> {
    let v = value(names.clone());
    prop::collection::vec((prop::sample::select(names), v), 0..8)
        .prop_map(|kv| Value::Object(kv.into_iter().collect()))
}

#[test]
fn every_command_survives_random_arguments() {
    let names = arg_names();
    let commands: Vec<&'static str> = api::COMMANDS.iter().map(|c| c.name).collect();
    let mut b = Books::shop("2026-11-27");
    b.invoice(1, "100", "12", 5, "2026-11-01");
    b.ok("record_charge", json!({"customerId": 1, "serviceDate": "2026-11-20", "description": "x", "unitPrice": "10"}));
    let mut runner = runner();
    let executed = Cell::new(0u64);
    let errors = RefCell::new(std::collections::BTreeMap::<String, u64>::new());
    let b = RefCell::new(b);
    runner
        .run(
            &(prop::sample::select(commands), args(names)),
            |(cmd, a)| {
                executed.set(executed.get() + 1);
                let mut b = b.borrow_mut();
                let b = &mut *b;
                let writes = api::find(cmd).map(|c| c.writes).unwrap_or(false);
                let before = if writes {
                    Some(db::data_dump(&b.conn).unwrap())
                } else {
                    None
                };
                let mut ctx = Ctx::new(&mut b.conn, b.today);
                let r = api::call(&mut ctx, cmd, &a);
                if let Err(e) = &r {
                    prop_assert!(
                        ["validation", "not_found", "conflict", "not_editable"].contains(&e.code()),
                        "{cmd} {a}: unexpected {e:?}"
                    );
                    *errors.borrow_mut().entry(e.code().to_string()).or_default() += 1;
                    if let Some(before) = before {
                        prop_assert_eq!(
                            before,
                            db::data_dump(&b.conn).unwrap(),
                            "{} refused but wrote",
                            cmd
                        );
                    }
                }
                let problems = esep_core::books::audit::check(&b.conn).unwrap();
                prop_assert!(
                    problems.is_empty(),
                    "{cmd} {a} broke the books: {problems:?}"
                );
                Ok(())
            },
        )
        .unwrap();
    println!(
        "fuzz commands: {} calls, refusals by code {:?}",
        executed.get(),
        errors.borrow()
    );
}

fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        "[A-Za-zА-Яа-яӘәҚқ ]{0,12}",
        "-?[0-9]{1,3}([ .,][0-9]{3})*([.,][0-9]{1,2})?",
        "[0-3][0-9][./][01][0-9][./](20)?[0-9]{2}",
        Just("\"quoted;\nnewline\"".to_string()),
        Just("\"unterminated".to_string()),
        Just("KZT".to_string()),
        "\\PC{0,10}",
    ];
    let row = prop::collection::vec(cell, 1..7);
    let sep = prop::sample::select(vec![",", ";", "\t", "|"]);
    let header = prop::sample::subsequence(
        vec![
            "name",
            "Наименование",
            "balance",
            "Сальдо",
            "customer",
            "date",
            "description",
            "price",
            "currency",
            "email",
            "language",
        ],
        1..8,
    );
    prop_oneof![
        4 => (header, prop::collection::vec(row, 0..12), sep, any::<bool>(), any::<bool>()).prop_map(|(h, rows, sep, bom, cp1251)| {
            let mut text = h.join(sep);
            for r in rows {
                text.push_str("\r\n");
                text.push_str(&r.join(sep));
            }
            let mut bytes = if cp1251 { encoding_rs::WINDOWS_1251.encode(&text).0.into_owned() } else { text.into_bytes() };
            if bom && !cp1251 {
                bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
            }
            bytes
        }),
        1 => prop::collection::vec(any::<u8>(), 0..400),
    ]
}

use esep_core::books::profile::base64_encode as b64;

#[test]
fn the_csv_importer_survives_random_files() {
    let b = Books::shop("2026-11-27");
    let mut runner = runner();
    let (executed, imported) = (Cell::new(0u64), Cell::new(0u64));
    let b = RefCell::new(b);
    let options = (
        prop::sample::select(vec!["customers", "charges"]),
        prop::option::of(prop::sample::select(vec![",", "."])),
        prop::option::of(prop::sample::select(vec!["dmy", "mdy"])),
    );
    runner
        .run(
            &(csv_bytes(), options),
            |(bytes, (kind, decimal, order))| {
                executed.set(executed.get() + 1);
                let mut b = b.borrow_mut();
                let b = &mut *b;
                let mut a = json!({"kind": kind, "dataBase64": b64(&bytes)});
                if let Some(d) = decimal {
                    a["decimalSeparator"] = json!(d);
                }
                if let Some(o) = order {
                    a["dateOrder"] = json!(o);
                }
                let mut ctx = Ctx::new(&mut b.conn, b.today);
                let preview = api::call(&mut ctx, "import_preview", &a);
                let before = db::data_dump(&b.conn).unwrap();
                let mut ctx = Ctx::new(&mut b.conn, b.today);
                match api::call(&mut ctx, "import_csv", &a) {
                    Ok(_) => {
                        imported.set(imported.get() + 1);
                        prop_assert!(
                            preview.map(|p| p["ready"] == json!(true)).unwrap_or(false),
                            "imported what the preview did not call ready"
                        );
                    }
                    Err(e) => {
                        prop_assert_eq!(e.code(), "validation", "{:?}", e);
                        prop_assert_eq!(
                            before,
                            db::data_dump(&b.conn).unwrap(),
                            "a refused import wrote something"
                        );
                    }
                }
                prop_assert!(esep_core::books::audit::check(&b.conn).unwrap().is_empty());
                Ok(())
            },
        )
        .unwrap();
    println!(
        "fuzz CSV import: {} files, {} imported whole, the rest refused with nothing written",
        executed.get(),
        imported.get()
    );
}

#[test]
fn restoring_a_random_file_as_a_backup_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open(&dir.path().join("esep.sqlite3")).unwrap();
    let mut ctx = Ctx::new(&mut conn, common::d("2026-11-27"));
    api::call(
        &mut ctx,
        "save_profile",
        &json!({"name": "Fuzz", "currency": "KZT", "language": "kk"}),
    )
    .unwrap();
    let good = backup::backup_now(&conn, dir.path(), backup::KEEP).unwrap();
    let good_bytes = std::fs::read(&good).unwrap();
    let mut runner = runner();
    let executed = Cell::new(0u64);
    let conn = RefCell::new(conn);
    // Random bytes, and the real backup with random bytes overwritten (a damaged disk).
    let damage = prop::collection::vec((0..good_bytes.len(), any::<u8>()), 1..40);
    let file = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2000),
        damage.prop_map(move |hits| {
            let mut b = good_bytes.clone();
            for (at, v) in hits {
                b[at] = v;
            }
            b
        })
    ];
    runner
        .run(&file, |bytes| {
            executed.set(executed.get() + 1);
            let mut conn = conn.borrow_mut();
            let conn = &mut *conn;
            let path = backup::backup_dir(dir.path()).join("esep-29990101-000000.sqlite3");
            std::fs::write(&path, &bytes).unwrap();
            let before = db::data_dump(conn).unwrap();
            match backup::restore_into(conn, &path, dir.path()) {
                // A damaged copy that still passes integrity_check and check_books is a valid backup.
                Ok(_) => prop_assert!(esep_core::books::audit::check(conn).unwrap().is_empty()),
                Err(_) => prop_assert_eq!(
                    before,
                    db::data_dump(conn).unwrap(),
                    "a refused restore changed the books"
                ),
            }
            // Put the known state back for the next case.
            backup::restore_into(conn, &good, dir.path()).unwrap();
            for e in std::fs::read_dir(backup::backup_dir(dir.path()))
                .unwrap()
                .flatten()
            {
                if e.file_name().to_string_lossy().starts_with("safety-") {
                    std::fs::remove_file(e.path()).unwrap();
                }
            }
            Ok(())
        })
        .unwrap();
    println!(
        "fuzz restore: {} damaged or random backup files, none broke the books",
        executed.get()
    );
}

/// The logo reader on random bytes and on real PNG and JPEG logos with random bytes
/// overwritten or cut short: never a panic; `set_logo` stores only what decodes, so every
/// document still renders with whatever logo the books hold.
#[test]
fn the_logo_reader_survives_damaged_images_and_set_logo_stores_only_what_decodes() {
    use esep_core::pdf::logo::Logo;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let jpeg = std::fs::read(fixtures.join("logo.jpg")).unwrap();
    let png = {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 8, 4);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.write_header()
            .unwrap()
            .write_image_data(&[200u8; 8 * 4 * 4])
            .unwrap();
        out
    };
    let mut b = Books::shop("2026-11-27");
    let draft_id = b.invoice(1, "10", "0", 1, "2026-11-27");
    let b = RefCell::new(b);
    let executed = Cell::new(0u64);
    let stored = Cell::new(0u64);
    let damaged = |base: Vec<u8>| {
        let n = base.len();
        (prop::collection::vec((0..n, any::<u8>()), 0..12), 0..=n).prop_map(move |(hits, cut)| {
            let mut v = base.clone();
            for (at, x) in hits {
                v[at] = x;
            }
            v.truncate(cut.max(2));
            v
        })
    };
    let file = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        prop::collection::vec(any::<u8>(), 0..600).prop_map(|mut v| {
            v.splice(0..0, [0xFF, 0xD8, 0xFF]);
            v
        }),
        damaged(jpeg),
        damaged(png),
    ];
    runner()
        .run(&file, |bytes| {
            executed.set(executed.get() + 1);
            let decoded = Logo::decode(&bytes).is_some();
            let mut b = b.borrow_mut();
            let mut ctx = Ctx::new(&mut b.conn, common::d("2026-11-27"));
            let set = api::call(
                &mut ctx,
                "set_logo",
                &json!({"dataBase64": esep_core::books::profile::base64_encode(&bytes)}),
            );
            // An empty file is "no logo" (removing it), which is always fine.
            prop_assert_eq!(
                set.is_ok(),
                decoded || bytes.is_empty(),
                "set_logo stores exactly what decodes"
            );
            if set.is_ok() {
                stored.set(stored.get() + 1);
                let pdf = esep_core::books::documents::render_one(
                    &mut ctx,
                    &esep_core::books::documents::Request::parse(
                        &esep_core::args::Args::new(&json!({"kind": "invoice", "id": draft_id}))
                            .unwrap(),
                    )
                    .unwrap(),
                );
                prop_assert!(
                    pdf.is_ok(),
                    "a stored logo never breaks a document: {:?}",
                    pdf.err()
                );
            }
            Ok(())
        })
        .unwrap();
    println!(
        "fuzz logo: {} images, {} decoded and stored, none panicked",
        executed.get(),
        stored.get()
    );
}
