//! Medians, timing of closures and of child processes (with their peak
//! memory), and how durations are printed, shared by every section.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The median of `samples` (the mean of the middle two for an even count).
pub fn median(samples: &[Duration]) -> Duration {
    assert!(!samples.is_empty(), "a median needs samples");
    let mut sorted = samples.to_vec();
    sorted.sort();
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// Runs `work`, returning its result and how long it took.
pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let result = work();
    (result, start.elapsed())
}

/// `a / b` as a plain number.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// A duration in the unit that suits it.
pub fn show(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

/// How a child process ended, how long it ran and its peak resident memory.
pub struct ChildRun {
    pub success: bool,
    pub wall: Duration,
    /// Peak resident set size in bytes (`ru_maxrss`), where the OS reports it.
    pub peak_memory: Option<u64>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` to its end, capturing its output, and measures it. Its
/// peak memory comes from `wait4`, which reports it for that child alone.
pub fn run_child(command: &mut Command) -> std::io::Result<ChildRun> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    forget_own_peak();
    let start = Instant::now();
    let mut child = command.spawn()?;
    // Pipes are drained on threads so a chatty child cannot block on a full pipe.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let (success, peak_memory) = wait(&mut child)?;
    let wall = start.elapsed();
    Ok(ChildRun {
        success,
        wall,
        peak_memory,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

fn drain(pipe: Option<impl std::io::Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut text);
        }
        String::from_utf8_lossy(&text).into_owned()
    })
}

#[cfg(unix)]
fn wait(child: &mut std::process::Child) -> std::io::Result<(bool, Option<u64>)> {
    let pid = libc::pid_t::try_from(child.id()).expect("a pid fits pid_t");
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; an all-zero value is valid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; both pointers are valid for writes.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // Linux reports kibibytes; macOS reports bytes.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    let peak = u64::try_from(usage.ru_maxrss).ok().map(|peak| peak * unit);
    Ok((success, peak))
}

#[cfg(not(unix))]
fn wait(child: &mut std::process::Child) -> std::io::Result<(bool, Option<u64>)> {
    Ok((child.wait()?.success(), None))
}

/// Linux starts a child's `ru_maxrss` at the parent's peak (the child shares
/// or copies the parent's memory until `exec`), so a parent that once held a
/// big spec would hide a small child's peak. Resetting our own high-water
/// mark to our current size first leaves only that size as a floor, which
/// [`own_resident_memory`] reports.
fn forget_own_peak() {
    if cfg!(target_os = "linux") {
        // Best effort: without it (kernels before 4.0) the floor is our peak.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
}

/// This process's resident memory now, in bytes, where `/proc` says.
pub fn own_resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Bytes as mebibytes.
pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The first `lines` lines of `text` that say something, for quoting an error.
pub fn first_lines(text: &str, lines: usize) -> String {
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty())
        .take(lines)
        .collect::<Vec<_>>()
        .join("\n        ")
}
