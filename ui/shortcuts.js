// Keyboard shortcuts for each platform. Windows and Linux use Alt (Alt+1 … Alt+7, Alt+N,
// Alt+I). On a Mac, Option+digit types characters (Option+1 is "¡", Option+N starts a tilde),
// so there the shortcuts use ⌘ (⌘1 … ⌘7, ⌘N, ⌘I), shown as ⌘ the way Mac apps show them.
// Keys are read from `event.code` (the physical key), so a Kazakh or Russian layout, or
// Option's characters, never change which shortcut a key press is.

/** The modifier's sign for `os` ("macos", "windows", "linux"), as shown next to a command. */
export function shortcutLabel(os, key) {
  return os === 'macos' ? `⌘${key}` : `Alt+${key}`;
}

/**
 * The shortcut key ("1"…"9", "N", "I") that a keydown event presses on `os`, or null when
 * the event is not a shortcut (wrong modifier, extra modifiers, another key).
 */
export function shortcutKey(e, os) {
  const mac = os === 'macos';
  const held = mac ? (e.metaKey && !e.altKey && !e.ctrlKey) : (e.altKey && !e.ctrlKey && !e.metaKey);
  if (!held || e.shiftKey) return null;
  const code = e.code || '';
  if (/^Digit[1-9]$/.test(code)) return code.slice(5);
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  return null;
}
