//! Hostile and broken input (issue 8): whatever the YAML files, `.env`,
//! variables and secret files hold, a load returns a clear `ConfigError`
//! (kind, path, origin) or the right values — never a panic, a hang, a
//! stack overflow or an unbounded read.
//!
//! Every load runs in a thread with a generous deadline ([`bounded`]): a
//! guard against hangs, not a performance assertion. Variables are injected
//! with `ConfigLoader::env_vars`; the non-UTF-8 variables that only the
//! process environment can hold are tested in a child process (the test
//! binary itself), so the environment of this process is never changed.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use common::Scratch;
use phoenix_config::{ConfigError, ConfigLoader, Environment, Issue, IssueKind, Limits, Loaded, PhoenixConfig};

#[derive(PhoenixConfig)]
#[config(prefix = "HOSTILE")]
struct Settings {
    #[config(default = "app")]
    name: String,
    #[config(default = "x")]
    label: String,
    #[config(default = 8080)]
    port: u16,
    #[config(default = 1)]
    count: u8,
    #[config(default = Vec::new())]
    zips: Vec<String>,
    #[config(default = false)]
    verbose: bool,
    #[config(default = 0.5)]
    ratio: f64,
    #[config(nested)]
    db: Db,
    #[config(nested)]
    replica: Replica,
}

#[derive(PhoenixConfig)]
struct Db {
    #[config(default = "mongodb://localhost")]
    url: String,
    #[config(default = 10)]
    pool: u32,
    #[env("DB_PASSWORD")]
    #[secret]
    password: Option<String>,
}

#[derive(PhoenixConfig)]
struct Replica {
    #[config(default = "mongodb://replica")]
    url: String,
    #[config(default = 10)]
    pool: u32,
}

/// How long any one load may take before the test calls it a hang. Far
/// above what a load needs (milliseconds), even in debug builds on a busy
/// machine: a guard, not a performance assertion.
const HANG: Duration = Duration::from_secs(30);

/// Runs `f` on its own thread and waits at most [`HANG`] for it.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("hostile: {what}"))
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("a thread");
    match rx.recv_timeout(HANG) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: the load did not return within {HANG:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: the load panicked"),
    }
}

fn load(what: &str, loader: &ConfigLoader) -> Result<Loaded<Settings>, ConfigError> {
    let loader = loader.clone();
    bounded(what, move || loader.load_with_origins::<Settings>())
}

fn loaded(what: &str, loader: &ConfigLoader) -> Loaded<Settings> {
    load(what, loader).unwrap_or_else(|e| panic!("{what}: expected a load, got {e}"))
}

/// The error of a load that must fail; every message follows the rules.
fn failed(what: &str, loader: &ConfigLoader) -> ConfigError {
    let Err(err) = load(what, loader) else { panic!("{what}: expected an error, the load succeeded") };
    for issue in err.issues() {
        let message = issue.message();
        assert!(!message.is_empty() && !message.ends_with('.'), "{what}: {issue}");
        assert!(!message.contains('\n'), "{what}: a message on several lines: {issue}");
    }
    err
}

/// The only issue of a failed load.
fn only_issue(what: &str, loader: &ConfigLoader) -> Issue {
    let err = failed(what, loader);
    assert_eq!(err.issues().len(), 1, "{what}: {err}");
    err.issues()[0].clone()
}

/// Asserts an issue's kind, path and origin (as displayed), and that its
/// message contains every one of `words`.
fn assert_issue(issue: &Issue, kind: IssueKind, path: &str, origin: &str, words: &[&str]) {
    assert_eq!(issue.kind(), kind, "{issue}");
    assert_eq!(issue.path(), path, "{issue}");
    assert_eq!(issue.origin().map(ToString::to_string).as_deref(), Some(origin), "{issue}");
    for word in words {
        assert!(issue.message().contains(word), "{issue}: expected {word:?}");
    }
}

fn origin_of(loaded: &Loaded<Settings>, path: &str) -> String {
    loaded.origin(path).map_or_else(|| panic!("no origin for {path}"), ToString::to_string)
}

/// The loader of a scratch folder, with no variables but `vars`.
fn loader(s: &Scratch, vars: &[(&str, &str)]) -> ConfigLoader {
    s.loader(vars)
}

fn write_bytes(s: &Scratch, relative: &str, bytes: &[u8]) -> PathBuf {
    let path = s.path().join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `config/base.yaml` at a line and column, as origins show it.
fn base_at(s: &Scratch, line: u32, column: u32) -> String {
    format!("{}:{line}:{column}", s.shown("config/base.yaml"))
}

// ---------------------------------------------------------------- YAML

#[test]
fn a_billion_laughs_file_fails_fast_at_the_alias_that_crosses_the_limit() {
    let s = Scratch::new();
    let mut src = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..=9 {
        let refs = vec![format!("*l{}", level - 1); 9].join(", ");
        writeln!(src, "l{level}: &l{level} [{refs}]").unwrap();
    }
    s.write("config/base.yaml", &src);
    let issue = only_issue("billion laughs", &loader(&s, &[]));
    // Levels 0 to 4 hold 74,744 values; the first alias of level 5 copies
    // 66,430 more.
    assert_issue(
        &issue,
        IssueKind::Syntax,
        "",
        &base_at(&s, 6, 10),
        &["more than 100000 values", "raise `Limits::max_nodes`"],
    );
}

#[test]
fn a_long_value_repeated_by_aliases_fails_before_it_fills_the_memory() {
    // 9^6 copies of 1 MiB would be 500 GB; the text aliases copy is bounded
    // by `Limits::max_file_bytes` (4 MiB).
    let s = Scratch::new();
    let mut src = format!("l0: &l0 {}\n", "x".repeat(1 << 20));
    for level in 1..=6 {
        let refs = vec![format!("*l{}", level - 1); 9].join(", ");
        writeln!(src, "l{level}: &l{level} [{refs}]").unwrap();
    }
    s.write("config/base.yaml", &src);
    let issue = only_issue("long alias bomb", &loader(&s, &[]));
    // The anchor keeps 1 MiB, each alias copies 1 MiB: the 4th alias passes 4 MiB.
    assert_issue(
        &issue,
        IssueKind::Syntax,
        "",
        &base_at(&s, 2, 25),
        &["copy more than 4194304 bytes of text", "raise `Limits::max_file_bytes`"],
    );
}

#[test]
fn nested_anchors_keep_bounded_copies() {
    // 60 anchors nested around 2,000 values: each keeps a copy for its
    // aliases, 120,000 values in all, over `max_nodes`.
    let s = Scratch::new();
    let mut src = String::from("zips: ");
    for level in 0..60 {
        write!(src, "&a{level} [").unwrap();
    }
    src.push_str(&vec!["z"; 2000].join(", "));
    src.push_str(&"]".repeat(60));
    src.push_str("\nname: *a59\n");
    s.write("config/base.yaml", &src);
    let issue = only_issue("nested anchors", &loader(&s, &[]));
    assert_eq!(issue.kind(), IssueKind::Syntax, "{issue}");
    assert!(issue.message().contains("anchors (`&name`) keep copies of more than 100000 values"), "{issue}");
    let origin = issue.origin().unwrap().to_string();
    assert!(origin.starts_with(&format!("{}:1:", s.shown("config/base.yaml"))), "{origin}");
    // Without any alias, anchors keep nothing and the file is only deep.
    s.write("config/base.yaml", &src.replace("\nname: *a59\n", "\n"));
    let err = failed("nested anchors, no alias", &loader(&s, &[]));
    assert!(err.issues().iter().all(|i| i.kind() == IssueKind::Invalid && i.path().starts_with("zips")), "{err}");
}

#[test]
fn anchors_aliases_and_merge_keys_load_with_the_origin_where_each_value_was_written() {
    let s = Scratch::new();
    s.write(
        "config/base.yaml",
        "db: &db\n  url: mongodb://primary\n  pool: 5\nreplica:\n  <<: *db\n  url: mongodb://replica\n\
         name: &n phoenix\nlabel: *n\nzips: &z ['02134', '85001']\n",
    );
    let loaded = loaded("anchors", &loader(&s, &[]));
    let c = loaded.config();
    assert_eq!((c.replica.url.as_str(), c.replica.pool), ("mongodb://replica", 5));
    assert_eq!((c.db.url.as_str(), c.db.pool), ("mongodb://primary", 5));
    assert_eq!((c.name.as_str(), c.label.as_str()), ("phoenix", "phoenix"));
    assert_eq!(c.zips, ["02134", "85001"]);
    assert_eq!(origin_of(&loaded, "replica.pool"), base_at(&s, 3, 9), "a merged value keeps where it was written");
    assert_eq!(origin_of(&loaded, "replica.url"), base_at(&s, 6, 8), "an explicit key beats the merged one");
    assert_eq!(origin_of(&loaded, "label"), base_at(&s, 7, 7));
}

#[test]
fn merge_keys_that_are_not_maps_are_refused_clearly() {
    let s = Scratch::new();
    s.write("config/base.yaml", "a: &a 1\nreplica:\n  <<: *a\n");
    let issue = only_issue("merge of a scalar", &loader(&s, &[]));
    assert_issue(&issue, IssueKind::Syntax, "", &base_at(&s, 3, 3), &["the merge key `<<` takes a map"]);
}

#[test]
fn ten_thousand_levels_of_nesting_fail_without_overflowing_the_stack() {
    let s = Scratch::new();
    let l = loader(&s, &[]);
    // Flow lists and maps.
    // saphyr reads ahead and stops at its own bound of 255 flow levels
    // (column 262) before the 65th level reaches the tree.
    s.write("config/base.yaml", &format!("zips: {}", "[".repeat(10_000)));
    let issue = only_issue("flow lists", &l);
    assert_issue(
        &issue,
        IssueKind::Syntax,
        "",
        &base_at(&s, 1, 262),
        &["nest deeper than 64 levels", "`Limits::max_depth`"],
    );
    s.write("config/base.yaml", &format!("zips: {}x{}", "{a: ".repeat(10_000), "}".repeat(10_000)));
    let issue = only_issue("flow maps", &l);
    // The 64th map opens at column 7 + 63 * 4.
    assert_issue(&issue, IssueKind::Syntax, "", &base_at(&s, 1, 259), &["nest deeper than 64 levels"]);
    // Block lists, 10,000 levels on one line.
    s.write("config/base.yaml", &format!("zips:\n{}x\n", "- ".repeat(10_000)));
    let issue = only_issue("block lists", &l);
    // The 64th list opens at column 1 + 63 * 2.
    assert_issue(&issue, IssueKind::Syntax, "", &base_at(&s, 2, 127), &["nest deeper than 64 levels"]);
    // Block maps, 10,000 levels (one space of indentation each), with the
    // file size limit raised: the 65th level is the map of line 65.
    let mut src = String::new();
    for level in 0..10_000 {
        writeln!(src, "{}a:", " ".repeat(level)).unwrap();
    }
    s.write("config/base.yaml", &src);
    let big = Limits::default().with_max_file_bytes(64 << 20);
    let issue = only_issue("block maps", &l.clone().limits(big));
    assert_issue(&issue, IssueKind::Syntax, "", &base_at(&s, 65, 65), &["nest deeper than 64 levels"]);
    // Whatever `max_depth` says, 255 levels is the most read: merging,
    // converting and dropping a tree recurse once per level.
    let issue = only_issue("block maps, depth raised", &l.clone().limits(big.with_max_depth(20_000)));
    assert_issue(
        &issue,
        IssueKind::Syntax,
        "",
        &base_at(&s, 256, 256),
        &["deeper than 255 levels, the most phoenix-config reads"],
    );
}

#[test]
fn a_tree_of_the_deepest_nesting_read_converts_and_drops_on_a_small_stack() {
    #[derive(PhoenixConfig)]
    struct Untyped {
        extra: serde_json::Value,
    }
    let s = Scratch::new();
    // The top map and 254 lists: 255 levels.
    s.write("config/base.yaml", &format!("extra: {}x{}\n", "[".repeat(254), "]".repeat(254)));
    let loader = loader(&s, &[]).limits(Limits::default().with_max_depth(1000));
    // `bounded` runs the load on a thread of the default (2 MiB) stack.
    let value = bounded("deepest tree", move || loader.load::<Untyped>().map(|u| u.extra)).unwrap();
    let mut depth = 0;
    let mut at = &value;
    while let serde_json::Value::Array(items) = at {
        depth += 1;
        at = &items[0];
    }
    assert_eq!((depth, at), (254, &serde_json::Value::from("x")));
}

#[test]
fn very_long_lines_and_keys() {
    let s = Scratch::new();
    let long = "v".repeat(1 << 20);
    s.write("config/base.yaml", &format!("name: {long}\nlabel: \"{long}\"\nport: 1\n"));
    let loaded = loaded("long lines", &loader(&s, &[]));
    assert_eq!(loaded.config().name.len(), 1 << 20);
    assert_eq!(loaded.config().label, long);
    assert_eq!(origin_of(&loaded, "port"), base_at(&s, 3, 7));
    // A key of 1,000 characters is a key like any other (here an unknown one).
    let key = "k".repeat(1000);
    s.write("config/base.yaml", &format!("port: 1\n{key}: 1\n"));
    let issue = only_issue("long key", &loader(&s, &[]));
    assert_eq!((issue.kind(), issue.path()), (IssueKind::UnknownKey, key.as_str()));
    assert_eq!(issue.origin().unwrap().to_string(), base_at(&s, 2, 1));
    // YAML allows at most 1024 characters in a key written without `?`.
    let key = "k".repeat(100 << 10);
    s.write("config/base.yaml", &format!("port: 1\n{key}: 1\n"));
    let issue = only_issue("100 KiB key", &loader(&s, &[]));
    assert_issue(
        &issue,
        IssueKind::Syntax,
        "",
        &base_at(&s, 2, 102_401),
        &["a key longer than 1024 characters must be written as an explicit key: `? key`"],
    );
    s.write("config/base.yaml", &format!("port: 1\n? {key}\n: 1\n"));
    let issue = only_issue("100 KiB explicit key", &loader(&s, &[]));
    assert_eq!((issue.kind(), issue.path()), (IssueKind::UnknownKey, key.as_str()));
    assert_eq!(issue.origin().unwrap().to_string(), base_at(&s, 2, 3));
    // A line longer than the file size limit is refused before it is read.
    let issue = only_issue("over the size limit", &loader(&s, &[]).limits(Limits::default().with_max_file_bytes(1000)));
    assert_issue(
        &issue,
        IssueKind::Io,
        "",
        &base_at(&s, 1, 1),
        &["over the limit of 1000", "`Limits::max_file_bytes`"],
    );
}

#[test]
fn invalid_utf8_is_reported_at_its_line_and_column() {
    let s = Scratch::new();
    write_bytes(&s, "config/base.yaml", b"port: 1\nname: caf\xe9\n");
    let issue = only_issue("invalid utf-8", &loader(&s, &[]));
    // At the value's start, not at the byte: the value may be a secret, and
    // the byte's column would tell its length up to the byte.
    assert_issue(&issue, IssueKind::Syntax, "", &base_at(&s, 2, 7), &["not valid utf-8 here"]);
}

#[test]
fn a_byte_order_mark_is_skipped_and_columns_do_not_count_it() {
    let s = Scratch::new();
    s.write("config/base.yaml", "\u{feff}name: phoenix\n");
    let loaded = loaded("bom", &loader(&s, &[]));
    assert_eq!(loaded.config().name, "phoenix");
    assert_eq!(origin_of(&loaded, "name"), base_at(&s, 1, 7));
}

#[test]
fn tabs_for_indentation_are_refused_at_the_tab() {
    let s = Scratch::new();
    s.write("config/base.yaml", "db:\n\turl: x\n");
    let issue = only_issue("tabs", &loader(&s, &[]));
    assert_issue(&issue, IssueKind::Syntax, "", &base_at(&s, 2, 2), &["a tab is used for indentation"]);
}

#[test]
fn duplicate_keys_are_refused_naming_the_first() {
    let s = Scratch::new();
    s.write("config/base.yaml", "port: 1\nname: a\nport: 2\ndb:\n  pool: 1\n  pool: 2\n");
    let err = failed("duplicates", &loader(&s, &[]));
    assert_eq!(err.issues().len(), 2, "{err}");
    assert_issue(
        &err.issues()[0],
        IssueKind::Syntax,
        "",
        &base_at(&s, 3, 1),
        &["duplicate key `port` (the first is at line 1)"],
    );
    assert_issue(
        &err.issues()[1],
        IssueKind::Syntax,
        "",
        &base_at(&s, 6, 3),
        &["duplicate key `pool` (the first is at line 5)"],
    );
}

#[test]
fn several_documents_in_one_file_are_refused() {
    let s = Scratch::new();
    s.write("config/base.yaml", "port: 1\n---\nport: 2\n");
    let issue = only_issue("two documents", &loader(&s, &[]));
    assert_issue(&issue, IssueKind::Syntax, "", &base_at(&s, 2, 1), &["a second document starts here"]);
}

#[test]
fn an_empty_file_or_one_of_comments_is_no_layer() {
    let s = Scratch::new();
    for text in ["", "\n\n", "# nothing yet\n", "---\n", "\u{feff}"] {
        s.write("config/base.yaml", text);
        let loaded = loaded("empty", &loader(&s, &[]));
        assert_eq!(loaded.config().port, 8080);
        assert_eq!(origin_of(&loaded, "port"), "default");
    }
    // A file that is one value, not a map of settings, is an error.
    s.write("config/base.yaml", "- a\n- b\n");
    let issue = only_issue("a list", &loader(&s, &[]));
    assert_issue(&issue, IssueKind::Syntax, "", &base_at(&s, 1, 1), &["expected a map of settings"]);
}

#[test]
fn a_config_file_that_is_a_directory_or_a_device_is_an_io_error() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("config/base.yaml")).unwrap();
    let issue = only_issue("directory", &loader(&s, &[]));
    assert_issue(&issue, IssueKind::Io, "", &base_at(&s, 1, 1), &["is not a regular file"]);
    // `.env` pointing at /dev/zero is refused, not read forever.
    let s = Scratch::new();
    let issue = only_issue("/dev/zero", &loader(&s, &[]).dotenv("/dev/zero"));
    assert_issue(&issue, IssueKind::Io, "", "/dev/zero:1:1", &["is not a regular file"]);
}

#[cfg(unix)]
#[test]
fn a_config_file_that_is_a_fifo_is_refused_without_blocking() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.path().join("config")).unwrap();
    if !mkfifo(&s.path().join("config/base.yaml")) {
        return;
    }
    let issue = only_issue("fifo", &loader(&s, &[]));
    assert_issue(&issue, IssueKind::Io, "", &base_at(&s, 1, 1), &["is not a regular file"]);
}

#[cfg(unix)]
#[test]
fn an_unreadable_config_file_is_an_io_error() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    let path = s.write("config/base.yaml", "port: 1\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Root (or CAP_DAC_OVERRIDE) reads any file: chmod 000 cannot make
        // it unreadable here, so the file simply loads.
        eprintln!("note: running with the privilege to read a chmod 000 file: checking that it loads");
        assert_eq!(loaded("chmod 000 as root", &loader(&s, &[])).config().port, 1);
        return;
    }
    let issue = only_issue("chmod 000", &loader(&s, &[]));
    assert_issue(&issue, IssueKind::Io, "", &base_at(&s, 1, 1), &["cannot read the file", "ermission denied"]);
}

// ---------------------------------------------------------------- .env

fn dotenv_at(s: &Scratch, line: u32, column: u32) -> String {
    format!("{}:{line}:{column}", s.shown(".env"))
}

#[test]
fn dotenv_quotes_escapes_export_comments_and_multi_line_values() {
    let s = Scratch::new();
    s.write(
        ".env",
        "# a comment\n\
         \n\
         HOSTILE_NAME='single $HOME \\n # not a comment'\n\
         export HOSTILE_LABEL=\"tab\\there \\\"q\\\" \\\\ \\$x\" # a comment\n\
         HOSTILE_ZIPS=\"02134,\n  85001\"\n\
         export\tHOSTILE_PORT = 9000   # spaces around\n\
         HOSTILE_DB_URL=mongodb://h/db#frag\n\
         HOSTILE_REPLICA_URL=a #comment\n",
    );
    let loaded = loaded("dotenv syntax", &loader(&s, &[]));
    let c = loaded.config();
    assert_eq!(c.name, "single $HOME \\n # not a comment");
    assert_eq!(c.label, "tab\there \"q\" \\ $x");
    assert_eq!(c.zips, ["02134", "85001"]);
    assert_eq!(c.port, 9000);
    assert_eq!(c.db.url, "mongodb://h/db#frag");
    assert_eq!(c.replica.url, "a");
    let shown = s.shown(".env");
    assert_eq!(origin_of(&loaded, "name"), format!("{shown}:3 HOSTILE_NAME"));
    assert_eq!(origin_of(&loaded, "label"), format!("{shown}:4 HOSTILE_LABEL"));
    assert_eq!(origin_of(&loaded, "zips"), format!("{shown}:5 HOSTILE_ZIPS"));
    assert_eq!(origin_of(&loaded, "port"), format!("{shown}:7 HOSTILE_PORT"), "the line after the two-line value");
}

#[test]
fn dotenv_invalid_lines_are_each_reported_at_their_line() {
    let s = Scratch::new();
    s.write(
        ".env",
        "HOSTILE_PORT=1\nnot an entry\n=3\n9X=4\nBAD-NAME=5\nHOSTILE_NAME=\"bad \\q escape\"\nHOSTILE_LABEL='x' trailing\n\
         HOSTILE_COUNT=\"never closed\nHOSTILE_RATIO=2\n",
    );
    let err = failed("bad lines", &loader(&s, &[]));
    let found: Vec<(IssueKind, String)> =
        err.issues().iter().map(|i| (i.kind(), i.origin().unwrap().to_string())).collect();
    // A line that is no entry is shown from its start, an error in a value
    // at the value's start: either may be a pasted secret.
    let expected: Vec<(IssueKind, String)> = [(2, 1), (3, 1), (4, 1), (5, 1), (6, 14), (7, 15), (8, 15)]
        .into_iter()
        .map(|(line, column)| (IssueKind::Syntax, dotenv_at(&s, line, column)))
        .collect();
    assert_eq!(found, expected, "{err}");
    assert!(err.issues().iter().all(|i| i.path().is_empty()));
    assert!(err.issues()[6].message().contains("quote is never closed"), "{err}");
}

#[test]
fn dotenv_very_long_values_load() {
    let s = Scratch::new();
    let long = "v".repeat(1 << 20);
    s.write(".env", &format!("HOSTILE_NAME={long}\nHOSTILE_LABEL=\"{long}\"\nHOSTILE_PORT=2\n"));
    let loaded = loaded("long .env values", &loader(&s, &[]));
    assert_eq!(loaded.config().name, long);
    assert_eq!(loaded.config().label, long);
    assert_eq!(origin_of(&loaded, "port"), format!("{}:3 HOSTILE_PORT", s.shown(".env")));
}

#[test]
fn dotenv_nul_bytes_and_invalid_utf8_are_reported_at_their_line() {
    let s = Scratch::new();
    write_bytes(&s, ".env", b"HOSTILE_PORT=1\nHOSTILE_NAME=a\0b\nHOSTILE_LABEL=caf\xe9\n");
    let err = failed("nul", &loader(&s, &[]));
    assert_eq!(err.issues().len(), 2, "{err}");
    // At the value's start, not at the byte: the value may be a secret.
    assert_issue(&err.issues()[0], IssueKind::Syntax, "", &dotenv_at(&s, 2, 14), &["the line holds a NUL byte"]);
    assert_issue(&err.issues()[1], IssueKind::Syntax, "", &dotenv_at(&s, 3, 15), &["not valid utf-8; save"]);
}

#[test]
fn dotenv_with_many_bad_lines_and_quoted_values_stays_linear() {
    // 200,000 bad lines between 200,000 quoted values: once quadratic.
    let s = Scratch::new();
    let mut src = Vec::new();
    for _ in 0..200_000 {
        src.extend_from_slice(b"\0\nA=\"x\"\n");
    }
    write_bytes(&s, ".env", &src);
    let err = failed("many bad lines", &loader(&s, &[]));
    assert_eq!(err.issues().len(), 200_000);
}

// ---------------------------------------------------------------- variables

#[test]
fn numbers_out_of_range_name_the_type_bounds_and_variable() {
    let s = Scratch::new();
    let cases: [(&str, &str, &str, &str); 6] = [
        ("HOSTILE_PORT", "70000", "port", "`70000` is out of range for u16 (0 to 65535)"),
        ("HOSTILE_PORT", "-1", "port", "`-1` is out of range for u16 (0 to 65535)"),
        ("HOSTILE_COUNT", "256", "count", "`256` is out of range for u8 (0 to 255)"),
        ("HOSTILE_DB_POOL", "99999999999999999999999999999999999999999999", "db.pool", "is out of range for u32"),
        ("HOSTILE_RATIO", "1e400", "ratio", "`1e400` is out of range for f64"),
        ("HOSTILE_PORT", "80 80", "port", "`80 80` is not a valid u16"),
    ];
    for (name, value, path, message) in cases {
        let issue = only_issue(name, &loader(&s, &[(name, value)]));
        assert_issue(&issue, IssueKind::Invalid, path, &format!("env {name}"), &[message]);
    }
    // The bounds themselves load.
    let c = loaded("bounds", &loader(&s, &[("HOSTILE_PORT", "65535"), ("HOSTILE_COUNT", "0")]));
    assert_eq!((c.config().port, c.config().count), (65535, 0));
}

#[test]
fn lists_with_empty_items_are_refused_and_empty_text_is_an_empty_list() {
    let s = Scratch::new();
    for (value, message) in [
        ("a,,b", "item [1] is empty"),
        ("a,", "item [1] is empty"),
        (",a", "item [0] is empty"),
        ("[a, , b]", "item [1] is empty"),
        ("[a, b", "the list's opening `[` is not closed: end the list with `]`"),
        ("a, 'b", "item [1] has an unclosed quote"),
    ] {
        let issue = only_issue(value, &loader(&s, &[("HOSTILE_ZIPS", value)]));
        assert_issue(&issue, IssueKind::Invalid, "zips", "env HOSTILE_ZIPS", &[message]);
    }
    for (value, expected) in [("", &[][..]), ("[]", &[]), (" [ ] ", &[]), ("'', \"\"", &["", ""])] {
        let loaded = loaded(value, &loader(&s, &[("HOSTILE_ZIPS", value)]));
        assert_eq!(loaded.config().zips, expected, "{value:?}");
    }
}

#[test]
fn whitespace_around_values() {
    let s = Scratch::new();
    let c = loaded(
        "whitespace",
        &loader(
            &s,
            &[
                ("HOSTILE_PORT", " 8081 "),
                ("HOSTILE_VERBOSE", "\tyes "),
                ("HOSTILE_RATIO", " 1.5\n"),
                ("HOSTILE_ZIPS", "  02134 ,\t85001  "),
                ("HOSTILE_NAME", "  padded  "),
                ("HOSTILE_LABEL", " ' quoted keeps ' "),
            ],
        ),
    );
    let c = c.config();
    assert_eq!((c.port, c.verbose, c.ratio), (8081, true, 1.5), "numbers and bools are trimmed");
    assert_eq!(c.zips, ["02134", "85001"], "list items are trimmed");
    assert_eq!(c.name, "  padded  ", "text keeps its spaces");
    assert_eq!(c.label, " ' quoted keeps ' ");
    // Blank text is not a number.
    let issue = only_issue("blank", &loader(&s, &[("HOSTILE_PORT", "   ")]));
    assert_issue(&issue, IssueKind::Invalid, "port", "env HOSTILE_PORT", &["expected u16, found empty text"]);
}

#[test]
fn a_map_written_as_a_long_variable_is_checked_for_repeated_keys_in_linear_time() {
    #[derive(PhoenixConfig)]
    struct Tags {
        #[env("TAGS")]
        tags: std::collections::HashMap<String, String>,
    }
    let mut text = String::new();
    for i in 0..100_000 {
        write!(text, "k{i}: v,").unwrap();
    }
    text.push_str("k5: again");
    let loader = ConfigLoader::new().no_dotenv().config_dir("/nonexistent").env_vars(vec![("TAGS", text)]);
    let err = bounded("long map", move || loader.load::<Tags>().map(|t| t.tags.len())).unwrap_err();
    assert_issue(&err.issues()[0], IssueKind::Invalid, "tags", "env TAGS", &["key `k5` appears twice"]);
}

#[test]
fn a_long_unknown_enum_value_is_refused_without_a_costly_suggestion() {
    #[derive(Debug, PartialEq, phoenix_config::serde::Deserialize)]
    #[serde(crate = "phoenix_config::serde", rename_all = "lowercase")]
    enum Level {
        Debug,
        Info,
    }
    #[derive(PhoenixConfig)]
    struct Logging {
        #[env("LEVEL")]
        level: Level,
    }
    let loader =
        ConfigLoader::new().no_dotenv().config_dir("/nonexistent").env_vars(vec![("LEVEL", "x".repeat(4 << 20))]);
    let err = bounded("long enum", move || loader.load::<Logging>().map(|l| l.level)).unwrap_err();
    let issue = &err.issues()[0];
    assert_eq!((issue.kind(), issue.path()), (IssueKind::Invalid, "level"));
    assert!(issue.message().starts_with("unknown value `xxx"), "{}", &issue.message()[..80]);
    assert!(issue.message().len() < 200, "the value is cut in the message");
    let loader = ConfigLoader::new().no_dotenv().config_dir("/nonexistent").env_vars([("LEVEL", "infoo")]);
    let err = bounded("typo", move || loader.load::<Logging>().map(|l| l.level)).unwrap_err();
    assert!(err.issues()[0].message().ends_with("(did you mean `info`?)"), "{err}");
}

/// The environment variable that tells a child process which case to run.
const CHILD_CASE: &str = "PHOENIX_HOSTILE_CHILD_CASE";

/// Runs the ignored test `child_process_case` in a child process (this
/// test binary) with `vars` added to its environment; the case checks what
/// it must and exits non-zero on failure.
#[cfg(unix)]
fn in_child(case: &str, vars: &[(&[u8], &[u8])]) {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let exe = std::env::current_exe().expect("the test binary");
    let mut command = std::process::Command::new(exe);
    command.args(["--exact", "child_process_case", "--ignored", "--nocapture", "--test-threads=1"]);
    command.env(CHILD_CASE, case);
    for (name, value) in vars {
        command.env(OsStr::from_bytes(name), OsStr::from_bytes(value));
    }
    let output = bounded(case, move || command.output().expect("the child process"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child case {case} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(unix)]
#[test]
fn non_utf8_variables_are_reported_not_ignored() {
    in_child("field", &[(b"HOSTILE_NAME", b"caf\xe9"), (b"HOSTILE_DB_POOL", b"\xff")]);
    in_child("environment", &[(b"ENVIRONMENT", b"prod\xff")]);
    in_child("file variable", &[(b"DB_PASSWORD_FILE", b"/run/\xff")]);
}

/// Non-UTF-8 values of the variables the loader reads for itself:
/// `HOSTILE_CONFIG_DIR` (the names follow the prefix) is a path (any bytes are valid on Unix) and is used
/// as given; a key variable that is not UTF-8 is an `IssueKind::Secret`
/// issue, never "no key".
#[cfg(unix)]
#[test]
fn non_utf8_config_dir_and_key_variables_are_not_ignored() {
    in_child("config dir", &[(b"HOSTILE_CONFIG_DIR", b"/tmp/phoenix-hostile-\xff")]);
    in_child("key", &[(b"HOSTILE_CONFIG_KEY", b"k1:\xff"), (b"HOSTILE_DB_PASSWORD", b"enc:v1:k1:AAAA")]);
}

/// One case of [`non_utf8_variables_are_reported_not_ignored`] (or of
/// [`non_utf8_config_dir_and_key_variables_are_not_ignored`]), run in a
/// child process whose environment holds non-UTF-8 values.
#[test]
#[ignore = "run in a child process by non_utf8_variables_are_reported_not_ignored"]
fn child_process_case() {
    let Ok(case) = std::env::var(CHILD_CASE) else { return };
    if case == "config dir" {
        use std::os::unix::ffi::OsStrExt;
        // The folder the variable names, with a config of its own.
        let dir = Path::new(std::ffi::OsStr::from_bytes(b"/tmp/phoenix-hostile-\xff"));
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("base.yaml"), "port: 7\n").unwrap();
        let loader = ConfigLoader::new().no_dotenv().environment(Environment::Testing);
        let port = load(&case, &loader).map(|l| l.config().port);
        std::fs::remove_dir_all(dir).unwrap();
        assert_eq!(port, Ok(7), "HOSTILE_CONFIG_DIR names a folder that is not UTF-8");
        return;
    }
    let s = Scratch::new();
    // The process environment, not injected variables.
    let loader = ConfigLoader::new().config_dir(s.path().join("config")).dotenv(s.path().join(".env"));
    let err = match case.as_str() {
        "field" | "file variable" | "key" => failed(&case, &loader.environment(Environment::Testing)),
        _ => failed(&case, &loader),
    };
    let issues = err.issues();
    match case.as_str() {
        "field" => {
            assert_eq!(issues.len(), 2, "{err}");
            assert_issue(
                &issues[0],
                IssueKind::Invalid,
                "name",
                "env HOSTILE_NAME",
                &["variable HOSTILE_NAME is not valid UTF-8"],
            );
            assert_issue(&issues[1], IssueKind::Invalid, "db.pool", "env HOSTILE_DB_POOL", &["not valid UTF-8"]);
        }
        "environment" => {
            assert_eq!(issues.len(), 1, "{err}");
            assert_issue(
                &issues[0],
                IssueKind::Environment,
                "",
                "env ENVIRONMENT",
                &["variable ENVIRONMENT is not valid UTF-8"],
            );
        }
        "file variable" => {
            assert_eq!(issues.len(), 1, "{err}");
            assert_issue(
                &issues[0],
                IssueKind::Invalid,
                "db.password",
                "env DB_PASSWORD_FILE",
                &["variable DB_PASSWORD_FILE is not valid UTF-8"],
            );
        }
        "key" => {
            assert_eq!(issues.len(), 1, "{err}");
            assert_issue(
                &issues[0],
                IssueKind::Secret,
                "",
                "env HOSTILE_CONFIG_KEY",
                &["variable HOSTILE_CONFIG_KEY is not valid UTF-8"],
            );
        }
        other => panic!("unknown child case {other}"),
    }
}

// ---------------------------------------------------------------- secret files

fn secret_origin(path: &Path, via: &str) -> String {
    format!("file {} ({via})", path.display())
}

#[cfg(unix)]
/// Makes a FIFO; `false` (with a note) where the `mkfifo` command is missing.
fn mkfifo(path: &Path) -> bool {
    let made = std::process::Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success());
    if !made {
        eprintln!("note: mkfifo is not available, skipping the FIFO case");
    }
    made
}

#[cfg(unix)]
#[test]
fn secret_files_that_are_loops_fifos_devices_too_large_or_missing_are_secret_issues() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new();
    let dir = s.path().join("secrets");
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("loop-a"), dir.join("loop-b"));
    symlink(&a, &b).unwrap();
    symlink(&b, &a).unwrap();
    let big = write_bytes(&s, "secrets/big", &vec![b'x'; 64 * 1024 + 1]);
    let fifo = dir.join("fifo");
    let has_fifo = mkfifo(&fifo);
    let mut cases: Vec<(PathBuf, &str)> = vec![
        (a.clone(), "cannot be opened: its symbolic links form a loop"),
        (PathBuf::from("/dev/zero"), "is a character device, not a regular file; it was not read"),
        (big.clone(), "is 65537 bytes, over the limit of 65536 (raise `Limits::max_secret_file_bytes`)"),
        (dir.join("missing"), "does not exist"),
        (dir.clone(), "is a directory, not a regular file"),
    ];
    if has_fifo {
        cases.push((fifo.clone(), "is a named pipe (FIFO), not a regular file; it was not read"));
    }
    for (path, message) in cases {
        let shown = path.display().to_string();
        let issue = only_issue(&shown, &loader(&s, &[("DB_PASSWORD_FILE", &shown)]));
        assert_issue(&issue, IssueKind::Secret, "db.password", &secret_origin(&path, "DB_PASSWORD_FILE"), &[message]);
        assert!(issue.message().contains(&shown), "{issue}");
    }
    // The same through the secrets folder: one file per variable name.
    if has_fifo {
        std::fs::rename(&fifo, dir.join("DB_PASSWORD")).unwrap();
        let issue = only_issue("fifo in the secrets folder", &loader(&s, &[]).secrets_dir(&dir));
        let path = dir.join("DB_PASSWORD");
        assert_issue(&issue, IssueKind::Secret, "db.password", &secret_origin(&path, "secrets dir"), &["named pipe"]);
    }
    std::fs::remove_file(dir.join("DB_PASSWORD")).ok();
    symlink("/dev/zero", dir.join("DB_PASSWORD")).unwrap();
    let issue = only_issue("/dev/zero in the secrets folder", &loader(&s, &[]).secrets_dir(&dir));
    assert_issue(
        &issue,
        IssueKind::Secret,
        "db.password",
        &secret_origin(&dir.join("DB_PASSWORD"), "secrets dir"),
        &["character device"],
    );
}

// ---------------------------------------------------------------- limits

/// A file `bytes` long exactly: `name: ` and padding.
fn file_of(bytes: usize) -> String {
    let mut text = String::from("name: ");
    text.push_str(&"n".repeat(bytes - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), bytes);
    text
}

#[test]
fn max_file_bytes_lets_a_file_of_exactly_the_limit_through() {
    let s = Scratch::new();
    s.write("config/base.yaml", &file_of(100));
    s.write(".env", "HOSTILE_LABEL=0123456789\n");
    let at = |bytes: u64| loader(&s, &[]).limits(Limits::default().with_max_file_bytes(bytes));
    assert_eq!(loaded("100 bytes, limit 100", &at(100)).config().name.len(), 93);
    let issue = only_issue("100 bytes, limit 99", &at(99));
    assert_issue(
        &issue,
        IssueKind::Io,
        "",
        &base_at(&s, 1, 1),
        &["the file is 100 bytes, over the limit of 99 (raise `Limits::max_file_bytes`)"],
    );
    // `.env` too.
    s.write("config/base.yaml", "");
    assert_eq!(loaded(".env at the limit", &at(25)).config().label, "0123456789");
    let issue = only_issue(".env over the limit", &at(24));
    assert_issue(&issue, IssueKind::Io, "", &dotenv_at(&s, 1, 1), &["the file is 25 bytes, over the limit of 24"]);
}

#[test]
fn max_file_bytes_bounds_the_text_aliases_copy() {
    let s = Scratch::new();
    let value = "v".repeat(40);
    // The anchor keeps 40 bytes, four aliases copy 160: 200 in all.
    let src = format!("name: &v {value}\nlabel: *v\ndb: {{url: *v}}\nreplica: {{url: *v}}\nzips: [*v]\n");
    assert!(src.len() < 199);
    s.write("config/base.yaml", &src);
    let at = |bytes: u64| loader(&s, &[]).limits(Limits::default().with_max_file_bytes(bytes));
    assert_eq!(loaded("copies at the limit", &at(200)).config().zips, std::slice::from_ref(&value));
    let issue = only_issue("copies over the limit", &at(199));
    assert_issue(
        &issue,
        IssueKind::Syntax,
        "",
        &base_at(&s, 5, 8),
        &["anchors and aliases copy more than 199 bytes of text", "raise `Limits::max_file_bytes`"],
    );
}

#[test]
fn max_secret_file_bytes_lets_a_file_of_exactly_the_limit_through() {
    let s = Scratch::new();
    let path = write_bytes(&s, "secrets/pw", b"0123456789");
    let shown = path.display().to_string();
    let at = |bytes: u64| {
        loader(&s, &[("DB_PASSWORD_FILE", &shown)]).limits(Limits::default().with_max_secret_file_bytes(bytes))
    };
    assert_eq!(loaded("secret at the limit", &at(10)).config().db.password.as_deref(), Some("0123456789"));
    let issue = only_issue("secret over the limit", &at(9));
    assert_issue(
        &issue,
        IssueKind::Secret,
        "db.password",
        &secret_origin(&path, "DB_PASSWORD_FILE"),
        &["is 10 bytes, over the limit of 9 (raise `Limits::max_secret_file_bytes`)"],
    );
}

#[test]
fn max_depth_lets_nesting_of_exactly_the_limit_through() {
    #[derive(PhoenixConfig)]
    struct Deep {
        grid: Vec<Vec<Vec<String>>>,
    }
    let s = Scratch::new();
    // The top map, then three lists: four levels.
    s.write("config/base.yaml", "grid: [[[a]]]\n");
    let at = |depth: usize| {
        let loader = loader(&s, &[]).limits(Limits::default().with_max_depth(depth));
        bounded("depth", move || loader.load::<Deep>().map(|d| d.grid))
    };
    assert_eq!(at(4).unwrap(), [[["a"]]]);
    let err = at(3).unwrap_err();
    assert_issue(
        &err.issues()[0],
        IssueKind::Syntax,
        "",
        &base_at(&s, 1, 9),
        &["nest deeper than 3 levels", "raise `Limits::max_depth`"],
    );
}

#[test]
fn max_nodes_lets_a_file_of_exactly_the_limit_through() {
    let s = Scratch::new();
    // The top map, the key, the list and its three items: six values.
    s.write("config/base.yaml", "zips: [a, b, c]\n");
    let at = |nodes: usize| loader(&s, &[]).limits(Limits::default().with_max_nodes(nodes));
    assert_eq!(loaded("6 values, limit 6", &at(6)).config().zips, ["a", "b", "c"]);
    let issue = only_issue("6 values, limit 5", &at(5));
    assert_issue(
        &issue,
        IssueKind::Syntax,
        "",
        &base_at(&s, 1, 14),
        &["more than 5 values", "raise `Limits::max_nodes`"],
    );
}

#[test]
fn the_limits_have_documented_defaults() {
    let limits = Limits::default();
    assert_eq!(limits.max_file_bytes, 4 * 1024 * 1024);
    assert_eq!(limits.max_secret_file_bytes, 64 * 1024);
    assert_eq!(limits.max_depth, 64);
    assert_eq!(limits.max_nodes, 100_000);
    let raised = limits.with_max_file_bytes(1).with_max_secret_file_bytes(2).with_max_depth(3).with_max_nodes(4);
    assert_eq!((raised.max_file_bytes, raised.max_secret_file_bytes, raised.max_depth, raised.max_nodes), (1, 2, 3, 4));
}

#[test]
fn a_huge_unknown_key_gives_a_short_message_quickly() {
    let s = Scratch::new();
    let key = "k".repeat(3 << 20);
    s.write("config/base.yaml", &format!("db:\n  ? {key}\n  : 1\n"));
    let issue = only_issue("a 3 MiB unknown key", &loader(&s, &[]));
    assert_eq!(issue.kind(), IssueKind::UnknownKey);
    assert!(issue.message().len() < 400, "the key is cut in the message: {} bytes", issue.message().len());
    assert!(issue.message().contains('…'), "{}", &issue.message()[..100]);
}
