//! `ALBUMEN_STORAGE_URL`, parsed: where the objects live.

use std::path::{Path as FsPath, PathBuf};

use object_store::path::Path;

use super::StorageError;

#[derive(Debug, PartialEq, Eq)]
pub enum Location {
    Files(PathBuf),
    S3 { bucket: String, prefix: Path },
}

impl Location {
    /// `file:///absolute/path`, `s3://bucket[/prefix]`, or none: `<data dir>/objects`.
    pub fn parse(url: Option<&str>, data_dir: &FsPath) -> Result<Self, StorageError> {
        let Some(url) = url.filter(|url| !url.trim().is_empty()) else {
            return Ok(Self::Files(data_dir.join("objects")));
        };
        let parsed = url::Url::parse(url).map_err(|e| bad(format!("{e}")))?;
        match parsed.scheme() {
            "file" => parsed
                .to_file_path()
                .map(Self::Files)
                .map_err(|()| bad("not an absolute file path".into())),
            "s3" => {
                let bucket = parsed.host_str().unwrap_or_default();
                if bucket.is_empty() {
                    return Err(bad("names no bucket (use s3://bucket)".into()));
                }
                let prefix = Path::parse(parsed.path().trim_matches('/'))
                    .map_err(|e| bad(format!("bad prefix: {e}")))?;
                Ok(Self::S3 {
                    bucket: bucket.to_owned(),
                    prefix,
                })
            }
            other => Err(bad(format!(
                "unsupported scheme {other:?} (use file:///path or s3://bucket)"
            ))),
        }
    }
}

fn bad(message: String) -> StorageError {
    StorageError::Config(format!("ALBUMEN_STORAGE_URL: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: Option<&str>) -> Result<Location, StorageError> {
        Location::parse(url, FsPath::new("/var/lib/albumen"))
    }

    #[test]
    fn no_url_means_files_under_the_data_dir() {
        assert_eq!(
            parse(None).expect("parses"),
            Location::Files("/var/lib/albumen/objects".into())
        );
        assert_eq!(
            parse(Some("")).expect("parses"),
            Location::Files("/var/lib/albumen/objects".into())
        );
    }

    #[test]
    fn a_file_url_names_an_absolute_directory() {
        assert_eq!(
            parse(Some("file:///srv/photos")).expect("parses"),
            Location::Files("/srv/photos".into())
        );
    }

    #[test]
    fn an_s3_url_names_a_bucket_and_an_optional_prefix() {
        assert_eq!(
            parse(Some("s3://photos")).expect("parses"),
            Location::S3 {
                bucket: "photos".into(),
                prefix: Path::default()
            }
        );
        assert_eq!(
            parse(Some("s3://photos/albumen/prod/")).expect("parses"),
            Location::S3 {
                bucket: "photos".into(),
                prefix: Path::from("albumen/prod")
            }
        );
    }

    #[test]
    fn other_urls_are_refused_with_the_setting_named() {
        for url in ["s3://", "gs://bucket", "photos", "file://relative"] {
            let error = parse(Some(url)).expect_err("refused").to_string();
            assert!(error.contains("ALBUMEN_STORAGE_URL"), "{url}: {error}");
        }
    }
}
