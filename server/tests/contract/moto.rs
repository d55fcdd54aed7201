//! One local AWS-compatible server (moto, from the project's `.venv`) per test
//! binary, on a free loopback port. The AWS suites talk to it with the real
//! SDKs over the real wire protocol. It stops when the test binary exits: a
//! shell holds it and kills it once our end of its stdin closes.

use std::{
    io::Read,
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{Mutex, OnceLock},
    time::{Duration, Instant},
};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

pub const REGION: &str = "us-east-1";

pub struct Moto {
    pub endpoint: String,
    _process: Mutex<Child>,
}

/// The shared server, started on first use.
pub fn moto() -> &'static Moto {
    static MOTO: OnceLock<Moto> = OnceLock::new();
    MOTO.get_or_init(start)
}

/// moto behind a launcher that gives DynamoDB requests the real service's
/// atomicity (see `tools/moto_atomic.py`).
fn moto_command() -> (PathBuf, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    (
        root.join(".venv/bin/python"),
        root.join("tools/moto_atomic.py"),
    )
}

fn start() -> Moto {
    let (python, launcher) = moto_command();
    assert!(
        python.exists(),
        "{} not found: run `make venv` (it installs moto[server] from \
         requirements-dev.txt into .venv)",
        python.display()
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" "$1" -H 127.0.0.1 -p "$2" >"$3" 2>&1 & pid=$!; cat >/dev/null; kill $pid"#)
        .arg(&python)
        .arg(&launcher)
        .arg(port.to_string())
        .arg(std::env::temp_dir().join(format!("moto-{port}.log")))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let endpoint = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Write;
            let _ = stream.write_all(b"GET /moto-api/ HTTP/1.0\r\n\r\n");
            let mut buffer = [0u8; 12];
            if stream.read_exact(&mut buffer).is_ok() && buffer.starts_with(b"HTTP/1") {
                break;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("moto_server exited at start ({status}); see its log in the temp folder");
        }
        assert!(
            Instant::now() < deadline,
            "moto_server did not answer on {endpoint} within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Moto {
        endpoint,
        _process: Mutex::new(child),
    }
}

/// Tests that use moto take turns. moto undoes a failed transaction by
/// restoring a snapshot of every table, which would also undo writes another
/// test made meanwhile (DynamoDB itself has no such effect); concurrency
/// *within* a test (racing signups, claims, reservations) is still exercised.
pub async fn take_turn() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

/// SDK settings for the local server: dummy credentials exist only here.
pub async fn sdk_config() -> SdkConfig {
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(&moto().endpoint)
        .load()
        .await
}

/// A name no other test uses, for tables and buckets.
pub fn unique_name(prefix: &str) -> String {
    format!("{prefix}-{}", ulid::Ulid::new().to_string().to_lowercase())
}
