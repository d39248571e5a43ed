//! The holes an attack run found, each closed as a class: stalled and endless bodies, lengths
//! that lie, nested multipart, invisible characters in names, pages without security headers,
//! staging files a crash leaves behind, sign-ups without limit.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{PASSWORD, Session, TestApp, assert_problem, spawn_app, spawn_app_with};
use crate::pictures;

const BOUNDARY: &str = "hardening-boundary";
/// How long a test waits for an answer the server owes at once.
const ANSWER_WAIT: Duration = Duration::from_secs(30);

async fn user_with_album(app: &TestApp, name: &str) -> (Session, String) {
    let user = app.signup(name).await;
    let album = app.album_id(&user, "Photos").await;
    (user, album)
}

/// A raw connection, for requests reqwest will not send (stalled, lying, endless).
async fn connect(app: &TestApp) -> TcpStream {
    let addr = app.address.trim_start_matches("http://");
    TcpStream::connect(addr).await.expect("connect")
}

/// The head of an upload request; `framing` is `Content-Length: n` or `Transfer-Encoding: chunked`.
fn upload_head(album: &str, user: &Session, framing: &str) -> String {
    format!(
        "POST /api/v1/albums/{album}/images HTTP/1.1\r\nHost: localhost\r\n\
         Authorization: Bearer {}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n{framing}\r\n\r\n",
        user.access_token
    )
}

fn part_head(filename: &str) -> String {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: image/jpeg\r\n\r\n"
    )
}

/// The status code of the first answer on `stream`.
async fn status_of(stream: &mut (impl AsyncReadExt + Unpin)) -> u16 {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    tokio::time::timeout(ANSWER_WAIT, async {
        while !head.ends_with(b"\r\n") {
            if stream.read(&mut byte).await.expect("read") == 0 {
                break;
            }
            head.push(byte[0]);
        }
    })
    .await
    .expect("the server answered in time");
    let line = String::from_utf8_lossy(&head);
    line.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {line:?}"))
}

/// A multipart body with one part named `file` whose name and part headers are as given.
fn multipart_body(part_headers: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!("--{BOUNDARY}\r\n{part_headers}\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(app: &TestApp, user: &Session, album: &str, body: Vec<u8>) -> Value {
    let response = app
        .as_user(Method::POST, &format!("/albums/{album}/images"), user)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

#[tokio::test]
async fn fifty_stalled_uploads_do_not_hold_up_another_users_upload() {
    // Each stalled part used to reserve the whole per-file limit up front: ten were enough.
    const STALLED: usize = 50;
    let app = spawn_app_with(&["--upload-queue-timeout", "2s"]).await;
    let (mallory, her_album) = user_with_album(&app, "mallory").await;
    let mut stalled = Vec::new();
    for _ in 0..STALLED {
        let mut socket = connect(&app).await;
        let head = upload_head(&her_album, &mallory, "Content-Length: 26000000");
        socket.write_all(head.as_bytes()).await.expect("head");
        socket
            .write_all(part_head("slow.jpg").as_bytes())
            .await
            .expect("part");
        socket.write_all(&[0xff, 0xd8]).await.expect("a few bytes");
        stalled.push(socket);
    }
    // setup, not an assertion: let the server take in the part headers
    tokio::time::sleep(Duration::from_millis(500)).await;

    let (alice, album) = user_with_album(&app, "alice").await;
    let started = std::time::Instant::now();
    let response = app
        .upload(
            &alice,
            &album,
            vec![("small.jpg", pictures::photo_jpeg(16, 16))],
        )
        .await;
    println!(
        "abuse(stalled bodies): another user's 1 KB upload answered {} in {} ms while {STALLED} \
         sockets stalled",
        response.status(),
        started.elapsed().as_millis()
    );
    assert_eq!(response.status(), StatusCode::CREATED);
    drop(stalled);
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_given_up_with_a_408() {
    let app = spawn_app_with(&["--body-idle-timeout", "1s"]).await;
    let (alice, album) = user_with_album(&app, "alice").await;
    let mut socket = connect(&app).await;
    let head = upload_head(&album, &alice, "Content-Length: 100000");
    socket.write_all(head.as_bytes()).await.expect("head");
    socket
        .write_all(part_head("a.jpg").as_bytes())
        .await
        .expect("part");
    assert_eq!(status_of(&mut socket).await, 408);
    assert_eq!(app.count_rows("images"), 0);
}

#[tokio::test]
async fn a_json_body_that_stops_arriving_is_given_up_with_a_408() {
    let app = spawn_app_with(&["--body-idle-timeout", "1s"]).await;
    let mut socket = connect(&app).await;
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n\
                Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"user";
    socket.write_all(head.as_bytes()).await.expect("head");
    assert_eq!(status_of(&mut socket).await, 408);
}

#[tokio::test]
async fn a_claimed_length_over_the_request_limit_is_refused_before_any_body_is_read() {
    let app = spawn_app_with(&["--max-request-size", "1MiB"]).await;
    let (alice, album) = user_with_album(&app, "alice").await;
    let mut socket = connect(&app).await;
    let head = upload_head(&album, &alice, "Content-Length: 8589934592");
    socket.write_all(head.as_bytes()).await.expect("head");
    assert_eq!(status_of(&mut socket).await, 413);
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_off_at_the_request_limit_with_a_413() {
    let app = spawn_app_with(&["--max-file-size", "1MiB", "--max-request-size", "4MiB"]).await;
    let (alice, album) = user_with_album(&app, "alice").await;
    let socket = connect(&app).await;
    let (mut reader, mut writer) = socket.into_split();
    // Far more than loopback carries in the test's patience: a server that drains the body
    // keeps taking it; one that closes the connection makes the writes fail.
    const GIVE_UP_AFTER: usize = 64 << 30;
    let sender = tokio::spawn({
        let head = upload_head(&album, &alice, "Transfer-Encoding: chunked");
        async move {
            let chunk = vec![0x55u8; 64 << 10];
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            let part = part_head("endless.jpg");
            let opening = format!("{:x}\r\n{part}\r\n", part.len());
            let mut sent = 0usize;
            if writer.write_all(head.as_bytes()).await.is_err()
                || writer.write_all(opening.as_bytes()).await.is_err()
            {
                return sent;
            }
            while sent < GIVE_UP_AFTER {
                if writer.write_all(&framed).await.is_err() {
                    return sent;
                }
                sent += chunk.len();
            }
            panic!("the server took {sent} bytes of a body capped at 4 MiB");
        }
    });
    assert_eq!(status_of(&mut reader).await, 413);
    // After the answer the server lingers briefly (actix's client disconnect timeout, 1 s), then
    // closes: the writer is cut off, however fast it sends.
    let sent = tokio::time::timeout(Duration::from_secs(20), sender)
        .await
        .expect("the server closed the connection instead of draining the body")
        .expect("sender");
    drop(reader);
    assert!(sent < GIVE_UP_AFTER, "cut off after {sent} bytes");
}

#[tokio::test]
async fn a_part_holding_a_nested_multipart_body_is_a_415() {
    let app = spawn_app().await;
    let (alice, album) = user_with_album(&app, "alice").await;
    let inner = "--inner\r\nContent-Type: image/jpeg\r\n\r\nxyz\r\n--inner--\r\n";
    let body = multipart_body(
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\
         Content-Type: multipart/mixed; boundary=inner",
        inner.as_bytes(),
    );
    let response = app
        .as_user(Method::POST, &format!("/albums/{album}/images"), &alice)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    assert_eq!(app.count_rows("images"), 0);
}

#[tokio::test]
async fn bidi_overrides_and_zero_width_characters_never_reach_a_stored_filename() {
    let app = spawn_app().await;
    let (alice, album) = user_with_album(&app, "alice").await;
    for (sent, stored) in [
        ("photo\u{202e}gpj.exe", "photogpj.exe"),
        ("in\u{200b}voice\u{2066}.jpg\u{2069}", "invoice.jpg"),
        ("\u{feff}beach\u{200d}.jpg", "beach.jpg"),
    ] {
        let headers = format!("Content-Disposition: form-data; name=\"file\"; filename=\"{sent}\"");
        let body = multipart_body(&headers, &pictures::photo_jpeg(8, 8));
        let answer = post_multipart(&app, &alice, &album, body).await;
        assert_eq!(answer["images"][0]["filename"], stored, "sent {sent:?}");
    }
}

/// An app serving a (tiny) built SPA.
async fn app_with_spa() -> (TestApp, tempfile::TempDir) {
    let spa = tempfile::tempdir().expect("spa dir");
    std::fs::write(
        spa.path().join("index.html"),
        "<!doctype html><title>t</title>",
    )
    .expect("index");
    let dir = spa.path().to_string_lossy().into_owned();
    (spawn_app_with(&["--static-dir", &dir]).await, spa)
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_apps_pages_carry_a_strict_content_security_policy() {
    let (app, _spa) = app_with_spa().await;
    for path in ["/", "/albums/some-client-route"] {
        let page = app.client.get(app.url(path)).send().await.expect("page");
        assert_eq!(page.status(), StatusCode::OK);
        let csp = header(&page, "content-security-policy");
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(
                csp.contains(directive),
                "{path}: {directive} missing in {csp}"
            );
        }
        assert!(!csp.contains("unsafe-"), "{csp}");
        assert_eq!(header(&page, "x-content-type-options"), "nosniff");
        assert_eq!(header(&page, "referrer-policy"), "no-referrer");
        assert_eq!(header(&page, "x-frame-options"), "DENY");
    }
}

#[tokio::test]
async fn stored_bytes_are_served_in_a_sandbox() {
    let app = spawn_app().await;
    let (alice, album) = user_with_album(&app, "alice").await;
    let image = app
        .upload_one(&alice, &album, "a.png", pictures::opaque_png(40, 30))
        .await;
    for size in ["thumb", "original"] {
        let url = image["variants"][size]["url"].as_str().expect("url");
        let response = app.fetch(url).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            header(&response, "content-security-policy"),
            "sandbox; default-src 'none'"
        );
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    }
}

#[tokio::test]
async fn api_answers_are_never_pages() {
    let app = spawn_app().await;
    let alice = app.signup("alice").await;
    let response = app.get_as(Some(&alice), "/albums").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-security-policy").contains("default-src 'none'"));
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    let problem = app.get_as(None, "/albums").await;
    assert!(header(&problem, "content-security-policy").contains("default-src 'none'"));
}

#[tokio::test]
async fn a_staging_file_left_by_a_killed_write_is_swept_with_its_claim() {
    let app = spawn_app().await;
    // What kill -9 in the middle of a local write leaves: a claim by a process that is gone
    // and the store's half-written staging file beside where the object would be.
    let image = uuid::Uuid::now_v7();
    let dead_instance = uuid::Uuid::new_v4();
    {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "INSERT INTO object_gc (image_id, held_by) VALUES ('{image}', '{dead_instance}')"
        ))
        .execute(&mut app.db.connect())
        .expect("claim");
    }
    let folder = app
        .data_dir
        .path()
        .join("objects/images")
        .join(image.to_string());
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::write(folder.join("original#3"), b"half a photo").expect("staging file");
    std::fs::write(folder.join("thumb"), b"a thumb").expect("object");

    let app = app.restart().await; // sweeps before its first request
    assert!(
        !folder.exists(),
        "the image's folder is gone, staging file and all"
    );
    assert_eq!(app.count_rows("object_gc"), 0);
    assert_eq!(app.stored_files(), 0);
}

#[tokio::test]
async fn sign_ups_from_one_address_stop_at_the_registration_limit_even_in_parallel() {
    let app = spawn_app_with(&["--registration-limit", "3/1h"]).await;
    let names: Vec<(String, String)> = (0..12)
        .map(|i| (format!("user{i}"), format!("user{i}@example.com")))
        .collect();
    let attempts = names
        .iter()
        .map(|(name, email)| app.register_raw(name, email, PASSWORD));
    let answers = futures_util::future::join_all(attempts).await;
    let created = answers
        .iter()
        .filter(|r| r.status() == StatusCode::CREATED)
        .count();
    let limited: Vec<_> = answers
        .iter()
        .filter(|r| r.status() == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert_eq!(created, 3);
    assert_eq!(limited.len(), 9);
    assert!(
        limited
            .iter()
            .all(|r| r.headers().contains_key("retry-after"))
    );
    assert_eq!(app.count_rows("users"), 3);
}

#[tokio::test]
async fn png_gif_and_webp_files_cut_short_are_422s_and_store_nothing() {
    let app = spawn_app().await;
    let (alice, album) = user_with_album(&app, "alice").await;
    let whole = [
        ("cut.png", pictures::opaque_png(64, 48)),
        ("cut.gif", pictures::animated_gif(64, 48)),
        ("cut.webp", pictures::webp(64, 48)),
    ];
    for (name, bytes) in whole {
        for missing in [1, 2, 5, 16] {
            let cut = bytes[..bytes.len() - missing].to_vec();
            let response = app.upload(&alice, &album, vec![(name, cut)]).await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name} without its last {missing} bytes"
            );
        }
    }
    assert_eq!(app.count_rows("images"), 0);
    assert_eq!(app.stored_files(), 0);
}

/// A GIF whose logical screen says 1×1 while its one frame is `width`×`height`.
fn gif_with_a_lying_screen(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = pictures::animated_gif(width, height);
    bytes[6..10].copy_from_slice(&[1, 0, 1, 0]);
    bytes
}

#[tokio::test]
async fn a_gif_frame_larger_than_its_screen_is_held_to_the_pixel_limit() {
    let app = spawn_app_with(&["--max-pixels", "1000000"]).await;
    let (alice, album) = user_with_album(&app, "alice").await;
    let response = app
        .upload(
            &alice,
            &album,
            vec![("liar.gif", gif_with_a_lying_screen(1200, 1000))],
        )
        .await;
    assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(app.count_rows("images"), 0);
}
