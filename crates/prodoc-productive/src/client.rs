//! The blocking API client: headers, rate limits, retries, typed pages.

use crate::config::Config;
use crate::error::ApiError;
use crate::limiter::Limiter;
use crate::resource::{Attachment, Many, NewAttachment, One, Page, PageFilter, Placement};
use crate::Error;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;
use serde_json::json;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};
use ureq::http::{self, Method};

/// What query values are escaped with: everything but unreserved characters.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The largest page size the API serves.
pub const MAX_PAGE_SIZE: u32 = 200;

const JSON_API: &str = "application/vnd.api+json";

/// A blocking client for Productive's API. Cloning shares the rate limiter and the connection
/// pool, so clones used from several threads stay under the limits together.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    config: Arc<Config>,
    limiter: Arc<Limiter>,
    budget: Option<Arc<AtomicU64>>,
    requests: Arc<AtomicU64>,
    /// The `Date` of the latest response and when it arrived here: the server's clock.
    clock: Arc<Mutex<Option<(SystemTime, Instant)>>>,
    /// Told of every wait of a second or more that a rate limit imposes.
    wait_notice: Option<Arc<WaitNotice>>,
}

/// What [`Client::with_wait_notice`] calls.
type WaitNotice = dyn Fn(Duration) + Send + Sync;

/// Waits shorter than this are not told: near a full window they come many times a second.
const NOTICEABLE_WAIT: Duration = Duration::from_secs(1);

/// An HTTP `Date` header (RFC 9110's IMF-fixdate, whole seconds).
fn parse_http_date(text: &str) -> Option<SystemTime> {
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(text)
        .ok()
        .and_then(|t| SystemTime::try_from(t).ok())
}

/// A time in RFC 3339 (UTC), for the state file.
pub(crate) fn format_timestamp(time: SystemTime) -> Option<String> {
    jiff::Timestamp::try_from(time).ok().map(|t| t.to_string())
}

/// A timestamp attribute as the API writes it (RFC 3339, any offset, e.g. `created_at`).
pub(crate) fn parse_timestamp(text: &str) -> Option<SystemTime> {
    text.parse::<jiff::Timestamp>()
        .ok()
        .and_then(|t| SystemTime::try_from(t).ok())
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Config's Debug redacts the token.
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A response with a 2xx status.
#[derive(Debug)]
struct Reply {
    body: String,
}

enum Outcome {
    Done(Reply),
    /// Retry after this long.
    Retry(Duration, Error),
    Fail(Error),
}

impl Client {
    /// A client for `config`.
    pub fn new(config: Config) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(config.timeout))
            .user_agent(concat!("prodoc/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        let limiter = Arc::new(Limiter::new(config.limits));
        Self {
            agent,
            config: Arc::new(config),
            limiter,
            budget: None,
            requests: Arc::new(AtomicU64::new(0)),
            clock: Arc::new(Mutex::new(None)),
            wait_notice: None,
        }
    }

    /// The same client, calling `notice(wait)` before every wait of a second or more that a
    /// rate limit imposes (this client's windows, or a 429's reset time), so that a long run
    /// can say why it is quiet.
    pub fn with_wait_notice(mut self, notice: impl Fn(Duration) + Send + Sync + 'static) -> Self {
        self.wait_notice = Some(Arc::new(notice));
        self
    }

    fn rate_limited(&self, wait: Duration) {
        if let (Some(notice), true) = (&self.wait_notice, wait >= NOTICEABLE_WAIT) {
            notice(wait);
        }
    }

    /// The server's time at `at` (a moment of this process), from the `Date` header of the
    /// latest response; `None` before any response with one. Whole seconds: `Date` has no
    /// finer resolution, and the result is never later than the server's clock was at `at`
    /// by more than the network delay.
    pub fn server_time_at(&self, at: Instant) -> Option<SystemTime> {
        let clock = *self.clock.lock().unwrap_or_else(PoisonError::into_inner);
        let (date, received) = clock?;
        match received.checked_duration_since(at) {
            Some(before) => date.checked_sub(before),
            None => date.checked_add(at.duration_since(received)),
        }
    }

    /// The same client, allowed only `requests` more requests; then every call fails with
    /// [`Error::BudgetSpent`], as if the process had been killed there. For tests of resuming.
    pub fn with_request_budget(mut self, requests: u64) -> Self {
        self.budget = Some(Arc::new(AtomicU64::new(requests)));
        self
    }

    /// Requests sent so far, retries included.
    pub fn requests_sent(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> String {
        let mut url = format!("{}{}", self.config.base_url, path.trim_start_matches('/'));
        for (i, (name, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(name, QUERY));
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY));
        }
        url
    }

    fn take_budget(&self) -> Result<(), Error> {
        if let Some(budget) = &self.budget {
            let taken = budget.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(1)
            });
            if taken.is_err() {
                return Err(Error::BudgetSpent);
            }
        }
        Ok(())
    }

    /// Sends one request with retries. `idempotent` requests are retried after uncertain
    /// failures too; others come back as an uncertain [`Error::Transport`] so that the caller can
    /// look before writing again.
    fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<String>,
        idempotent: bool,
    ) -> Result<Reply, Error> {
        let retry = self.config.retry;
        let mut attempt = 0u32;
        loop {
            self.take_budget()?;
            let slot = loop {
                match self.limiter.try_acquire() {
                    Ok(slot) => break slot,
                    Err(wait) => {
                        self.rate_limited(wait);
                        std::thread::sleep(wait);
                    }
                }
            };
            self.requests.fetch_add(1, Ordering::Relaxed);
            let outcome = self.attempt(&method, path, query, body.as_deref(), idempotent);
            self.limiter.finish(slot);
            match outcome {
                Outcome::Done(reply) => return Ok(reply),
                Outcome::Fail(error) => return Err(error),
                Outcome::Retry(wait, error) => {
                    if attempt >= retry.max_retries {
                        return Err(error);
                    }
                    // A server-given wait is a floor under the jittered backoff.
                    let wait = wait.max(retry.delay(attempt)).min(retry.max_delay);
                    if matches!(error, Error::Api { status: 429, .. }) {
                        self.rate_limited(wait);
                    }
                    std::thread::sleep(wait);
                    attempt += 1;
                }
            }
        }
    }

    fn attempt(
        &self,
        method: &Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&str>,
        idempotent: bool,
    ) -> Outcome {
        let url = self.url(path, query);
        let mut builder = http::Request::builder()
            .method(method.clone())
            .uri(&url)
            .header("X-Auth-Token", self.config.token.expose())
            .header("X-Organization-Id", &self.config.org_id)
            .header("Accept", JSON_API);
        // Every write carries the JSON:API type, a DELETE too: the API answers 415 otherwise.
        if *method != Method::GET {
            builder = builder.header("Content-Type", JSON_API);
        }
        let result = match builder.body(body.unwrap_or("").to_owned()) {
            Ok(request) if body.is_some() || *method == Method::DELETE => self.agent.run(request),
            Ok(request) => {
                let (parts, _) = request.into_parts();
                self.agent.run(http::Request::from_parts(parts, ()))
            }
            Err(e) => {
                return Outcome::Fail(Error::Config(format!("bad request for {path}: {e}")));
            }
        };
        let transport = |message: String, uncertain: bool| Error::Transport {
            method: method.to_string(),
            path: path.to_owned(),
            message,
            uncertain,
        };
        let mut response = match result {
            Ok(response) => response,
            Err(e) => {
                // Failures before anything was sent are safe to retry for every method.
                let before_sending = matches!(
                    e,
                    ureq::Error::ConnectionFailed
                        | ureq::Error::HostNotFound
                        | ureq::Error::Timeout(ureq::Timeout::Connect)
                        | ureq::Error::Timeout(ureq::Timeout::Resolve)
                );
                let error = transport(e.to_string(), !before_sending);
                return if before_sending || idempotent {
                    Outcome::Retry(Duration::ZERO, error)
                } else {
                    Outcome::Fail(error)
                };
            }
        };
        let status = response.status().as_u16();
        let header_secs = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(Duration::from_secs_f64)
        };
        let server_wait = header_secs("retry-after").or_else(|| header_secs("x-ratelimit-reset"));
        if let Some(date) = response
            .headers()
            .get("date")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date)
        {
            *self.clock.lock().unwrap_or_else(PoisonError::into_inner) =
                Some((date, Instant::now()));
        }
        let text = match response.body_mut().read_to_string() {
            Ok(text) => text,
            Err(e) => {
                let error = transport(format!("reading the response: {e}"), true);
                return if idempotent {
                    Outcome::Retry(Duration::ZERO, error)
                } else {
                    Outcome::Fail(error)
                };
            }
        };
        if (200..300).contains(&status) {
            return Outcome::Done(Reply { body: text });
        }
        let error = Error::Api {
            status,
            method: method.to_string(),
            path: path.to_owned(),
            errors: parse_errors(&text),
        };
        match status {
            429 => {
                let wait = server_wait.unwrap_or(Duration::ZERO);
                self.limiter.pause(wait);
                Outcome::Retry(wait, error)
            }
            // The server failed: an idempotent request is simply sent again; any other may have
            // been applied, so the caller decides (Error::is_uncertain).
            500 | 502 | 503 | 504 if idempotent => {
                Outcome::Retry(server_wait.unwrap_or(Duration::ZERO), error)
            }
            _ => Outcome::Fail(error),
        }
    }

    fn decode<T: for<'de> Deserialize<'de>>(
        &self,
        method: &str,
        path: &str,
        reply: &Reply,
    ) -> Result<T, Error> {
        serde_json::from_str(&reply.body).map_err(|e| Error::Decode {
            method: method.to_owned(),
            path: path.to_owned(),
            message: e.to_string(),
        })
    }

    /// The server's time now: from the latest response's `Date`, or, before any, from a
    /// one-item listing sent for it.
    pub fn server_time(&self) -> Result<SystemTime, Error> {
        if let Some(time) = self.server_time_at(Instant::now()) {
            return Ok(time);
        }
        let query = [("page[size]", "1".to_owned())];
        self.send(Method::GET, "pages", &query, None, true)?;
        self.server_time_at(Instant::now())
            .ok_or_else(|| Error::Decode {
                method: "GET".to_owned(),
                path: "pages".to_owned(),
                message: "the response has no Date header: the server's time is unknown".to_owned(),
            })
    }

    /// `GET /pages/{id}`.
    pub fn get_page(&self, id: &str) -> Result<Page, Error> {
        let path = format!("pages/{id}");
        let reply = self.send(Method::GET, &path, &[], None, true)?;
        Ok(self.decode::<One<Page>>("GET", &path, &reply)?.data)
    }

    /// `GET /pages` with a filter, every result page (`page[size]=200`) until
    /// `meta.total_pages`.
    pub fn list_pages(&self, filter: &PageFilter) -> Result<Vec<Page>, Error> {
        self.list_pages_sized(filter, MAX_PAGE_SIZE)
    }

    /// [`Client::list_pages`] with another page size (at most 200).
    pub fn list_pages_sized(&self, filter: &PageFilter, size: u32) -> Result<Vec<Page>, Error> {
        let mut pages = Vec::new();
        let mut number = 1u64;
        loop {
            let mut query = filter.pairs();
            query.push(("page[number]", number.to_string()));
            query.push(("page[size]", size.clamp(1, MAX_PAGE_SIZE).to_string()));
            let reply = self.send(Method::GET, "pages", &query, None, true)?;
            let many: Many<Page> = self.decode("GET", "pages", &reply)?;
            let count = many.data.len();
            pages.extend(many.data);
            let total = many.meta.and_then(|m| m.total_pages);
            let more = match total {
                Some(total) => number < total,
                // Without metadata, a full page means there may be more.
                None => count as u64 >= u64::from(size),
            };
            if !more || count == 0 {
                return Ok(pages);
            }
            number += 1;
        }
    }

    /// `POST /pages/create_with_markdown`. Not retried after an uncertain failure: the error
    /// says so ([`Error::is_uncertain`]) and the caller should look for the page first.
    pub fn create_with_markdown(
        &self,
        title: &str,
        markdown: &str,
        placement: &Placement,
    ) -> Result<Page, Error> {
        self.create_with_markdown_attached(title, markdown, placement, &[])
    }

    /// [`Client::create_with_markdown`] linking uploaded attachments (`attachment_ids`).
    pub fn create_with_markdown_attached(
        &self,
        title: &str,
        markdown: &str,
        placement: &Placement,
        attachment_ids: &[String],
    ) -> Result<Page, Error> {
        let mut attributes = match placement {
            Placement::Project(project) => {
                json!({ "title": title, "markdown": markdown, "project_id": project })
            }
            // A subpage names its parent and Doc and must not name a project (422 otherwise).
            Placement::Under { parent, root } => json!({
                "title": title, "markdown": markdown,
                "parent_page_id": parent, "root_page_id": root,
            }),
        };
        if let (false, Some(map)) = (attachment_ids.is_empty(), attributes.as_object_mut()) {
            map.insert("attachment_ids".to_owned(), json!(attachment_ids));
        }
        let body = json!({ "data": { "type": "pages", "attributes": attributes } });
        let path = "pages/create_with_markdown";
        let reply = self.send(Method::POST, path, &[], Some(body.to_string()), false)?;
        Ok(self.decode::<One<Page>>("POST", path, &reply)?.data)
    }

    /// `POST /pages` with `attributes.body` = `body`, the document as compact JSON text (sent as
    /// a JSON string, the only form the API keeps).
    pub fn create_with_body(
        &self,
        title: &str,
        body: &str,
        placement: &Placement,
    ) -> Result<Page, Error> {
        let relationships = match placement {
            Placement::Project(project) => {
                json!({ "project": { "data": { "type": "projects", "id": project } } })
            }
            Placement::Under { parent, root } => json!({
                "parent_page": { "data": { "type": "pages", "id": parent } },
                "root_page": { "data": { "type": "pages", "id": root } },
            }),
        };
        let document = json!({ "data": {
            "type": "pages",
            "attributes": { "title": title, "body": body },
            "relationships": relationships,
        }});
        let reply = self.send(
            Method::POST,
            "pages",
            &[],
            Some(document.to_string()),
            false,
        )?;
        Ok(self.decode::<One<Page>>("POST", "pages", &reply)?.data)
    }

    /// `PATCH /pages/{id}`: a new title and/or body (compact JSON text, sent as a JSON string).
    pub fn update_page(
        &self,
        id: &str,
        title: Option<&str>,
        body: Option<&str>,
    ) -> Result<Page, Error> {
        let mut attributes = serde_json::Map::new();
        if let Some(title) = title {
            attributes.insert("title".to_owned(), json!(title));
        }
        if let Some(body) = body {
            attributes.insert("body".to_owned(), json!(body));
        }
        let document = json!({ "data": { "type": "pages", "id": id, "attributes": attributes } });
        let path = format!("pages/{id}");
        let reply = self.send(Method::PATCH, &path, &[], Some(document.to_string()), true)?;
        Ok(self.decode::<One<Page>>("PATCH", &path, &reply)?.data)
    }

    /// `PATCH /pages/{id}/replace_body_with_html` (a flat `{"html": …}` body).
    pub fn replace_body_with_html(&self, id: &str, html: &str) -> Result<(), Error> {
        let path = format!("pages/{id}/replace_body_with_html");
        let body = json!({ "html": html }).to_string();
        self.send(Method::PATCH, &path, &[], Some(body), true)
            .map(drop)
    }

    /// `PATCH /pages/{id}/replace_body_with_markdown` (a flat `{"markdown": …}` body).
    pub fn replace_body_with_markdown(&self, id: &str, markdown: &str) -> Result<(), Error> {
        let path = format!("pages/{id}/replace_body_with_markdown");
        let body = json!({ "markdown": markdown }).to_string();
        self.send(Method::PATCH, &path, &[], Some(body), true)
            .map(drop)
    }

    /// `DELETE /pages/{id}` (subpages go with it).
    pub fn delete_page(&self, id: &str) -> Result<(), Error> {
        let path = format!("pages/{id}");
        self.send(Method::DELETE, &path, &[], None, true).map(drop)
    }
}

impl Client {
    /// Uploads a file as an attachment, the four steps in one: `POST /attachments`, the
    /// multipart upload to the storage URL ([`Config::storage_url`]), and
    /// `PATCH /attachments/{id}` with the uploaded address. Step 4, linking it to a page, is
    /// `page_id` here for an existing page, or `attachment_ids` on create. Returns the
    /// attachment with its final `url`.
    pub fn upload_attachment(
        &self,
        file: &NewAttachment,
        bytes: &[u8],
    ) -> Result<Attachment, Error> {
        let storage = self.config.storage_url.clone();
        let mut attributes = json!({
            "name": file.name, "content_type": file.content_type, "size": file.size,
            "attachable_type": "page",
            "attachment_type": if file.inline { "inline" } else { "attachment" },
        });
        if let (Some(page), Some(map)) = (&file.page_id, attributes.as_object_mut()) {
            map.insert("page_id".to_owned(), json!(page));
        }
        let body = json!({ "data": { "type": "attachments", "attributes": attributes } });
        // Repeated after an uncertain failure: at worst an attachment record that no file was
        // uploaded to and no page refers to is left over, never a page's content.
        let reply = self.send(
            Method::POST,
            "attachments",
            &[],
            Some(body.to_string()),
            true,
        )?;
        let attachment = self
            .decode::<One<Attachment>>("POST", "attachments", &reply)?
            .data;
        let fields = attachment.attributes.aws_policy.clone().unwrap_or_default();
        let location = self.upload_to_storage(&storage, &fields.0, file, bytes)?;
        let path = format!("attachments/{}", attachment.id);
        let body = json!({ "data": { "type": "attachments", "id": attachment.id,
            "attributes": { "temp_url": location } } });
        let reply = self.send(Method::PATCH, &path, &[], Some(body.to_string()), true)?;
        Ok(self.decode::<One<Attachment>>("PATCH", &path, &reply)?.data)
    }

    /// Step 4 for an attachment uploaded before its page existed: `PATCH /attachments/{id}`
    /// with `page_id`.
    pub fn link_attachment(&self, id: &str, page_id: &str) -> Result<(), Error> {
        let path = format!("attachments/{id}");
        let body = json!({ "data": { "type": "attachments", "id": id,
            "attributes": { "page_id": page_id } } });
        self.send(Method::PATCH, &path, &[], Some(body.to_string()), true)
            .map(drop)
    }

    /// Step 2: the multipart form to the storage service, every policy field in order and the
    /// file last. The storage is not Productive: no token goes there, and its requests do not
    /// count against the API's limits.
    fn upload_to_storage(
        &self,
        storage: &str,
        fields: &[(String, String)],
        file: &NewAttachment,
        bytes: &[u8],
    ) -> Result<String, Error> {
        let boundary = format!(
            "prodoc-{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        let clean = |s: &str| s.replace(['"', '\r', '\n'], "_");
        let mut body = Vec::with_capacity(bytes.len() + 1024);
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n{value}\r\n",
                    clean(name)
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                clean(&file.name),
                clean(&file.content_type)
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let transport = |message: String| Error::Transport {
            method: "POST".to_owned(),
            path: "(storage)".to_owned(),
            message,
            uncertain: true,
        };
        let retry = self.config.retry;
        let mut attempt = 0u32;
        loop {
            let request = http::Request::builder()
                .method(Method::POST)
                .uri(storage)
                .header(
                    "Content-Type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(body.clone())
                .map_err(|e| Error::Config(format!("bad storage URL: {e}")))?;
            let outcome: Result<(), Error> = match self.agent.run(request) {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let text = response.body_mut().read_to_string().unwrap_or_default();
                    if (200..300).contains(&status) {
                        let location = text
                            .split_once("<Location>")
                            .and_then(|(_, rest)| rest.split_once("</Location>"))
                            .map(|(location, _)| location.trim().replace("&amp;", "&"));
                        let fallback = || {
                            let key = fields
                                .iter()
                                .find(|(n, _)| n == "key")
                                .map_or("", |(_, v)| v.as_str());
                            format!("{}/{key}", storage.trim_end_matches('/'))
                        };
                        return Ok(location.unwrap_or_else(fallback));
                    }
                    let error = transport(format!("storage answered HTTP {status}"));
                    // Only the storage's own failures are worth another try.
                    if status < 500 {
                        return Err(error);
                    }
                    Err(error)
                }
                Err(e) => Err(transport(e.to_string())),
            };
            if let Err(error) = outcome {
                if attempt >= retry.max_retries {
                    return Err(error);
                }
                std::thread::sleep(retry.delay(attempt));
                attempt += 1;
            }
        }
    }
}

#[derive(Deserialize)]
struct Errors {
    #[serde(default)]
    errors: Vec<ApiError>,
}

fn parse_errors(text: &str) -> Vec<ApiError> {
    serde_json::from_str::<Errors>(text)
        .map(|e| e.errors)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn errors_with_string_or_number_status() {
        let real = r#"{"errors":[{"status":"422","code":"invalid_attribute","title":"Invalid Attribute","detail":"can't be blank","meta":{},"source":{"pointer":"data/attributes/title"}}]}"#;
        let errors = parse_errors(real);
        assert_eq!(errors[0].status.as_deref(), Some("422"));
        assert_eq!(
            errors[0].to_string(),
            "Invalid Attribute: can't be blank (at data/attributes/title)"
        );
        let guide = r#"{"errors":[{"status":404,"title":"Not found"}]}"#;
        assert_eq!(parse_errors(guide)[0].status.as_deref(), Some("404"));
    }

    #[test]
    fn debug_redacts_the_token() {
        let config = Config::new(crate::Token::new("s3cret-token"), "1");
        let client = Client::new(config);
        let shown = format!("{client:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn server_dates_of_both_forms_are_read() {
        let http = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        let rfc = parse_timestamp("1994-11-06T09:49:37.250+01:00").unwrap();
        assert_eq!(
            rfc.duration_since(http).unwrap(),
            Duration::from_millis(250)
        );
        assert!(parse_timestamp("yesterday").is_none());
    }

    #[test]
    fn query_values_are_escaped() {
        let client = Client::new(Config::new(crate::Token::new("t"), "1"));
        let url = client.url("pages", &[("filter[query]", "a b&c".to_owned())]);
        assert!(url.ends_with("pages?filter%5Bquery%5D=a%20b%26c"), "{url}");
    }
}
