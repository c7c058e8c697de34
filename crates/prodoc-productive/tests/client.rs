//! The client against the fake server: authentication, content type, pagination, errors,
//! rate limits, retries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use prodoc_fake_productive::{FakeOptions, FakeServer, Faults};
use prodoc_productive::{Client, Error, Limits, PageFilter, Placement, Token, Window};
use std::time::Duration;

fn server() -> FakeServer {
    FakeServer::start(FakeOptions::default()).unwrap()
}

fn raw_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

#[test]
fn wrong_or_missing_token_is_401() {
    let server = server();
    let mut config = server.client_config(Limits::default());
    config.token = Token::new("wrong");
    let error = Client::new(config).get_page("1").unwrap_err();
    assert_eq!(error.status(), Some(401), "{error}");
    let response = raw_agent()
        .get(format!("{}pages", server.base_url()))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
}

#[test]
fn write_without_json_api_type_is_415() {
    let server = server();
    let response = raw_agent()
        .post(format!("{}pages", server.base_url()))
        .header("X-Auth-Token", server.token())
        .header("X-Organization-Id", server.org_id())
        .header("Content-Type", "application/json")
        .send(r#"{"data":{"type":"pages","attributes":{"title":"x"}}}"#)
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    assert!(server.pages().is_empty());
    // The client sends the type on every write, so the same create succeeds.
    let client = Client::new(server.client_config(Limits::default()));
    client
        .create_with_body(
            "x",
            r#"{"type":"doc","content":[]}"#,
            &Placement::Project("7".into()),
        )
        .unwrap();
    assert_eq!(server.pages().len(), 1);
}

#[test]
fn child_with_project_id_is_422_and_typed() {
    let server = server();
    let root = server.insert_page("Root", Some("7"), None);
    let response = raw_agent()
        .post(format!("{}pages/create_with_markdown", server.base_url()))
        .header("X-Auth-Token", server.token())
        .header("X-Organization-Id", server.org_id())
        .header("Content-Type", "application/vnd.api+json")
        .send(format!(
            r#"{{"data":{{"type":"pages","attributes":{{"title":"c","markdown":"x","project_id":7,"parent_page_id":{root},"root_page_id":{root}}}}}}}"#
        ))
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let client = Client::new(server.client_config(Limits::default()));
    let placement = Placement::Under {
        parent: root.to_string(),
        root: root.to_string(),
    };
    let page = client
        .create_with_markdown("Child", "# Hi\n", &placement)
        .unwrap();
    assert_eq!(page.parent_id(), Some(root.to_string().as_str()));
    assert_eq!(page.root_id(), root.to_string());
    let error = client.get_page("999999").unwrap_err();
    match &error {
        Error::Api { status, errors, .. } => {
            assert_eq!(*status, 404);
            assert_eq!(errors[0].code.as_deref(), Some("record_not_found"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn object_body_is_dropped_string_body_kept() {
    let server = server();
    let client = Client::new(server.client_config(Limits::default()));
    let body = r#"{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"hi"}]}]}"#;
    let page = client
        .create_with_body("t", body, &Placement::Project("7".into()))
        .unwrap();
    let read = client.get_page(&page.id).unwrap();
    assert_eq!(read.attributes.body.as_deref(), Some(body));
    // An object body (what a careless client sends) is silently dropped.
    let response = raw_agent()
        .patch(format!("{}pages/{}", server.base_url(), page.id))
        .header("X-Auth-Token", server.token())
        .header("X-Organization-Id", server.org_id())
        .header("Content-Type", "application/vnd.api+json")
        .send(format!(r#"{{"data":{{"type":"pages","id":"{}","attributes":{{"body":{{"type":"doc","content":[]}}}}}}}}"#, page.id))
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(server.pages()[0].body, body);
}

#[test]
fn pagination_reads_every_page() {
    let server = server();
    let root = server.insert_page("Root", Some("7"), None);
    for i in 0..45 {
        server.insert_page(&format!("p{i}"), None, Some(root));
    }
    server.insert_page("Other", Some("8"), None);
    let client = Client::new(server.client_config(Limits::default()));
    let filter = PageFilter {
        parent_page_id: Some(root.to_string()),
        ..Default::default()
    };
    let pages = client.list_pages_sized(&filter, 10).unwrap();
    assert_eq!(pages.len(), 45);
    let gets = server
        .log()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "pages")
        .count();
    assert_eq!(gets, 5);
    let project = PageFilter {
        project_id: Some("7".into()),
        ..Default::default()
    };
    // Subpages carry no project, as on the real API: the filter finds the Doc only.
    assert_eq!(client.list_pages(&project).unwrap().len(), 1);
    let query = PageFilter {
        root_page_id: Some(root.to_string()),
        query: Some("P4".into()),
        ..Default::default()
    };
    let found: Vec<String> = client
        .list_pages(&query)
        .unwrap()
        .into_iter()
        .map(|p| p.attributes.title)
        .collect();
    assert_eq!(found.len(), 6, "{found:?}"); // p4, p40..p44
}

fn short_limits(short: usize, long: usize) -> Limits {
    Limits {
        short: Window {
            max: short,
            length: Duration::from_millis(400),
        },
        long: Window {
            max: long,
            length: Duration::from_millis(1500),
        },
    }
}

#[test]
fn client_alone_never_draws_a_429() {
    let limits = short_limits(10, 25);
    let server = FakeServer::start(FakeOptions {
        limits,
        ..Default::default()
    })
    .unwrap();
    let client = Client::new(server.client_config(limits));
    // Four threads share one client (and so one limiter).
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let client = client.clone();
            scope.spawn(move || {
                for _ in 0..10 {
                    client.get_page("1").unwrap_err();
                }
            });
        }
    });
    let log = server.log();
    assert_eq!(log.len(), 40);
    assert!(log.iter().all(|r| r.status == 404), "{log:?}");
}

#[test]
fn a_second_client_draws_429s_which_are_retried() {
    let limits = short_limits(5, 1000);
    let server = FakeServer::start(FakeOptions {
        limits,
        ..Default::default()
    })
    .unwrap();
    // Both clients think they have the whole window.
    let a = Client::new(server.client_config(limits));
    let b = Client::new(server.client_config(limits));
    std::thread::scope(|scope| {
        for client in [&a, &b] {
            scope.spawn(move || {
                for _ in 0..6 {
                    assert_eq!(client.get_page("1").unwrap_err().status(), Some(404));
                }
            });
        }
    });
    let log = server.log();
    assert!(log.iter().any(|r| r.status == 429));
    assert_eq!(log.iter().filter(|r| r.status == 404).count(), 12);
}

#[test]
fn transient_failures_are_retried() {
    let server = server();
    let client = Client::new(server.client_config(Limits::default()));
    let root = server.insert_page("Root", Some("7"), None);
    server.set_faults(Faults {
        server_errors: 0.3,
        drops: 0.2,
        ..Default::default()
    });
    for _ in 0..30 {
        let page = client.get_page(&root.to_string()).unwrap();
        assert_eq!(page.title(), "Root");
    }
    let log = server.log();
    assert!(log.iter().any(|r| r.status == 0));
    assert!(log.iter().any(|r| r.status >= 502));
}

#[test]
fn an_uncertain_create_is_reported_not_repeated() {
    let server = server();
    let client = Client::new(server.client_config(Limits::default()));
    server.set_faults(Faults {
        lost_replies: 1.0,
        ..Default::default()
    });
    let error = client
        .create_with_markdown("t", "x", &Placement::Project("7".into()))
        .unwrap_err();
    assert!(error.is_uncertain(), "{error}");
    assert_eq!(server.pages().len(), 1);
    assert_eq!(server.log().len(), 1);
}

#[test]
fn request_budget_stops_the_client() {
    let server = server();
    let client = Client::new(server.client_config(Limits::default())).with_request_budget(2);
    client.get_page("1").unwrap_err();
    client.get_page("1").unwrap_err();
    assert!(matches!(client.get_page("1"), Err(Error::BudgetSpent)));
    assert_eq!(server.log().len(), 2);
}

/// Issue 15, trust: a wait of a second or more that the client's own window imposes is told
/// (so that a long run can log it); shorter ones are not.
#[test]
fn long_rate_limit_waits_are_told() {
    let limits = Limits {
        short: Window {
            max: 2,
            length: Duration::from_millis(1100),
        },
        long: Window {
            max: 1000,
            length: Duration::from_secs(60),
        },
    };
    let server = server();
    let told = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = {
        let told = std::sync::Arc::clone(&told);
        Client::new(server.client_config(limits))
            .with_wait_notice(move |wait| told.lock().unwrap().push(wait))
    };
    for _ in 0..3 {
        client.get_page("1").unwrap_err();
    }
    let told = told.lock().unwrap();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0] >= Duration::from_secs(1));
}
