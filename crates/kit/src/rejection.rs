//! What a client is told when its input does not deserialize.
//!
//! Serde's messages are precise about the field and the expectation, but
//! they are written for Rust programmers: `expected struct LoginRequest`,
//! `expected i64`, `did not match any variant of untagged enum Shape`.
//! Those name our internal types, which a client has no use for and a
//! prober learns from. [`public_message`] keeps the message and rewrites
//! every expectation into JSON / query-string terms.

/// Derive-generated expectations whose next word is a Rust type name, and
/// what to say instead. Longest first, so `tuple struct` wins over `struct`.
const NAMED: &[(&str, &str)] = &[
    ("internally tagged enum", "an object of one of the accepted kinds"),
    ("adjacently tagged enum", "an object of one of the accepted kinds"),
    ("untagged enum", "one of the accepted forms"),
    ("struct variant", "an object"),
    ("tuple variant", "a list"),
    ("newtype variant", "a value"),
    ("newtype struct", "a value"),
    ("tuple struct", "a list"),
    ("unit struct", "null"),
    ("struct", "an object"),
    ("enum", "one of the accepted values"),
];

/// Primitive expectations (`expected i64`) and their plain names.
const PRIMITIVES: &[(&str, &str)] = &[
    ("i8", "an integer"),
    ("i16", "an integer"),
    ("i32", "an integer"),
    ("i64", "an integer"),
    ("i128", "an integer"),
    ("isize", "an integer"),
    ("u8", "a non-negative integer"),
    ("u16", "a non-negative integer"),
    ("u32", "a non-negative integer"),
    ("u64", "a non-negative integer"),
    ("u128", "a non-negative integer"),
    ("usize", "a non-negative integer"),
    ("f32", "a number"),
    ("f64", "a number"),
    ("char", "a single character"),
    ("unit", "null"),
];

/// `message` with every Rust type name replaced by what the client should
/// send instead; everything else (field names, `line 1 column 9`) is kept.
pub fn public_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while !rest.is_empty() {
        let at_word = out.chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let found = if at_word { named_type_at(rest).or_else(|| primitive_at(rest, &out)) } else { None };
        if let Some((replacement, consumed)) = found {
            out.push_str(replacement);
            rest = &rest[consumed..];
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// `struct Foo…` at the start of `s`: the replacement and how many bytes it covers.
fn named_type_at(s: &str) -> Option<(&'static str, usize)> {
    for (phrase, replacement) in NAMED {
        let Some(after) = s.strip_prefix(phrase).and_then(|r| r.strip_prefix(' ')) else {
            continue;
        };
        let len = type_name_len(after);
        // Rust types are CamelCase, perhaps behind a module path.
        let last = after[..len].split('<').next().unwrap_or_default().rsplit("::").next().unwrap_or_default();
        if last.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Some((replacement, phrase.len() + 1 + len));
        }
    }
    None
}

/// `i64` right after `expected ` (the only place serde puts a bare type).
fn primitive_at(s: &str, before: &str) -> Option<(&'static str, usize)> {
    if !before.ends_with("expected ") {
        return None;
    }
    PRIMITIVES.iter().find_map(|(name, replacement)| {
        let tail = s.strip_prefix(name)?;
        tail.chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_')
            .then_some((*replacement, name.len()))
    })
}

/// Length of a Rust path such as `Foo`, `Foo::Bar` or `Page<Foo>`.
fn type_name_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | ':' | '<' | '>'))).unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::public_message;

    #[test]
    fn rust_type_names_become_json_terms() {
        assert_eq!(
            public_message("invalid type: sequence, expected struct LoginRequest at line 1 column 0"),
            "invalid type: sequence, expected an object at line 1 column 0"
        );
        assert_eq!(
            public_message("id: invalid type: string \"x\", expected i64 at line 1 column 9"),
            "id: invalid type: string \"x\", expected an integer at line 1 column 9"
        );
        assert_eq!(
            public_message("invalid value: integer `-1`, expected u64"),
            "invalid value: integer `-1`, expected a non-negative integer"
        );
        assert_eq!(
            public_message("data did not match any variant of untagged enum Shape"),
            "data did not match any variant of one of the accepted forms"
        );
        assert_eq!(
            public_message("invalid type: map, expected enum kit::Role"),
            "invalid type: map, expected one of the accepted values"
        );
        assert_eq!(
            public_message("invalid length 1, expected tuple struct Pair with 2 elements"),
            "invalid length 1, expected a list with 2 elements"
        );
    }

    #[test]
    fn messages_without_types_are_kept() {
        for m in [
            "missing field `email`",
            "unknown variant `x`, expected `patient` or `doctor`",
            "invalid digit found in string",
            "expected a string",
            "the structure is fine, expected unity",
            "destruct Foo",
        ] {
            assert_eq!(public_message(m), m);
        }
    }
}
