//! Images, as the contract states it: upload, variants, validation, serving, isolation, deletion.

use image::GenericImageView;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::{
    Backend, TestApp, assert_problem, spawn_app, spawn_app_on, spawn_app_on_with, spawn_app_with,
};
use crate::pictures;

const SIZES: [(&str, u32); 4] = [
    ("thumb", 300),
    ("small", 640),
    ("medium", 1280),
    ("large", 2048),
];

fn url<'a>(image: &'a Value, size: &str) -> &'a str {
    image["variants"][size]["url"]
        .as_str()
        .expect("variant url")
}

fn decode(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("decodes")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn a_user_with_an_album(app: &TestApp) -> (crate::helpers::Session, String) {
    let user = app.signup("alice").await;
    let album = app.album_id(&user, "Photos").await;
    (user, album)
}

async fn a_large_photo_gets_four_jpeg_variants_within_their_bounds(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(
            &alice,
            &album,
            "holiday.jpg",
            pictures::photo_jpeg(3000, 2000),
        )
        .await;
    assert_eq!(
        (image["width"].as_i64(), image["height"].as_i64()),
        (Some(3000), Some(2000))
    );
    assert_eq!(image["content_type"], "image/jpeg");
    for (size, bound) in SIZES {
        let variant = &image["variants"][size];
        let long = u32::try_from(variant["width"].as_i64().expect("w")).expect("w");
        assert_eq!(long, bound, "{size} long side");
        let bytes = app.fetch_bytes(url(&image, size)).await;
        assert_eq!(&bytes[..3], b"\xFF\xD8\xFF", "{size} is a JPEG");
        assert_eq!(
            bytes.len() as i64,
            variant["bytes"].as_i64().expect("bytes")
        );
        let decoded = decode(&bytes);
        let short = (f64::from(bound) * 2.0 / 3.0).round() as u32;
        assert_eq!(decoded.dimensions(), (bound, short), "{size}");
        assert_eq!(
            decoded.color(),
            image::ColorType::Rgb8,
            "{size} is 8-bit RGB"
        );
    }
}

async fn the_original_is_stored_byte_for_byte_with_its_sha256(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let source = pictures::photo_jpeg(800, 600);
    let image = app
        .upload_one(&alice, &album, "a.jpg", source.clone())
        .await;
    assert_eq!(image["sha256"], sha256_hex(&source));
    assert_eq!(image["bytes"], source.len());
    assert_eq!(image["variants"]["original"]["bytes"], source.len());
    assert_eq!(app.fetch_bytes(url(&image, "original")).await, source);
}

#[tokio::test]
async fn a_small_original_is_never_upscaled() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "tiny.jpg", pictures::photo_jpeg(120, 80))
        .await;
    for (size, _) in SIZES {
        let decoded = decode(&app.fetch_bytes(url(&image, size)).await);
        assert_eq!(decoded.dimensions(), (120, 80), "{size}");
    }
}

#[tokio::test]
async fn exif_orientation_is_applied_and_no_variant_keeps_exif_or_gps() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let source = pictures::rotated_jpeg_with_gps(800, 400);
    assert!(
        pictures::has_exif(&source),
        "the control: the source has EXIF"
    );
    let image = app.upload_one(&alice, &album, "phone.jpg", source).await;
    assert_eq!(
        (image["width"].as_i64(), image["height"].as_i64()),
        (Some(400), Some(800)),
        "portrait as displayed"
    );
    assert_eq!(image["variants"]["original"]["width"], 400);
    for (size, _) in SIZES {
        let bytes = app.fetch_bytes(url(&image, size)).await;
        assert!(!pictures::has_exif(&bytes), "{size} carries EXIF");
        let decoded = decode(&bytes).to_rgb8();
        let (w, h) = decoded.dimensions();
        assert!(h > w, "{size} is portrait: {w}x{h}");
        // Orientation 6 turns the stored left half (red) to the top.
        let top = decoded.get_pixel(w / 2, h / 8);
        let bottom = decoded.get_pixel(w / 2, h * 7 / 8);
        assert!(top[0] > 150 && top[2] < 100, "{size} top is red: {top:?}");
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "{size} bottom is blue: {bottom:?}"
        );
    }
}

#[tokio::test]
async fn a_png_with_real_transparency_keeps_it() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(
            &alice,
            &album,
            "logo.png",
            pictures::transparent_png(900, 500),
        )
        .await;
    assert_eq!(image["content_type"], "image/png");
    for (size, _) in SIZES {
        assert_eq!(
            image["variants"][size]["content_type"], "image/png",
            "{size}"
        );
        let decoded = decode(&app.fetch_bytes(url(&image, size)).await).to_rgba8();
        assert_eq!(decoded.get_pixel(2, 2)[3], 0, "{size} left is transparent");
        let (w, _) = decoded.dimensions();
        assert_eq!(
            decoded.get_pixel(w - 3, 2)[3],
            255,
            "{size} right is opaque"
        );
    }
}

#[tokio::test]
async fn an_opaque_png_becomes_jpeg_variants() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "chart.png", pictures::opaque_png(700, 300))
        .await;
    for (size, _) in SIZES {
        assert_eq!(
            image["variants"][size]["content_type"], "image/jpeg",
            "{size}"
        );
    }
    assert_eq!(image["variants"]["original"]["content_type"], "image/png");
}

#[tokio::test]
async fn an_animated_gif_gives_variants_of_its_first_frame() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "anim.gif", pictures::animated_gif(64, 48))
        .await;
    assert_eq!(image["content_type"], "image/gif");
    let thumb = decode(&app.fetch_bytes(url(&image, "thumb")).await).to_rgb8();
    let pixel = thumb.get_pixel(10, 10);
    assert!(
        pixel[0] > 150 && pixel[2] < 100,
        "first frame is red: {pixel:?}"
    );
}

#[tokio::test]
async fn webp_is_accepted() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "pic.webp", pictures::webp(500, 400))
        .await;
    assert_eq!(image["content_type"], "image/webp");
    let small = decode(&app.fetch_bytes(url(&image, "small")).await);
    assert_eq!(small.dimensions(), (500, 400));
}

#[tokio::test]
async fn bad_files_get_their_own_status_and_the_server_keeps_working() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let mut truncated = pictures::photo_jpeg(600, 400);
    truncated.truncate(truncated.len() * 2 / 3);
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "empty.jpg",
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "an empty file",
        ),
        (
            "notes.jpg",
            b"just some text, named like a photo".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "text named .jpg",
        ),
        (
            "drawing.svg",
            pictures::SVG.to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "SVG",
        ),
        (
            "cut.jpg",
            truncated,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a truncated JPEG",
        ),
        (
            "huge.png",
            pictures::png_header_claiming(60_000, 60_000),
            StatusCode::UNPROCESSABLE_ENTITY,
            "60000x60000",
        ),
    ];
    for (name, bytes, status, why) in cases {
        let response = app.upload(&alice, &album, vec![(name, bytes)]).await;
        assert_problem(response, status).await;
        let ok = app
            .upload(
                &alice,
                &album,
                vec![("ok.jpg", pictures::photo_jpeg(64, 64))],
            )
            .await;
        assert_eq!(
            ok.status(),
            StatusCode::CREATED,
            "a normal upload after {why}"
        );
    }
    assert_eq!(app.count_rows("images"), 5);
    assert_eq!(app.count_rows("object_gc"), 0);
}

#[tokio::test]
async fn too_many_pixels_is_refused_from_the_header_alone() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let response = app
        .upload(
            &alice,
            &album,
            vec![("huge.png", pictures::png_header_claiming(60_000, 60_000))],
        )
        .await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("pixels")),
        "{problem}"
    );
}

async fn a_file_over_the_size_limit_is_a_413_and_nothing_is_kept(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let mut big = pictures::photo_jpeg(64, 64);
    big.resize(26 * 1024 * 1024, 0);
    let response = app.upload(&alice, &album, vec![("big.jpg", big)]).await;
    assert_problem(response, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(app.stored_objects().await, 0);
    let ok = app
        .upload(
            &alice,
            &album,
            vec![("ok.jpg", pictures::photo_jpeg(64, 64))],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn more_files_than_allowed_is_a_413_and_nothing_is_kept() {
    let app = spawn_app_with(&["--max-files", "3"]).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let files: Vec<_> = (0..4)
        .map(|_| ("f.jpg", pictures::photo_jpeg(32, 32)))
        .collect();
    assert_problem(
        app.upload(&alice, &album, files).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(app.count_rows("images"), 0);
    assert_eq!(app.stored_objects().await, 0);
}

#[tokio::test]
async fn a_body_without_a_file_part_is_a_422() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let form = reqwest::multipart::Form::new().text("note", "no files here");
    let response = app
        .as_user(Method::POST, &format!("/albums/{album}/images"), &alice)
        .multipart(form)
        .send()
        .await
        .expect("request");
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(crate::helpers::error_fields(&problem), ["file"]);
}

#[tokio::test]
async fn a_body_that_is_not_multipart_is_a_415() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let response = app
        .as_user(Method::POST, &format!("/albums/{album}/images"), &alice)
        .header("content-type", "image/jpeg")
        .body(pictures::photo_jpeg(32, 32))
        .send()
        .await
        .expect("request");
    assert_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
}

#[tokio::test]
async fn a_malformed_multipart_body_is_a_400() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let response = app
        .as_user(Method::POST, &format!("/albums/{album}/images"), &alice)
        .header("content-type", "multipart/form-data; boundary=XYZ")
        .body("--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nno end")
        .send()
        .await
        .expect("request");
    assert_problem(response, StatusCode::BAD_REQUEST).await;
    assert_eq!(app.count_rows("images"), 0);
}

#[tokio::test]
async fn uploading_to_a_bad_or_missing_album_is_a_404() {
    let app = spawn_app().await;
    let (alice, _) = a_user_with_an_album(&app).await;
    for album in ["not-a-uuid".to_owned(), uuid::Uuid::now_v7().to_string()] {
        let response = app
            .upload(
                &alice,
                &album,
                vec![("a.jpg", pictures::photo_jpeg(32, 32))],
            )
            .await;
        assert_problem(response, StatusCode::NOT_FOUND).await;
    }
}

async fn a_bulk_upload_with_one_bad_file_stores_the_rest(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let files = vec![
        ("1.jpg", pictures::photo_jpeg(300, 200)),
        ("2.png", pictures::opaque_png(200, 300)),
        ("dir/3.txt", b"not an image".to_vec()),
        ("4.gif", pictures::animated_gif(40, 40)),
        ("5.webp", pictures::webp(100, 100)),
    ];
    let response = app.upload(&alice, &album, files).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("json");
    let names: Vec<&str> = body["images"]
        .as_array()
        .expect("images")
        .iter()
        .map(|i| i["filename"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["1.jpg", "2.png", "4.gif", "5.webp"]);
    let rejected = body["rejected"].as_array().expect("rejected");
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        rejected[0]["filename"], "3.txt",
        "only the last path segment is kept"
    );
    assert_eq!(rejected[0]["status"], 415);
    assert!(rejected[0]["title"].is_string() && rejected[0]["detail"].is_string());
}

#[tokio::test]
async fn images_list_newest_first_and_paginate_exactly_once() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let other = app.album_id(&alice, "Other").await;
    let mut uploaded = Vec::new();
    for n in 0..7 {
        let target = if n % 2 == 0 { &album } else { &other };
        let image = app
            .upload_one(
                &alice,
                target,
                &format!("{n}.jpg"),
                pictures::photo_jpeg(40, 30),
            )
            .await;
        uploaded.push(image["id"].as_str().expect("id").to_owned());
    }
    uploaded.reverse();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/images?limit=3&cursor={c}"),
            None => "/images?limit=3".to_owned(),
        };
        let page: Value = app
            .get_as(Some(&alice), &path)
            .await
            .json()
            .await
            .expect("page");
        seen.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["id"].as_str().expect("id").to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, uploaded);
    let in_album: Value = app
        .get_as(Some(&alice), &format!("/albums/{album}/images"))
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(in_album["items"].as_array().expect("items").len(), 4);
    assert_eq!(in_album["next_cursor"], Value::Null);
}

#[tokio::test]
async fn an_album_shows_its_image_count_and_newest_thumb_as_cover() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    app.upload_one(&alice, &album, "old.jpg", pictures::photo_jpeg(50, 50))
        .await;
    let newest = app
        .upload_one(&alice, &album, "new.jpg", pictures::photo_jpeg(60, 40))
        .await;
    let fetched: Value = app
        .get_as(Some(&alice), &format!("/albums/{album}"))
        .await
        .json()
        .await
        .expect("album");
    assert_eq!(fetched["image_count"], 2);
    assert_eq!(fetched["cover"]["width"], 60);
    let cover = fetched["cover"]["url"].as_str().expect("cover url");
    assert!(cover.contains(&format!(
        "/images/{}/content/thumb",
        newest["id"].as_str().expect("id")
    )));
    assert_eq!(app.fetch(cover).await.status(), StatusCode::OK);
    let me: Value = app
        .get_as(Some(&alice), "/users/me")
        .await
        .json()
        .await
        .expect("me");
    assert_eq!(me["stats"]["images"], 2);
    assert!(me["stats"]["bytes"].as_i64().expect("bytes") > 0);
}

#[tokio::test]
async fn another_users_private_images_are_404_on_every_route() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let bob = app.signup("bob").await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    let id = image["id"].as_str().expect("id");
    for (method, path) in [
        (Method::GET, format!("/images/{id}")),
        (Method::DELETE, format!("/images/{id}")),
        (Method::GET, format!("/images/{id}/content/thumb")),
        (Method::GET, format!("/images/{id}/content/original")),
        (Method::GET, format!("/albums/{album}/images")),
    ] {
        let response = app
            .as_user(method.clone(), &path, &bob)
            .send()
            .await
            .expect("request");
        assert_problem(response, StatusCode::NOT_FOUND).await;
    }
    let upload = app
        .upload(&bob, &album, vec![("x.jpg", pictures::photo_jpeg(8, 8))])
        .await;
    assert_problem(upload, StatusCode::NOT_FOUND).await;
    let bobs: Value = app
        .get_as(Some(&bob), "/images")
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(bobs["items"], serde_json::json!([]));
    assert_eq!(
        app.get_as(Some(&alice), &format!("/images/{id}"))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn without_credentials_private_images_are_401s() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    let id = image["id"].as_str().expect("id");
    for path in [
        format!("/images/{id}"),
        format!("/images/{id}/content/thumb"),
        format!("/albums/{album}/images"),
        "/images".to_owned(),
    ] {
        assert_problem(app.get_as(None, &path).await, StatusCode::UNAUTHORIZED).await;
    }
}

#[tokio::test]
async fn a_public_album_shows_variants_to_anyone_but_the_original_only_to_its_owner() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let bob = app.signup("bob").await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    let id = image["id"].as_str().expect("id");
    app.make_public(&alice, &album).await;

    let as_visitor: Value = app
        .get_as(None, &format!("/albums/{album}/images"))
        .await
        .json()
        .await
        .expect("page");
    let seen = &as_visitor["items"][0];
    assert_eq!(seen["variants"]["original"], Value::Null);
    assert_eq!(
        app.fetch_bytes(url(seen, "thumb")).await.len() as i64,
        seen["variants"]["thumb"]["bytes"].as_i64().expect("n")
    );
    let unsigned_thumb = app
        .get_as(None, &format!("/images/{id}/content/medium"))
        .await;
    assert_eq!(unsigned_thumb.status(), StatusCode::OK);
    assert_problem(
        app.get_as(None, &format!("/images/{id}/content/original"))
            .await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_problem(
        app.get_as(Some(&bob), &format!("/images/{id}/content/original"))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let as_bob: Value = app
        .get_as(Some(&bob), &format!("/images/{id}"))
        .await
        .json()
        .await
        .expect("image");
    assert_eq!(as_bob["variants"]["original"], Value::Null);
    let as_owner: Value = app
        .get_as(Some(&alice), &format!("/images/{id}"))
        .await
        .json()
        .await
        .expect("image");
    assert!(as_owner["variants"]["original"]["url"].is_string());

    let upload = app
        .upload(&bob, &album, vec![("x.jpg", pictures::photo_jpeg(8, 8))])
        .await;
    assert_problem(upload, StatusCode::FORBIDDEN).await;
    let delete = app.delete_as(&bob, &format!("/images/{id}")).await;
    assert_problem(delete, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn signed_urls_work_without_a_header_and_tampering_is_refused() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    let thumb = url(&image, "thumb").to_owned();
    assert!(thumb.starts_with(&app.address), "absolute: {thumb}");
    assert_eq!(app.fetch(&thumb).await.status(), StatusCode::OK);

    let tampered_sig = format!("{}x", thumb);
    let other_size = thumb.replace("/content/thumb", "/content/original");
    let later_exp = {
        let exp: i64 = thumb
            .split("exp=")
            .nth(1)
            .and_then(|s| s.split('&').next())
            .and_then(|s| s.parse().ok())
            .expect("exp");
        thumb.replace(&format!("exp={exp}"), &format!("exp={}", exp + 3600))
    };
    for bad in [tampered_sig, other_size, later_exp] {
        assert_problem(app.fetch(&bad).await, StatusCode::UNAUTHORIZED).await;
    }
}

#[tokio::test]
async fn an_expired_signed_url_is_refused() {
    let app = spawn_app_with(&["--signed-url-ttl", "1"]).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    let thumb = url(&image, "thumb");
    let exp: i64 = thumb
        .split("exp=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .and_then(|s| s.parse().ok())
        .expect("exp");
    let wait = (exp - chrono::Utc::now().timestamp() + 1).max(0);
    tokio::time::sleep(std::time::Duration::from_secs(
        u64::try_from(wait).expect("wait"),
    ))
    .await;
    assert_problem(app.fetch(thumb).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn the_owners_bearer_token_also_opens_content() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    let id = image["id"].as_str().expect("id");
    let response = app
        .get_as(Some(&alice), &format!("/images/{id}/content/original"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
}

#[tokio::test]
async fn an_unknown_size_is_a_404() {
    let app = spawn_app().await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    let id = image["id"].as_str().expect("id");
    assert_problem(
        app.get_as(Some(&alice), &format!("/images/{id}/content/huge"))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// Serving without the memory copy: every object streams from storage.
const NO_CONTENT_CACHE: &[&str] = &["--content-cache", "0"];

async fn content_has_caching_headers_and_answers_if_none_match_with_304(backend: Backend) {
    caching_headers_and_304(&spawn_app_on(backend).await).await;
}

async fn streamed_content_has_the_same_caching_headers_and_304(backend: Backend) {
    caching_headers_and_304(&spawn_app_on_with(backend, NO_CONTENT_CACHE).await).await;
}

async fn caching_headers_and_304(app: &TestApp) {
    let (alice, album) = a_user_with_an_album(app).await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(400, 300))
        .await;
    let small = url(&image, "small");
    let response = app.fetch(small).await;
    let headers = response.headers().clone();
    let etag = headers["etag"].to_str().expect("etag").to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    assert!(
        headers["cache-control"]
            .to_str()
            .expect("cc")
            .contains("immutable")
    );
    assert_eq!(headers["content-type"], "image/jpeg");
    let body = response.bytes().await.expect("bytes");
    assert_eq!(
        headers["content-length"].to_str().expect("len"),
        body.len().to_string()
    );

    let again = app
        .client
        .get(small)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["etag"].to_str().expect("etag"), etag);
    let changed = app
        .client
        .get(small)
        .header("if-none-match", "\"other\"")
        .send()
        .await
        .expect("request");
    assert_eq!(changed.status(), StatusCode::OK);
}

async fn a_single_range_is_answered_with_206(backend: Backend) {
    single_ranges(&spawn_app_on(backend).await).await;
}

async fn a_streamed_single_range_is_answered_with_206_too(backend: Backend) {
    single_ranges(&spawn_app_on_with(backend, NO_CONTENT_CACHE).await).await;
}

async fn single_ranges(app: &TestApp) {
    let (alice, album) = a_user_with_an_album(app).await;
    let source = pictures::photo_jpeg(500, 500);
    let image = app
        .upload_one(&alice, &album, "a.jpg", source.clone())
        .await;
    let original = url(&image, "original");
    let response = app
        .client
        .get(original)
        .header("range", "bytes=10-109")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        response.headers()["content-range"].to_str().expect("cr"),
        format!("bytes 10-109/{}", source.len())
    );
    assert_eq!(
        response.bytes().await.expect("bytes").as_ref(),
        &source[10..110]
    );

    let tail = app
        .client
        .get(original)
        .header("range", "bytes=-5")
        .send()
        .await
        .expect("request");
    assert_eq!(
        tail.bytes().await.expect("bytes").as_ref(),
        &source[source.len() - 5..]
    );

    let beyond = app
        .client
        .get(original)
        .header("range", format!("bytes={}-", source.len()))
        .send()
        .await
        .expect("request");
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        beyond.headers()["content-range"].to_str().expect("cr"),
        format!("bytes */{}", source.len())
    );
    assert_eq!(
        app.fetch_bytes(original).await,
        source,
        "a ranged first request leaves the whole object behind it"
    );
}

async fn deleting_an_image_for_good_removes_its_row_objects_and_urls(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(64, 64))
        .await;
    let id = image["id"].as_str().expect("id");
    assert_eq!(app.stored_objects().await, 5);
    let response = app
        .delete_as(&alice, &format!("/images/{id}?permanent=true"))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.stored_objects().await, 0);
    assert_eq!(app.count_rows("object_gc"), 0);
    assert_eq!(
        app.count_rows("jobs"),
        0,
        "done in-line: no deletion job is left"
    );
    assert_problem(
        app.get_as(Some(&alice), &format!("/images/{id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    for (size, _) in SIZES {
        assert_problem(app.fetch(url(&image, size)).await, StatusCode::NOT_FOUND).await;
    }
    assert_problem(
        app.fetch(url(&image, "original")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn deleting_an_album_for_good_removes_its_sub_albums_images_and_every_object(
    backend: Backend,
) {
    let app = spawn_app_on(backend).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let child = app.album_id_under(&alice, "Child", Some(&album)).await;
    let grandchild = app.album_id_under(&alice, "Grandchild", Some(&child)).await;
    let keep = app.album_id(&alice, "Keep").await;
    let mut doomed = Vec::new();
    for target in [&album, &child, &grandchild, &grandchild] {
        doomed.push(
            app.upload_one(&alice, target, "x.jpg", pictures::photo_jpeg(80, 60))
                .await,
        );
    }
    let kept = app
        .upload_one(&alice, &keep, "k.jpg", pictures::photo_jpeg(80, 60))
        .await;
    assert_eq!(app.stored_objects().await, 25);

    let response = app
        .delete_as(&alice, &format!("/albums/{album}?permanent=true"))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.stored_objects().await,
        5,
        "only the kept image's objects remain"
    );
    assert_eq!(app.count_rows("images"), 1);
    assert_eq!(app.count_rows("object_gc"), 0);
    assert_eq!(
        app.count_rows("jobs"),
        0,
        "done in-line: no deletion job is left"
    );
    for image in &doomed {
        assert_problem(app.fetch(url(image, "thumb")).await, StatusCode::NOT_FOUND).await;
    }
    assert_eq!(
        app.fetch(url(&kept, "thumb")).await.status(),
        StatusCode::OK
    );
}

/// Every way to reach an image's content, each asked twice so that the second answer can come
/// from memory.
async fn fetch_every_way_twice(app: &TestApp, owner: &crate::helpers::Session, image: &Value) {
    let id = image["id"].as_str().expect("id");
    for _ in 0..2 {
        for (size, _) in SIZES {
            assert_eq!(app.fetch(url(image, size)).await.status(), StatusCode::OK);
            let path = format!("/images/{id}/content/{size}");
            assert_eq!(
                app.get_as(Some(owner), &path).await.status(),
                StatusCode::OK
            );
        }
    }
}

async fn content_served_from_memory_is_a_404_once_its_image_is_deleted(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(700, 500))
        .await;
    fetch_every_way_twice(&app, &alice, &image).await;
    let id = image["id"].as_str().expect("id");
    let response = app.delete_as(&alice, &format!("/images/{id}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    for (size, _) in SIZES {
        assert_problem(app.fetch(url(&image, size)).await, StatusCode::NOT_FOUND).await;
        let path = format!("/images/{id}/content/{size}");
        assert_problem(app.get_as(Some(&alice), &path).await, StatusCode::NOT_FOUND).await;
    }
}

async fn content_served_from_memory_is_a_404_once_its_album_is_deleted(backend: Backend) {
    let app = spawn_app_on(backend).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let child = app.album_id_under(&alice, "Child", Some(&album)).await;
    let image = app
        .upload_one(&alice, &child, "a.jpg", pictures::photo_jpeg(700, 500))
        .await;
    fetch_every_way_twice(&app, &alice, &image).await;
    let response = app.delete_as(&alice, &format!("/albums/{album}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    for (size, _) in SIZES {
        assert_problem(app.fetch(url(&image, size)).await, StatusCode::NOT_FOUND).await;
    }
}

async fn a_private_album_made_public_and_private_again_serves_from_memory_by_the_rules(
    backend: Backend,
) {
    let app = spawn_app_on(backend).await;
    let (alice, album) = a_user_with_an_album(&app).await;
    let image = app
        .upload_one(&alice, &album, "a.jpg", pictures::photo_jpeg(700, 500))
        .await;
    let id = image["id"].as_str().expect("id");
    let thumb = format!("/images/{id}/content/thumb");
    fetch_every_way_twice(&app, &alice, &image).await;
    app.make_public(&alice, &album).await;
    assert_eq!(app.get_as(None, &thumb).await.status(), StatusCode::OK);
    let response = app
        .patch_album(
            &alice,
            &album,
            &serde_json::json!({"visibility": "private"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_problem(app.get_as(None, &thumb).await, StatusCode::UNAUTHORIZED).await;
}

// Storing, serving and deleting bytes: the same behaviour on local files and on S3.
on_both_backends!(
    a_large_photo_gets_four_jpeg_variants_within_their_bounds,
    the_original_is_stored_byte_for_byte_with_its_sha256,
    a_file_over_the_size_limit_is_a_413_and_nothing_is_kept,
    a_bulk_upload_with_one_bad_file_stores_the_rest,
    content_has_caching_headers_and_answers_if_none_match_with_304,
    a_single_range_is_answered_with_206,
    streamed_content_has_the_same_caching_headers_and_304,
    a_streamed_single_range_is_answered_with_206_too,
    content_served_from_memory_is_a_404_once_its_image_is_deleted,
    content_served_from_memory_is_a_404_once_its_album_is_deleted,
    a_private_album_made_public_and_private_again_serves_from_memory_by_the_rules,
    deleting_an_image_for_good_removes_its_row_objects_and_urls,
    deleting_an_album_for_good_removes_its_sub_albums_images_and_every_object,
);
