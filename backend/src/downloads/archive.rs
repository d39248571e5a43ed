//! Writing the ZIP while it is sent: one task reads each stored object and writes it as a
//! stored (not deflated) entry into a small pipe the response body drains, so memory is the
//! pipe, one storage chunk and the central directory, whatever the album's size. Entries carry
//! data descriptors and ZIP64 fields (their sizes are known only once written).

use async_zip::base::write::ZipFileWriter;
use async_zip::{Compression, ZipDateTime, ZipEntryBuilder};
use bytes::Bytes;
use futures_util::io::AsyncWriteExt;
use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt, TryStreamExt};
use tokio::io::AsyncWrite;
use tokio_util::io::ReaderStream;

use super::Entry;
use crate::imaging::Size;
use crate::storage::{Storage, StorageError};

/// What the writer and the body share: enough to keep the socket busy, small per download.
const PIPE_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("writing the archive: {0}")]
    Zip(#[from] async_zip::error::ZipError),
    #[error("reading a stored object: {0}")]
    Storage(#[from] StorageError),
    #[error("sending the archive: {0}")]
    Io(#[from] std::io::Error),
}

/// The archive of `entries` as a body stream. If anything fails part-way the stream ends with
/// an error, so the connection is cut rather than the archive silently short.
pub fn stream(
    storage: Storage,
    size: Size,
    entries: Vec<Entry>,
) -> BoxStream<'static, Result<Bytes, std::io::Error>> {
    let (reader, writer) = tokio::io::duplex(PIPE_BYTES);
    let written = tokio::spawn(async move {
        let mut writer = writer;
        write(storage, size, entries, &mut writer).await
    });
    let outcome = stream::once(async move {
        match written.await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "a ZIP download failed part-way");
                Some(Err(std::io::Error::other(e)))
            }
            Err(e) => Some(Err(std::io::Error::other(e))),
        }
    })
    .filter_map(|end| async move { end });
    ReaderStream::new(reader).chain(outcome).boxed()
}

/// Writes the archive of `entries` into `out`, reading each file from `storage`.
pub async fn write<W>(
    storage: Storage,
    size: Size,
    entries: Vec<Entry>,
    out: &mut W,
) -> Result<(), ArchiveError>
where
    W: AsyncWrite + Unpin,
{
    // ZIP64 from the start: streamed entries carry its fields anyway (their sizes come after
    // their bytes), and an archive of over 65,535 entries needs its end record.
    let mut zip = ZipFileWriter::with_tokio(out).force_zip64();
    for entry in entries {
        match entry {
            Entry::Folder(path) => {
                let folder = ZipEntryBuilder::new(path.into(), Compression::Stored)
                    .unix_permissions(0o040_755);
                zip.write_entry_whole(folder, &[]).await?;
            }
            Entry::File {
                path,
                image,
                modified,
            } => {
                let fetched = storage.get(image, size, None).await?;
                let file = ZipEntryBuilder::new(path.into(), Compression::Stored)
                    .last_modification_date(ZipDateTime::from_chrono(&modified))
                    .unix_permissions(0o100_644);
                let mut writer = zip.write_entry_stream(file).await?;
                let mut body = fetched.body.map_err(ArchiveError::from);
                while let Some(chunk) = body.next().await {
                    writer.write_all(&chunk?).await?;
                }
                writer.close().await?;
            }
        }
    }
    zip.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::process::Command;
    use std::sync::Arc;

    use chrono::Utc;
    use uuid::Uuid;

    use super::*;

    /// Python's zipfile: every entry's CRC checked, the count, and one file's bytes.
    fn python_reads(archive: &[u8], file: &str) -> (usize, Vec<u8>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.zip");
        std::fs::write(&path, archive).expect("write");
        let script = "import sys, zipfile\n\
            z = zipfile.ZipFile(sys.argv[1])\n\
            assert z.testzip() is None\n\
            print(len(z.infolist()))\n\
            sys.stdout.write(z.read(sys.argv[2]).hex())\n";
        let out = Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .arg(file)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let (count, hex) = text.split_once('\n').expect("two lines");
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
            .collect();
        (count.parse().expect("a count"), bytes)
    }

    #[tokio::test]
    async fn an_archive_of_more_than_65535_entries_is_zip64_and_reads_back() {
        let storage = Storage::new(Arc::new(object_store::memory::InMemory::new()));
        let image = Uuid::now_v7();
        let content = Bytes::from_static(b"the original bytes");
        storage
            .put(image, Size::Original, content.clone())
            .await
            .expect("put");
        let mut entries: Vec<Entry> = (0..65_536)
            .map(|n| Entry::Folder(format!("A/{n}/")))
            .collect();
        entries.push(Entry::File {
            path: "A/photo.jpg".into(),
            image,
            modified: Utc::now(),
        });
        let mut archive = Vec::new();
        write(storage, Size::Original, entries, &mut archive)
            .await
            .expect("written");
        let (count, bytes) = python_reads(&archive, "A/photo.jpg");
        assert_eq!(count, 65_537);
        assert_eq!(bytes, content.as_ref());
    }

    #[tokio::test]
    async fn a_missing_object_fails_the_stream_rather_than_ending_it_short() {
        let storage = Storage::new(Arc::new(object_store::memory::InMemory::new()));
        let entries = vec![Entry::File {
            path: "A/gone.jpg".into(),
            image: Uuid::now_v7(),
            modified: Utc::now(),
        }];
        let results: Vec<_> = stream(storage, Size::Original, entries).collect().await;
        assert!(
            matches!(results.last(), Some(Err(_))),
            "the body ends with an error"
        );
    }
}
