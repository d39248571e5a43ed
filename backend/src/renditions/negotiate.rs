//! Which encoding of a size a request gets: `?format=` forces one; otherwise `Accept` decides —
//! AVIF when `image/avif` is listed with q > 0, else WebP when `image/webp` is, else the primary
//! (JPEG or PNG). Wildcards (`*/*`, `image/*`) never pick a rendition: a browser that lists
//! AVIF by name is one that decodes it.

use crate::imaging::{Rendition, Size};

/// A `format` query value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forced {
    Jpeg,
    Png,
    Rendition(Rendition),
}

/// What the request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    Exactly(Forced),
    /// The renditions it takes, best first; the primary when none is ready.
    Best(Vec<Rendition>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("format must be one of jpeg, png, webp, avif")]
    UnknownFormat,
    /// The original is served as uploaded, never converted.
    #[error("the original has no other formats")]
    OriginalHasNoFormats,
}

pub fn ask(size: Size, format: Option<&str>, accept: Option<&str>) -> Result<Ask, Refused> {
    if let Some(format) = format {
        let forced = match format {
            "jpeg" => Forced::Jpeg,
            "png" => Forced::Png,
            "webp" => Forced::Rendition(Rendition::Webp),
            "avif" => Forced::Rendition(Rendition::Avif),
            _ => return Err(Refused::UnknownFormat),
        };
        if size == Size::Original {
            return Err(Refused::OriginalHasNoFormats);
        }
        return Ok(Ask::Exactly(forced));
    }
    if size == Size::Original {
        return Ok(Ask::Best(Vec::new()));
    }
    Ok(Ask::Best(accepted(accept.unwrap_or(""))))
}

/// The renditions `accept` names with q > 0, AVIF before WebP.
pub fn accepted(accept: &str) -> Vec<Rendition> {
    let named = |rendition: Rendition| {
        accept.split(',').any(|range| {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim();
            media.eq_ignore_ascii_case(rendition.mime()) && quality(parts) > 0.0
        })
    };
    [Rendition::Avif, Rendition::Webp]
        .into_iter()
        .filter(|r| named(*r))
        .collect()
}

/// The `q` parameter (RFC 9110 §12.4.2); absent is 1, malformed is 0 (the range is ignored).
fn quality<'a>(params: impl Iterator<Item = &'a str>) -> f32 {
    for param in params {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("q") {
            return value
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|q| (0.0..=1.0).contains(q))
                .unwrap_or(0.0);
        }
    }
    1.0
}

/// What is served: `Some(None)` the primary, `Some(Some(r))` a rendition, `None` nothing (a
/// forced format that does not exist, or is not made yet).
pub fn choose(ask: &Ask, primary_is_png: bool, ready: &[Rendition]) -> Option<Option<Rendition>> {
    match ask {
        Ask::Exactly(Forced::Jpeg) => (!primary_is_png).then_some(None),
        Ask::Exactly(Forced::Png) => primary_is_png.then_some(None),
        Ask::Exactly(Forced::Rendition(r)) => ready.contains(r).then_some(Some(*r)),
        Ask::Best(preferred) => Some(preferred.iter().copied().find(|r| ready.contains(r))),
    }
}

/// The encoding to look for in memory before asking the database: the best the request takes.
pub fn first_choice(ask: &Ask, size: Size) -> Option<Rendition> {
    match ask {
        Ask::Exactly(Forced::Rendition(r)) => Some(*r),
        Ask::Best(preferred) if size != Size::Original => preferred.first().copied(),
        _ => None,
    }
}

/// Whether a copy of the primary (or first choice) of `content_type` answers `ask`: a forced
/// `jpeg` or `png` is only the primary when it is of that type.
pub fn serves(ask: &Ask, content_type: &str) -> bool {
    match ask {
        Ask::Exactly(Forced::Jpeg) => content_type == "image/jpeg",
        Ask::Exactly(Forced::Png) => content_type == "image/png",
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rendition::{Avif, Webp};

    // The image `Accept` headers of current browsers and tools.
    const CHROME: &str = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
    const FIREFOX: &str = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5";
    const SAFARI: &str = "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5";
    const SAFARI_15: &str =
        "image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5";
    const CURL: &str = "*/*";

    fn best(accept: &str) -> Vec<Rendition> {
        match ask(Size::Thumb, None, Some(accept)).expect("asks") {
            Ask::Best(list) => list,
            other => panic!("not negotiated: {other:?}"),
        }
    }

    #[test]
    fn browsers_that_name_avif_get_avif_first() {
        assert_eq!(best(CHROME), [Avif, Webp]);
        assert_eq!(best(FIREFOX), [Avif, Webp]);
        assert_eq!(best(SAFARI), [Avif, Webp]);
    }

    #[test]
    fn a_browser_without_avif_gets_webp_and_curl_the_primary() {
        assert_eq!(best(SAFARI_15), [Webp]);
        assert_eq!(best(CURL), []);
        assert_eq!(best("image/*"), []);
        assert_eq!(best(""), []);
    }

    #[test]
    fn q_zero_refuses_and_case_and_spaces_do_not_matter() {
        assert_eq!(best("image/avif;q=0, image/webp"), [Webp]);
        assert_eq!(best("IMAGE/AVIF ; Q=0.5"), [Avif]);
        assert_eq!(best("image/avif;q=abc"), []);
        assert_eq!(best("image/avif;q=0.001"), [Avif]);
    }

    #[test]
    fn a_rendition_not_ready_falls_back_to_the_next_then_the_primary() {
        let chrome = ask(Size::Small, None, Some(CHROME)).expect("asks");
        assert_eq!(choose(&chrome, false, &[Webp, Avif]), Some(Some(Avif)));
        assert_eq!(choose(&chrome, false, &[Webp]), Some(Some(Webp)));
        assert_eq!(choose(&chrome, false, &[]), Some(None));
    }

    #[test]
    fn a_forced_format_is_that_one_or_nothing() {
        let forced = |f: &str| ask(Size::Large, Some(f), Some(CHROME)).expect("asks");
        assert_eq!(choose(&forced("jpeg"), false, &[Avif]), Some(None));
        assert_eq!(choose(&forced("png"), false, &[Avif]), None);
        assert_eq!(choose(&forced("png"), true, &[]), Some(None));
        assert_eq!(choose(&forced("avif"), false, &[]), None);
        assert_eq!(choose(&forced("webp"), false, &[Webp]), Some(Some(Webp)));
    }

    #[test]
    fn originals_are_never_converted() {
        assert_eq!(
            ask(Size::Original, Some("jpeg"), None),
            Err(Refused::OriginalHasNoFormats)
        );
        assert_eq!(
            ask(Size::Original, None, Some(CHROME)),
            Ok(Ask::Best(vec![]))
        );
        assert_eq!(
            ask(Size::Thumb, Some("gif"), None),
            Err(Refused::UnknownFormat)
        );
    }
}
