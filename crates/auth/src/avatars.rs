//! Where avatars are kept: the object store under `avatars/`, one file per
//! upload, named `<user id>-<32 hex>.<ext>` so a name is never a path.

use crate::{picture::Kind, state::AppState};

/// `<user id>-<32 hex>.<ext>` and nothing else: a name is never a path.
pub fn valid_name(file: &str) -> Option<Kind> {
    let (stem, ext) = file.rsplit_once('.')?;
    let (id, rand) = stem.split_once('-')?;
    let ok = !id.is_empty()
        && id.chars().all(|c| c.is_ascii_digit())
        && rand.len() == 32
        && rand.chars().all(|c| c.is_ascii_hexdigit());
    if ok { Kind::from_extension(ext) } else { None }
}

/// The object-store key of an avatar file name.
pub fn key(file: &str) -> String {
    format!("avatars/{file}")
}

/// Removes a stored avatar; a failure leaves an orphan, never an error.
pub async fn remove(state: &AppState, file: &str) {
    if valid_name(file).is_some()
        && let Err(e) = state.ctx.objects.delete(&key(file)).await
    {
        tracing::warn!(error = %e, "could not remove a replaced avatar");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_escape() {
        assert_eq!(valid_name("12-0123456789abcdef0123456789abcdef.png"), Some(Kind::Png));
        assert_eq!(valid_name("../12-0123456789abcdef0123456789abcdef.png"), None);
        assert_eq!(valid_name("12-0123456789abcdef0123456789abcdef.svg"), None);
        assert_eq!(valid_name("x-0123456789abcdef0123456789abcdef.png"), None);
    }
}
