//! sendCommand and the command log.

use plaspy_sandbox::SandboxConfig;
use serde_json::{Value, json};

use crate::common::{Client, start};

#[test]
fn commands_are_validated_recorded_and_inspectable() {
    let sandbox = start(SandboxConfig::default());
    let client = Client::demo(&sandbox);
    let send =
        |id: &str, body: Value| client.post(&format!("/api/devices/{id}/sendCommand"), &body);

    let text = send("dev-01", json!({"command": "engineStop"}));
    assert_eq!(text.status, 200);
    assert_eq!(
        text.json()["result"],
        "Command queued for delivery over GPRS"
    );
    assert_eq!(
        send("dev-01", json!({"command": "01 a0-FF", "format": "Hex"})).status,
        200
    );
    assert_eq!(
        send(
            "dev-02",
            json!({"command": "aGk=", "format": "Base64", "sms": false})
        )
        .status,
        200
    );
    let sms = send("dev-02", json!({"command": "status", "sms": true}));
    assert_eq!(sms.status, 200);
    assert!(sms.json()["result"].as_str().unwrap().contains("SMS"));

    for bad in [
        json!({"command": "0g", "format": "Hex"}),
        json!({"command": "abc", "format": "Hex"}),
        json!({"command": "a?b", "format": "Base64"}),
        json!({"command": "  "}),
        json!({"command": "x", "format": "Binary"}),
        json!({"format": "Text"}),
    ] {
        let reply = send("dev-01", bad.clone());
        assert_eq!(reply.status, 400, "{bad}: {}", reply.body);
    }
    // dev-06 has no SIM number.
    let no_min = send("dev-06", json!({"command": "status", "sms": true}));
    assert_eq!(no_min.status, 400);
    assert!(no_min.error().contains("SIM"));
    assert_eq!(send("dev-06", json!({"command": "status"})).status, 200);
    let text_plain = client.send(
        "POST",
        "/api/devices/dev-01/sendCommand",
        Some(("text/plain", b"{\"command\":\"x\"}".to_vec())),
    );
    assert_eq!(text_plain.status, 415);

    let inspect = Client::new(&sandbox);
    let dev1 = inspect.get("/_sandbox/commands/dev-01").json();
    let dev1 = dev1["commands"].as_array().unwrap();
    assert_eq!(dev1.len(), 2);
    assert_eq!(dev1[0]["command"], "engineStop");
    assert_eq!(dev1[0]["format"], "Text");
    assert_eq!(dev1[1]["payloadHex"], "01a0ff");
    assert_eq!(dev1[1]["deviceId"], "dev-01");
    let all = inspect.get("/_sandbox/commands").json();
    assert_eq!(all["commands"].as_array().unwrap().len(), 5);
    assert_eq!(all["commands"][3]["sms"], true);
    assert_eq!(
        inspect.get("/_sandbox/commands?account=other").json()["commands"],
        json!([])
    );
    assert_eq!(sandbox.control().device_commands("dev-02").len(), 2);
    assert_eq!(inspect.delete("/_sandbox/commands").json()["cleared"], 5);
    assert!(sandbox.control().commands().is_empty());
}
