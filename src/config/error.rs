use std::fmt;

/// One thing wrong in a configuration file, printed as `file:line: key: what was expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file at fault (or `environment SIGNALOS_…` for a variable).
    pub file: String,
    /// 1-based line, 0 when the problem is not tied to a line (a missing file, say).
    pub line: usize,
    /// Dotted key path, e.g. `ui.max_fps` or `global.q`.
    pub key: String,
    pub expected: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}: {}", self.file, self.line, self.key, self.expected)
        } else {
            write!(f, "{}: {}: {}", self.file, self.key, self.expected)
        }
    }
}

/// Every problem found in a configuration and the files it names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// The 1-based line of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1
}
