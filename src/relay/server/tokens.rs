//! The relay's tokens: who may connect, under what name, with what role. The configuration checks
//! them with the same functions the server reads them with, so the two cannot disagree.

use std::path::Path;

use subtle::ConstantTimeEq as _;

use crate::api::Role;

/// The shortest token accepted: long enough that guessing it over a socket is hopeless.
pub const MIN_TOKEN: usize = 16;

/// One token and who holds it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// Shown in the audit (`relay:<name>`) and in `hello`; never the token itself.
    pub name: String,
    pub role: Role,
    pub secret: String,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token({} {:?} <redacted>)", self.name, self.role)
    }
}

/// What is wrong with `token` as a relay token, if anything, as what was expected. It travels in
/// an HTTP header (`Authorization: Bearer …`, `Sec-WebSocket-Protocol: bearer.…`), so only the
/// characters of RFC 6750's token68 are allowed.
pub fn token_problem(token: &str) -> Option<String> {
    if token.chars().count() < MIN_TOKEN {
        return Some(format!(
            "a token of at least {MIN_TOKEN} characters (this one has {})",
            token.chars().count()
        ));
    }
    token.chars().find(|c| !header_safe(*c)).map(|c| {
        format!(
            "a token of letters, digits and . _ ~ + / = - only (it travels in an HTTP header); \
             {c:?} is not allowed"
        )
    })
}

fn header_safe(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '+' | '/' | '=' | '-')
}

/// A name as it may appear in a tokens file: it is shown in the audit and the console.
fn name_problem(name: &str) -> Option<String> {
    if name == super::LOCAL_NAME {
        return Some(format!(
            "a name other than {name:?}, which is the engine's own token for each run"
        ));
    }
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    (!ok).then(|| format!("a name of 1 to 64 letters, digits and . _ - @ (not {name:?})"))
}

/// Something wrong in a tokens file: the line (0: the file as a whole) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub line: usize,
    pub expected: String,
}

impl FileProblem {
    fn new(line: usize, expected: String) -> FileProblem {
        FileProblem { line, expected }
    }
}

/// Problems of the tokens file at `path`, one per line: `path:line: what was expected`.
pub fn describe(path: &Path, problems: &[FileProblem]) -> String {
    problems
        .iter()
        .map(|p| match p.line {
            0 => format!("{}: {}", path.display(), p.expected),
            n => format!("{}:{n}: {}", path.display(), p.expected),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parse a tokens file: one `NAME ROLE TOKEN` per line, `#` comments and blank lines ignored.
pub fn parse(text: &str) -> Result<Vec<Token>, Vec<FileProblem>> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let mut problem = |expected: String| problems.push(FileProblem::new(line, expected));
        let content = raw.split('#').next().unwrap_or_default().trim();
        if content.is_empty() {
            continue;
        }
        let fields: Vec<&str> = content.split_whitespace().collect();
        let [name, role, secret] = fields[..] else {
            problem(format!(
                "NAME ROLE TOKEN (three words), found {} word{}",
                fields.len(),
                if fields.len() == 1 { "" } else { "s" }
            ));
            continue;
        };
        let role = match role {
            "operator" => Role::Operator,
            "viewer" => Role::Viewer,
            other => {
                problem(format!("the role operator or viewer, found {other:?}"));
                continue;
            }
        };
        if let Some(why) = name_problem(name) {
            problem(why);
            continue;
        }
        if let Some(why) = token_problem(secret) {
            problem(format!("{name}: {why}"));
            continue;
        }
        if tokens.iter().any(|t| t.name == name) {
            problem(format!("a name used once: {name} is already taken"));
            continue;
        }
        if tokens.iter().any(|t| t.secret == secret) {
            problem(format!(
                "{name}: a token of its own: it is the same as another line's"
            ));
            continue;
        }
        tokens.push(Token {
            name: name.to_string(),
            role,
            secret: secret.to_string(),
        });
    }
    if problems.is_empty() {
        Ok(tokens)
    } else {
        Err(problems)
    }
}

/// Read and parse the tokens file at `path`, refusing one that others may read: a token there is
/// as good as a password.
pub fn read(path: &Path) -> Result<Vec<Token>, Vec<FileProblem>> {
    let whole = |expected: String| vec![FileProblem::new(0, expected)];
    let meta =
        std::fs::metadata(path).map_err(|e| whole(format!("a readable tokens file ({e})")))?;
    if !meta.is_file() {
        return Err(whole("a regular file of NAME ROLE TOKEN lines".into()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(whole(format!(
                "a file only its owner may read (chmod 600 {}); it is mode {mode:o}",
                path.display()
            )));
        }
    }
    // A tokens file is a few lines: a bound keeps a device or a runaway file out of memory.
    if meta.len() > 1 << 20 {
        return Err(whole(format!(
            "a tokens file of at most 1 MiB, this one has {} bytes",
            meta.len()
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| whole(format!("a readable UTF-8 tokens file ({e})")))?;
    parse(&text)
}

/// Every token the relay accepts.
#[derive(Debug, Clone, Default)]
pub struct Tokens(Vec<Token>);

impl Tokens {
    pub fn new(tokens: Vec<Token>) -> Tokens {
        Tokens(tokens)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The holder of `offered`. Every token is compared, each in constant time, so neither which
    /// token matched nor how much of one did shows in the time taken.
    pub fn holder(&self, offered: &str) -> Option<&Token> {
        let mut found = None;
        for token in &self.0 {
            if bool::from(token.secret.as_bytes().ct_eq(offered.as_bytes())) {
                found = Some(token);
            }
        }
        found
    }
}
