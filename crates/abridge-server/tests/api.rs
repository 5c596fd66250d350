//! Handler tests through `app(state).oneshot(..)`: no socket, the real router with every layer.

use abridge_server::{AppError, Config, ServerState, app};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const WHALE: &str = include_str!("../../abridge/tests/fixtures/cnn-whale.txt");

fn router() -> Router {
    app(ServerState::new(Config::default()).unwrap())
}

async fn send(router: Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let resp = router.oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, value)
}

fn post_json(path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

async fn post(path: &str, body: Value) -> (StatusCode, Value) {
    let (s, _, v) = send(router(), post_json(path, body.to_string())).await;
    (s, v)
}

/// The app's own error shape, with the expected status and code.
fn assert_error(status: StatusCode, body: &Value, want: StatusCode, code: &str) {
    assert_eq!(status, want, "{body}");
    assert_eq!(body["error"]["status"], want.as_u16(), "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn healthz_and_methods() {
    let (s, _, v) = send(
        router(),
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");

    let (s, _, v) = send(
        router(),
        Request::get("/v1/methods").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let names: Vec<&str> = v["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = abridge::Method::ALL.iter().map(|m| m.name()).collect();
    assert_eq!(names, want);
    assert_eq!(v["default"], "news");
    assert_eq!(v["llm"]["configured"], false);
    assert_eq!(v["faithfulness"], true);
}

#[tokio::test]
async fn summarize_text_gives_spans_that_slice_the_article() {
    let (s, v) = post(
        "/v1/summarize",
        json!({"text": WHALE, "budget": {"sentences": 3}, "method": "news"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["method"], "news");
    let text = v["document"]["text"].as_str().unwrap();
    let sentences = v["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 3);
    let claims = v["faithfulness"]["claims"].as_array().unwrap();
    for s in sentences {
        let span = &s["source"][0];
        let (a, b) = (
            span["start"].as_u64().unwrap(),
            span["end"].as_u64().unwrap(),
        );
        assert_eq!(&text[a as usize..b as usize], s["text"].as_str().unwrap());
        for i in s["claims"].as_array().unwrap() {
            assert!((i.as_u64().unwrap() as usize) < claims.len());
        }
    }
    // A brief copied from the article is backed by it.
    assert!(
        claims.iter().all(|c| c["verdict"] != "unsupported"),
        "{claims:?}"
    );
}

/// Emoji (astral, two UTF-16 units) and CJK before the picked sentences: the three offset kinds
/// must each slice the same text in their own unit.
#[tokio::test]
async fn offsets_in_bytes_chars_and_utf16_agree_on_astral_and_cjk_text() {
    let article = "🎉🎉 東京で大雨。Officials 😀 said the storm hit Tokyo on Monday. \
                   Trains stopped for six hours. The city opened 40 shelters.";
    let (s, v) = post(
        "/v1/summarize",
        json!({"text": article, "budget": {"sentences": 2}, "method": "lead", "language": "en"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = v["document"]["text"].as_str().unwrap();
    let chars: Vec<char> = text.chars().collect();
    let units: Vec<u16> = text.encode_utf16().collect();
    let at = |s: &Value| {
        (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        )
    };
    for s in v["sentences"].as_array().unwrap() {
        let want = s["text"].as_str().unwrap();
        let (a, b) = at(&s["source"][0]);
        assert_eq!(&text[a..b], want);
        let (a, b) = at(&s["source_chars"][0]);
        assert_eq!(chars[a..b].iter().collect::<String>(), want);
        let (a, b) = at(&s["source_utf16"][0]);
        assert_eq!(String::from_utf16(&units[a..b]).unwrap(), want);
    }
}

#[tokio::test]
async fn summarize_html_extracts_the_body_and_never_the_script() {
    let page = r#"<!doctype html><html lang="en"><head><title>Storm hits coast</title>
      <meta charset="windows-1252"><script>alert("x")</script></head>
      <body><nav><a href="/">Home</a></nav><article><h1>Storm hits coast</h1>
      <p>A storm hit the coast on Monday, cutting power to thousands of homes, officials said — “the worst in years”.</p>
      <p>Crews worked through the night, and most homes had power back by the morning.</p>
      <p>Schools will reopen on Wednesday, the mayor said.</p></article></body></html>"#;
    let (s, v) = post(
        "/v1/summarize",
        json!({"html": page, "budget": {"words": 30}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = v["document"]["text"].as_str().unwrap();
    assert!(text.starts_with("A storm hit the coast"), "{text}");
    assert!(
        text.contains("“the worst in years”"),
        "decoded as UTF-8: {text}"
    );
    assert!(!text.contains("alert"));
    assert_eq!(v["metadata"]["title"], "Storm hits coast");
}

#[tokio::test]
async fn extract_and_verify() {
    let page = "<html><body><article><p>A storm hit the coast on Monday, cutting power to \
                thousands of homes, officials said.</p><p>Crews worked through the night, and \
                most homes had power back by the morning.</p></article></body></html>";
    let (s, v) = post("/v1/extract", json!({"html": page})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["paragraphs"], 2);
    assert!(v["body"].as_str().unwrap().starts_with("A storm hit"));

    let (s, v) = post(
        "/v1/verify",
        json!({"source": WHALE, "summary": "The whale was 900 feet long and sang in Paris."}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["claims"][0]["verdict"], "unsupported", "{v}");
    assert!(v["score"].as_f64().unwrap() < 0.5);

    let (s, v) = post(
        "/v1/extract",
        json!({"html": "<html><body><a href='/'>Home</a></body></html>"}),
    )
    .await;
    assert_error(s, &v, StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
}

/// Named rows: a request the server must refuse with a 4xx in its own shape.
#[tokio::test]
async fn bad_requests_get_4xx_in_the_apps_shape() {
    let cases: Vec<(&str, &str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "bad json",
            "/v1/summarize",
            b"{\"text\": ".to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "wrong type",
            "/v1/summarize",
            br#"{"text": 42}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "wrong budget type",
            "/v1/summarize",
            br#"{"text": "A b.", "budget": {"words": "ten"}}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "unknown field",
            "/v1/summarize",
            br#"{"txt": "A b."}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "neither text nor html",
            "/v1/summarize",
            br#"{}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "both text and html",
            "/v1/summarize",
            br#"{"text": "a", "html": "b"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "two budgets",
            "/v1/summarize",
            br#"{"text": "A b.", "budget": {"words": 5, "sentences": 1}}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "unknown method",
            "/v1/summarize",
            br#"{"text": "A b.", "method": "gpt"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "empty text",
            "/v1/summarize",
            br#"{"text": "  \n "}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            "binary text",
            "/v1/summarize",
            br#"{"text": "PK\u0003\u0004\u0000\u0000\u0000junk"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            "zero sentences",
            "/v1/summarize",
            br#"{"text": "A b.", "budget": {"sentences": 0}}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            "ratio above 1",
            "/v1/summarize",
            br#"{"text": "A b.", "budget": {"ratio": 2.0}}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            "invalid utf-8",
            "/v1/summarize",
            b"{\"text\": \"caf\xe9\"}".to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "binary body",
            "/v1/summarize",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 0x0d, 0xff],
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "empty body",
            "/v1/summarize",
            Vec::new(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "json array",
            "/v1/verify",
            b"[1, 2]".to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "verify without summary",
            "/v1/verify",
            br#"{"source": "A b."}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "verify empty source",
            "/v1/verify",
            br#"{"source": "", "summary": "A b."}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
        (
            "extract plain text",
            "/v1/extract",
            br#"{"html": "just words, no tags"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
    ];
    for (name, path, body, want, code) in cases {
        let (s, _, v) = send(router(), post_json(path, body)).await;
        assert_eq!(s, want, "{name}: {v}");
        assert_error(s, &v, want, code);
    }

    // No JSON content type.
    let req = Request::post("/v1/summarize")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"text": "A b."}"#))
        .unwrap();
    let (s, _, v) = send(router(), req).await;
    assert_error(
        s,
        &v,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    );

    // Unknown route.
    let (s, _, v) = send(
        router(),
        Request::get("/v2/nope").body(Body::empty()).unwrap(),
    )
    .await;
    assert_error(s, &v, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let state = ServerState::new(Config {
        max_body_bytes: 1000,
        ..Config::default()
    })
    .unwrap();
    let big = json!({ "text": "word ".repeat(1000) }).to_string();
    let (s, _, v) = send(app(state.clone()), post_json("/v1/summarize", big)).await;
    assert_error(s, &v, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let small = json!({ "text": "A storm hit the coast on Monday." }).to_string();
    let (s, _, v) = send(app(state), post_json("/v1/summarize", small)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// Work that never finishes before the limit gets 504 in the app's shape. The work is held by a
/// channel, so the test does not depend on how fast the machine is.
#[tokio::test]
async fn work_past_the_timeout_is_504() {
    let state = ServerState::new(Config {
        timeout_ms: 50,
        ..Config::default()
    })
    .unwrap();
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let result = state
        .run(move || {
            let _ = wait.recv();
            Ok(())
        })
        .await;
    let err = result.unwrap_err();
    assert!(matches!(err, AppError::Timeout(_)), "{err:?}");
    release.send(()).unwrap();
    let resp = axum::response::IntoResponse::into_response(err);
    assert_eq!(resp.status(), StatusCode::GATEWAY_TIMEOUT);
    let v: Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(v["error"]["code"], "timeout");
    assert!(v["error"]["message"].as_str().unwrap().contains("50 ms"));
}

/// With one worker and no queue, two requests whose bodies never arrive: one is admitted and
/// waits for its body, the other is refused with 503 before its body is read. Once they end,
/// requests are admitted again.
#[tokio::test]
async fn a_burst_beyond_workers_and_queue_gets_503() {
    let state = ServerState::new(Config {
        workers: 1,
        max_queued: 0,
        ..Config::default()
    })
    .unwrap();
    let stuck = || {
        let (sender, body) = http_body_util::channel::Channel::<Bytes, std::io::Error>::new(1);
        let req = Request::post("/v1/summarize")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::new(body))
            .unwrap();
        (sender, req)
    };
    let (sender_a, a) = stuck();
    let (sender_b, b) = stuck();
    let mut a = tokio::spawn(app(state.clone()).oneshot(a));
    let mut b = tokio::spawn(app(state.clone()).oneshot(b));
    // Neither body ever arrives, so the first to answer is the refused one.
    let (refused, admitted) = tokio::select! {
        r = &mut a => (r, b),
        r = &mut b => (r, a),
    };
    let resp = refused.unwrap().unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()[header::RETRY_AFTER], "1");
    let v: Value =
        serde_json::from_slice(&resp.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_error(
        StatusCode::SERVICE_UNAVAILABLE,
        &v,
        StatusCode::SERVICE_UNAVAILABLE,
        "overloaded",
    );
    // The admitted request's body ends incomplete (400), which frees its place.
    drop((sender_a, sender_b));
    assert_eq!(
        admitted.await.unwrap().unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    let req = post_json(
        "/v1/summarize",
        r#"{"text": "A storm hit the coast on Monday."}"#,
    );
    let (s, _, v) = send(app(state), req).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn an_api_key_guards_v1_but_not_health_or_the_page() {
    let state = ServerState::new(Config {
        api_key: Some("s3cret".into()),
        ..Config::default()
    })
    .unwrap();
    let body = r#"{"text": "A storm hit the coast on Monday."}"#;
    let (s, headers, v) = send(app(state.clone()), post_json("/v1/summarize", body)).await;
    assert_error(s, &v, StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    let wrong = Request::get("/v1/methods")
        .header(header::AUTHORIZATION, "Bearer s3cre")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(app(state.clone()), wrong).await.0,
        StatusCode::UNAUTHORIZED
    );
    let right = Request::post("/v1/summarize")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, "Bearer s3cret")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(send(app(state.clone()), right).await.0, StatusCode::OK);
    for open in ["/healthz", "/", "/openapi.json"] {
        let req = Request::get(open).body(Body::empty()).unwrap();
        let resp = app(state.clone()).oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{open}");
    }
}

#[tokio::test]
async fn every_response_has_a_request_id_and_a_clients_id_is_kept() {
    let (_, headers, _) = send(
        router(),
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert!(headers["x-request-id"].to_str().unwrap().starts_with('r'));
    let req = Request::get("/healthz")
        .header("x-request-id", "client-7")
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = send(router(), req).await;
    assert_eq!(headers["x-request-id"], "client-7");
}

#[tokio::test]
async fn openapi_document_describes_every_route() {
    let (s, _, v) = send(
        router(),
        Request::get("/openapi.json").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    for (path, verb) in [
        ("/healthz", "get"),
        ("/v1/methods", "get"),
        ("/v1/summarize", "post"),
        ("/v1/extract", "post"),
        ("/v1/verify", "post"),
    ] {
        assert!(v["paths"][path][verb].is_object(), "{path} {verb}");
    }
    let schemas = &v["components"]["schemas"];
    for name in [
        "SummarizeRequest",
        "SummaryOutput",
        "BriefSentence",
        "Report",
        "Claim",
        "ErrorBody",
    ] {
        assert!(schemas[name].is_object(), "{name} missing");
    }
    // The request schema names the CLI's options.
    let props = &schemas["SummarizeRequest"]["properties"];
    for field in [
        "text",
        "html",
        "budget",
        "method",
        "language",
        "include_text",
    ] {
        assert!(props[field].is_object(), "{field}");
    }
}

#[tokio::test]
async fn the_page_is_self_contained_and_never_uses_inner_html() {
    let resp = router()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = resp.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("connect-src 'self'"), "{csp}");
    let page = String::from_utf8(
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
    .unwrap();
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no external resources"
    );
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!page.contains(sink), "the page uses {sink}");
    }
}
