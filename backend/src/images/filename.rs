//! The client's file name, as we keep it: display only, never part of a storage key.

pub const MAX_CHARS: usize = 255;
const FALLBACK: &str = "untitled";
/// Longer "extensions" are just part of the name.
const MAX_EXTENSION_CHARS: usize = 16;

/// The last path segment (no `/` or `\`), without control characters, at most 255
/// characters, keeping the extension when it has to cut.
pub fn sanitize(raw: Option<&str>) -> String {
    let last = raw
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        return FALLBACK.to_owned();
    }
    truncate_keeping_extension(cleaned)
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
        Some(ext) => {
            let keep = MAX_CHARS - ext.chars().count() - 1;
            let stem: String = name.chars().take(keep).collect();
            format!("{stem}.{ext}")
        }
        None => name.chars().take(MAX_CHARS).collect(),
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
}
