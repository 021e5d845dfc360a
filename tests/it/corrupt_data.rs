//! The committed suite of corrupt data sets (`tests/fixtures/corrupt/`):
//! each is refused by the full validation, by `contactline serve` at
//! start-up, and by a reload, after which the old data keeps serving and
//! `/readyz` and `/metrics` show the failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{client, config, fixture_dir, TestServer};

fn corrupt_cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corrupt");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("the corrupt suite")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn copy_files(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

/// The fixture data with the case's files laid over it.
fn corrupt_copy(case: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_files(&fixture_dir(), dir.path());
    copy_files(case, dir.path());
    dir
}

fn name(case: &Path) -> String {
    case.file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_suite_has_every_documented_case() {
    assert_eq!(corrupt_cases().len(), 13);
}

#[test]
fn every_corrupt_data_set_is_refused_at_start_up() {
    for case in corrupt_cases() {
        let dir = corrupt_copy(&case);
        let out = Command::new(env!("CARGO_BIN_EXE_contactline"))
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(dir.path())
            .output()
            .expect("run contactline serve");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", name(&case));
        assert!(
            stderr.contains("error: loading"),
            "{}: {stderr}",
            name(&case)
        );
    }
}

#[test]
fn a_curated_layer_states_its_accuracy_and_a_derived_one_leaves_it_to_the_data() {
    for (case, reason) in [
        (
            "negative-layer-accuracy",
            "layer 'roads': accuracy_m must be a non-negative number of metres, not -200",
        ),
        (
            "derived-layer-states-its-accuracy",
            "layer 'zone' is derived: leave out accuracy_m",
        ),
    ] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corrupt");
        let dir = corrupt_copy(&root.join(case));
        let out = Command::new(env!("CARGO_BIN_EXE_contactline"))
            .arg("validate")
            .arg(dir.path())
            .output()
            .expect("run contactline validate");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "{case}: {text}");
        assert!(text.contains(reason), "{case}: {text}");
    }
}

#[tokio::test]
async fn every_corrupt_data_set_is_refused_on_reload_and_the_old_data_keeps_serving() {
    let live = tempfile::tempdir().expect("temp dir");
    copy_files(&fixture_dir(), live.path());
    let s = TestServer::start(config(live.path())).await;
    let version = s.state.data.load().version.clone();
    let cases = corrupt_cases();
    for case in &cases {
        copy_files(&fixture_dir(), live.path());
        copy_files(case, live.path());
        let err = contactline::reload::reload(&s.state).await;
        assert!(err.is_err(), "{} was accepted", name(case));
        assert_eq!(s.state.data.load().version, version, "{}", name(case));
        let ready = s.get_json("/readyz").await;
        assert_eq!(ready["status"], "ready", "{}", name(case));
        assert_eq!(ready["dataset_version"], version.as_str());
        assert_eq!(ready["last_reload"]["ok"], false, "{}", name(case));
        let problems = ready["last_reload"]["problems"]
            .as_array()
            .expect("problems");
        assert!(!problems.is_empty(), "{}", name(case));
    }
    let text = client()
        .get(s.url("/metrics"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("text");
    let failed = format!(
        "contactline_reloads_total{{outcome=\"failed\"}} {}",
        cases.len()
    );
    assert!(
        text.lines().any(|l| l == failed),
        "missing `{failed}` in:\n{text}"
    );
    // Mended, it reloads (the same bytes, so the same version).
    copy_files(&fixture_dir(), live.path());
    assert_eq!(
        contactline::reload::reload(&s.state)
            .await
            .expect("valid again"),
        version
    );
}

#[tokio::test]
async fn a_watched_data_directory_reloads_after_a_change_and_refuses_a_corrupt_one() {
    let live = tempfile::tempdir().expect("temp dir");
    copy_files(&fixture_dir(), live.path());
    let s = TestServer::start(contactline::config::Config {
        watch_data: true,
        ..config(live.path())
    })
    .await;
    let before = s.state.data.load().version.clone();
    let incidents = live.path().join("incidents.geojson");
    let original = std::fs::read_to_string(&incidents).expect("read");
    // The watcher starts with the server task; writing again until the
    // reload shows does not depend on which runs first.
    let changed = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        let mut n = 0;
        while s.state.data.load().version == before {
            n += 1;
            let text = original.replace("A one-day incident", &format!("One day ({n})"));
            std::fs::write(&incidents, text).expect("write");
            tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        }
    })
    .await;
    assert!(changed.is_ok(), "the change was not reloaded");
    let after = s.state.data.load().version.clone();
    // A corrupt file: the watched reload runs, fails, and keeps the data.
    std::fs::write(live.path().join("settlements.geojson"), "{ not geojson").expect("write");
    let refused = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        loop {
            if s.state.health.status().last_reload.is_some_and(|a| !a.ok) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(refused.is_ok(), "the corrupt change was not tried");
    assert_eq!(s.state.data.load().version, after);
}
