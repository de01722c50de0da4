//! What happens when stdin is a real terminal (a pseudo-terminal): the `send-command`
//! confirmation cannot be spoofed by a device name, and `--api-key -` is not echoed.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use httpmock::Method;
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use serde_json::json;

use crate::common::{INHERITED, text};
use crate::hostile::{Hostile, KEY, assert_inert};

/// How long a test waits for the child's prompt before failing (a guard, not a pace).
const PATIENCE: Duration = Duration::from_secs(60);

/// A pseudo-terminal: the controlling side, and the terminal a child reads as stdin.
fn pty() -> (File, File) {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pty");
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let terminal = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(std::ffi::OsStr::from_bytes(name.as_bytes()))
        .expect("the pty's terminal opens");
    (File::from(master), terminal)
}

/// `plaspy ARGS` against `env`'s server with the pty's terminal as stdin, stdout and
/// stderr piped.
fn spawn(env: &Hostile, args: &[&str], terminal: File) -> Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_plaspy"));
    for var in INHERITED {
        cmd.env_remove(var);
    }
    cmd.env("PLASPY_CONFIG", env.config_path())
        .env("PLASPY_BASE_URL", env.server.base_url())
        .env("PLASPY_USERNAME", "someone")
        .env("PLASPY_API_KEY", KEY)
        .args(args)
        .stdin(Stdio::from(terminal))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().expect("plaspy starts")
}

/// Reads the child's stderr on a thread until `marker` shows; returns a handle to the
/// rest of it.
fn wait_for(child: &mut Child, marker: &'static str) -> std::thread::JoinHandle<Vec<u8>> {
    let mut stderr = child.stderr.take().unwrap();
    let (seen, shown) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 256];
        let mut told = false;
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
            if !told && text(&all).contains(marker) {
                told = true;
                let _ = seen.send(());
            }
        }
        all
    });
    shown
        .recv_timeout(PATIENCE)
        .unwrap_or_else(|_| panic!("no `{marker}` prompt on stderr"));
    reader
}

/// Everything the terminal shows (its echo) once the child has closed it.
fn drain(mut master: File) -> Vec<u8> {
    let mut shown = Vec::new();
    let mut buf = [0u8; 256];
    // Linux reports EIO once no process holds the terminal open any more.
    while let Ok(n) = master.read(&mut buf) {
        if n == 0 {
            break;
        }
        shown.extend_from_slice(&buf[..n]);
    }
    shown
}

#[test]
fn a_device_name_cannot_spoof_the_confirmation() {
    let env = Hostile::new();
    // A name that erases the prompt so far and draws another one in its place.
    let spoof = "\r\x1b[2KSend `status` (Text) over the data link (GPRS) to device d1 (Harmless)";
    env.reply(
        Method::GET,
        "/api/devices/d1",
        200,
        json!({"success": true, "device": {"id": "d1", "name": spoof}}),
    );
    let sent = env.reply(
        Method::POST,
        "/api/devices/d1/sendCommand",
        200,
        json!({"success": true, "result": "sent"}),
    );
    let (mut master, terminal) = pty();
    let mut child = spawn(
        &env,
        &["devices", "send-command", "d1", "engineStop"],
        terminal,
    );
    let stderr = wait_for(&mut child, "[y/N]");
    master.write_all(b"n\n").unwrap();
    let status = child.wait().unwrap();
    let stderr = stderr.join().unwrap();
    let shown = text(&stderr);
    assert_eq!(status.code(), Some(1), "{shown}");
    assert!(shown.contains("cancelled"), "{shown}");
    assert_inert("the prompt", &stderr);
    let prompt = shown.lines().next().unwrap();
    assert!(
        prompt.starts_with("Send `engineStop` (Text) over the data link (GPRS) to device d1 ("),
        "the real command leads the prompt: {prompt:?}"
    );
    assert_eq!(sent.calls(), 0, "nothing was sent");
    drop(master);
}

#[test]
fn an_api_key_read_from_the_terminal_is_not_echoed() {
    let env = Hostile::new();
    let (mut master, terminal) = pty();
    let mut child = spawn(
        &env,
        &["config", "set", "--username", "me", "--api-key", "-"],
        terminal,
    );
    let stderr = wait_for(&mut child, "--api-key");
    master.write_all(b"typed-secret-4242\n").unwrap();
    let status = child.wait().unwrap();
    let stderr = text(&stderr.join().unwrap());
    assert!(status.success(), "{stderr}");
    let echoed = text(&drain(master));
    assert!(
        !echoed.contains("typed-secret"),
        "the terminal echoed the key: {echoed:?}"
    );
    assert!(!stderr.contains("typed-secret"), "{stderr}");
    let saved = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(saved.contains("api_key = \"typed-secret-4242\""), "{saved}");
}
