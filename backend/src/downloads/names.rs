//! Names inside a ZIP: each a safe path segment on every system that unpacks it, unique in
//! its folder the way case-insensitive file systems compare names (`name (2).jpg`, `Trip (2)`).

use std::collections::HashSet;

/// Characters no segment keeps: separators, and what Windows refuses in a file name.
const REFUSED: [char; 9] = ['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
/// Longest segment kept (file systems allow 255 bytes; room for " (n)").
const MAX_CHARS: usize = 200;

/// `name` as one path segment: refused and control characters become `_`, no trailing dots
/// or spaces (Windows drops them), never empty, `.` or `..` (then `fallback`).
pub fn safe_segment(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || REFUSED.contains(&c) {
                '_'
            } else {
                c
            }
        })
        .take(MAX_CHARS)
        .collect();
    let trimmed = cleaned.trim().trim_end_matches(['.', ' ']);
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The names taken in one folder.
#[derive(Debug, Default)]
pub struct Folder {
    taken: HashSet<String>,
}

impl Folder {
    /// `name` if no other entry of the folder has it (ignoring case), else the first free of
    /// `stem (2).ext`, `stem (3).ext`, …
    pub fn claim_file(&mut self, name: &str) -> String {
        let (stem, extension) = match name.rsplit_once('.') {
            Some((stem, extension)) if !stem.is_empty() => (stem, Some(extension)),
            _ => (name, None),
        };
        self.claim(name, |n| match extension {
            Some(extension) => format!("{stem} ({n}).{extension}"),
            None => format!("{stem} ({n})"),
        })
    }

    /// Like [`Folder::claim_file`] for a folder's name: `Trip (2)`.
    pub fn claim_folder(&mut self, name: &str) -> String {
        self.claim(name, |n| format!("{name} ({n})"))
    }

    fn claim(&mut self, name: &str, numbered: impl Fn(u64) -> String) -> String {
        if self.taken.insert(name.to_lowercase()) {
            return name.to_owned();
        }
        (2..)
            .map(numbered)
            .find(|candidate| self.taken.insert(candidate.to_lowercase()))
            .unwrap_or_else(|| name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_windows_reserved_characters_become_underscores() {
        assert_eq!(
            safe_segment("a/b\\c:d*e?f\"g<h>i|j", "x"),
            "a_b_c_d_e_f_g_h_i_j"
        );
        assert_eq!(safe_segment("tab\there", "x"), "tab_here");
    }

    #[test]
    fn dot_names_and_empty_names_take_the_fallback() {
        for name in ["", "  ", ".", "..", "...", ". ."] {
            assert_eq!(safe_segment(name, "Album"), "Album", "{name:?}");
        }
    }

    #[test]
    fn trailing_dots_and_spaces_go_and_unicode_stays() {
        assert_eq!(safe_segment("Été à Zürich. ", "x"), "Été à Zürich");
        assert_eq!(safe_segment("東京 🌸", "x"), "東京 🌸");
    }

    #[test]
    fn long_names_are_cut() {
        assert_eq!(
            safe_segment(&"é".repeat(300), "x").chars().count(),
            MAX_CHARS
        );
    }

    #[test]
    fn repeated_file_names_are_numbered_before_the_extension_ignoring_case() {
        let mut folder = Folder::default();
        let names: Vec<String> = ["a.jpg", "A.JPG", "a.jpg", "a (2).jpg", "notes", "notes"]
            .iter()
            .map(|n| folder.claim_file(n))
            .collect();
        assert_eq!(
            names,
            [
                "a.jpg",
                "A (2).JPG",
                "a (3).jpg",
                "a (2) (2).jpg",
                "notes",
                "notes (2)"
            ]
        );
    }

    #[test]
    fn folders_and_files_share_a_folders_names() {
        let mut folder = Folder::default();
        assert_eq!(folder.claim_folder("Trip"), "Trip");
        assert_eq!(folder.claim_folder("trip"), "trip (2)");
        assert_eq!(folder.claim_file("Trip"), "Trip (3)");
        assert_eq!(folder.claim_file(".hidden"), ".hidden");
    }
}
