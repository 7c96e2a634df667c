//! Metric handles looked up once per label set, for the request path.
//!
//! `metrics::histogram!(name, labels)` builds its labels (allocating the
//! ones that are not static), hashes them and searches the recorder's
//! registry on every call. On the path every request takes, in every
//! process, that is several allocations and registry lookups per request,
//! for label sets that repeat: a route answers with a handful of statuses.
//! A handle is a shared pointer into the registry, so the first lookup's
//! result serves every later request with the same labels. Callers keep a
//! [`Memo`] per thread (`thread_local!`), so no lock is taken either.

use std::collections::HashMap;

/// Handles `H` by a string label (a route, an upstream instance) and a
/// few cheap ones `T` (a status, a method): the string is looked up by
/// `&str`, so a hit allocates nothing; the rest is compared in a short list.
pub struct Memo<T, H> {
    by_name: HashMap<String, Vec<(T, H)>>,
}

impl<T, H> Default for Memo<T, H> {
    fn default() -> Self {
        Self { by_name: HashMap::new() }
    }
}

impl<T: PartialEq, H: Clone> Memo<T, H> {
    /// The handles of (`name`, `rest`), registered with `register` the
    /// first time.
    pub fn get(&mut self, name: &str, rest: T, register: impl FnOnce() -> H) -> H {
        let list = match self.by_name.get_mut(name) {
            Some(list) => list,
            None => self.by_name.entry(name.to_owned()).or_default(),
        };
        if let Some((_, handles)) = list.iter().find(|(t, _)| *t == rest) {
            return handles.clone();
        }
        let handles = register();
        list.push((rest, handles.clone()));
        handles
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_once_per_label_set() {
        let mut memo: Memo<u16, u32> = Memo::default();
        let mut made = 0;
        let mut get = |name: &str, status: u16| {
            memo.get(name, status, || {
                made += 1;
                made
            })
        };
        assert_eq!(get("/a", 200), 1);
        assert_eq!(get("/a", 200), 1);
        assert_eq!(get("/a", 404), 2);
        assert_eq!(get("/b", 200), 3);
        assert_eq!(get("/a", 404), 2);
    }
}
