//! HEIC/AVIF uploads, WebP/AVIF renditions by `Accept`, photo facts and placeholders
//! (API.md Part 2, "Formats, metadata and placeholders"). Files come from real encoders.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY};
use serde_json::Value;

use crate::encoders::{self, Shot};
use crate::helpers::{Session, TestApp, assert_problem, spawn_app_with};
use crate::pictures;

const CHROME: &str = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
const FIREFOX: &str = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5";
const SAFARI: &str = "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5";
const SAFARI_15: &str = "image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5";
const CURL: &str = "*/*";

async fn app_with_renditions() -> TestApp {
    spawn_app_with(&["--renditions", "webp,avif"]).await
}

async fn owner_and_album(app: &TestApp) -> (Session, String) {
    let user = app.signup("camera").await;
    let album = app.album_id(&user, "Trip").await;
    (user, album)
}

fn decode(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("a variant decodes")
}

/// Polls `GET /images/{id}` until every resized size lists `formats`.
async fn wait_for_formats(app: &TestApp, user: &Session, id: &str, formats: &[&str]) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let image = app.json_as(Some(user), &format!("/images/{id}")).await;
        let ready = ["thumb", "small", "medium", "large"]
            .iter()
            .all(|size| image["variants"][size]["formats"] == serde_json::json!(formats));
        if ready {
            return image;
        }
        assert!(Instant::now() < deadline, "renditions never came: {image}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn get_with_accept(app: &TestApp, url: &str, accept: &str) -> reqwest::Response {
    app.client
        .get(url)
        .header(ACCEPT, accept)
        .send()
        .await
        .expect("content request")
}

fn content_type(response: &reqwest::Response) -> String {
    response.headers()[CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .to_owned()
}

#[tokio::test]
async fn an_iphone_heic_is_accepted_upright_with_its_date_and_camera() {
    let app = spawn_app_with(&[]).await;
    let (user, album) = owner_and_album(&app).await;
    let heic = encoders::heic(&encoders::red_left_blue_right(400, 300), &Shot::iphone());
    let image = app
        .upload_one(&user, &album, "IMG_0001.HEIC", heic.clone())
        .await;

    assert_eq!(image["content_type"], "image/heic");
    // Stored 400×300 with a quarter turn: shown portrait.
    assert_eq!(
        (image["width"].as_i64(), image["height"].as_i64()),
        (Some(300), Some(400))
    );
    assert_eq!(image["taken_at"], "2024-07-01T14:30:05+02:00");
    assert_eq!(image["camera"]["make"], "Apple");
    assert_eq!(image["camera"]["model"], "iPhone 15 Pro");
    assert_eq!(image["exposure"]["exposure_time"], "1/250");
    assert_eq!(image["exposure"]["iso"], 80);
    let thumb = decode(
        &app.fetch_bytes(image["variants"]["thumb"]["url"].as_str().expect("url"))
            .await,
    )
    .to_rgb8();
    assert_eq!((thumb.width(), thumb.height()), (225, 300));
    let top = thumb.get_pixel(112, 20).0;
    assert!(
        top[0] > 150 && top[2] < 100,
        "red on top after irot: {top:?}"
    );
    let original = app
        .fetch_bytes(image["variants"]["original"]["url"].as_str().expect("url"))
        .await;
    assert_eq!(original, heic, "the original is kept byte for byte");
}

#[tokio::test]
async fn an_avif_upload_gets_jpeg_variants() {
    let app = spawn_app_with(&[]).await;
    let (user, album) = owner_and_album(&app).await;
    let avif = encoders::avif(&pictures_photo(640, 480), &[]);
    let image = app.upload_one(&user, &album, "photo.avif", avif).await;
    assert_eq!(image["content_type"], "image/avif");
    assert_eq!(image["variants"]["large"]["content_type"], "image/jpeg");
    assert_eq!(image["variants"]["large"]["width"], 640);
}

fn pictures_photo(width: u32, height: u32) -> image::DynamicImage {
    decode(&pictures::photo_jpeg(width, height))
}

/// A 10-bit HEIC (x265 Main 10) and a 12-bit AVIF (libaom 3.6 aborts on 10-bit 4:4:4, so
/// heif-enc's 12-bit stands in for the deep AVIF path, the same code).
#[tokio::test]
async fn deep_colour_heic_and_avif_are_brought_to_eight_bits() {
    let app = spawn_app_with(&[]).await;
    let (user, album) = owner_and_album(&app).await;
    let png16 = encoders::png16(320, 240);
    let files = [
        (
            "hdr.heic",
            encoders::heif_enc(&png16, "png", "heic", &["-q", "90", "-b", "10"]),
        ),
        (
            "hdr.avif",
            encoders::heif_enc(
                &png16,
                "png",
                "avif",
                &["-q", "90", "-b", "12", "-p", "chroma=420"],
            ),
        ),
    ];
    for (name, file) in files {
        let image = app.upload_one(&user, &album, name, file).await;
        let url = image["variants"]["small"]["url"].as_str().expect("url");
        let small = decode(&app.fetch_bytes(url).await).to_rgb8();
        assert_eq!((small.width(), small.height()), (320, 240), "{name}");
        // The gradient survives: left dark, right bright in red; blue mid-grey.
        let (left, right) = (small.get_pixel(5, 120).0, small.get_pixel(314, 120).0);
        assert!(left[0] < 40 && right[0] > 215, "{name}: {left:?} {right:?}");
        assert!((100..=135).contains(&left[2]), "{name}: {left:?}");
    }
}

#[tokio::test]
async fn a_display_p3_heic_is_converted_to_srgb() {
    let app = spawn_app_with(&[]).await;
    let (user, album) = owner_and_album(&app).await;
    // The same numbers mean a more saturated red in Display P3 than in sRGB.
    let source = encoders::flat(64, 64, [200, 100, 100]);
    let p3 = encoders::heic_with_icc(&source, encoders::display_p3_icc());
    let srgb = encoders::heic(&source, &Shot::default());
    let thumb_red = |image: Value| async move {
        let url = image["variants"]["thumb"]["url"]
            .as_str()
            .expect("url")
            .to_owned();
        decode(&app_fetch(&url).await).to_rgb8().get_pixel(32, 32).0
    };
    let as_p3 = thumb_red(app.upload_one(&user, &album, "p3.heic", p3).await).await;
    let as_srgb = thumb_red(app.upload_one(&user, &album, "srgb.heic", srgb).await).await;
    assert!(
        i32::from(as_p3[0]) - i32::from(as_srgb[0]) >= 8,
        "P3 red {as_p3:?} should be redder in sRGB than sRGB red {as_srgb:?}"
    );
}

async fn app_fetch(url: &str) -> Vec<u8> {
    crate::helpers::http_client()
        .get(url)
        .send()
        .await
        .expect("fetch")
        .bytes()
        .await
        .expect("bytes")
        .to_vec()
}

#[tokio::test]
async fn a_truncated_heic_is_refused_and_nothing_is_kept() {
    let app = spawn_app_with(&[]).await;
    let (user, album) = owner_and_album(&app).await;
    let heic = encoders::heic(&encoders::red_left_blue_right(200, 100), &Shot::default());
    let cut = heic[..heic.len() * 2 / 3].to_vec();
    let response = app.upload(&user, &album, vec![("cut.heic", cut)]).await;
    assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(app.count_rows("images"), 0);
    assert_eq!(app.stored_files(), 0);
}

#[tokio::test]
async fn a_heic_claiming_a_huge_size_is_refused_before_decoding() {
    let app = spawn_app_with(&[]).await;
    let (user, album) = owner_and_album(&app).await;
    let heic = encoders::heic(&encoders::red_left_blue_right(64, 64), &Shot::default());
    let bomb = encoders::claiming_size(&heic, 60_000, 60_000);
    let response = app.upload(&user, &album, vec![("bomb.heic", bomb)]).await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["detail"].as_str().unwrap_or("").contains("pixels"),
        "{problem}"
    );
    assert_eq!(app.count_rows("images"), 0);
}

#[tokio::test]
async fn facts_without_an_offset_are_the_cameras_local_time_and_gps_is_the_owners_alone() {
    let app = spawn_app_with(&[]).await;
    let (user, album) = owner_and_album(&app).await;
    let shot = Shot {
        offset: None,
        taken: Some("2019:03:09 08:00:00"),
        ..Shot::iphone()
    };
    let jpeg = encoders::jpeg_with_exif(&pictures_photo(320, 200), &shot);
    let image = app.upload_one(&user, &album, "paris.jpg", jpeg).await;
    assert_eq!(image["taken_at"], "2019-03-09T08:00:00-00:00");
    assert_eq!(image["exposure"]["f_number"], 1.8);
    assert_eq!(image["exposure"]["focal_length_mm"], 6.765);
    let latitude = image["location"]["latitude"]
        .as_f64()
        .expect("owner sees GPS");
    assert!((latitude - 48.856_666_7).abs() < 1e-6, "{latitude}");
    assert!(image["location"]["longitude"].as_f64().expect("lon") > 2.35);

    app.make_public(&user, &album).await;
    let visitor = app.json_as(None, &format!("/albums/{album}/images")).await;
    let seen = &visitor["items"][0];
    assert_eq!(seen["location"], Value::Null);
    assert_eq!(seen["taken_at"], "2019-03-09T08:00:00-00:00");
    assert_eq!(seen["camera"]["make"], "Apple");
}

#[tokio::test]
async fn a_photo_without_exif_has_null_facts_and_a_placeholder() {
    let app = spawn_app_with(&[]).await;
    let (user, album) = owner_and_album(&app).await;
    let red = pictures::jpeg(&encoders::flat(500, 300, [210, 30, 40]), 90);
    let image = app.upload_one(&user, &album, "red.jpg", red).await;
    for fact in ["taken_at", "camera", "exposure", "location"] {
        assert_eq!(image[fact], Value::Null, "{fact}");
    }
    let color = image["placeholder"]["color"].as_str().expect("color");
    let channel = |i: usize| u8::from_str_radix(&color[1 + 2 * i..3 + 2 * i], 16).expect("hex");
    assert!(
        channel(0) > 180 && channel(1) < 70 && channel(2) < 80,
        "{color}"
    );
    let hash = image["placeholder"]["thumbhash"]
        .as_str()
        .expect("thumbhash");
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(hash)
        .expect("base64");
    assert!(thumbhash::thumb_hash_to_rgba(&bytes).is_ok());
}

#[tokio::test]
async fn browsers_get_avif_or_webp_by_accept_and_curl_gets_jpeg() {
    let app = app_with_renditions().await;
    let (user, album) = owner_and_album(&app).await;
    let uploaded = app
        .upload_one(&user, &album, "photo.jpg", pictures::photo_jpeg(900, 600))
        .await;
    assert_eq!(
        uploaded["variants"]["thumb"]["formats"],
        serde_json::json!(["jpeg"])
    );
    let id = uploaded["id"].as_str().expect("id");
    let image = wait_for_formats(&app, &user, id, &["jpeg", "webp", "avif"]).await;
    assert_eq!(
        image["variants"]["original"]["formats"],
        serde_json::json!([])
    );
    let url = image["variants"]["thumb"]["url"].as_str().expect("url");

    let mut etags = std::collections::HashSet::new();
    for (accept, expected) in [
        (CHROME, "image/avif"),
        (FIREFOX, "image/avif"),
        (SAFARI, "image/avif"),
        (SAFARI_15, "image/webp"),
        (CURL, "image/jpeg"),
        ("image/*", "image/jpeg"),
    ] {
        let response = get_with_accept(&app, url, accept).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(content_type(&response), expected, "{accept}");
        assert_eq!(response.headers()[VARY], "Accept");
        let etag = response.headers()[ETAG].to_str().expect("etag").to_owned();
        let body = response.bytes().await.expect("body");
        let decoded = match expected {
            "image/avif" => None,
            _ => Some(decode(&body)),
        };
        if let Some(decoded) = decoded {
            assert_eq!((decoded.width(), decoded.height()), (300, 200));
        } else {
            assert_eq!(&body[4..8], b"ftyp");
        }
        etags.insert((expected, etag));
    }
    let distinct: std::collections::HashSet<_> = etags.iter().map(|(_, e)| e.clone()).collect();
    assert_eq!(distinct.len(), 3, "one ETag per rendition: {etags:?}");

    // 304 per rendition: the AVIF's ETag does not validate the JPEG.
    let avif_etag = etags
        .iter()
        .find(|(t, _)| *t == "image/avif")
        .expect("avif")
        .1
        .clone();
    let again = app
        .client
        .get(url)
        .header(ACCEPT, CHROME)
        .header(IF_NONE_MATCH, &avif_etag)
        .send()
        .await
        .expect("get");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[VARY], "Accept");
    let curl = app
        .client
        .get(url)
        .header(ACCEPT, CURL)
        .header(IF_NONE_MATCH, &avif_etag)
        .send()
        .await
        .expect("get");
    assert_eq!(curl.status(), StatusCode::OK);
    assert_eq!(content_type(&curl), "image/jpeg");
}

#[tokio::test]
async fn format_forces_one_rendition_and_404s_for_one_that_does_not_exist() {
    let app = app_with_renditions().await;
    let (user, album) = owner_and_album(&app).await;
    let uploaded = app
        .upload_one(&user, &album, "photo.jpg", pictures::photo_jpeg(400, 300))
        .await;
    let image = wait_for_formats(
        &app,
        &user,
        uploaded["id"].as_str().expect("id"),
        &["jpeg", "webp", "avif"],
    )
    .await;
    let url = |size: &str, format: &str| {
        format!(
            "{}&format={format}",
            image["variants"][size]["url"].as_str().expect("url")
        )
    };
    let webp = get_with_accept(&app, &url("small", "webp"), CURL).await;
    assert_eq!(content_type(&webp), "image/webp");
    let jpeg = get_with_accept(&app, &url("small", "jpeg"), CHROME).await;
    assert_eq!(content_type(&jpeg), "image/jpeg");
    let png = get_with_accept(&app, &url("small", "png"), CHROME).await;
    assert_problem(png, StatusCode::NOT_FOUND).await;
    let original = get_with_accept(&app, &url("original", "jpeg"), CHROME).await;
    assert_problem(original, StatusCode::NOT_FOUND).await;
    let unknown = get_with_accept(&app, &url("small", "gif"), CHROME).await;
    assert_problem(unknown, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn a_transparent_image_keeps_png_as_primary_and_its_renditions_keep_alpha() {
    let app = app_with_renditions().await;
    let (user, album) = owner_and_album(&app).await;
    let uploaded = app
        .upload_one(
            &user,
            &album,
            "logo.png",
            pictures::transparent_png(300, 300),
        )
        .await;
    let image = wait_for_formats(
        &app,
        &user,
        uploaded["id"].as_str().expect("id"),
        &["png", "webp", "avif"],
    )
    .await;
    let url = image["variants"]["thumb"]["url"].as_str().expect("url");
    let webp = get_with_accept(&app, url, SAFARI_15).await;
    assert_eq!(content_type(&webp), "image/webp");
    assert!(
        decode(&webp.bytes().await.expect("body"))
            .color()
            .has_alpha()
    );
    let png = get_with_accept(&app, &format!("{url}&format=png"), CHROME).await;
    assert_eq!(content_type(&png), "image/png");
}

#[tokio::test]
async fn before_its_renditions_are_made_a_browser_gets_jpeg_then_avif_once_they_are() {
    // No job workers here: the renditions wait for the next replica.
    let app = spawn_app_with(&["--renditions", "webp,avif", "--job-workers", "0"]).await;
    let (user, album) = owner_and_album(&app).await;
    let image = app
        .upload_one(&user, &album, "photo.jpg", pictures::photo_jpeg(400, 300))
        .await;
    let url = image["variants"]["medium"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let early = get_with_accept(&app, &url, CHROME).await;
    assert_eq!(
        content_type(&early),
        "image/jpeg",
        "nothing else is made yet"
    );

    let app = app.restart_with(&["--renditions", "webp,avif"]).await;
    wait_for_formats(
        &app,
        &user,
        image["id"].as_str().expect("id"),
        &["jpeg", "webp", "avif"],
    )
    .await;
    let later = get_with_accept(&app, &url, CHROME).await;
    assert_eq!(content_type(&later), "image/avif");
}

#[tokio::test]
async fn deleting_an_image_removes_its_renditions_too() {
    let app = app_with_renditions().await;
    let (user, album) = owner_and_album(&app).await;
    let uploaded = app
        .upload_one(&user, &album, "photo.jpg", pictures::photo_jpeg(400, 300))
        .await;
    let id = uploaded["id"].as_str().expect("id");
    wait_for_formats(&app, &user, id, &["jpeg", "webp", "avif"]).await;
    assert_eq!(app.stored_files(), 5 + 8);
    let response = app
        .delete_as(&user, &format!("/images/{id}?permanent=true"))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.stored_files(), 0);
    assert_eq!(app.count_rows("image_renditions"), 0);
}
