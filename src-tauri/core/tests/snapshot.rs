//! Every command's answer on the sample shop, pinned (#17): before the commands are reshaped
//! into typed functions, this snapshot says what each one answers today, so the reshaping can
//! prove it kept every behaviour. Reads first, then writes, in one fixed order on the sample
//! shop of 2026-11-27 (English); each answer (or error) goes into
//! `tests/golden/commands.json`. Timestamps of when a row was written are the only thing
//! masked. Re-bless with `ESEP_BLESS=1 cargo test -p esep-core --test snapshot` and review the
//! diff.

mod common;
use common::calls::calls;
use common::Books;
use esep_core::books::sample;
use esep_core::i18n::Lang;
use serde_json::{json, Value};

/// Masks what depends on the wall clock (when a row was written), nothing else.
fn mask(v: &mut Value) {
    match v {
        Value::String(s)
            if s.len() == 20 && s.as_bytes().get(10) == Some(&b'T') && s.ends_with('Z') =>
        {
            *s = "<written at>".into()
        }
        Value::Array(a) => a.iter_mut().for_each(mask),
        Value::Object(o) => o.values_mut().for_each(mask),
        _ => {}
    }
}

#[test]
fn every_command_answers_the_sample_shop_as_pinned() {
    let mut b = Books::new("2026-11-27");
    sample::fill(&mut b.conn, b.today, Lang::En).unwrap();
    let mut out = Vec::new();
    for (command, args) in calls() {
        let mut answer = match b.call(command, args.clone()) {
            Ok(v) => json!({"ok": v}),
            Err(e) => json!({"error": e.to_payload()}),
        };
        if command == "get_catalogue" {
            // The catalogue is the locale file itself: its size stands for it here.
            answer = json!({"keys": answer["ok"].as_object().map(|o| o.len())});
        }
        mask(&mut answer);
        out.push(json!({"command": command, "args": args, "answer": answer}));
    }
    let covered: std::collections::BTreeSet<&str> = calls().iter().map(|c| c.0).collect();
    let names = esep_core::api::command_names();
    let missing: Vec<&&str> = names.iter().filter(|c| !covered.contains(**c)).collect();
    assert!(
        missing.is_empty(),
        "every command is in the snapshot: {missing:?}"
    );
    let text = serde_json::to_string_pretty(&Value::Array(out)).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/commands.json");
    // Missing fails: only ESEP_BLESS=1 writes the file.
    if std::env::var_os("ESEP_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; write it with ESEP_BLESS=1 and review it",
            path.display()
        )
    });
    if want != text {
        let line = want
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "a command's answer changed (first difference at line {}: {:?} → {:?}); re-bless with ESEP_BLESS=1 and review the diff",
            line + 1,
            want.lines().nth(line),
            text.lines().nth(line)
        );
    }
}
