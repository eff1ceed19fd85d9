//! A JSON-lines file followed as it grows, like `tail -f`.
//!
//! The file is read from its start every time SignalOS starts: the journal knows every message it
//! has seen, so nothing is acted on twice and nothing written while SignalOS was down is lost.

use std::io::SeekFrom;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tracing::{info, warn};

use super::set_link;
use crate::api::RawMessage;
use crate::engine::{EngineHandle, Input, LinkState};
use crate::model::{Millis, now_millis};

/// A line longer than this is not a message: it is skipped, and following goes on.
pub const MAX_LINE: usize = 1 << 20;

/// One line of the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    chat: String,
    id: i64,
    text: String,
    #[serde(default)]
    reply_to: Option<i64>,
    #[serde(default)]
    edit: u32,
    /// When the provider posted it: unix seconds (as Telegram gives it) or an RFC 3339 time.
    #[serde(default)]
    date: Option<Date>,
}

/// The latest a `date` in unix seconds can be: later than this it is no seconds count but
/// milliseconds (year 5138), which would make an old message look new.
const MAX_UNIX_SECS: f64 = 1e11;

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Date {
    Unix(f64),
    Text(String),
}

impl Date {
    fn millis(&self) -> Result<Millis, String> {
        match self {
            Date::Unix(secs) if *secs > MAX_UNIX_SECS => Err(format!(
                "\"date\": {secs} is too large for unix seconds (milliseconds? divide by 1000)"
            )),
            Date::Unix(secs) if *secs >= 0.0 => Ok((secs * 1000.0).round() as Millis),
            Date::Unix(secs) => Err(format!("\"date\": {secs} is not a time in unix seconds")),
            Date::Text(text) => chrono::DateTime::parse_from_rfc3339(text)
                .map(|t| t.timestamp_millis())
                .map_err(|e| {
                    format!(
                        "\"date\": {text:?} is not an RFC 3339 time with its offset, like \"2026-12-06T09:30:00Z\" ({e}); or give unix seconds"
                    )
                }),
        }
    }
}

/// Read one line of the file into a message, or say what is wrong with it.
pub fn parse_line(source: &str, text: &str) -> Result<RawMessage, String> {
    let line: Line = serde_json::from_str(text).map_err(|e| {
        format!(
            "{e}; expected {{\"chat\": \"…\", \"id\": 123, \"text\": \"…\"}} with optional \"reply_to\", \"edit\" and \"date\""
        )
    })?;
    let sent_at = line.date.as_ref().map(Date::millis).transpose()?;
    Ok(RawMessage {
        source: source.to_string(),
        chat: line.chat,
        id: line.id,
        text: line.text,
        reply_to: line.reply_to,
        edit: line.edit,
        received_at: now_millis(),
        sent_at,
        edited_at: None,
    })
}

/// Splits a growing byte stream into complete lines, keeping a partial last line for later.
#[derive(Debug, Default)]
pub struct LineSplitter {
    pending: Vec<u8>,
    /// Lines handed out so far, for error messages.
    pub line_no: u64,
    /// The current line is over [`MAX_LINE`] and is being skipped to its end.
    skipping: bool,
}

/// A complete line, or a line that had to be skipped.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk {
    Line { no: u64, text: String },
    Skipped { no: u64, reason: String },
}

impl LineSplitter {
    /// The complete lines in `bytes` (with what was held from before), in order. The same bytes
    /// give the same lines however they are cut into chunks.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Chunk> {
        let mut out = Vec::new();
        for part in bytes.split_inclusive(|&b| b == b'\n') {
            let complete = part.last() == Some(&b'\n');
            let content = if complete {
                &part[..part.len() - 1]
            } else {
                part
            };
            if !self.skipping {
                if self.pending.len() + content.len() > MAX_LINE {
                    // Dropped as soon as it is too long, so that no more than MAX_LINE bytes are
                    // ever held, however the line arrives.
                    self.pending = Vec::new();
                    self.skipping = true;
                } else {
                    self.pending.extend_from_slice(content);
                }
            }
            if !complete {
                continue;
            }
            self.line_no += 1;
            let no = self.line_no;
            if std::mem::take(&mut self.skipping) {
                out.push(Chunk::Skipped {
                    no,
                    reason: format!("longer than {MAX_LINE} bytes"),
                });
                continue;
            }
            let raw = std::mem::take(&mut self.pending);
            match String::from_utf8(raw) {
                Ok(text) => {
                    let text = text.trim_end_matches('\r').to_string();
                    if !text.trim().is_empty() {
                        out.push(Chunk::Line { no, text });
                    }
                }
                Err(_) => out.push(Chunk::Skipped {
                    no,
                    reason: "not valid UTF-8".into(),
                }),
            }
        }
        out
    }

    /// How many bytes of an unfinished line are held: never more than [`MAX_LINE`].
    pub fn held(&self) -> usize {
        self.pending.len()
    }
}

/// The longest wait between two tries of a file that cannot be read: a broken source is retried
/// quietly, and picked up within this long of being fixed.
const MAX_RETRY: Duration = Duration::from_secs(5);

/// Follow `path` and hand every message to the engine, until the engine stops.
pub async fn follow(name: String, path: PathBuf, poll: Duration, engine: EngineHandle) {
    let link = format!("source:{name}");
    let mut state = None;
    let first_retry = poll.max(Duration::from_millis(200));
    let mut retry = first_retry;
    loop {
        match follow_once(&name, &path, poll, &engine, &link, &mut state).await {
            Ok(Stop::EngineGone) => return,
            Ok(Stop::Reopen) => retry = first_retry,
            Err(e) => {
                // Said once: `set_link` is quiet while the reason stays the same.
                set_link(
                    &engine,
                    &link,
                    &mut state,
                    LinkState::Down,
                    format!("{}: {e}", path.display()),
                )
                .await;
                tokio::time::sleep(retry).await;
                retry = (retry * 2).min(MAX_RETRY);
                continue;
            }
        }
        tokio::time::sleep(retry).await;
    }
}

enum Stop {
    EngineGone,
    Reopen,
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.ino()
}

#[cfg(not(unix))]
fn file_id(_meta: &std::fs::Metadata) -> u64 {
    0
}

async fn follow_once(
    name: &str,
    path: &Path,
    poll: Duration,
    engine: &EngineHandle,
    link: &str,
    last: &mut Option<(LinkState, String)>,
) -> std::io::Result<Stop> {
    let mut file = match tokio::fs::File::open(path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let detail = format!("waiting for {} to exist", path.display());
            return Ok(
                if set_link(engine, link, last, LinkState::Connecting, detail).await {
                    Stop::Reopen
                } else {
                    Stop::EngineGone
                },
            );
        }
        Err(e) => return Err(e),
    };
    let id = file_id(&file.metadata().await?);
    let mut splitter = LineSplitter::default();
    let mut offset: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    // Up only once a read has worked: a path that opens but cannot be read (a directory) would
    // otherwise flap between up and down, and be logged each time.
    let mut up = false;
    loop {
        let n = file.read(&mut buf).await?;
        if !up {
            up = true;
            if !set_link(
                engine,
                link,
                last,
                LinkState::Up,
                format!("following {}", path.display()),
            )
            .await
            {
                return Ok(Stop::EngineGone);
            }
        }
        if n > 0 {
            offset += n as u64;
            for chunk in splitter.push(&buf[..n]) {
                let input = match chunk {
                    Chunk::Line { no, text } => match parse_line(name, &text) {
                        Ok(msg) => Input::Message(msg),
                        Err(e) => {
                            warn!("{}:{no}: line skipped: {e}", path.display());
                            continue;
                        }
                    },
                    Chunk::Skipped { no, reason } => {
                        warn!("{}:{no}: line skipped: {reason}", path.display());
                        continue;
                    }
                };
                if engine.send(input).await.is_err() {
                    return Ok(Stop::EngineGone);
                }
            }
            continue;
        }
        tokio::time::sleep(poll).await;
        // A shorter file was truncated, another inode was rotated in: read the new one from the
        // start (messages already journaled are recognised and skipped).
        match tokio::fs::metadata(path).await {
            Ok(meta) if file_id(&meta) != id || meta.len() < offset => {
                info!(
                    "{}: truncated or replaced; reading it again from the start",
                    path.display()
                );
                return Ok(Stop::Reopen);
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Stop::Reopen),
            Err(e) => return Err(e),
        }
        file.seek(SeekFrom::Start(offset)).await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Link;

    /// The links and messages `follow` hands the engine until `deadline` (on the test's clock).
    async fn inputs_until(
        rx: &mut tokio::sync::mpsc::Receiver<Input>,
        deadline: tokio::time::Instant,
    ) -> Vec<Input> {
        let mut out = Vec::new();
        while let Ok(Some(input)) = tokio::time::timeout_at(deadline, rx.recv()).await {
            out.push(input);
        }
        out
    }

    #[tokio::test(start_paused = true)]
    async fn a_directory_is_reported_once_then_retried_quietly_until_it_is_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inbox.jsonl");
        std::fs::create_dir(&path).unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
        let task = tokio::spawn(follow(
            "inbox".into(),
            path.clone(),
            Duration::from_millis(10),
            EngineHandle::new(tx),
        ));
        let start = tokio::time::Instant::now();
        let links: Vec<Link> = inputs_until(&mut rx, start + Duration::from_secs(60))
            .await
            .into_iter()
            .filter_map(|input| match input {
                Input::Link { link, .. } => Some(link),
                _ => None,
            })
            .collect();
        assert_eq!(links.len(), 1, "a minute of retries: {links:?}");
        assert_eq!(links[0].state, LinkState::Down);
        assert!(links[0].detail.contains("directory"), "{links:?}");

        // Still retried: once the directory is a file, it is followed.
        std::fs::remove_dir(&path).unwrap();
        std::fs::write(&path, "{\"chat\":\"vip\",\"id\":1,\"text\":\"hi\"}\n").unwrap();
        let inputs = inputs_until(&mut rx, start + Duration::from_secs(70)).await;
        assert!(
            matches!(&inputs[0], Input::Link { link, .. } if link.state == LinkState::Up),
            "{inputs:?}"
        );
        assert!(
            matches!(&inputs[1], Input::Message(m) if m.text == "hi"),
            "{inputs:?}"
        );
        task.abort();
    }

    #[test]
    fn splits_lines_across_reads_and_keeps_the_partial_tail() {
        let mut s = LineSplitter::default();
        assert_eq!(
            s.push(b"{\"a\":1}\n{\"b\""),
            vec![Chunk::Line {
                no: 1,
                text: "{\"a\":1}".into()
            }]
        );
        assert_eq!(
            s.push(b":2}\r\n\n"),
            vec![Chunk::Line {
                no: 2,
                text: "{\"b\":2}".into()
            }]
        );
        assert_eq!(s.line_no, 3);
    }

    #[test]
    fn an_oversized_line_is_skipped_and_the_next_one_read() {
        let mut s = LineSplitter::default();
        let big = vec![b'x'; MAX_LINE + 10];
        assert!(s.push(&big).is_empty());
        let out = s.push(b"yyy\nok\n");
        assert!(matches!(&out[0], Chunk::Skipped { no: 1, .. }), "{out:?}");
        assert_eq!(
            out[1],
            Chunk::Line {
                no: 2,
                text: "ok".into()
            }
        );
    }

    #[test]
    fn a_line_just_over_the_limit_is_skipped_however_it_arrives() {
        let mut line = vec![b'x'; MAX_LINE + 1];
        line.push(b'\n');
        let whole = LineSplitter::default().push(&line);
        let mut s = LineSplitter::default();
        let mut cut = s.push(&line[..MAX_LINE + 1]);
        assert!(s.held() <= MAX_LINE, "{} bytes held", s.held());
        cut.extend(s.push(&line[MAX_LINE + 1..]));
        assert_eq!(whole, cut);
        assert!(
            matches!(whole[..], [Chunk::Skipped { no: 1, .. }]),
            "{whole:?}"
        );
        // One byte less is a line.
        let fits = LineSplitter::default().push(&line[1..]);
        assert!(matches!(&fits[..], [Chunk::Line { no: 1, .. }]));
    }

    #[test]
    fn invalid_utf8_is_skipped_with_its_line_number() {
        let mut s = LineSplitter::default();
        let out = s.push(b"\xff\xfe\nfine\n");
        assert_eq!(
            out[0],
            Chunk::Skipped {
                no: 1,
                reason: "not valid UTF-8".into()
            }
        );
        assert_eq!(
            out[1],
            Chunk::Line {
                no: 2,
                text: "fine".into()
            }
        );
    }

    #[test]
    fn parses_a_line_with_optional_fields() {
        let m = parse_line(
            "inbox",
            r#"{"chat":"vip","id":7,"text":"close half","reply_to":5,"edit":1}"#,
        )
        .unwrap();
        assert_eq!(
            (m.chat.as_str(), m.id, m.reply_to, m.edit),
            ("vip", 7, Some(5), 1)
        );
        let m = parse_line("inbox", r#"{"chat":"vip","id":8,"text":"hi"}"#).unwrap();
        assert_eq!((m.reply_to, m.edit, m.sent_at), (None, 0, None));
    }

    #[test]
    fn a_date_is_unix_seconds_or_rfc_3339_with_its_offset() {
        let at = |line: &str| parse_line("inbox", line).map(|m| m.sent_at);
        let utc = Some(1_765_013_400_000);
        assert_eq!(
            at(r#"{"chat":"vip","id":1,"text":"x","date":1765013400}"#),
            Ok(utc)
        );
        assert_eq!(
            at(r#"{"chat":"vip","id":1,"text":"x","date":"2025-12-06T09:30:00Z"}"#),
            Ok(utc)
        );
        assert_eq!(
            at(r#"{"chat":"vip","id":1,"text":"x","date":"2025-12-06T10:30:00+01:00"}"#),
            Ok(utc)
        );
        // A local time without its offset would be guessed: refused, saying what is expected.
        let e = at(r#"{"chat":"vip","id":1,"text":"x","date":"2025-12-06 09:30"}"#).unwrap_err();
        assert!(e.contains("\"date\"") && e.contains("RFC 3339"), "{e}");
        let e = at(r#"{"chat":"vip","id":1,"text":"x","date":-5}"#).unwrap_err();
        assert!(e.contains("unix seconds"), "{e}");
        // Milliseconds would make an hour-old message look new: refused, saying so.
        let e = at(r#"{"chat":"vip","id":1,"text":"x","date":1765013400000}"#).unwrap_err();
        assert!(e.contains("milliseconds"), "{e}");
        assert_eq!(
            at(r#"{"chat":"vip","id":1,"text":"x","date":1765013400.5}"#),
            Ok(Some(1_765_013_400_500))
        );
    }

    #[test]
    fn a_malformed_line_says_what_was_expected() {
        let e = parse_line("inbox", r#"{"chat":"vip","text":"no id"}"#).unwrap_err();
        assert!(
            e.contains("missing field `id`") && e.contains("expected"),
            "{e}"
        );
        let e = parse_line("inbox", "not json").unwrap_err();
        assert!(e.contains("expected"), "{e}");
    }
}
