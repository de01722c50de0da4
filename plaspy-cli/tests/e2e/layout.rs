//! Tables fit the terminal: every list command with `COLUMNS=80` (forced table format, and
//! on a pseudo-terminal), the terminal's own width, display width of CJK and emoji, and
//! colour as the environment asks (`NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `TERM=dumb`).

use std::process::Output;

use plaspy_blocking::Device;
use unicode_width::UnicodeWidthStr;

use crate::common::{Env, assert_success, text};

/// Colour variables of the caller's environment, cleared for every run here.
/// Variables that decide colour and width, cleared so the tests set them. `CI` is one: on
/// a CI runner anstream colours a terminal even with `TERM=dumb` (CI logs render ANSI).
const COLOUR_VARS: &[&str] = &[
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "TERM",
    "COLUMNS",
    "CI",
];

/// Bold, as the CLI writes table headers.
const BOLD: &str = "\x1b[1m";

/// The list commands, with their arguments.
fn list_commands() -> Vec<Vec<String>> {
    let now = chrono::Utc::now();
    let from = (now - chrono::Duration::hours(48)).to_rfc3339();
    let to = now.to_rfc3339();
    let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
    let ranged = |cmd: &str| {
        let mut args = words(cmd);
        args.extend(["--from".into(), from.clone(), "--to".into(), to.clone()]);
        args
    };
    vec![
        words("devices list"),
        words("devices last-location dev-01 dev-02 dev-03"),
        ranged("devices locations dev-05"),
        ranged("devices alerts dev-05"),
        words("fleet"),
        words("groups list"),
        words("users list"),
        words("users countries"),
        words("users time-zones"),
    ]
}

/// `plaspy ARGS` with `vars` set and the colour variables otherwise cleared.
fn run(env: &Env, args: &[String], vars: &[(&str, &str)]) -> Output {
    let mut cmd = env.cmd();
    for var in COLOUR_VARS {
        cmd.env_remove(var);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd.args(args).output().expect("plaspy runs")
}

/// Panics unless every line of `table` is at most `limit` columns wide on a terminal.
fn assert_fits(what: &str, table: &str, limit: usize) {
    assert!(!table.is_empty(), "{what}: no table");
    for line in table.lines() {
        let shown = line.replace(BOLD, "").replace("\x1b[0m", "");
        assert!(
            shown.width() <= limit,
            "{what}: a line of {} columns in {limit}:\n{shown}\n---\n{table}",
            shown.width()
        );
    }
}

#[test]
fn every_list_table_fits_80_columns() {
    let env = Env::new();
    let mut wider = Vec::new();
    for args in list_commands() {
        let mut forced = args.clone();
        forced.extend(["--output".into(), "table".into()]);
        let out = run(&env, &forced, &[("COLUMNS", "80")]);
        let shown: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_success(&out, &shown);
        let table = text(&out.stdout);
        assert_fits(&args.join(" "), &table, 80);
        // One header line, one line per item: nothing wraps.
        let json = run(&env, &args, &[]);
        let items = match serde_json::from_slice::<serde_json::Value>(&json.stdout).unwrap() {
            serde_json::Value::Array(a) => a.len(),
            serde_json::Value::Object(o) => o.len(),
            other => panic!("{args:?}: {other}"),
        };
        assert_eq!(table.lines().count(), items + 1, "{args:?}:\n{table}");

        // Without COLUMNS, into a pipe, nothing limits the width: the same rows, whole.
        let free = text(&run(&env, &forced, &[]).stdout);
        assert_eq!(free.lines().count(), items + 1, "{args:?}:\n{free}");
        if free.lines().any(|l| l.width() > 80) {
            wider.push(args.join(" "));
        }
    }
    // The limit is what made the tables fit, not tables that were narrow anyway.
    assert!(
        wider.len() >= 4,
        "only {wider:?} are wider than 80 unlimited"
    );
}

#[test]
fn columns_are_left_out_from_the_right_and_named_on_stderr() {
    let env = Env::new();
    let args: Vec<String> = ["fleet", "-o", "table"].map(String::from).into();
    let out = run(&env, &args, &[("COLUMNS", "60")]);
    assert_success(&out, &["fleet"]);
    let table = text(&out.stdout);
    assert_fits("fleet", &table, 60);
    let header = table.lines().next().unwrap();
    assert!(header.starts_with("ID"), "{header}");
    assert!(header.contains("LAST FIX (UTC)"), "{header}");
    assert!(!header.contains("ALERTS"), "{header}");
    let devices: Vec<Device> = env.json(&["devices", "list"]);
    for d in &devices {
        assert!(table.contains(d.id()), "{} is never cut:\n{table}", d.id());
    }
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("ALERTS") && stderr.contains("left out to fit 60 columns"),
        "{stderr}"
    );
    // --quiet keeps the note off stderr, not the table off stdout.
    let quiet: Vec<String> = ["fleet", "-o", "table", "-q"].map(String::from).into();
    let out = run(&env, &quiet, &[("COLUMNS", "60")]);
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    // The same table (the ages and the newest fixes may move on between the two runs).
    let quiet_table = text(&out.stdout);
    let ids = |t: &str| -> Vec<String> {
        t.lines()
            .map(|l| l.split_whitespace().next().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(quiet_table.lines().next(), Some(header));
    assert_eq!(ids(&quiet_table), ids(&table));
}

#[test]
fn cjk_and_emoji_are_measured_by_display_width() {
    let env = Env::new();
    let name = "東京配送 🚚 グループ";
    let description = "冷蔵車と配送トラックの全車両、午前と午後の便、東京と横浜の倉庫を結ぶ路線";
    let args = [
        "groups",
        "create",
        "--name",
        name,
        "--description",
        description,
        "-o",
        "json",
    ];
    assert_success(&env.run(&args), &args);
    let list: Vec<String> = ["groups", "list", "-o", "table"].map(String::from).into();
    for limit in [60, 80, 120] {
        let out = run(&env, &list, &[("COLUMNS", &limit.to_string())]);
        let table = text(&out.stdout);
        assert_fits("groups list", &table, limit);
        // Columns line up by display width: DEVICES starts at the same column on every
        // line, the CJK row included.
        let header = table.lines().next().unwrap();
        let at = header.find("DEVICES").map(|b| header[..b].width());
        let row = table
            .lines()
            .find(|l| l.contains("東京"))
            .expect("the CJK row");
        let count_at = row
            .char_indices()
            .map(|(b, _)| b)
            .find(|&b| row[..b].width() == at.unwrap())
            .expect("a character starts at the DEVICES column");
        assert!(
            row[count_at..].starts_with('0'),
            "at {limit}: {row:?} under {header:?}"
        );
        if limit >= 120 {
            assert!(table.contains(name), "{table}");
        }
    }
    // At 60 the long description is cut with an ellipsis, on one line.
    let narrow = text(&run(&env, &list, &[("COLUMNS", "60")]).stdout);
    let row = narrow.lines().find(|l| l.contains("東京")).unwrap();
    assert!(row.contains('…'), "{row}");
}

#[test]
fn colour_follows_the_environment() {
    let env = Env::new();
    let table: Vec<String> = ["groups", "list", "-o", "table"].map(String::from).into();
    // Into a pipe: plain, unless CLICOLOR_FORCE.
    let plain = run(&env, &table, &[]);
    assert!(!text(&plain.stdout).contains('\x1b'));
    let forced = run(&env, &table, &[("CLICOLOR_FORCE", "1")]);
    let stdout = text(&forced.stdout);
    assert!(stdout.starts_with(BOLD), "{stdout:?}");
    assert_eq!(
        stdout.matches('\x1b').count(),
        2,
        "only the header: {stdout:?}"
    );
    // NO_COLOR wins over CLICOLOR_FORCE.
    let no = run(&env, &table, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!text(&no.stdout).contains('\x1b'));
    // JSON and CSV never carry colour.
    for format in ["json", "csv"] {
        let args: Vec<String> = ["groups", "list", "-o", format].map(String::from).into();
        let out = run(&env, &args, &[("CLICOLOR_FORCE", "1")]);
        assert!(!text(&out.stdout).contains('\x1b'), "{format}");
    }
    // The error prefix on stderr, likewise.
    let missing: Vec<String> = ["groups", "get", "no-such-group"].map(String::from).into();
    let out = run(&env, &missing, &[("CLICOLOR_FORCE", "1")]);
    assert!(text(&out.stderr).starts_with("\x1b[1m\x1b[31merror:\x1b[0m "));
    let out = run(&env, &missing, &[]);
    assert!(text(&out.stderr).starts_with("error: "));
}

#[cfg(unix)]
mod terminal {
    //! The same on a pseudo-terminal as stdout.

    use std::fs::File;
    use std::io::Read;
    use std::os::unix::ffi::OsStrExt;
    use std::process::Stdio;

    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    use rustix::termios::{Winsize, tcsetwinsize};

    use super::{BOLD, COLOUR_VARS, assert_fits, list_commands};
    use crate::common::{Env, INHERITED, text};
    use plaspy_sandbox::{DEMO_API_KEY, DEMO_USERNAME};

    /// Runs `plaspy ARGS` with stdout on a fresh pseudo-terminal `cols` wide (0: unset),
    /// and returns what the terminal shows (`\r\n` as `\n`).
    fn on_terminal(env: &Env, args: &[String], cols: u16, vars: &[(&str, &str)]) -> String {
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pty");
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let size = Winsize {
            ws_row: 50,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        tcsetwinsize(&master, size).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let terminal = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(std::ffi::OsStr::from_bytes(name.as_bytes()))
            .expect("the pty's terminal opens");
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_plaspy"));
        for var in INHERITED.iter().chain(COLOUR_VARS) {
            cmd.env_remove(var);
        }
        cmd.env("PLASPY_CONFIG", env.config_path())
            .env("PLASPY_BASE_URL", env.url())
            .env("PLASPY_USERNAME", DEMO_USERNAME)
            .env("PLASPY_API_KEY", DEMO_API_KEY);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let mut child = cmd
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::from(terminal))
            .stderr(Stdio::null())
            .spawn()
            .expect("plaspy starts");
        // The command holds the terminal open until dropped: the read below ends only
        // when the child's side is closed everywhere.
        drop(cmd);
        let mut shown = Vec::new();
        let mut master = File::from(master);
        let mut buf = [0u8; 4096];
        // Linux reports EIO once no process holds the terminal open any more.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            shown.extend_from_slice(&buf[..n]);
        }
        let status = child.wait().unwrap();
        assert!(status.success(), "{args:?} on a terminal: {status}");
        text(&shown).replace("\r\n", "\n")
    }

    #[test]
    fn every_list_table_fits_columns_80_on_a_terminal() {
        let env = Env::new();
        for args in list_commands() {
            // A table by default on a terminal, in bold, within COLUMNS.
            let shown = on_terminal(&env, &args, 200, &[("COLUMNS", "80")]);
            assert!(shown.starts_with(BOLD), "{args:?}: {shown:?}");
            assert_fits(&args.join(" "), &shown, 80);
        }
    }

    #[test]
    fn without_columns_the_terminal_s_width_rules() {
        let env = Env::new();
        let args: Vec<String> = ["fleet".to_owned()].into();
        let shown = on_terminal(&env, &args, 72, &[]);
        assert_fits("fleet", &shown, 72);
        assert!(
            shown.lines().any(|l| l.len() > 60),
            "the width is used: {shown}"
        );
    }

    #[test]
    fn colour_on_a_terminal_unless_told_otherwise() {
        let env = Env::new();
        let args: Vec<String> = ["groups", "list"].map(String::from).into();
        assert!(on_terminal(&env, &args, 100, &[]).starts_with(BOLD));
        for vars in [[("NO_COLOR", "1")], [("CLICOLOR", "0")], [("TERM", "dumb")]] {
            let shown = on_terminal(&env, &args, 100, &vars);
            assert!(!shown.contains('\x1b'), "{vars:?}: {shown:?}");
            assert!(shown.starts_with("ID"), "{vars:?}: {shown:?}");
        }
    }
}
