//! The menu bar a Mac user expects: Esep (About, Settings… ⌘,, Services, Hide, Hide Others,
//! Show All, Quit), Edit (Undo, Redo, Cut, Copy, Paste, Select All — without an Edit menu a
//! macOS webview does not copy or paste at all), and Window (Minimize, Zoom, Close).
//!
//! Built from Tauri's own menu items (what macOS draws natively and wires to the system's
//! responders), in the books' language from the one catalogue. Windows and Linux keep their
//! window without a menu bar: there the shortcuts live in the window (Alt+digit, Ctrl+C…).
//! The builder is compiled on every platform so that it is type-checked and tested here; only
//! macOS installs it.

use esep_core::i18n::{t, Lang};
use tauri::menu::{AboutMetadata, Menu, MenuBuilder, MenuItemBuilder, SubmenuBuilder};
use tauri::{Manager, Runtime};

/// The menu item that opens Settings; the UI is told with the `open-settings` event.
pub const SETTINGS_ID: &str = "settings";
/// Settings… is ⌘, in every Mac app.
pub const SETTINGS_ACCELERATOR: &str = "CmdOrCtrl+,";

/// The menu's words in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    pub about: &'static str,
    pub settings: &'static str,
    pub services: &'static str,
    pub hide: &'static str,
    pub hide_others: &'static str,
    pub show_all: &'static str,
    pub quit: &'static str,
    pub edit: &'static str,
    pub undo: &'static str,
    pub redo: &'static str,
    pub cut: &'static str,
    pub copy: &'static str,
    pub paste: &'static str,
    pub select_all: &'static str,
    pub window: &'static str,
    pub minimize: &'static str,
    pub zoom: &'static str,
    pub close: &'static str,
}

impl Labels {
    pub fn of(lang: Lang) -> Labels {
        Labels {
            about: t(lang, "menu.about"),
            settings: t(lang, "menu.settings"),
            services: t(lang, "menu.services"),
            hide: t(lang, "menu.hide"),
            hide_others: t(lang, "menu.hideOthers"),
            show_all: t(lang, "menu.showAll"),
            quit: t(lang, "menu.quit"),
            edit: t(lang, "menu.edit"),
            undo: t(lang, "menu.undo"),
            redo: t(lang, "menu.redo"),
            cut: t(lang, "menu.cut"),
            copy: t(lang, "menu.copy"),
            paste: t(lang, "menu.paste"),
            select_all: t(lang, "menu.selectAll"),
            window: t(lang, "menu.window"),
            minimize: t(lang, "menu.minimize"),
            zoom: t(lang, "menu.zoom"),
            close: t(lang, "menu.close"),
        }
    }
}

/// The menu bar, for macOS.
pub fn build<R: Runtime, M: Manager<R>>(manager: &M, lang: Lang) -> tauri::Result<Menu<R>> {
    let l = Labels::of(lang);
    let about = AboutMetadata {
        name: Some("Esep".into()),
        version: Some(env!("CARGO_PKG_VERSION").into()),
        ..Default::default()
    };
    let settings = MenuItemBuilder::with_id(SETTINGS_ID, l.settings)
        .accelerator(SETTINGS_ACCELERATOR)
        .build(manager)?;
    let app = SubmenuBuilder::new(manager, "Esep")
        .about_with_text(l.about, Some(about))
        .separator()
        .item(&settings)
        .separator()
        .services_with_text(l.services)
        .separator()
        .hide_with_text(l.hide)
        .hide_others_with_text(l.hide_others)
        .show_all_with_text(l.show_all)
        .separator()
        .quit_with_text(l.quit)
        .build()?;
    let edit = SubmenuBuilder::new(manager, l.edit)
        .undo_with_text(l.undo)
        .redo_with_text(l.redo)
        .separator()
        .cut_with_text(l.cut)
        .copy_with_text(l.copy)
        .paste_with_text(l.paste)
        .select_all_with_text(l.select_all)
        .build()?;
    let window = SubmenuBuilder::new(manager, l.window)
        .minimize_with_text(l.minimize)
        .maximize_with_text(l.zoom)
        .separator()
        .close_window_with_text(l.close)
        .build()?;
    MenuBuilder::new(manager)
        .items(&[&app, &edit, &window])
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mac_menu_speaks_each_language_and_settings_is_command_comma() {
        for lang in [Lang::Kk, Lang::Ru, Lang::En] {
            let l = Labels::of(lang);
            for (name, text) in [
                ("about", l.about),
                ("settings", l.settings),
                ("quit", l.quit),
                ("copy", l.copy),
                ("paste", l.paste),
                ("selectAll", l.select_all),
            ] {
                assert!(
                    !text.is_empty() && text != "?",
                    "{lang:?} {name}: {text:?} is in the catalogue"
                );
            }
            assert!(
                l.settings.ends_with('…'),
                "{lang:?}: Settings… opens a window, so it ends with an ellipsis"
            );
        }
        assert_ne!(
            Labels::of(Lang::Kk),
            Labels::of(Lang::En),
            "translated, not English everywhere"
        );
        assert_eq!(SETTINGS_ACCELERATOR, "CmdOrCtrl+,");
    }
}
