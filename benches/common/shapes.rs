//! Files of one shape at a large size, for phoenix-config alone: the scales
//! where a quadratic step would show (a key looked up by a scan, a merge
//! that scans the lower map for every key).
//!
//! - `map`: `base.yaml` holds one map of `n` keys (`entries: {k0: v0, …}`);
//! - `merge`: `base.yaml` and `development.yaml` each hold one map of `n`
//!   keys, half of them shared (the merge looks each key up);
//! - `list`: `base.yaml` holds one list of `n` items.
//!
//! Each is read into [`Shapes`] (a `HashMap` and a `Vec` field), so the
//! whole load is measured: read, merge, variables, build.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use phoenix_config::{ConfigLoader, Environment, PhoenixConfig};

/// The settings of the shape files (each shape sets one of the fields).
#[derive(PhoenixConfig)]
#[config(prefix = "SHAPES")]
pub(crate) struct Shapes {
    pub(crate) entries: Option<HashMap<String, String>>,
    pub(crate) items: Option<Vec<String>>,
}

/// A shape of file.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape {
    Map,
    Merge,
    List,
}

impl Shape {
    pub(crate) const ALL: [Shape; 3] = [Shape::Map, Shape::Merge, Shape::List];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Shape::Map => "map",
            Shape::Merge => "merge",
            Shape::List => "list",
        }
    }

    /// Keys (or items) of the loaded result.
    pub(crate) fn size(self, n: usize) -> usize {
        match self {
            Shape::Map | Shape::List => n,
            Shape::Merge => n + n / 2,
        }
    }
}

/// A map of `n` keys from `k{from}` on.
fn map_file(from: usize, n: usize) -> String {
    let mut out = String::from("entries:\n");
    for i in from..from + n {
        let _ = writeln!(out, "  k{i}: value-{i}");
    }
    out
}

/// Writes the files of `shape` at size `n` into a new folder of `root`.
pub(crate) fn write(root: &std::path::Path, shape: Shape, n: usize) -> PathBuf {
    let dir = root.join(format!("{}-{n}", shape.name()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let (base, development) = match shape {
        Shape::Map => (map_file(0, n), String::new()),
        Shape::Merge => (map_file(0, n), map_file(n / 2, n)),
        Shape::List => {
            let mut out = String::from("items:\n");
            for i in 0..n {
                let _ = writeln!(out, "  - item-{i}");
            }
            (out, String::new())
        }
    };
    std::fs::write(dir.join("base.yaml"), base).expect("write base.yaml");
    std::fs::write(dir.join("development.yaml"), development).expect("write development.yaml");
    dir
}

impl Shapes {
    /// Keys and items read.
    pub(crate) fn len(&self) -> usize {
        self.entries.as_ref().map_or(0, HashMap::len) + self.items.as_ref().map_or(0, Vec::len)
    }
}

/// One load of the files in `dir`.
pub(crate) fn load(dir: &std::path::Path) -> Shapes {
    ConfigLoader::new()
        .environment(Environment::Development)
        .config_dir(dir)
        .no_dotenv()
        .env_vars([("UNRELATED", "x")])
        .limits(phoenix_config::Limits::default().with_max_nodes(1_000_000))
        .load::<Shapes>()
        .unwrap_or_else(|e| panic!("phoenix-config: {e}"))
}
