//! `--files DIR`: the monolith's uploaded files (CVs, profile pictures),
//! found by the path a legacy row names, relative to DIR. A name that would
//! leave DIR (absolute, `..`) is refused like a missing file, and a file
//! over the size its kind may have is not read at all.

use std::{
    io::ErrorKind,
    path::{Component, Path, PathBuf},
};

pub struct Files {
    dir: PathBuf,
}

impl Files {
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_owned() }
    }

    /// The bytes of the file `name` names, at most `max` of them, or why not.
    pub fn read(&self, name: &str, max: usize) -> Result<Vec<u8>, String> {
        let relative = Path::new(name.trim());
        if relative.as_os_str().is_empty() {
            return Err("no file name".to_owned());
        }
        if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(format!("file name {name:?} is not a path under --files"));
        }
        let path = self.dir.join(relative);
        let unreadable = |e: std::io::Error| match e.kind() {
            ErrorKind::NotFound => format!("file {name:?} not found under --files"),
            _ => format!("file {name:?} unreadable: {e}"),
        };
        let size = std::fs::metadata(&path).map_err(unreadable)?.len();
        if size > max as u64 {
            return Err(format!("file {name:?} is larger than {max} bytes"));
        }
        std::fs::read(&path).map_err(unreadable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_under_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("img")).unwrap();
        std::fs::write(dir.path().join("img/a.png"), b"png").unwrap();
        let files = Files::new(dir.path());
        assert_eq!(files.read("img/a.png", 10), Ok(b"png".to_vec()));
        assert_eq!(files.read("img/a.png", 2), Err("file \"img/a.png\" is larger than 2 bytes".to_owned()));
        assert_eq!(files.read("img/b.png", 10), Err("file \"img/b.png\" not found under --files".to_owned()));
        for escaping in ["../a.png", "/etc/passwd", "img/../../a.png"] {
            assert!(files.read(escaping, 10).unwrap_err().contains("not a path under"), "{escaping}");
        }
        assert_eq!(files.read(" ", 10), Err("no file name".to_owned()));
    }
}
