//! Which comments wait for an admin before they are shown: those holding
//! a blocked word or phrase. Words match whole, case- and
//! accent-insensitively ("IMBÉCILE" matches "imbecile", "idiots" does not
//! match "idiot", "Scunthorpe" matches nothing), so ordinary criticism is
//! published at once and only insults queue for moderation.

/// Insults held for moderation in English.
const ENGLISH: &[&str] = &[
    "idiot", "idiots", "stupid", "moron", "morons", "dumbass", "fuck", "fucking", "fucker", "shit", "bitch",
    "bastard", "asshole", "dickhead", "retard", "imbecile", "scumbag", "wanker",
];

/// Insults held for moderation in French (written with their accents; the
/// comparison folds them away).
const FRENCH: &[&str] = &[
    "connard",
    "connasse",
    "conne",
    "salaud",
    "salope",
    "merde",
    "putain",
    "pute",
    "enculé",
    "abruti",
    "crétin",
    "débile",
    "imbécile",
    "bâtard",
    "ordure",
    "fils de pute",
    "nique",
];

/// The blocked phrases, each already folded into words.
#[derive(Debug, Clone)]
pub struct BlockList {
    phrases: Vec<Vec<String>>,
}

impl BlockList {
    /// The built-in lists plus `extra` (comma separated, from
    /// `settings.rating_blocked_words`).
    pub fn new(extra: Option<&str>) -> Self {
        let configured = extra.unwrap_or_default().split(',');
        let phrases = ENGLISH
            .iter()
            .chain(FRENCH)
            .copied()
            .chain(configured)
            .map(words)
            .filter(|w| !w.is_empty())
            .collect();
        Self { phrases }
    }

    /// The first blocked phrase `text` contains, folded (for the hold reason).
    pub fn find(&self, text: &str) -> Option<String> {
        let text = words(text);
        self.phrases
            .iter()
            .find(|phrase| text.windows(phrase.len()).any(|w| w == phrase.as_slice()))
            .map(|phrase| phrase.join(" "))
    }
}

/// Lower-cased, accent-folded words: runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Lower case without the diacritics of Latin languages (French first).
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_whole_words_ignoring_case_and_accents() {
        let list = BlockList::new(None);
        assert_eq!(list.find("What an IDIOT."), Some("idiot".into()));
        assert_eq!(list.find("Un vrai imbécile"), Some("imbecile".into()));
        assert_eq!(list.find("un vrai IMBECILE"), Some("imbecile".into()));
        assert_eq!(list.find("quel Crétin!"), Some("cretin".into()));
        assert_eq!(list.find("c'est un fils de pute"), Some("pute".into()));
        assert_eq!(list.find("Scunthorpe, idiotic, shitake"), None);
        assert_eq!(list.find("Great doctor, listened carefully."), None);
    }

    #[test]
    fn configured_words_and_phrases_are_added() {
        let list = BlockList::new(Some(" charlatan , bon à rien,,"));
        assert_eq!(list.find("Un Charlatan"), Some("charlatan".into()));
        assert_eq!(list.find("Il est bon a rien"), Some("bon a rien".into()));
        assert_eq!(list.find("bon, mais rien de plus"), None);
    }
}
