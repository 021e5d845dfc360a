//! `contactline serve` as a process: SIGTERM with a stalled client and an
//! idle keep-alive connection open still ends the process, within the grace
//! period plus the time to close.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::fixture_dir;

/// Longest the test waits for the process at any step.
const BOUND: Duration = Duration::from_secs(30);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn wait_exit(child: &mut Child) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < BOUND {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn sigterm_ends_the_server_with_a_stalled_and_an_idle_client_open() {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_contactline"))
        .args(["serve", "--addr", &addr, "--shutdown-grace-secs", "1"])
        // Long header timeout: only the shutdown may end the stalled client.
        .args(["--header-timeout-secs", "600", "--data"])
        .arg(fixture_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start contactline serve");
    let start = Instant::now();
    let mut idle = loop {
        if let Ok(s) = TcpStream::connect(&addr) {
            break s;
        }
        assert!(start.elapsed() < BOUND, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    };
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    let mut buf = [0u8; 512];
    let n = idle.read(&mut buf).expect("read");
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    let mut stalled = TcpStream::connect(&addr).expect("connect");
    stalled
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .expect("write half a head");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = wait_exit(&mut child);
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    assert_eq!(status.map(|s| s.success()), Some(true), "exited cleanly");
    drop(stalled);
}
