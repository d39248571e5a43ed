//! ZIP downloads of an album tree, read back by Python's `zipfile` and Info-ZIP's `unzip -t`.

use std::collections::BTreeMap;
use std::process::Command;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::{Session, TestApp, assert_problem, spawn_app};
use crate::pictures;

/// Every entry of the archive as Python reads it: name → SHA-256 of its bytes (folders: "").
fn entries_read_by_python(archive: &[u8]) -> BTreeMap<String, String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("album.zip");
    std::fs::write(&path, archive).expect("write the archive");
    let script = "import sys, json, zipfile, hashlib\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        assert z.testzip() is None, 'a CRC mismatch'\n\
        print(json.dumps({i.filename: '' if i.is_dir() else hashlib.sha256(z.read(i)).hexdigest() \
                          for i in z.infolist()}))\n";
    let python = Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        python.status.success(),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
    let unzip = Command::new("unzip")
        .arg("-tq")
        .arg(&path)
        .output()
        .expect("unzip runs");
    assert!(
        unzip.status.success(),
        "unzip -t: {}{}",
        String::from_utf8_lossy(&unzip.stdout),
        String::from_utf8_lossy(&unzip.stderr)
    );
    serde_json::from_slice(&python.stdout).expect("python's listing")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn download(app: &TestApp, user: Option<&Session>, path: &str) -> (String, Vec<u8>) {
    let response = app.get_as(user, path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    assert_eq!(response.headers()[CONTENT_TYPE], "application/zip");
    let disposition = response.headers()[CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii header")
        .to_owned();
    (disposition, response.bytes().await.expect("body").to_vec())
}

/// "Été 2026" holding three photos named alike, one with a Japanese name, and sub-albums
/// "Rome" (public), "rome" and "Empty"; one more sub-album is in the trash.
struct Holiday {
    root: String,
    images: BTreeMap<String, Value>,
}

async fn a_holiday_tree(app: &TestApp, alice: &Session) -> Holiday {
    let root = app.album_id(alice, "Été 2026").await;
    let rome = app.album_id_under(alice, "Rome", Some(&root)).await;
    let rome_again = app.album_id_under(alice, "rome", Some(&root)).await;
    app.album_id_under(alice, "Empty", Some(&root)).await;
    let gone = app.album_id_under(alice, "Gone", Some(&root)).await;
    let mut images = BTreeMap::new();
    let uploads = [
        (&root, "photo.jpg", "Été 2026/photo.jpg"),
        (&root, "photo.jpg", "Été 2026/photo (2).jpg"),
        (&root, "Photo.JPG", "Été 2026/Photo (3).JPG"),
        (&root, "東京.jpg", "Été 2026/東京.jpg"),
        (&rome, "r.jpg", "Été 2026/Rome/r.jpg"),
        (&rome_again, "r.jpg", "Été 2026/rome (2)/r.jpg"),
        (&gone, "g.jpg", "unlisted"),
    ];
    for (n, (album, name, path)) in uploads.into_iter().enumerate() {
        let width = 40 + u32::try_from(n).unwrap_or(0);
        let image = app
            .upload_one(alice, album, name, pictures::photo_jpeg(width, 30))
            .await;
        images.insert(path.to_owned(), image);
    }
    let trashed = app.delete_as(alice, &format!("/albums/{gone}")).await;
    assert_eq!(trashed.status(), StatusCode::NO_CONTENT);
    app.make_public(alice, &root).await;
    app.make_public(alice, &rome).await;
    images.remove("unlisted");
    Holiday { root, images }
}

#[tokio::test]
async fn an_album_tree_downloads_as_a_zip_of_its_originals_with_safe_unique_names() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let holiday = a_holiday_tree(&app, &alice).await;

    let (disposition, archive) = download(
        &app,
        Some(&alice),
        &format!("/albums/{}/download", holiday.root),
    )
    .await;

    assert_eq!(
        disposition,
        "attachment; filename=\"_t_ 2026.zip\"; filename*=UTF-8''%C3%89t%C3%A9%202026.zip"
    );
    let mut expected: BTreeMap<String, String> = holiday
        .images
        .iter()
        .map(|(path, image)| {
            (
                path.clone(),
                image["sha256"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for folder in [
        "Été 2026/",
        "Été 2026/Rome/",
        "Été 2026/rome (2)/",
        "Été 2026/Empty/",
    ] {
        expected.insert(folder.to_owned(), String::new());
    }
    assert_eq!(entries_read_by_python(&archive), expected);
}

#[tokio::test]
async fn the_large_size_holds_each_photos_large_variant() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let holiday = a_holiday_tree(&app, &alice).await;
    let path = format!("/albums/{}/download?size=large", holiday.root);
    let (_, archive) = download(&app, Some(&alice), &path).await;
    let entries = entries_read_by_python(&archive);
    for (name, image) in &holiday.images {
        let url = image["variants"]["large"]["url"]
            .as_str()
            .expect("large url");
        let large = app.fetch_bytes(url).await;
        let name = name.replace(".JPG", ".jpg");
        assert_eq!(entries.get(&name), Some(&sha256_hex(&large)), "{name}");
    }
}

#[tokio::test]
async fn a_visitor_of_a_public_album_gets_its_public_part_as_large_only() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let holiday = a_holiday_tree(&app, &alice).await;
    let path = format!("/albums/{}/download", holiday.root);

    let (_, archive) = download(&app, None, &path).await;
    let names: Vec<String> = entries_read_by_python(&archive).into_keys().collect();
    assert_eq!(
        names,
        [
            "Été 2026/",
            "Été 2026/Photo (3).jpg",
            "Été 2026/Rome/",
            "Été 2026/Rome/r.jpg",
            "Été 2026/photo (2).jpg",
            "Été 2026/photo.jpg",
            "Été 2026/東京.jpg",
        ]
    );
    let original = app.get_as(None, &format!("{path}?size=original")).await;
    assert_problem(original, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_private_album_an_unknown_size_and_a_trashed_album_are_refused() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let bob = app.signup("bob").await;
    let album = app.album_id(&alice, "Private").await;
    let path = format!("/albums/{album}/download");
    assert_problem(app.get_as(None, &path).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get_as(Some(&bob), &path).await, StatusCode::NOT_FOUND).await;
    let odd = app
        .get_as(Some(&alice), &format!("{path}?size=thumb"))
        .await;
    assert_problem(odd, StatusCode::BAD_REQUEST).await;
    let trashed = app.delete_as(&alice, &format!("/albums/{album}")).await;
    assert_eq!(trashed.status(), StatusCode::NO_CONTENT);
    assert_problem(app.get_as(Some(&alice), &path).await, StatusCode::NOT_FOUND).await;
}
