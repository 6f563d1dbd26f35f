//! The character vocabulary of the text models: space, a-z and seven punctuation marks. Text is
//! lower-cased, every run of whitespace (and dashes of the em/en kind) becomes one space, curly
//! apostrophes become `'`, and any other character is dropped.

/// The 34 characters, id = position.
pub const VOCAB: &str = " abcdefghijklmnopqrstuvwxyz.,;'!?-";

/// Vocabulary size.
pub const VOCAB_SIZE: usize = 34;

/// The id of a (normalized) vocabulary character.
pub fn char_id(c: char) -> Option<u8> {
    VOCAB
        .chars()
        .position(|v| v == c)
        .and_then(|p| u8::try_from(p).ok())
}

/// The character of an id (`?` never: out-of-range ids give `None`).
pub fn id_char(id: u8) -> Option<char> {
    VOCAB.chars().nth(id as usize)
}

/// Normalize and encode text into ids.
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut last_space = true;
    for c in text.chars() {
        let c = match c {
            '\u{2014}' | '\u{2013}' => ' ',
            '\u{2019}' | '\u{2018}' => '\'',
            c if c.is_whitespace() => ' ',
            c => c.to_ascii_lowercase(),
        };
        if c == ' ' {
            if !last_space {
                out.push(0);
            }
            last_space = true;
            continue;
        }
        if let Some(id) = char_id(c) {
            out.push(id);
            last_space = false;
        }
    }
    out
}

/// Decode ids back to text (unknown ids are skipped).
pub fn decode(ids: &[u8]) -> String {
    ids.iter().filter_map(|&i| id_char(i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocab_size_matches() {
        assert_eq!(VOCAB.chars().count(), VOCAB_SIZE);
    }

    #[test]
    fn normalizes() {
        let ids =
            encode("Call me  Ishmael.\nSome years ago\u{2014}never mind (how) 1851 isn\u{2019}t");
        assert_eq!(
            decode(&ids),
            "call me ishmael. some years ago never mind how isn't"
        );
    }
}
