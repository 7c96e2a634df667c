//! `users.img` → the imported accounts' avatars, from `--files DIR`. A
//! picture that cannot be brought (no `--files`, the file missing, or
//! refused by an upload's checks) leaves its account without one, with a
//! warning; the account itself is imported either way.

use std::collections::HashSet;

use auth::import::{LegacyPicture, LegacyUser, MAX_PICTURE_BYTES, Picture};
use kit::ids::UserId;

use super::{files::Files, report::Report, source::Legacy};

/// The imported accounts' pictures, checked and re-encoded (CPU-bound;
/// the importer has the process to itself).
pub fn pictures(
    legacy: &Legacy,
    accounts: &[LegacyUser],
    files: Option<&Files>,
    report: &mut Report,
) -> Vec<LegacyPicture> {
    let imported: HashSet<UserId> = accounts.iter().map(|u| u.id).collect();
    let mut out = Vec::new();
    for u in &legacy.users {
        let Some(img) = u.img.as_deref().map(str::trim).filter(|i| !i.is_empty()) else { continue };
        if !imported.contains(&UserId(u.id)) {
            continue;
        }
        let Some(files) = files else {
            report.warn("users", u.id, format!("picture {img:?} not imported (no --files)"));
            continue;
        };
        match files.read(img, MAX_PICTURE_BYTES + 1).and_then(|bytes| Picture::check(&bytes)) {
            Ok(picture) => out.push(LegacyPicture { user_id: UserId(u.id), picture }),
            Err(why) => report.warn("users", u.id, format!("picture not imported: {why}")),
        }
    }
    out
}
