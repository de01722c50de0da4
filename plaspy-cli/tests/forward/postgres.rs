//! PostgreSQL: a watcher killed with -9 mid-stream and restarted 30 sandbox minutes
//! later leaves every fix of the span in `plaspy_positions` exactly once.

use crate::servers::{PASSWORD, Postgres};
use crate::watcher::{DEVICES, Env, bare, wait_for};

fn count(pg: &Postgres) -> usize {
    pg.query("SELECT count(*) FROM plaspy_positions")
        .first()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn tables_exist(pg: &Postgres) -> bool {
    pg.query("SELECT count(*) FROM pg_tables WHERE tablename = 'plaspy_positions'") == ["1"]
}

#[test]
fn a_watcher_killed_and_restarted_stores_every_fix_exactly_once() {
    let pg = Postgres::start();
    let env = Env::at_t0();
    env.advance(3600);
    let url = pg.url();

    let first = env.watch(&["--to", &url]);
    wait_for("the first rows in PostgreSQL", || {
        tables_exist(&pg) && count(&pg) > 0
    });
    first.kill9();
    let after_kill = count(&pg);

    env.advance(1800);
    let expected: Vec<(String, Vec<serde_json::Value>)> = DEVICES
        .iter()
        .map(|id| ((*id).to_owned(), env.fixes(id)))
        .collect();
    let total: usize = expected.iter().map(|(_, f)| f.len()).sum();
    assert!(
        total > after_kill,
        "the restart has fixes to deliver: {total} in the span, {after_kill} stored"
    );

    let second = env.watch(&["--to", &url]);
    wait_for("every fix of the span in PostgreSQL", || {
        count(&pg) >= total
    });
    let (ok, stderr) = second.terminate();
    assert!(ok, "SIGTERM ends the watch with exit 0: {stderr}");
    assert!(!stderr.contains(PASSWORD), "the password leaked: {stderr}");

    for (id, fixes) in expected {
        let stored: Vec<serde_json::Value> = pg
            .query(&format!(
                "SELECT fix::text FROM plaspy_positions WHERE device_id = '{id}' \
                 ORDER BY date_time, seq"
            ))
            .iter()
            .map(|row| bare(serde_json::from_str(row).unwrap()))
            .collect();
        let fixes: Vec<_> = fixes.into_iter().map(bare).collect();
        assert_eq!(
            stored.len(),
            fixes.len(),
            "device {id}: stored vs in the span"
        );
        assert_eq!(stored, fixes, "device {id}");
    }
    assert_eq!(count(&pg), total, "nothing else, nothing twice");
    assert_eq!(
        pg.query("SELECT feed_name FROM plaspy_feed_cursor"),
        ["default"],
        "the cursor is in the database under the default feed name"
    );
}

#[test]
fn two_watchers_with_their_own_feed_names_share_one_database() {
    let pg = Postgres::start();
    let env = Env::at_t0();
    env.advance(3600);
    let url = pg.url();
    let (north, south) = (&DEVICES[..1], &DEVICES[1..]);
    let a = env.watch_devices(north, &["--to", &url, "--feed-name", "north"]);
    let b = env.watch_devices(south, &["--to", &url, "--feed-name", "south"]);
    let total: usize = DEVICES.iter().map(|id| env.fixes(id).len()).sum();
    wait_for("both watchers' fixes in PostgreSQL", || {
        tables_exist(&pg) && count(&pg) >= total
    });
    for watch in [a, b] {
        let (ok, stderr) = watch.terminate();
        assert!(ok, "{stderr}");
    }
    assert_eq!(count(&pg), total, "every fix once");
    assert_eq!(
        pg.query("SELECT feed_name FROM plaspy_feed_cursor ORDER BY 1"),
        ["north", "south"],
        "one cursor per feed name"
    );
}
