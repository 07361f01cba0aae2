//! `report.html` rendered in a real browser: Debian's chromium, headless.
//!
//! The page has no script, so any console message is a defect; the test also
//! checks that the browser's DOM keeps every heading and inline SVG of the
//! file (an unescaped `<` in a chart would make the parser drop elements), and
//! keeps a screenshot as an artifact at `target/test-artifacts/report.png`
//! to look at after `make test`.
//!
//! chromium is installed by `make test` (scripts/setup-browser.sh); without it
//! the test fails with that command rather than being skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{fixture, framelens, tempdir};

const CHROMIUM: &str = "/usr/bin/chromium";

/// How long one chromium run may take before the test gives up.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The headings report.html has for an input with frames and dates.
const HEADINGS: [&str; 9] = [
    "<h1>framelens report</h1>",
    "<h2>Corpus</h2>",
    "<h2>Labels by group</h2>",
    "<h2>Frames by group</h2>",
    "<h2>Comparisons</h2>",
    "<h2>Timeline</h2>",
    "<h2>Speakers and source types</h2>",
    "<h2>Example sentences</h2>",
    "<h2>Methods</h2>",
];

/// Where the screenshot is kept: `target/test-artifacts/` of this build.
fn artifacts_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target dir>/tmp`, wherever CARGO_TARGET_DIR points.
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("test-artifacts")
}

/// Runs headless chromium on `page` with `extra` arguments, in a fresh profile.
fn chromium(profile: &Path, page: &Path, extra: &[String]) -> Output {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} not found: run `make test` (it installs chromium via scripts/setup-browser.sh)"
    );
    let url = format!("file://{}", page.display());
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{CHROMIUM} does not start: {e}"));
    // Read both pipes on threads so a chatty browser cannot block on a full pipe.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).map(|_| v)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).map(|_| v)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: out.join().unwrap().expect("chromium stdout"),
        stderr: err.join().unwrap().expect("chromium stderr"),
    }
}

fn assert_ok(what: &str, o: &Output) {
    assert!(
        o.status.success(),
        "{what}: exit {:?}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Console messages and uncaught exceptions in chromium's log. The page has no
/// script, so every one is a defect. (chromium logs `console.error` as
/// `INFO:CONSOLE`, hence any level.)
fn console_messages(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .map(String::from)
        .collect()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "not a PNG"
    );
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn report_html_renders_in_chromium() {
    let dir = tempdir("report-browser");
    let out = dir.join("report");
    let o = framelens()
        .arg("report")
        .arg(fixture("report/basic.csv"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run framelens");
    assert_ok("framelens report", &o);
    let page = out.join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();

    // 1. The screenshot: rendered without console errors, kept as an artifact.
    let shot = dir.join("report.png");
    let o = chromium(
        &dir.join("profile-screenshot"),
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2400".into(),
        ],
    );
    assert_ok("chromium --screenshot", &o);
    let console = console_messages(&o.stderr);
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );
    let png =
        std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", shot.display()));
    // A blank 1280×2400 page compresses to a few KB; text and charts do not.
    assert!(png.len() > 20_000, "screenshot is only {} bytes", png.len());
    assert_eq!(png_size(&png), (1280, 2400));
    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::write(artifacts.join("report.png"), &png).unwrap();

    // 2. The DOM after parsing and layout keeps every heading and chart.
    let o = chromium(&dir.join("profile-dom"), &page, &["--dump-dom".into()]);
    assert_ok("chromium --dump-dom", &o);
    let console = console_messages(&o.stderr);
    assert!(
        console.is_empty(),
        "console messages:\n{}",
        console.join("\n")
    );
    let dom = String::from_utf8_lossy(&o.stdout);
    for h in HEADINGS {
        assert!(dom.contains(h), "rendered DOM has no {h}");
    }
    // basic.csv has frames and dates: the label chart, the frame heatmap and
    // one timeline per label. Every SVG and SVG text of the file survives parsing.
    let svgs = dom.matches("<svg").count();
    assert!(svgs >= 5, "{svgs} <svg> elements in the rendered DOM");
    assert_eq!(svgs, html.matches("<svg").count(), "<svg> elements lost");
    assert_eq!(
        dom.matches("<text").count(),
        html.matches("<text").count(),
        "SVG <text> elements lost"
    );
    // Names and sentences of the fixture reach the page as text.
    assert!(dom.contains("Victoire à Kidal"));
    assert!(dom.contains("l'armée"), "escaped apostrophe not decoded");

    let _ = std::fs::remove_dir_all(&dir);
}
