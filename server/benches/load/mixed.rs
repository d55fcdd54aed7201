//! The mixed-load figure: the release binary in its own process, driven at a
//! fixed request rate for 30 s with gallery pages, image details and
//! generations on the offline engine, the way a busy instance is used.
//!
//! Requests are sent on a schedule, not in a closed loop, and each latency
//! counts from when the request was due: a slow answer cannot hide the
//! requests it delayed.

use std::{
    path::Path,
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use promptcanvas::{Application, settings::Config, store::metadata::User};
use time::OffsetDateTime;

/// Requests per second across all kinds.
const RATE: u32 = 1000;
const SECONDS: u32 = 30;
/// Signed-in people sharing the load; with 2 generations/s each makes 6 a
/// minute, inside the default limit of 10.
const USERS: usize = 20;
const IMAGES_PER_USER: usize = 50;

pub struct MixedLoad {
    pub throughput: f64,
    pub read_p50_ms: f64,
    pub read_p99_ms: f64,
    pub generation_p50_ms: f64,
    pub generation_p99_ms: f64,
    /// Share of answers that were neither success nor 429, in percent.
    pub error_rate: f64,
    pub server_errors: usize,
    pub rate_limited: usize,
    pub peak_rss_mb: f64,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Gallery,
    Detail,
    Generation,
}

/// Which request the n-th slot of the schedule sends: 2 generations a
/// second, a quarter of the rest image details, the others gallery pages.
fn kind_of(slot: u64) -> Kind {
    if slot.is_multiple_of(u64::from(RATE / 2)) {
        Kind::Generation
    } else if slot % 4 == 1 {
        Kind::Detail
    } else {
        Kind::Gallery
    }
}

struct Person {
    cookie: String,
    image_ids: Vec<String>,
}

#[derive(Default)]
struct Tally {
    reads: Vec<f64>,
    generations: Vec<f64>,
    ok: usize,
    rate_limited: usize,
    server_errors: usize,
    other_errors: usize,
}

pub async fn run(binary: &Path) -> anyhow::Result<MixedLoad> {
    let data = tempfile::tempdir()?;
    let people = seed(data.path()).await?;
    let port = super::free_port()?;
    let mut child = Command::new(binary)
        .arg("serve")
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("DATA_DIR", data.path())
        .env("RUST_LOG", "error")
        // The load comes from one address: keep the per-IP limiter on, above the rate.
        .env("RATE_LIMIT_REQUESTS_PER_SECOND", (RATE * 2).to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let result = drive(port, &people).await;
    let peak_rss_mb = peak_rss_mb(child.id());
    child.kill()?;
    child.wait()?;
    let tally = result?;
    let total = tally.ok + tally.rate_limited + tally.server_errors + tally.other_errors;
    Ok(MixedLoad {
        throughput: total as f64 / f64::from(SECONDS),
        read_p50_ms: percentile(&tally.reads, 0.50),
        read_p99_ms: percentile(&tally.reads, 0.99),
        generation_p50_ms: percentile(&tally.generations, 0.50),
        generation_p99_ms: percentile(&tally.generations, 0.99),
        error_rate: 100.0 * (tally.server_errors + tally.other_errors) as f64 / total.max(1) as f64,
        server_errors: tally.server_errors,
        rate_limited: tally.rate_limited,
        peak_rss_mb: peak_rss_mb?,
    })
}

/// People with sessions and galleries, written through the server's own store
/// before the server starts.
async fn seed(data: &Path) -> anyhow::Result<Vec<Person>> {
    let app = Application::build(Config::for_data_dir(data)).await?;
    let state = app.state().clone();
    let mut people = Vec::new();
    for index in 0..USERS {
        let user = User {
            id: ulid::Ulid::new().to_string(),
            email: format!("load{index}@example.com"),
            display_name: None,
            created_at: OffsetDateTime::now_utc(),
        };
        state.metadata.create_user(&user, Some("unused")).await?;
        let image_ids =
            super::seed_gallery(state.metadata.as_ref(), &user, IMAGES_PER_USER).await?;
        let token = super::new_session(state.metadata.as_ref(), &user).await?;
        people.push(Person {
            cookie: format!("pc_session={token}"),
            image_ids,
        });
    }
    Ok(people)
}

async fn drive(port: u16, people: &[Person]) -> anyhow::Result<Tally> {
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while client
        .get(format!("{base}/api/health"))
        .send()
        .await
        .is_err()
    {
        anyhow::ensure!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let tally = Arc::new(Mutex::new(Tally::default()));
    let interval = Duration::from_secs(1) / RATE;
    let started = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity((RATE * SECONDS) as usize);
    for slot in 0..u64::from(RATE * SECONDS) {
        let due = started + interval * slot as u32;
        tokio::time::sleep_until(due).await;
        let kind = kind_of(slot);
        // Generations take turns among people, so each stays within its own limit.
        let turn = match kind {
            Kind::Generation => slot / u64::from(RATE / 2),
            _ => slot,
        };
        let person = &people[turn as usize % people.len()];
        let request = match kind {
            Kind::Gallery => client.get(format!("{base}/api/images?limit=24")),
            Kind::Detail => {
                let id = &person.image_ids[(slot / 7) as usize % person.image_ids.len()];
                client.get(format!("{base}/api/images/{id}"))
            }
            Kind::Generation => client
                .post(format!("{base}/api/generations"))
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"prompt":"{} #{slot}","width":1024,"height":1024}}"#,
                    super::PROMPT
                )),
        }
        .header("cookie", &person.cookie);
        let tally = tally.clone();
        tasks.push(tokio::spawn(async move {
            let outcome = request.send().await;
            let elapsed = due.elapsed().as_secs_f64() * 1000.0;
            let status = match outcome {
                Ok(response) => {
                    let status = response.status().as_u16();
                    // Read the body: the answer is only complete once it has arrived.
                    let _ = response.bytes().await;
                    status
                }
                Err(_) => 599,
            };
            let mut tally = tally
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match status {
                200..=299 => tally.ok += 1,
                429 => tally.rate_limited += 1,
                500.. => tally.server_errors += 1,
                _ => tally.other_errors += 1,
            }
            if kind == Kind::Generation {
                tally.generations.push(elapsed);
            } else {
                tally.reads.push(elapsed);
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let tally = std::mem::take(&mut *tally.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(tally)
}

fn percentile(samples: &[f64], fraction: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let index = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

/// The process's peak resident set (`VmHWM`), in MB.
fn peak_rss_mb(pid: u32) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kilobytes: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmHWM in /proc/{pid}/status"))?;
    Ok(kilobytes / 1024.0)
}
