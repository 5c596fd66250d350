//! The JSON API: request types, handlers and the OpenAPI document generated from them.
//!
//! Option names are the CLI's: `budget: {"sentences" | "words" | "ratio"}`, `method`,
//! `language`, `include_text`; `verify` takes `source` and `summary` like `abridge verify`.

use abridge::extract::Html;
use abridge::faithful::{Checker, Report};
use abridge::output::{PageOutput, SummaryOutput};
use abridge::{Budget, Encoding, Extractor, Metadata, Method, Pipeline, PlainText};
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::ServerState;
use crate::error::{ApiJson, AppError, ErrorBody};

/// The OpenAPI 3 document of this API, generated from the handlers and types below.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "abridge",
        description = "Short, faithful briefs of news articles. Every brief sentence carries the \
                       spans of the article it came from (bytes, chars and UTF-16 code units)."
    ),
    paths(healthz, methods, summarize, extract, verify),
    components(schemas(ErrorBody))
)]
pub struct ApiDoc;

/// `POST /v1/summarize`: an article as plain text or as a web page, and how to summarize it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SummarizeRequest {
    /// The article as plain text. Give exactly one of `text` and `html`.
    pub text: Option<String>,
    /// The article as a web page (its body is extracted first). Give exactly one of `text` and
    /// `html`.
    pub html: Option<String>,
    /// How long the brief may be; default 3 sentences.
    #[serde(default)]
    pub budget: BudgetRequest,
    /// The method's name, as in `GET /v1/methods`; default `news`.
    pub method: Option<String>,
    /// The article's language (ISO 639-1); detected when absent.
    pub language: Option<String>,
    /// Include the cleaned article text that every span points into (default true).
    #[serde(default = "yes")]
    pub include_text: bool,
}

fn yes() -> bool {
    true
}

/// The length of the brief, as the CLI's `--sentences`, `--words` and `--ratio`: at most one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetRequest {
    /// At most N sentences (default 3).
    pub sentences: Option<usize>,
    /// At most N words, filled with whole sentences.
    pub words: Option<usize>,
    /// At most this share of the article's words, in (0, 1].
    pub ratio: Option<f64>,
}

impl BudgetRequest {
    /// The library budget, validated.
    ///
    /// # Errors
    /// 400 when more than one is given; 422 when the value is out of range.
    pub fn budget(&self) -> Result<Budget, AppError> {
        let budget = match (self.sentences, self.words, self.ratio) {
            (None, None, None) => Budget::default(),
            (Some(n), None, None) => Budget::Sentences(n),
            (None, Some(n), None) => Budget::Words(n),
            (None, None, Some(r)) => Budget::Ratio(r),
            _ => {
                return Err(AppError::BadRequest(
                    "budget: give at most one of sentences, words and ratio".into(),
                ));
            }
        };
        Ok(budget.validate()?)
    }
}

/// `POST /v1/extract`: a web page.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtractRequest {
    /// The page's HTML.
    pub html: String,
}

/// `POST /v1/verify`: an article and a summary of it, as `abridge verify --source --summary`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// The article, plain text.
    pub source: String,
    /// The summary to check, plain text (one claim per sentence).
    pub summary: String,
    /// The article's language (ISO 639-1); detected when absent.
    pub language: Option<String>,
}

/// `GET /healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `"ok"` while the server accepts requests.
    pub status: &'static str,
    /// The server's version.
    pub version: &'static str,
}

/// `GET /v1/methods`: what this build offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct MethodsResponse {
    /// The method used when a request names none.
    pub default: &'static str,
    /// Every method a request may name.
    pub methods: Vec<MethodInfo>,
    /// Whether an LLM backend is configured (the `llm` method needs one).
    pub llm: LlmStatus,
    /// Whether a faithfulness checker runs on every brief (`faithfulness` in responses).
    pub faithfulness: bool,
    /// The limits requests must stay within.
    pub limits: LimitsInfo,
}

/// One summarization method.
#[derive(Debug, Serialize, ToSchema)]
pub struct MethodInfo {
    /// Its name, for the `method` field.
    pub name: &'static str,
    /// One line on what it does.
    pub description: &'static str,
}

/// The LLM backend, if any.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct LlmStatus {
    /// True when the server was started with an LLM backend.
    pub configured: bool,
}

/// Limits in force, so clients can stay within them.
#[derive(Debug, Serialize, ToSchema)]
pub struct LimitsInfo {
    /// Largest request body, in bytes (413 above it).
    pub max_body_bytes: usize,
    /// Per-request time limit, in milliseconds (504 past it).
    pub timeout_ms: u64,
}

/// Liveness: 200 while the server runs.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn healthz() -> ApiJson<Health> {
    ApiJson(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// The methods, LLM backend and limits of this build.
#[utoipa::path(get, path = "/v1/methods", responses((status = 200, body = MethodsResponse)))]
pub async fn methods(State(state): State<ServerState>) -> ApiJson<MethodsResponse> {
    ApiJson(MethodsResponse {
        default: Method::default().name(),
        methods: Method::ALL
            .iter()
            .map(|m| MethodInfo {
                name: m.name(),
                description: m.describe(),
            })
            .collect(),
        llm: state.inner.llm.clone(),
        faithfulness: true,
        limits: LimitsInfo {
            max_body_bytes: state.inner.config.max_body_bytes,
            timeout_ms: state.inner.config.timeout_ms,
        },
    })
}

/// Summarizes an article: the brief, its sentences with their source spans, the article's
/// metadata, and the faithfulness report.
#[utoipa::path(post, path = "/v1/summarize", request_body = SummarizeRequest,
    responses(
        (status = 200, body = SummaryOutput),
        (status = 400, body = ErrorBody, description = "bad JSON, unknown method or field"),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "empty or binary text, no article in the page"),
        (status = 503, body = ErrorBody), (status = 504, body = ErrorBody),
    ))]
pub async fn summarize(
    State(state): State<ServerState>,
    ApiJson(req): ApiJson<SummarizeRequest>,
) -> Result<ApiJson<SummaryOutput>, AppError> {
    let job = SummarizeJob::new(req)?;
    let inner = state.inner.clone();
    let out = state.run(move || job.run(&inner.checker)).await?;
    Ok(ApiJson(out))
}

/// A validated summarize request, ready to run: what `POST /v1/summarize` does once the JSON is
/// parsed, callable without a server (the load benchmark measures it in-process).
#[derive(Debug)]
pub struct SummarizeJob {
    pipeline: Pipeline,
    raw: String,
    budget: Budget,
    include_text: bool,
}

impl SummarizeJob {
    /// Validates `req`: exactly one of `text` and `html`, a known method, a usable budget.
    ///
    /// # Errors
    /// 400 for a missing or doubled input, an unknown method or two budgets; 422 for a budget
    /// out of range.
    pub fn new(req: SummarizeRequest) -> Result<Self, AppError> {
        let budget = req.budget.budget()?;
        let method = parse_method(req.method.as_deref())?;
        let (raw, html) = match (req.text, req.html) {
            (Some(text), None) => (text, false),
            (None, Some(html)) => (html, true),
            _ => {
                return Err(AppError::BadRequest(
                    "give exactly one of `text` and `html`".into(),
                ));
            }
        };
        let pipeline = Pipeline::default()
            .with_language(req.language)
            .with_method(method);
        let pipeline = if html {
            pipeline.with_extractor(Html {
                encoding: Some(utf8()?),
            })
        } else {
            pipeline.with_extractor(PlainText::default())
        };
        Ok(SummarizeJob {
            pipeline,
            raw,
            budget,
            include_text: req.include_text,
        })
    }

    /// Extracts, summarizes and checks the article (CPU-bound: call it off the async threads).
    ///
    /// # Errors
    /// 422 for input the library rejects (empty, binary, a page without an article).
    pub fn run(self, checker: &Checker) -> Result<SummaryOutput, AppError> {
        let (doc, summary) =
            self.pipeline
                .run(self.raw.as_bytes(), Metadata::default(), &self.budget)?;
        Ok(SummaryOutput::new(
            None,
            &doc,
            &summary,
            self.budget,
            self.include_text,
            Some(checker),
        ))
    }
}

/// Extracts a web page's article body and metadata.
#[utoipa::path(post, path = "/v1/extract", request_body = ExtractRequest,
    responses(
        (status = 200, body = PageOutput),
        (status = 400, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "no article in the page"),
        (status = 503, body = ErrorBody), (status = 504, body = ErrorBody),
    ))]
pub async fn extract(
    State(state): State<ServerState>,
    ApiJson(req): ApiJson<ExtractRequest>,
) -> Result<ApiJson<PageOutput>, AppError> {
    let html = Html {
        encoding: Some(utf8()?),
    };
    let out = state
        .run(move || Ok(PageOutput::new(None, &html.extract(req.html.as_bytes())?)))
        .await?;
    Ok(ApiJson(out))
}

/// Checks a summary against its article: each claim with its verdict, support and flags.
#[utoipa::path(post, path = "/v1/verify", request_body = VerifyRequest,
    responses(
        (status = 200, body = Report),
        (status = 400, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "empty or binary article"),
        (status = 503, body = ErrorBody), (status = 504, body = ErrorBody),
    ))]
pub async fn verify(
    State(state): State<ServerState>,
    ApiJson(req): ApiJson<VerifyRequest>,
) -> Result<ApiJson<Report>, AppError> {
    let pipeline = Pipeline::default().with_language(req.language);
    let inner = state.inner.clone();
    let out = state
        .run(move || {
            let doc = pipeline.document(req.source.as_bytes(), Metadata::default())?;
            Ok(inner.checker.check_document(&doc, &req.summary))
        })
        .await?;
    Ok(ApiJson(out))
}

/// The method named in a request, or the default; an unknown name lists the known ones.
fn parse_method(name: Option<&str>) -> Result<Method, AppError> {
    let Some(name) = name else {
        return Ok(Method::default());
    };
    name.parse::<Method>().map_err(|_| {
        let known: Vec<&str> = Method::ALL.iter().map(|m| m.name()).collect();
        AppError::BadRequest(format!(
            "unknown method {name:?}; this server offers: {}",
            known.join(", ")
        ))
    })
}

/// JSON strings are UTF-8 whatever `<meta charset>` the page declares.
fn utf8() -> Result<Encoding, AppError> {
    Encoding::for_label("utf-8").map_err(|e| AppError::Internal(e.to_string()))
}
