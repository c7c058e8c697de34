//! A stand-in for Productive's API on loopback, following the API guide, for tests only: the
//! tests of `prodoc-productive` and of the CLI, and `prodoc-productive`'s runnable example use
//! it. Not published.
//!
//! It behaves as the guides and the recorded traffic show: 401 without the right token and
//! organization, 415 for a write without the JSON:API content type, JSON:API envelopes,
//! `create_with_markdown` (a Doc with `project_id`; a subpage with `parent_page_id` and
//! `root_page_id` and no `project_id`, else 422), `replace_body_with_html` and
//! `replace_body_with_markdown` (flat bodies, converted with this workspace's readers),
//! `POST /pages` and `PATCH /pages/{id}` with `attributes.body` as a JSON string (an object body is
//! dropped with a 2xx, as the real API does), `GET /pages` with its filters and pagination,
//! `GET /pages/{id}` and `DELETE /pages/{id}`. Both rate limits answer 429 with
//! `X-RateLimit-Reset`. Faults can be injected, requests held at a chosen point (to kill a
//! client there), and every request is logged.
#![forbid(unsafe_code)]

use percent_encoding::percent_decode_str;
use prodoc_productive::{Config, Limits, RetryPolicy, Token, Window};
use serde_json::{json, Value};
use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The largest request body read (the real API's practical ceiling is far below).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Failures the server injects, each a share of the requests (0.0 to 1.0) that pass
/// authentication and the rate limits.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Faults {
    /// Answered with 500, 502, 503 or 504 without being applied.
    pub server_errors: f64,
    /// Writes only: applied, then answered with 500, 502 or 503 (the work was done, the answer
    /// says it failed).
    pub applied_errors: f64,
    /// The connection is closed without an answer, the request not applied.
    pub drops: f64,
    /// Writes only: applied, then the connection is closed before the answer (a 201 that never
    /// arrives).
    pub lost_replies: f64,
    /// Answered after `slow_delay`.
    pub slow: f64,
    /// The delay of slow replies.
    pub slow_delay: Duration,
}

/// A fault for one request, chosen by the test rather than by the dice ([`FakeServer::script`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scripted {
    /// Served as usual: lets the matching requests before the one meant through.
    Pass,
    /// Applied, then the connection is closed before the answer.
    LoseReply,
    /// Answered with this status, not applied.
    Fail(u16),
    /// Applied, then answered with this status.
    FailAfterApplying(u16),
}

/// Where [`FakeServer::hold`] stops a request: a client killed while waiting there died before
/// its request was applied, or after it was applied but before the answer arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// Not applied, not logged; once released, the connection is closed without an answer.
    BeforeApplying,
    /// Applied and logged; the answer is sent once released.
    AfterApplying,
}

/// How the fake server behaves.
#[derive(Clone, Debug)]
pub struct FakeOptions {
    /// The token it accepts.
    pub token: String,
    /// The organization id it accepts.
    pub org_id: String,
    /// Its rate limits.
    pub limits: Limits,
    /// Injected failures.
    pub faults: Faults,
    /// The seed of the fault dice.
    pub seed: u64,
}

impl Default for FakeOptions {
    fn default() -> Self {
        Self {
            token: "test-token".to_owned(),
            org_id: "42".to_owned(),
            limits: Limits::default(),
            faults: Faults::default(),
            seed: 7,
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path below `/api/v2/`, e.g. `pages/12/replace_body_with_html`.
    pub path: String,
    /// The decoded query pairs.
    pub query: Vec<(String, String)>,
    /// Whether it was a write (POST, PATCH, DELETE).
    pub write: bool,
    /// The status answered; 0 when the connection was closed instead.
    pub status: u16,
    /// Whether it changed the server's pages.
    pub applied: bool,
    /// The request body as text (lossy UTF-8; empty for none).
    pub body: String,
}

/// A page held by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakePage {
    /// Its id.
    pub id: u64,
    /// Its title.
    pub title: String,
    /// Its body: the document's JSON text.
    pub body: String,
    /// Its project: set on a Doc only, as the real API does; subpages carry none.
    pub project_id: Option<String>,
    /// Its parent page.
    pub parent_page_id: Option<u64>,
    /// Its Doc, when it is a subpage.
    pub root_page_id: Option<u64>,
    /// When it was made, by the server's clock.
    pub created_at: jiff::Timestamp,
}

/// A time as the API writes it: RFC 3339 with milliseconds and the organization's offset
/// (here +01:00, so that readers must honour offsets).
fn api_time(time: jiff::Timestamp) -> String {
    let shown = time.display_with_offset(jiff::tz::Offset::constant(1));
    format!("{shown:.3}")
}

/// An attachment held by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeAttachment {
    /// Its id.
    pub id: u64,
    /// The file name.
    pub name: String,
    /// The page it is linked to.
    pub page_id: Option<u64>,
    /// The final address, once confirmed with the uploaded file's address.
    pub url: Option<String>,
}

#[derive(Debug)]
struct Data {
    options: FakeOptions,
    pages: BTreeMap<u64, FakePage>,
    attachments: BTreeMap<u64, FakeAttachment>,
    /// Uploaded files by storage key.
    files: BTreeMap<String, Vec<u8>>,
    next_id: u64,
    log: Vec<LoggedRequest>,
    short: VecDeque<Instant>,
    long: VecDeque<Instant>,
    rng: fastrand::Rng,
    /// Faults for the next requests matching (method, path prefix), first match first.
    script: Vec<(String, String, Scripted)>,
    /// Requests after this many logged ones wait, until released ([`FakeServer::hold`]).
    hold: Option<(usize, Hold)>,
    /// Requests waiting in a hold now.
    held: usize,
}

/// The fake server; it stops when dropped.
#[derive(Debug)]
pub struct FakeServer {
    addr: SocketAddr,
    data: Arc<Mutex<Data>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    /// Signalled when a request starts waiting in a hold and when a hold is released.
    gate: Arc<Condvar>,
}

struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    close: bool,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

enum Action {
    Reply(Reply),
    ReplyLater(Duration, Reply),
    Close,
}

fn lock(data: &Mutex<Data>) -> MutexGuard<'_, Data> {
    data.lock().unwrap_or_else(PoisonError::into_inner)
}

fn error_reply(status: u16, code: &str, title: &str, detail: &str) -> Reply {
    let body = json!({ "errors": [{
        "status": status.to_string(), "code": code, "title": title, "detail": detail,
        "meta": {}, "source": {}
    }]});
    Reply {
        status,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

fn json_reply(status: u16, body: &Value) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

/// A document's JSON as the server stores it: no blocks become one empty paragraph, as in the
/// recorded responses.
fn stored(doc: &prodoc_core::Doc) -> String {
    if doc.content.is_empty() {
        empty_doc()
    } else {
        prodoc_core::json::to_string(doc)
    }
}

fn empty_doc() -> String {
    r#"{"type":"doc","content":[{"type":"paragraph"}]}"#.to_owned()
}

impl FakeServer {
    /// Starts a server on 127.0.0.1 at a free port.
    pub fn start(options: FakeOptions) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let seed = options.seed;
        let data = Arc::new(Mutex::new(Data {
            options,
            pages: BTreeMap::new(),
            attachments: BTreeMap::new(),
            files: BTreeMap::new(),
            next_id: 1000,
            log: Vec::new(),
            short: VecDeque::new(),
            long: VecDeque::new(),
            rng: fastrand::Rng::with_seed(seed),
            script: Vec::new(),
            hold: None,
            held: 0,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let gate = Arc::new(Condvar::new());
        let thread = {
            let data = Arc::clone(&data);
            let stop = Arc::clone(&stop);
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let data = Arc::clone(&data);
                    let gate = Arc::clone(&gate);
                    std::thread::spawn(move || serve(stream, &data, &gate));
                }
            })
        };
        Ok(Self {
            addr,
            data,
            stop,
            thread: Some(thread),
            gate,
        })
    }

    /// Holds every request after the first `after` logged ones at `at`, until
    /// [`FakeServer::release`]: a client can be killed at a known point of its run.
    pub fn hold(&self, after: usize, at: Hold) {
        lock(&self.data).hold = Some((after, at));
    }

    /// Waits until a request is held, at most `limit` (a safety net for a client that never
    /// gets there); whether one is.
    pub fn wait_until_held(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut data = lock(&self.data);
        while data.held == 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            data = self
                .gate
                .wait_timeout(data, left)
                .map_or_else(|e| e.into_inner().0, |(guard, _)| guard);
        }
        true
    }

    /// Lets held requests go on (see [`Hold`]) and holds no more.
    pub fn release(&self) {
        lock(&self.data).hold = None;
        self.gate.notify_all();
    }

    /// The base URL to give the client: `http://127.0.0.1:PORT/api/v2/`.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/v2/", self.addr)
    }

    /// The storage upload URL (step 2 of an attachment upload), on the same port.
    pub fn storage_url(&self) -> String {
        format!("http://{}/storage", self.addr)
    }

    /// Every attachment, by id.
    pub fn attachments(&self) -> Vec<FakeAttachment> {
        lock(&self.data).attachments.values().cloned().collect()
    }

    /// The files uploaded to the storage, by key.
    pub fn stored_files(&self) -> BTreeMap<String, Vec<u8>> {
        lock(&self.data).files.clone()
    }

    /// The token the server accepts.
    pub fn token(&self) -> String {
        lock(&self.data).options.token.clone()
    }

    /// The organization id the server accepts.
    pub fn org_id(&self) -> String {
        lock(&self.data).options.org_id.clone()
    }

    /// Changes the injected faults from now on.
    pub fn set_faults(&self, faults: Faults) {
        lock(&self.data).options.faults = faults;
    }

    /// Gives the next request with `method` whose path (below `/api/v2/`) starts with
    /// `path_prefix` this fault, after authentication and the rate limits. Queued faults are
    /// used in order.
    pub fn script(&self, method: &str, path_prefix: &str, fault: Scripted) {
        lock(&self.data)
            .script
            .push((method.to_owned(), path_prefix.to_owned(), fault));
    }

    /// Every request so far.
    pub fn log(&self) -> Vec<LoggedRequest> {
        lock(&self.data).log.clone()
    }

    /// Forgets the requests so far.
    pub fn clear_log(&self) {
        lock(&self.data).log.clear();
    }

    /// Every page, by id.
    pub fn pages(&self) -> Vec<FakePage> {
        lock(&self.data).pages.values().cloned().collect()
    }

    /// Adds a page directly (no request), returning its id.
    pub fn insert_page(
        &self,
        title: &str,
        project_id: Option<&str>,
        parent_page_id: Option<u64>,
    ) -> u64 {
        let mut data = lock(&self.data);
        let root = parent_page_id.and_then(|p| {
            data.pages
                .get(&p)
                .map(|parent| parent.root_page_id.unwrap_or(parent.id))
        });
        // As on the real API, only a Doc carries its project; its subpages carry none.
        let project = match parent_page_id {
            Some(_) => None,
            None => project_id.map(str::to_owned),
        };
        let id = data.next_id;
        data.next_id += 1;
        // Someone's page from before: made a day ago.
        let created_at = jiff::Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_hours(24))
            .unwrap_or_else(|_| jiff::Timestamp::now());
        data.pages.insert(
            id,
            FakePage {
                id,
                title: title.to_owned(),
                body: empty_doc(),
                project_id: project,
                parent_page_id,
                root_page_id: root,
                created_at,
            },
        );
        id
    }

    /// Makes a page's `created_at` now: someone's page made in the very second of a create.
    pub fn touch_page(&self, id: u64) {
        if let Some(page) = lock(&self.data).pages.get_mut(&id) {
            page.created_at = jiff::Timestamp::now();
        }
    }

    /// Deletes a page and its subpages directly (someone else, in the browser).
    pub fn remove_page(&self, id: u64) {
        remove_subtree(&mut lock(&self.data), id);
    }

    /// A client configuration for this server with its token and organization, the given
    /// limits and quick retries.
    pub fn client_config(&self, limits: Limits) -> Config {
        let mut config =
            Config::new(Token::new(self.token()), self.org_id()).with_base_url(self.base_url());
        config.limits = limits;
        config.storage_url = self.storage_url();
        config.timeout = Duration::from_secs(5);
        config.retry = RetryPolicy {
            max_retries: 8,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_secs(2),
        };
        config
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.release();
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Whether a request at `at` is to wait in the hold now.
fn held_at(data: &Mutex<Data>, at: Hold) -> bool {
    let data = lock(data);
    matches!(data.hold, Some((after, hold)) if hold == at && data.log.len() >= after)
}

/// Waits in the hold until it is released.
fn wait_in_hold(data: &Mutex<Data>, gate: &Condvar) {
    let mut guard = lock(data);
    guard.held += 1;
    gate.notify_all();
    while guard.hold.is_some() {
        guard = gate.wait(guard).unwrap_or_else(PoisonError::into_inner);
    }
    guard.held -= 1;
}

fn serve(stream: TcpStream, data: &Mutex<Data>, gate: &Condvar) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    while let Some(request) = read_request(&mut reader) {
        if held_at(data, Hold::BeforeApplying) {
            wait_in_hold(data, gate);
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
        let action = handle(data, &request);
        // Logged now: held when it was past the point.
        let after = lock(data).hold.filter(|(_, at)| *at == Hold::AfterApplying);
        if after.is_some_and(|(after, _)| lock(data).log.len() > after) {
            wait_in_hold(data, gate);
        }
        let reply = match action {
            Action::Reply(reply) => reply,
            Action::ReplyLater(delay, reply) => {
                std::thread::sleep(delay);
                reply
            }
            Action::Close => {
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
        };
        if write_reply(&mut writer, &reply).is_err() || request.close {
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return None;
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    let close = headers
        .iter()
        .any(|(n, v)| n == "connection" && v.eq_ignore_ascii_case("close"));
    Some(Request {
        method,
        path: path.to_owned(),
        query,
        headers,
        body,
        close,
    })
}

fn write_reply(writer: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let reason = match reply.status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\n", reply.status);
    // The server's clock, as every HTTP server sends it (RFC 9110): whole seconds.
    let mut date = String::new();
    if jiff::fmt::rfc2822::DateTimePrinter::new()
        .print_timestamp_rfc9110(&jiff::Timestamp::now(), &mut date)
        .is_ok()
    {
        head.push_str(&format!("Date: {date}\r\n"));
    }
    if reply.status != 204 {
        head.push_str("Content-Type: application/vnd.api+json; charset=utf-8\r\n");
    }
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = if reply.status == 204 { "" } else { &reply.body };
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    // One write: a head and a body in two small segments would meet Nagle's algorithm and the
    // client's delayed acknowledgement, adding tens of milliseconds to every reply.
    head.push_str(body);
    writer.write_all(head.as_bytes())?;
    writer.flush()
}

/// Counts the request in both windows, or says how many seconds until there is room.
fn rate_limit(data: &mut Data, now: Instant) -> Option<u64> {
    let limits = data.options.limits;
    let check = |entries: &mut VecDeque<Instant>, window: Window| {
        while entries.front().is_some_and(|t| *t + window.length <= now) {
            entries.pop_front();
        }
        if entries.len() >= window.max {
            let reset = entries
                .front()
                .map_or(window.length, |t| (*t + window.length) - now);
            Some(reset.as_secs_f64().ceil().max(1.0) as u64)
        } else {
            None
        }
    };
    if let Some(reset) = check(&mut data.short, limits.short) {
        return Some(reset);
    }
    if let Some(reset) = check(&mut data.long, limits.long) {
        return Some(reset);
    }
    data.short.push_back(now);
    data.long.push_back(now);
    None
}

fn handle(shared: &Mutex<Data>, request: &Request) -> Action {
    let now = Instant::now();
    let mut data = lock(shared);
    let write = matches!(request.method.as_str(), "POST" | "PATCH" | "DELETE");
    let path = request
        .path
        .strip_prefix("/api/v2/")
        .unwrap_or(&request.path)
        .to_owned();
    let mut entry = LoggedRequest {
        method: request.method.clone(),
        path: path.clone(),
        query: request.query.clone(),
        write,
        status: 0,
        applied: false,
        body: String::from_utf8_lossy(&request.body).into_owned(),
    };
    if path.starts_with("/storage") {
        let reply = storage(
            &mut data,
            request,
            &format!("http://{}", request.header("host").unwrap_or("")),
        );
        entry.path = "storage".to_owned();
        entry.status = reply.status;
        entry.applied = reply.status == 201;
        data.log.push(entry);
        return Action::Reply(reply);
    }
    let authorized = request.header("x-auth-token") == Some(data.options.token.as_str())
        && request.header("x-organization-id") == Some(data.options.org_id.as_str());
    let early = if !authorized {
        Some(error_reply(
            401,
            "unauthorized",
            "Unauthorized",
            "Invalid or missing X-Auth-Token or X-Organization-Id",
        ))
    } else if let Some(reset) = rate_limit(&mut data, now) {
        let mut reply = error_reply(429, "too_many_requests", "Too Many Requests", "Slow down");
        reply.headers.push(("X-RateLimit-Reset", reset.to_string()));
        Some(reply)
    } else if write
        && !request
            .header("content-type")
            .is_some_and(|v| v.starts_with("application/vnd.api+json"))
    {
        Some(error_reply(
            415,
            "unsupported_media_type",
            "Unsupported Media Type",
            "Content-Type must be application/vnd.api+json",
        ))
    } else {
        None
    };
    if let Some(reply) = early {
        entry.status = reply.status;
        data.log.push(entry);
        return Action::Reply(reply);
    }
    let scripted = data.script.iter().position(|(method, prefix, _)| {
        *method == request.method && path.starts_with(prefix.as_str())
    });
    if let Some(index) = scripted {
        let (_, _, fault) = data.script.remove(index);
        if fault == Scripted::Pass {
            let reply = route(&mut data, request, &path);
            entry.status = reply.status;
            entry.applied = reply.status < 300 && write;
            data.log.push(entry);
            return Action::Reply(reply);
        }
        if let Scripted::Fail(status) = fault {
            entry.status = status;
            data.log.push(entry);
            return Action::Reply(error_reply(
                status,
                "scripted",
                "Scripted failure",
                "Scripted",
            ));
        }
        let reply = route(&mut data, request, &path);
        entry.applied = true;
        entry.status = match fault {
            Scripted::FailAfterApplying(status) => status,
            _ => 0,
        };
        data.log.push(entry);
        return match fault {
            Scripted::FailAfterApplying(status) if reply.status < 300 => Action::Reply(
                error_reply(status, "server_error", "Server Error", "Try again"),
            ),
            Scripted::FailAfterApplying(_) => Action::Reply(reply),
            _ => Action::Close,
        };
    }
    let faults = data.options.faults;
    let roll = data.rng.f64();
    let mut bound = faults.server_errors;
    if roll < bound {
        let status = [500, 502, 503, 504]
            .get(data.rng.usize(0..4))
            .copied()
            .unwrap_or(502);
        entry.status = status;
        data.log.push(entry);
        return Action::Reply(error_reply(
            status,
            "server_error",
            "Server Error",
            "Try again",
        ));
    }
    bound += faults.drops;
    if roll < bound {
        data.log.push(entry);
        return Action::Close;
    }
    bound += faults.lost_replies;
    let lose_reply = write && roll < bound;
    bound += faults.applied_errors;
    let fail_after = !lose_reply && write && roll < bound;
    bound += faults.slow;
    let slow = !lose_reply && roll < bound;
    let before = (data.pages.clone(), data.attachments.clone());
    let reply = route(&mut data, request, &path);
    entry.status = reply.status;
    entry.applied = data.pages != before.0 || data.attachments != before.1;
    data.log.push(entry);
    if lose_reply {
        if let Some(last) = data.log.last_mut() {
            last.status = 0;
        }
        return Action::Close;
    }
    if fail_after && reply.status < 300 {
        let status = [500, 502, 503]
            .get(data.rng.usize(0..3))
            .copied()
            .unwrap_or(500);
        if let Some(last) = data.log.last_mut() {
            last.status = status;
        }
        return Action::Reply(error_reply(
            status,
            "server_error",
            "Server Error",
            "Try again",
        ));
    }
    if slow {
        return Action::ReplyLater(faults.slow_delay, reply);
    }
    Action::Reply(reply)
}

fn page_json(page: &FakePage) -> Value {
    json!({
        "id": page.id.to_string(),
        "type": "pages",
        "attributes": {
            "cover_image_meta": null, "cover_image_url": null, "custom_fields": null,
            "icon_id": null, "position": null, "preferences": null,
            "title": page.title,
            "body": page.body,
            "parent_page_id": page.parent_page_id,
            "root_page_id": page.root_page_id,
            "created_at": api_time(page.created_at),
            "updated_at": api_time(page.created_at),
            "version_number": null, "public_access": false, "public": false,
        },
        "relationships": {
            "organization": { "data": { "type": "organizations", "id": "42" } },
            "project": { "meta": { "included": false } },
            "parent_page": { "meta": { "included": false } },
            "root_page": { "meta": { "included": false } },
        }
    })
}

fn json_body(request: &Request) -> Option<Value> {
    serde_json::from_slice(&request.body).ok()
}

/// An id given as a string or a number.
fn id_of(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn invalid(pointer: &str, code: &str, detail: &str) -> Reply {
    let body = json!({ "errors": [{
        "status": "422", "code": code, "title": "Invalid Attribute", "detail": detail,
        "meta": {}, "source": { "pointer": pointer }
    }]});
    json_reply(422, &body)
}

fn not_found() -> Reply {
    error_reply(
        404,
        "record_not_found",
        "Record Not Found",
        "The requested record was not found",
    )
}

/// A body attribute as the older endpoints take it: a JSON string holding the document is
/// kept, any other value is dropped (the real API answers 2xx and keeps an empty document), a
/// string that is not JSON is a 500.
enum BodyAttr {
    Absent,
    Dropped,
    Doc(String),
    Broken,
}

fn body_attr(attributes: &Value) -> BodyAttr {
    match attributes.get("body") {
        None | Some(Value::Null) => BodyAttr::Absent,
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(_) => BodyAttr::Doc(text.clone()),
            Err(_) => BodyAttr::Broken,
        },
        Some(_) => BodyAttr::Dropped,
    }
}

fn route(data: &mut Data, request: &Request, path: &str) -> Reply {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    match (request.method.as_str(), segments.as_slice()) {
        ("GET", ["pages"]) => list(data, request),
        ("GET", ["pages", id]) => match id.parse().ok().and_then(|id| data.pages.get(&id)) {
            Some(page) => json_reply(200, &json!({ "data": page_json(page) })),
            None => not_found(),
        },
        ("POST", ["pages", "create_with_markdown"]) => create_with_markdown(data, request),
        ("POST", ["pages"]) => create_with_body(data, request),
        ("PATCH", ["pages", id, action]) => {
            let Some(id) = id
                .parse::<u64>()
                .ok()
                .filter(|id| data.pages.contains_key(id))
            else {
                return not_found();
            };
            replace_body(data, request, id, action)
        }
        ("PATCH", ["pages", id]) => update(data, request, id),
        ("POST", ["attachments"]) => create_attachment(data, request),
        ("PATCH", ["attachments", id]) => confirm_attachment(data, request, id),
        ("DELETE", ["pages", id]) => {
            let Some(id) = id
                .parse::<u64>()
                .ok()
                .filter(|id| data.pages.contains_key(id))
            else {
                return not_found();
            };
            remove_subtree(data, id);
            Reply {
                status: 204,
                headers: Vec::new(),
                body: String::new(),
            }
        }
        _ => error_reply(404, "route_not_found", "Not Found", "No such route"),
    }
}

/// Deletes a page and every page below it, as `DELETE /pages/{id}` does.
fn remove_subtree(data: &mut Data, id: u64) {
    let mut doomed = vec![id];
    let mut index = 0;
    while let Some(current) = doomed.get(index).copied() {
        doomed.extend(
            data.pages
                .values()
                .filter(|p| p.parent_page_id == Some(current))
                .map(|p| p.id),
        );
        index += 1;
    }
    for id in doomed {
        data.pages.remove(&id);
    }
}

fn list(data: &Data, request: &Request) -> Reply {
    const KNOWN: [&str; 4] = [
        "filter[project_id]",
        "filter[parent_page_id]",
        "filter[root_page_id]",
        "filter[query]",
    ];
    if let Some((name, _)) = request
        .query
        .iter()
        .find(|(n, _)| n.starts_with("filter[") && !KNOWN.contains(&n.as_str()))
    {
        return error_reply(
            400,
            "invalid_filter",
            "Bad Request",
            &format!("unsupported filter {name}"),
        );
    }
    let project = request.param("filter[project_id]");
    let parents: Option<Vec<u64>> = request
        .param("filter[parent_page_id]")
        .map(|v| v.split(',').filter_map(|p| p.trim().parse().ok()).collect());
    let root = request
        .param("filter[root_page_id]")
        .and_then(|v| v.parse::<u64>().ok());
    let query = request.param("filter[query]").map(str::to_lowercase);
    let matching: Vec<&FakePage> = data
        .pages
        .values()
        .filter(|p| project.is_none_or(|project| p.project_id.as_deref() == Some(project)))
        .filter(|p| {
            parents
                .as_ref()
                .is_none_or(|parents| p.parent_page_id.is_some_and(|id| parents.contains(&id)))
        })
        .filter(|p| root.is_none_or(|root| p.root_page_id == Some(root)))
        .filter(|p| {
            query
                .as_ref()
                .is_none_or(|q| p.title.to_lowercase().contains(q.as_str()))
        })
        .collect();
    let size = request
        .param("page[size]")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(30)
        .clamp(1, 200);
    let number = request
        .param("page[number]")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let total = matching.len();
    let total_pages = total.div_ceil(size).max(1);
    // A sparse fieldset: only the attributes asked for.
    let fields: Option<Vec<&str>> = request
        .param("fields[pages]")
        .map(|f| f.split(',').map(str::trim).collect());
    let items: Vec<Value> = matching
        .iter()
        .skip((number - 1).saturating_mul(size))
        .take(size)
        .map(|p| {
            let mut item = page_json(p);
            if let (Some(fields), Some(attributes)) = (
                &fields,
                item.get_mut("attributes").and_then(Value::as_object_mut),
            ) {
                attributes.retain(|name, _| fields.contains(&name.as_str()));
            }
            item
        })
        .collect();
    json_reply(
        200,
        &json!({
            "data": items,
            "links": {},
            "meta": {
                "current_page": number, "total_pages": total_pages, "total_count": total,
                "page_size": size, "max_page_size": 200
            }
        }),
    )
}

fn new_page(
    data: &mut Data,
    title: String,
    body: String,
    project: Option<String>,
    parent: Option<u64>,
) -> Reply {
    // Only a Doc carries its project (subpages answer `project_id` filters with nothing).
    let (project, root) = match parent.and_then(|p| data.pages.get(&p)) {
        Some(parent) => (None, Some(parent.root_page_id.unwrap_or(parent.id))),
        None => (project, None),
    };
    let id = data.next_id;
    data.next_id += 1;
    let page = FakePage {
        id,
        title,
        body,
        project_id: project,
        parent_page_id: parent,
        root_page_id: root,
        created_at: jiff::Timestamp::now(),
    };
    let reply = json_reply(201, &json!({ "data": page_json(&page) }));
    data.pages.insert(id, page);
    reply
}

fn title_of(attributes: &Value) -> Option<String> {
    attributes
        .get("title")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .map(str::to_owned)
}

fn create_with_markdown(data: &mut Data, request: &Request) -> Reply {
    let Some(attributes) = json_body(request).and_then(|b| b.pointer("/data/attributes").cloned())
    else {
        return error_reply(
            400,
            "bad_request",
            "Bad Request",
            "expected a JSON:API document",
        );
    };
    let Some(title) = title_of(&attributes) else {
        return invalid(
            "data/attributes/title",
            "invalid_attribute",
            "can't be blank",
        );
    };
    // Required, and an empty text is refused as blank (the endpoint's own rule).
    let Some(markdown) = attributes
        .get("markdown")
        .and_then(Value::as_str)
        .filter(|m| !m.trim().is_empty())
    else {
        return invalid(
            "data/attributes/markdown",
            "invalid_attribute",
            "can't be blank",
        );
    };
    let project = id_of(attributes.get("project_id")).map(|p| p.to_string());
    let parent = id_of(attributes.get("parent_page_id"));
    let root = id_of(attributes.get("root_page_id"));
    match (parent, &project) {
        (Some(_), Some(_)) => {
            return invalid(
                "data/attributes/project_id",
                "page_project_root_page_only",
                "project can only be set on a root page",
            )
        }
        (None, None) => {
            return invalid(
                "data/attributes/project",
                "invalid_attribute",
                "can't be blank",
            )
        }
        _ => {}
    }
    if let Some(parent) = parent {
        let Some(parent_page) = data.pages.get(&parent) else {
            return invalid(
                "data/attributes/parent_page_id",
                "invalid_attribute",
                "not found",
            );
        };
        if root != Some(parent_page.root_page_id.unwrap_or(parent_page.id)) {
            return invalid(
                "data/attributes/root_page_id",
                "invalid_attribute",
                "must be the parent's doc",
            );
        }
    }
    let doc = prodoc_markdown::read(markdown, &prodoc_markdown::ReadOptions::default()).doc;
    let attachment_ids: Vec<u64> = attributes
        .get("attachment_ids")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(|id| id_of(Some(id))).collect())
        .unwrap_or_default();
    if attachment_ids
        .iter()
        .any(|id| !data.attachments.contains_key(id))
    {
        return invalid(
            "data/attributes/attachment_ids",
            "invalid_attribute",
            "not found",
        );
    }
    let page_id = data.next_id;
    for id in attachment_ids {
        if let Some(attachment) = data.attachments.get_mut(&id) {
            attachment.page_id = Some(page_id);
        }
    }
    new_page(data, title, stored(&doc), project, parent)
}

fn create_with_body(data: &mut Data, request: &Request) -> Reply {
    let Some(document) = json_body(request) else {
        return error_reply(
            400,
            "bad_request",
            "Bad Request",
            "expected a JSON:API document",
        );
    };
    let attributes = document
        .pointer("/data/attributes")
        .cloned()
        .unwrap_or(Value::Null);
    let Some(title) = title_of(&attributes) else {
        return invalid(
            "data/attributes/title",
            "invalid_attribute",
            "can't be blank",
        );
    };
    let body = match body_attr(&attributes) {
        BodyAttr::Doc(text) => text,
        BodyAttr::Absent | BodyAttr::Dropped => empty_doc(),
        BodyAttr::Broken => {
            return error_reply(500, "internal_error", "Internal Server Error", "bad body")
        }
    };
    let project =
        id_of(document.pointer("/data/relationships/project/data/id")).map(|p| p.to_string());
    let parent = id_of(document.pointer("/data/relationships/parent_page/data/id"));
    if let Some(parent) = parent {
        if !data.pages.contains_key(&parent) {
            return invalid(
                "data/relationships/parent_page",
                "invalid_attribute",
                "not found",
            );
        }
    }
    new_page(data, title, body, project, parent)
}

fn update(data: &mut Data, request: &Request, id: &str) -> Reply {
    let Some(id) = id
        .parse::<u64>()
        .ok()
        .filter(|id| data.pages.contains_key(id))
    else {
        return not_found();
    };
    let attributes = json_body(request)
        .and_then(|b| b.pointer("/data/attributes").cloned())
        .unwrap_or(Value::Null);
    let body = body_attr(&attributes);
    if matches!(body, BodyAttr::Broken) {
        return error_reply(500, "internal_error", "Internal Server Error", "bad body");
    }
    let title = attributes
        .get("title")
        .map(|t| t.as_str().map(str::to_owned));
    let Some(page) = data.pages.get_mut(&id) else {
        return not_found();
    };
    match title {
        Some(Some(title)) if !title.trim().is_empty() => page.title = title,
        Some(_) => {
            return invalid(
                "data/attributes/title",
                "invalid_attribute",
                "can't be blank",
            )
        }
        None => {}
    }
    if let BodyAttr::Doc(text) = body {
        page.body = text;
    }
    json_reply(200, &json!({ "data": page_json(page) }))
}

fn replace_body(data: &mut Data, request: &Request, id: u64, action: &str) -> Reply {
    let body = json_body(request).unwrap_or(Value::Null);
    let doc = match action {
        "replace_body_with_html" => {
            let Some(html) = body
                .get("html")
                .and_then(Value::as_str)
                .filter(|h| !h.trim().is_empty())
            else {
                return invalid("html", "invalid_attribute", "can't be blank");
            };
            prodoc_html::read(html, &prodoc_html::ReadOptions::default()).doc
        }
        "replace_body_with_markdown" => {
            let Some(markdown) = body
                .get("markdown")
                .and_then(Value::as_str)
                .filter(|m| !m.trim().is_empty())
            else {
                return invalid("markdown", "invalid_attribute", "can't be blank");
            };
            prodoc_markdown::read(markdown, &prodoc_markdown::ReadOptions::default()).doc
        }
        _ => return error_reply(404, "route_not_found", "Not Found", "No such route"),
    };
    let Some(page) = data.pages.get_mut(&id) else {
        return not_found();
    };
    page.body = stored(&doc);
    json_reply(200, &json!({ "data": page_json(page) }))
}

fn create_attachment(data: &mut Data, request: &Request) -> Reply {
    let attributes = json_body(request)
        .and_then(|b| b.pointer("/data/attributes").cloned())
        .unwrap_or(Value::Null);
    let Some(name) = attributes
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return invalid(
            "data/attributes/name",
            "invalid_attribute",
            "can't be blank",
        );
    };
    if attributes.get("attachable_type").and_then(Value::as_str) != Some("page") {
        return invalid(
            "data/attributes/attachable_type",
            "invalid_attribute",
            "is not included in the list",
        );
    }
    let page_id = id_of(attributes.get("page_id"));
    if page_id.is_some_and(|p| !data.pages.contains_key(&p)) {
        return invalid("data/attributes/page_id", "invalid_attribute", "not found");
    }
    let content_type = attributes
        .get("content_type")
        .and_then(Value::as_str)
        .unwrap_or("");
    let id = data.next_id;
    data.next_id += 1;
    let name = name.to_owned();
    data.attachments.insert(
        id,
        FakeAttachment {
            id,
            name: name.clone(),
            page_id,
            url: None,
        },
    );
    json_reply(
        201,
        &json!({ "data": { "id": id.to_string(), "type": "attachments", "attributes": {
            "name": name, "content_type": content_type, "url": null,
            "aws_policy": {
                "key": format!("attachments/files/{id}/{name}"),
                "success_action_status": "201",
                "x-amz-algorithm": "AWS4-HMAC-SHA256",
                "x-amz-credential": "FAKE/20260323/eu-central-1/s3/aws4_request",
                "x-amz-date": "20260323T000000Z",
                "x-amz-signature": "fake-signature",
                "x-amz-security-token": "fake-session-token",
                "policy": "ZmFrZQ==",
                "Content-Type": content_type,
            }
        }}}),
    )
}

fn confirm_attachment(data: &mut Data, request: &Request, id: &str) -> Reply {
    let Some(id) = id
        .parse::<u64>()
        .ok()
        .filter(|id| data.attachments.contains_key(id))
    else {
        return not_found();
    };
    let attributes = json_body(request)
        .and_then(|b| b.pointer("/data/attributes").cloned())
        .unwrap_or(Value::Null);
    // Step 4 on the attachment: linked to a page.
    if let Some(page_id) = attributes.get("page_id") {
        let Some(page_id) = id_of(Some(page_id)).filter(|p| data.pages.contains_key(p)) else {
            return invalid("data/attributes/page_id", "invalid_attribute", "not found");
        };
        let Some(attachment) = data.attachments.get_mut(&id) else {
            return not_found();
        };
        attachment.page_id = Some(page_id);
        if attributes.get("temp_url").is_none() {
            return json_reply(
                200,
                &json!({ "data": { "id": id.to_string(), "type": "attachments", "attributes": {
                    "name": attachment.name, "url": attachment.url } } }),
            );
        }
    }
    let temp_url = attributes
        .get("temp_url")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let key = temp_url
        .split_once("/storage/")
        .map(|(_, key)| key.to_owned());
    if !key.is_some_and(|key| data.files.contains_key(&key)) {
        return invalid(
            "data/attributes/temp_url",
            "invalid_attribute",
            "no such upload",
        );
    }
    let Some(attachment) = data.attachments.get_mut(&id) else {
        return not_found();
    };
    let url = format!(
        "https://files.productive.io/attachments/files/{id}/original/{}",
        attachment.name
    );
    attachment.url = Some(url.clone());
    json_reply(
        200,
        &json!({ "data": { "id": id.to_string(), "type": "attachments", "attributes": {
            "name": attachment.name, "url": url } } }),
    )
}

/// The storage service: a multipart form with `key` among the fields and `file` last.
fn storage(data: &mut Data, request: &Request, origin: &str) -> Reply {
    let xml_error = |status: u16, message: &str| Reply {
        status,
        headers: Vec::new(),
        body: format!("<Error><Message>{message}</Message></Error>"),
    };
    if request.method != "POST" {
        return xml_error(405, "method not allowed");
    }
    // The storage is another service: Productive's token must never reach it.
    if request.header("x-auth-token").is_some() {
        return xml_error(400, "unexpected X-Auth-Token");
    }
    let Some(boundary) = request
        .header("content-type")
        .and_then(|v| v.split_once("boundary="))
        .map(|(_, b)| b.trim_matches('"').to_owned())
    else {
        return xml_error(400, "not a multipart form");
    };
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut fields: Vec<(String, Vec<u8>)> = Vec::new();
    let mut rest: &[u8] = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        let Some(after) = rest.get(start + delimiter.len()..) else {
            break;
        };
        if after.starts_with(b"--") {
            break;
        }
        let Some(after) = after.strip_prefix(b"\r\n") else {
            break;
        };
        let Some(head_end) = find(after, b"\r\n\r\n") else {
            break;
        };
        let head = String::from_utf8_lossy(after.get(..head_end).unwrap_or_default()).into_owned();
        let Some(content) = after.get(head_end + 4..) else {
            break;
        };
        let Some(end) = find(content, format!("\r\n{delimiter}").as_bytes()) else {
            break;
        };
        let name = head
            .split("name=\"")
            .nth(1)
            .and_then(|n| n.split('"').next())
            .unwrap_or("")
            .to_owned();
        fields.push((name, content.get(..end).unwrap_or_default().to_vec()));
        rest = content.get(end + 2..).unwrap_or_default();
    }
    let key = fields
        .iter()
        .find(|(n, _)| n == "key")
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned());
    let (Some(key), Some((last, file))) = (key, fields.last()) else {
        return xml_error(400, "missing key or file");
    };
    if last != "file" || !fields.iter().any(|(n, _)| n == "policy") {
        return xml_error(400, "the file must come last, after the policy fields");
    }
    data.files.insert(key.clone(), file.clone());
    Reply {
        status: 201,
        headers: Vec::new(),
        body: format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PostResponse><Location>{origin}/storage/{key}</Location><Key>{key}</Key></PostResponse>"
        ),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
