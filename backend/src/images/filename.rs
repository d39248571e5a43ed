//! The client's file name, as we keep it: display only, never part of a storage key.

pub const MAX_CHARS: usize = 255;
const FALLBACK: &str = "untitled";
/// Longer "extensions" are just part of the name.
const MAX_EXTENSION_CHARS: usize = 16;

/// The last path segment (no `/` or `\`), without control or invisible formatting characters,
/// at most 255 characters, keeping the extension when it has to cut.
pub fn sanitize(raw: Option<&str>) -> String {
    let last = raw
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| is_visible(*c)).collect();
    // Checked after the cut: a long name can be cut down to "." or "..".
    let name = truncate_keeping_extension(cleaned.trim());
    if name.is_empty() || name == "." || name == ".." {
        return FALLBACK.to_owned();
    }
    name
}

/// Control characters and the invisible ones that change how a name reads without showing:
/// bidirectional overrides and isolates (`photo\u{202e}gpj.exe` displays as `photoexe.jpg`),
/// zero-width spaces and joiners, word joiners, the byte-order mark and the soft hyphen.
/// Emoji joined by U+200D fall apart into their parts, which is the price of never showing a
/// name other than the one stored.
pub fn is_visible(c: char) -> bool {
    !c.is_control()
        && !matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

fn truncate_keeping_extension(name: &str) -> String {
    if name.chars().count() <= MAX_CHARS {
        return name.to_owned();
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|ext| !ext.is_empty() && ext.chars().count() <= MAX_EXTENSION_CHARS);
    match extension {
        // A cut can end on a space; trimmed, so that sanitising a stored name changes nothing.
        Some(ext) => {
            let keep = MAX_CHARS - ext.chars().count() - 1;
            let stem: String = name.chars().take(keep).collect();
            format!("{}.{ext}", stem.trim_end())
        }
        None => name
            .chars()
            .take(MAX_CHARS)
            .collect::<String>()
            .trim_end()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_path_segment_is_kept() {
        assert_eq!(sanitize(Some("C:\\Users\\me\\photo.jpg")), "photo.jpg");
        assert_eq!(sanitize(Some("../../etc/passwd")), "passwd");
        assert_eq!(sanitize(Some("a/b\\c.png")), "c.png");
    }

    #[test]
    fn missing_or_empty_names_get_a_fallback() {
        assert_eq!(sanitize(None), "untitled");
        assert_eq!(sanitize(Some("dir/")), "untitled");
        assert_eq!(sanitize(Some("..")), "untitled");
    }

    #[test]
    fn a_cut_that_ends_on_a_space_is_trimmed_so_sanitising_is_idempotent() {
        // found by the `filename` fuzz target
        let raw = format!("{} tail", "x".repeat(254));
        let stored = sanitize(Some(&raw));
        assert_eq!(stored, "x".repeat(254));
        assert_eq!(sanitize(Some(&stored)), stored);
        let with_extension = format!("{} y.jpeg", "x".repeat(249));
        let stored = sanitize(Some(&with_extension));
        assert_eq!(stored, format!("{}.jpeg", "x".repeat(249)));
        assert_eq!(sanitize(Some(&stored)), stored);
    }

    #[test]
    fn a_long_name_cut_down_to_a_dot_gets_the_fallback() {
        // found by the `filename` fuzz target
        let raw = format!(".{}p=", " ".repeat(300));
        assert_eq!(sanitize(Some(&raw)), "untitled");
        assert_eq!(sanitize(Some("untitled")), "untitled");
    }

    #[test]
    fn long_names_are_cut_to_255_keeping_the_extension() {
        let name = format!("{}.jpeg", "x".repeat(300));
        let kept = sanitize(Some(&name));
        assert_eq!(kept.chars().count(), 255);
        assert!(kept.ends_with("x.jpeg"));
        let no_ext = "y".repeat(300);
        assert_eq!(sanitize(Some(&no_ext)).chars().count(), 255);
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(sanitize(Some("bad\nname\u{0}.gif")), "badname.gif");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_dropped() {
        assert_eq!(sanitize(Some("photo\u{202e}gpj.exe")), "photogpj.exe");
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2068}',
            '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}',
        ] {
            assert_eq!(
                sanitize(Some(&format!("a{c}b.jpg"))),
                "ab.jpg",
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn zero_width_and_other_invisible_characters_are_dropped() {
        for c in [
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{2060}',
            '\u{feff}',
            '\u{00ad}',
            '\u{180e}',
            '\u{fe0f}',
            '\u{e0041}',
        ] {
            assert_eq!(
                sanitize(Some(&format!("a{c}b.jpg"))),
                "ab.jpg",
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn a_name_of_only_invisible_characters_gets_the_fallback() {
        assert_eq!(sanitize(Some("\u{202e}\u{200b}")), "untitled");
    }

    #[test]
    fn visible_non_latin_names_are_kept() {
        assert_eq!(sanitize(Some("Ταξίδι 東京 🌅.heic")), "Ταξίδι 東京 🌅.heic");
    }
}
