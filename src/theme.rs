//! Templates and static files: the built-in default theme, a theme folder, and the site's
//! own `templates/` overriding single templates by name.

use include_dir::{include_dir, Dir};

/// The default theme, compiled in from the same files that live in `themes/default/`.
static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A theme as plain data: template sources by name, and static files by output path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Theme {
    /// `(name, source)`, e.g. `("post.html", "...")`.
    pub templates: Vec<(String, String)>,
    /// `(path under the output folder, bytes)`.
    pub statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The built-in default theme.
    pub fn builtin() -> Theme {
        let mut theme = Theme::default();
        collect(&DEFAULT_THEME, &mut theme);
        theme.templates.sort();
        theme.statics.sort();
        theme
    }

    /// Lays `other` over this theme: same-named templates and static files are replaced.
    pub fn overlay(&mut self, other: Theme) {
        for (name, src) in other.templates {
            match self.templates.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = src,
                None => self.templates.push((name, src)),
            }
        }
        for (path, bytes) in other.statics {
            match self.statics.iter_mut().find(|(p, _)| *p == path) {
                Some(slot) => slot.1 = bytes,
                None => self.statics.push((path, bytes)),
            }
        }
        self.templates.sort();
        self.statics.sort();
    }
}

fn collect(dir: &Dir<'_>, theme: &mut Theme) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            if let Some(src) = file.contents_utf8() {
                theme.templates.push((name.to_string(), src.to_string()));
            }
        } else if let Some(rest) = path.strip_prefix("static/") {
            theme
                .statics
                .push((rest.to_string(), file.contents().to_vec()));
        }
    }
    for sub in dir.dirs() {
        collect(sub, theme);
    }
}
