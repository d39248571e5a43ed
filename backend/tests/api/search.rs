//! Sorting and search in the image listings (API.md Part 2, "Sorting and search"):
//! `sort=created_at|taken_at`, `q=`, `taken_after`/`taken_before`, cursors that keep them.

use reqwest::StatusCode;
use serde_json::Value;

use crate::encoders::{self, Shot};
use crate::helpers::{Session, TestApp, assert_problem, spawn_app};
use crate::pictures;

/// A small photo taken at `taken` (`YYYY:MM:DD HH:MM:SS`, with `offset`), or undated.
fn shot(taken: Option<&'static str>, offset: Option<&'static str>) -> Vec<u8> {
    let image = pictures::photo_jpeg(64, 48);
    let image = image::load_from_memory(&image).expect("decodes");
    encoders::jpeg_with_exif(
        &image,
        &Shot {
            taken,
            offset,
            make: Some("Test"),
            ..Shot::default()
        },
    )
}

/// Uploads `files` one by one (so their upload order is theirs); their ids in that order.
async fn upload_in_order(
    app: &TestApp,
    user: &Session,
    album: &str,
    files: Vec<(&str, Vec<u8>)>,
) -> Vec<String> {
    let mut ids = Vec::new();
    for (name, bytes) in files {
        let image = app.upload_one(user, album, name, bytes).await;
        ids.push(image["id"].as_str().expect("id").to_owned());
    }
    ids
}

/// Every item of the listing at `path`, following cursors `limit` at a time: (id, filename).
async fn all_pages(app: &TestApp, user: &Session, path: &str, limit: u32) -> Vec<(String, String)> {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut next = format!("{path}{separator}limit={limit}");
    let mut seen = Vec::new();
    loop {
        let page = app.json_as(Some(user), &next).await;
        for item in page["items"].as_array().expect("items") {
            seen.push((
                item["id"].as_str().expect("id").to_owned(),
                item["filename"].as_str().expect("name").to_owned(),
            ));
        }
        match page["next_cursor"].as_str() {
            // A later page names only the cursor: the cursor carries the order and filters.
            Some(cursor) => next = format!("/images?limit={limit}&cursor={cursor}"),
            None => return seen,
        }
    }
}

fn names(items: &[(String, String)]) -> Vec<&str> {
    items.iter().map(|(_, name)| name.as_str()).collect()
}

async fn library(app: &TestApp) -> (Session, String) {
    let user = app.signup("searcher").await;
    let album = app.album_id(&user, "Everything").await;
    let files = vec![
        (
            "b-2021.jpg",
            shot(Some("2021:05:01 10:00:00"), Some("+00:00")),
        ),
        ("undated-1.jpg", shot(None, None)),
        (
            "a-2023.jpg",
            shot(Some("2023:01:01 09:00:00"), Some("+01:00")),
        ),
        ("c-2019.jpg", shot(Some("2019:12:31 23:00:00"), None)),
        ("undated-2.jpg", shot(None, None)),
        (
            "Beach 100%.jpg",
            shot(Some("2022:08:15 12:00:00"), Some("-04:00")),
        ),
    ];
    upload_in_order(app, &user, &album, files).await;
    (user, album)
}

#[tokio::test]
async fn taken_at_sorts_newest_taken_first_with_undated_last_across_pages() {
    let app = spawn_app().await;
    let (user, _) = library(&app).await;
    let all = all_pages(&app, &user, "/images?sort=taken_at", 2).await;
    assert_eq!(
        names(&all)[..4],
        ["a-2023.jpg", "Beach 100%.jpg", "b-2021.jpg", "c-2019.jpg"]
    );
    // The undated tail, newest id first (ids are time-ordered: the later upload first).
    assert_eq!(names(&all)[4..], ["undated-2.jpg", "undated-1.jpg"]);
}

#[tokio::test]
async fn the_default_order_is_upload_time_newest_first() {
    let app = spawn_app().await;
    let (user, _) = library(&app).await;
    let all = all_pages(&app, &user, "/images", 4).await;
    assert_eq!(
        names(&all),
        [
            "Beach 100%.jpg",
            "undated-2.jpg",
            "c-2019.jpg",
            "a-2023.jpg",
            "undated-1.jpg",
            "b-2021.jpg"
        ]
    );
    let explicit = all_pages(&app, &user, "/images?sort=created_at", 4).await;
    assert_eq!(explicit, all);
}

#[tokio::test]
async fn q_matches_a_filename_substring_ignoring_case_and_taking_wildcards_literally() {
    let app = spawn_app().await;
    let (user, album) = library(&app).await;
    let undated = all_pages(&app, &user, "/images?q=UNDATED", 1).await;
    assert_eq!(names(&undated), ["undated-2.jpg", "undated-1.jpg"]);
    let percent = all_pages(&app, &user, "/images?q=100%25", 5).await;
    assert_eq!(names(&percent), ["Beach 100%.jpg"]);
    let underscore = all_pages(&app, &user, "/images?q=_", 5).await;
    assert!(underscore.is_empty(), "_ is no wildcard: {underscore:?}");
    let in_album = app
        .json_as(
            Some(&user),
            &format!("/albums/{album}/images?q=b&sort=taken_at"),
        )
        .await;
    let found: Vec<&str> = in_album["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["filename"].as_str().expect("name"))
        .collect();
    assert_eq!(found, ["Beach 100%.jpg", "b-2021.jpg"]);
}

#[tokio::test]
async fn taken_after_is_inclusive_and_taken_before_exclusive() {
    let app = spawn_app().await;
    let (user, _) = library(&app).await;
    // a-2023 was taken at 08:00 UTC (09:00+01:00).
    let from = all_pages(&app, &user, "/images?taken_after=2023-01-01T08:00:00Z", 5).await;
    assert_eq!(names(&from), ["a-2023.jpg"]);
    let before = all_pages(
        &app,
        &user,
        "/images?taken_before=2023-01-01T08:00:00Z&sort=taken_at",
        1,
    )
    .await;
    assert_eq!(
        names(&before),
        ["Beach 100%.jpg", "b-2021.jpg", "c-2019.jpg"]
    );
    let range = all_pages(
        &app,
        &user,
        "/images?taken_after=2020-01-01T00:00:00%2B00:00&taken_before=2022-12-31T00:00:00Z",
        1,
    )
    .await;
    assert_eq!(names(&range), ["Beach 100%.jpg", "b-2021.jpg"]);
}

#[tokio::test]
async fn bad_sort_and_dates_are_400() {
    let app = spawn_app().await;
    let user = app.signup("strict").await;
    for query in [
        "sort=name",
        "sort=",
        "taken_after=yesterday",
        "taken_before=2024-13-01T00:00:00Z",
    ] {
        let response = app.get_as(Some(&user), &format!("/images?{query}")).await;
        let problem: Value = assert_problem(response, StatusCode::BAD_REQUEST).await;
        assert!(problem["detail"].is_string(), "{query}");
    }
    let long = "x".repeat(256);
    let response = app.get_as(Some(&user), &format!("/images?q={long}")).await;
    assert_problem(response, StatusCode::BAD_REQUEST).await;
}
