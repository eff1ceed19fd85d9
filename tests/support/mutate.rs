//! Mutations of a text for property tests: replace, insert or delete characters at a few places,
//! the insertions drawn from pieces that matter to the reader under test.
//! Include it with `#[path = "support/mutate.rs"] mod mutate;`.

#![allow(dead_code)]

use proptest::prelude::*;

#[derive(Debug, Clone)]
pub enum Edit {
    Replace(usize, char),
    Insert(usize, String),
    Delete(usize, usize),
}

/// One edit: a character replaced, one of `pieces` inserted, or up to `max_delete` characters
/// deleted, each at any place.
pub fn edit(
    pieces: impl Strategy<Value = String> + 'static,
    max_delete: usize,
) -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Edit::Replace(a, c)),
        (any::<usize>(), pieces).prop_map(|(a, s)| Edit::Insert(a, s)),
        (any::<usize>(), 1..max_delete.max(2)).prop_map(|(a, n)| Edit::Delete(a, n)),
    ]
}

pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        match edit {
            Edit::Replace(at, c) if !chars.is_empty() => {
                let at = at % chars.len();
                chars[at] = *c;
            }
            Edit::Insert(at, s) => {
                let at = at % (chars.len() + 1);
                chars.splice(at..at, s.chars());
            }
            Edit::Delete(at, n) if !chars.is_empty() => {
                let at = at % chars.len();
                let end = (at + n).min(chars.len());
                chars.drain(at..end);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}
