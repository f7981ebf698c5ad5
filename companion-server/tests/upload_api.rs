//! The upload API through the real router and a real SQLite store in a
//! temporary folder: what is accepted, what is refused and why, and that a
//! refusal leaves nothing stored.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{example, fixture, fixture_with, gzip, send, stored_blobs};
use http_body_util::BodyExt;
use repro_server::app;
use tower::ServiceExt;

fn upload_request(token: Option<&str>, body: Vec<u8>, gzipped: bool) -> Request<Body> {
    let mut builder = Request::post("/api/reports")
        .header("content-type", "application/json")
        .header("host", "repro.test");
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    if gzipped {
        builder = builder.header("content-encoding", "gzip");
    }
    builder.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn a_gzipped_bundle_is_stored_and_served_back_intact() {
    let f = fixture();
    let (status, body) = send(
        &f.state,
        upload_request(Some(&f.token), gzip(&example()), true),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 32);
    assert_eq!(body["url"], format!("http://repro.test/r/{id}"));

    let request = Request::get(format!("/r/{id}/bundle.json"))
        .body(Body::empty())
        .unwrap();
    let response = app(f.state.clone()).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    // Stored as validated (re-encoded): the same bundle, unknown events included.
    let served: repro_manifest::Bundle = serde_json::from_slice(&bytes).unwrap();
    let sent: repro_manifest::Bundle = serde_json::from_slice(&example()).unwrap();
    assert_eq!(
        served, sent,
        "the stored bundle is what was sent, unknown events included"
    );
    assert!(
        served
            .events
            .iter()
            .any(|e| matches!(e, repro_manifest::EventRecord::Unknown(_))),
        "the example carries an event of a newer version"
    );

    let page = app(f.state.clone())
        .oneshot(
            Request::get(format!("/r/{id}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    assert!(
        !csp.contains("'unsafe-inline' 'self'") && !csp.contains("script-src *"),
        "{csp}"
    );
    let html = String::from_utf8(
        page.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains(r#"sandbox="allow-same-origin""#));
    assert!(!html.contains("allow-scripts"));
}

#[tokio::test]
async fn a_repeated_upload_returns_the_same_link() {
    let f = fixture();
    let (first, a) = send(&f.state, upload_request(Some(&f.token), example(), false)).await;
    let (again, b) = send(
        &f.state,
        upload_request(Some(&f.token), gzip(&example()), true),
    )
    .await;
    assert_eq!((first, again), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(a["id"], b["id"]);
    assert_eq!(stored_blobs(&f.state), 1);
}

#[tokio::test]
async fn refusals_say_why_and_store_nothing() {
    let f = fixture();
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            upload_request(None, example(), false),
            StatusCode::UNAUTHORIZED,
            "Authorization",
        ),
        (
            upload_request(Some("repro_nope"), example(), false),
            StatusCode::UNAUTHORIZED,
            "unknown",
        ),
        (
            upload_request(Some(&f.token), b"{not json".to_vec(), false),
            StatusCode::BAD_REQUEST,
            "not valid JSON",
        ),
        (
            upload_request(Some(&f.token), b"garbage".to_vec(), true),
            StatusCode::BAD_REQUEST,
            "decompress",
        ),
        (
            upload_request(Some(&f.token), example(), false)
                .tap_header("content-type", "text/plain"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "application/json",
        ),
    ];
    for (request, status, words) in cases {
        let (got, body) = send(&f.state, request).await;
        assert_eq!(got, status, "{body}");
        assert!(body["error"].as_str().unwrap().contains(words), "{body}");
    }
    let mut bad: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    bad["console"][0]["page"] = serde_json::json!(5);
    let (got, body) = send(
        &f.state,
        upload_request(Some(&f.token), serde_json::to_vec(&bad).unwrap(), false),
    )
    .await;
    assert_eq!(got, StatusCode::BAD_REQUEST);
    assert_eq!(body["path"], "console[0].page");
    let mut mistyped: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    mistyped["events"][2]["id"] = serde_json::json!("five");
    let (got, body) = send(
        &f.state,
        upload_request(
            Some(&f.token),
            serde_json::to_vec(&mistyped).unwrap(),
            false,
        ),
    )
    .await;
    assert_eq!(got, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["path"], "events[2].id", "{body}");
    assert_eq!(
        body["error"], "not a valid entry: invalid type: string \"five\", expected u32",
        "{body}"
    );
    assert_eq!(stored_blobs(&f.state), 0);
}

#[tokio::test]
async fn a_gzip_bomb_is_refused_while_inflating() {
    let limits = repro_manifest::Limits {
        max_bundle_bytes: 1024 * 1024,
        ..Default::default()
    };
    let f = fixture_with(limits);
    let bomb = gzip(&vec![b' '; 64 * 1024 * 1024]);
    assert!(bomb.len() < 200 * 1024);
    let (status, body) = send(&f.state, upload_request(Some(&f.token), bomb, true)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    let limits = repro_manifest::Limits {
        max_compressed_bytes: 100,
        ..Default::default()
    };
    let f = fixture_with(limits);
    let (status, _) = send(&f.state, upload_request(Some(&f.token), example(), false)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(stored_blobs(&f.state), 0);
}

#[tokio::test]
async fn links_are_checked() {
    let f = fixture();
    for path in [
        "/r/0123456789abcdef0123456789abcdef",
        "/r/..%2F..%2Fetc%2Fpasswd/bundle.json",
        "/assets/..%2Fsecret",
    ] {
        let response = app(f.state.clone())
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

trait TapHeader {
    fn tap_header(self, name: &str, value: &str) -> Self;
}

impl TapHeader for Request<Body> {
    fn tap_header(mut self, name: &str, value: &str) -> Self {
        self.headers_mut().insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            axum::http::HeaderValue::from_str(value).unwrap(),
        );
        self
    }
}

#[tokio::test]
async fn a_bundle_still_carrying_a_secret_is_refused_without_echoing_it() {
    let f = fixture();
    let secrets = [
        (
            "console",
            "args",
            "mail ada.lovelace@example.com now",
            "email address",
        ),
        (
            "console",
            "stack",
            "card 4111 1111 1111 1111",
            "card number",
        ),
        (
            "network",
            "url",
            "https://api.test/x?jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig",
            "JSON Web Token",
        ),
    ];
    for (list, field, secret, kind) in secrets {
        let mut bundle: serde_json::Value = serde_json::from_slice(&example()).unwrap();
        bundle[list][0][field] = if field == "args" {
            serde_json::json!([secret])
        } else {
            serde_json::json!(secret)
        };
        let (status, body) = send(
            &f.state,
            upload_request(Some(&f.token), serde_json::to_vec(&bundle).unwrap(), false),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let expected_path = if field == "args" {
            format!("{list}[0].{field}[0]")
        } else {
            format!("{list}[0].{field}")
        };
        assert_eq!(body["path"], expected_path);
        assert!(body["error"].as_str().unwrap().contains(kind), "{body}");
        assert!(
            !body.to_string().contains("4111") && !body.to_string().contains("ada.lovelace"),
            "{body}"
        );
    }
    assert_eq!(stored_blobs(&f.state), 0);
}

#[tokio::test]
async fn the_secret_scan_can_be_turned_off_per_deployment() {
    let mut f = fixture();
    f.state.scan_secrets = false;
    let mut bundle: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    bundle["console"][0]["args"] = serde_json::json!(["ada@example.com"]);
    let (status, _) = send(
        &f.state,
        upload_request(Some(&f.token), serde_json::to_vec(&bundle).unwrap(), false),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_link_with_an_expiry_answers_410_after_it() {
    let f = fixture();
    let mut request = upload_request(Some(&f.token), example(), false);
    *request.uri_mut() = "/api/reports?expires_in_days=0".parse().unwrap();
    let (status, body) = send(&f.state, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["path"], "expires_in_days");

    let mut request = upload_request(Some(&f.token), example(), false);
    *request.uri_mut() = "/api/reports?expires_in_days=7".parse().unwrap();
    let (status, body) = send(&f.state, request).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap();
    let expires_at = f.state.store.report(id).unwrap().expires_at.unwrap();
    let week = repro_server::store::now_ms() + 7 * 86_400_000;
    assert!((week - expires_at).abs() < 60_000, "seven days from now");
    let page = app(f.state.clone())
        .oneshot(
            Request::get(format!("/r/{id}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8_lossy(&html);
    let date = &html[html.find("This link expires on ").unwrap()..][..44];
    assert!(date.ends_with("(UTC)."), "{date}");

    let expired = f
        .state
        .store
        .put_report(
            1,
            &"e".repeat(32),
            "old",
            "u",
            b"x",
            Some(1_767_225_600_000),
        )
        .unwrap();
    for path in [
        format!("/r/{}", expired.id),
        format!("/r/{}/bundle.json", expired.id),
    ] {
        let response = app(f.state.clone())
            .oneshot(Request::get(&path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::GONE, "{path}");
        let text = String::from_utf8(
            response
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
        .unwrap();
        assert!(text.contains("expired on 2026-01-01 00:00"), "{text}");
    }
}

#[tokio::test]
async fn json_nested_too_deep_is_refused_before_it_can_hurt() {
    let f = fixture();
    let depth = 100_000;
    let bomb = format!("{{\"events\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
    let (status, body) = send(
        &f.state,
        upload_request(Some(&f.token), gzip(bomb.as_bytes()), true),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("recursion limit exceeded"),
        "{body}"
    );
    assert_eq!(stored_blobs(&f.state), 0);
}

#[tokio::test]
async fn titles_page_urls_and_environment_fields_have_limits() {
    let f = fixture();
    let base: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    type Change = fn(&mut serde_json::Value);
    let cases: [(&str, Change); 4] = [
        ("title", |b| b["title"] = "t".repeat(8 << 20).into()),
        ("pages[0].title", |b| {
            b["pages"][0]["title"] = "t".repeat(4096).into()
        }),
        ("pages[0].url", |b| {
            b["pages"][0]["url"] = format!("http://a.test/?{}", "q".repeat(9000)).into()
        }),
        ("environment.user_agent", |b| {
            b["environment"]["user_agent"] = "u".repeat(2000).into()
        }),
    ];
    for (path, change) in cases {
        let mut bundle = base.clone();
        change(&mut bundle);
        let body = serde_json::to_vec(&bundle).unwrap();
        let (status, answer) =
            send(&f.state, upload_request(Some(&f.token), gzip(&body), true)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {answer}");
        assert_eq!(answer["path"], path, "{answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .contains("longer than the limit"),
            "{answer}"
        );
    }
    assert_eq!(stored_blobs(&f.state), 0, "nothing stored");
}

#[tokio::test]
async fn another_token_learns_nothing_of_a_bundle_and_cannot_overwrite_it() {
    let f = fixture();
    let other = f.state.store.create_token("mallory").unwrap();
    let (status, first) = send(
        &f.state,
        upload_request(Some(&f.token), gzip(&example()), true),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let bundle: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    let bundle_id = bundle["id"].as_str().unwrap();

    // The status of an upload in parts of that bundle id tells another token no link.
    let digest = format!("{:064x}", 1);
    let status_request = Request::get(format!("/api/uploads/{bundle_id}/{digest}"))
        .header("host", "repro.test")
        .header("authorization", format!("Bearer {other}"))
        .body(Body::empty())
        .unwrap();
    let (status, progress) = send(&f.state, status_request).await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert!(progress["report"].is_null(), "{progress}");

    // The same bundle id with other content from another token is refused,
    // and the first report stays as it was.
    let mut forged = bundle.clone();
    forged["title"] = "overwritten".into();
    let body = serde_json::to_vec(&forged).unwrap();
    let (status, answer) = send(&f.state, upload_request(Some(&other), gzip(&body), true)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert!(
        answer.get("url").is_none(),
        "no link to the first report: {answer}"
    );
    let id = first["id"].as_str().unwrap();
    assert_eq!(
        f.state.store.report(id).unwrap().title,
        bundle["title"].as_str().unwrap()
    );
    assert_eq!(stored_blobs(&f.state), 1);

    // The token that stored it gets its link again, as before.
    let (status, again) = send(
        &f.state,
        upload_request(Some(&f.token), gzip(&example()), true),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["id"], first["id"]);
}

/// The example bundle's JSON with `extra` spliced in after its opening brace.
fn example_with(extra: &str) -> Vec<u8> {
    let text = String::from_utf8(example()).unwrap();
    format!("{{{extra},{}", &text[1..]).into_bytes()
}

#[tokio::test]
async fn a_key_given_twice_is_refused_wherever_it_is() {
    let f = fixture();
    // Readers disagree on which one counts: validation must not see one and
    // the viewer the other.
    let twice = example_with(r#""title":"first","title":"second""#);
    let (got, body) = send(&f.state, upload_request(Some(&f.token), twice, false)).await;
    assert_eq!(got, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("`title` appears twice"),
        "{body}"
    );
    let mut nested: serde_json::Value = serde_json::from_slice(&example()).unwrap();
    nested["pages"][0]["url"] = serde_json::json!("DUPLICATE");
    let text = serde_json::to_string(&nested).unwrap().replace(
        r#""url":"DUPLICATE""#,
        r#""url":"https://a.test/","url":"https://b.test/""#,
    );
    let (got, body) = send(
        &f.state,
        upload_request(Some(&f.token), gzip(text.as_bytes()), true),
    )
    .await;
    assert_eq!(got, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["path"], "pages[0]", "{body}");
    assert_eq!(stored_blobs(&f.state), 0);
}

#[tokio::test]
async fn what_is_stored_is_what_was_validated_and_nothing_else() {
    let f = fixture();
    // Unknown keys, at the top and inside an event, and text in the gzip
    // header's name, comment and extra fields: none of it is stored.
    let mut bundle: serde_json::Value =
        serde_json::from_slice(&example_with(r#""notes":"unknown top-level text""#)).unwrap();
    let click = bundle["events"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e["type"] == "click")
        .expect("the example has a click");
    click["junk"] = serde_json::json!("unknown event text");
    let json = serde_json::to_vec(&bundle).unwrap();
    let mut encoder = flate2::GzBuilder::new()
        .filename("header-name-text")
        .comment("header-comment-text")
        .extra(b"header-extra-text".to_vec())
        .write(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, &json).unwrap();
    let body = encoder.finish().unwrap();
    let (got, answer) = send(&f.state, upload_request(Some(&f.token), body, true)).await;
    assert_eq!(got, StatusCode::CREATED, "{answer}");
    let id = answer["id"].as_str().unwrap();
    let blob = f.state.store.blob(id).unwrap();
    let stored = repro_server::ingest::inflate(&blob).unwrap();
    for kept_out in [
        &b"header-name-text"[..],
        b"header-comment-text",
        b"header-extra-text",
    ] {
        assert!(
            !blob.windows(kept_out.len()).any(|w| w == kept_out),
            "the gzip header's {} was stored",
            String::from_utf8_lossy(kept_out)
        );
    }
    let stored_text = String::from_utf8(stored).unwrap();
    assert!(
        !stored_text.contains("unknown top-level text"),
        "{stored_text}"
    );
    assert!(!stored_text.contains("unknown event text"), "{stored_text}");
    let served: repro_manifest::Bundle = serde_json::from_str(&stored_text).unwrap();
    let sent: repro_manifest::Bundle = serde_json::from_slice(&example()).unwrap();
    assert_eq!(served.events, sent.events, "every event is kept");
    assert_eq!(served, sent, "everything the format knows is kept");
}
