//! Interpolation: `${…}` in the values of config files, and the expansion
//! grammar shared with `.env` ([`grammar`]).
//!
//! The pass runs once per load, after every layer is merged and before the
//! build step converts the tree, so `port: ${PORT:-8080}` fills a `u16` and
//! a reference sees the value in effect:
//!
//! - `${NAME}`, `${NAME:-default}` (and the other braced forms of the
//!   grammar) read the loader's variables (injected with `env_vars`, else
//!   the process environment), then `.env` entries;
//! - `${.database.host}` is the value of another key (a leading `.`, which
//!   no variable name has); `${.proxies[0].host}` picks a list item;
//! - `$${` is a literal `${`; any other `$` is text.
//!
//! Only values read from structured files (YAML, TOML, JSON) expand; the
//! text of variables, `.env` entries, secret files and overrides is taken as
//! it is. An expanded value converts like a variable's text (DESIGN §4.3),
//! and its origin names both places: `config/base.yaml:4:9 via env DB_HOST`.
//!
//! Problems are issues at the value's key and origin: an unset name with no
//! default, a reference cycle (one issue naming the cycle), a chain deeper
//! than `Limits::max_reference_depth`, more text than
//! `Limits::max_expanded_bytes`, and a secret pulled into a field that is
//! not secret. A failed value reports once: the build step's follow-up
//! complaints about the same key are dropped.

pub(crate) mod grammar;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

use grammar::{Dialect, Scope, Stop, Target};
use zeroize::Zeroizing;

use crate::dotenv::{DotenvEntry, Refs, required_message};
use crate::limits::{DEPTH_CEILING, Limits};
use crate::loader::{DotenvMap, Vars};
use crate::node::{Node, NodeKind, ScalarStyle};
use crate::schema::StructInfo;
use crate::secret::WipedString;
use crate::{Issue, IssueKind, Origin};

/// What the pass reads besides the tree.
pub(crate) struct Context<'a> {
    pub(crate) vars: &'a Vars<'a>,
    pub(crate) dotenv: Option<&'a DotenvMap>,
    /// The settings type: which keys and variables are secret.
    pub(crate) info: &'static StructInfo,
    /// The key-ring variables (`<P>_CONFIG_KEY`, …): secrets too.
    pub(crate) key_vars: &'a [(&'a str, &'a str)],
    pub(crate) limits: &'a Limits,
}

/// The keys whose interpolation failed (already reported): the build
/// step's complaints about them are follow-ups of the same cause.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    failed: Vec<String>,
}

impl Outcome {
    /// Drops the issues of the build step about a key that already failed
    /// here (one root cause, one message).
    pub(crate) fn drop_follow_ups(&self, issues: &mut Vec<Issue>) {
        if self.failed.is_empty() {
            return;
        }
        issues.retain(|issue| {
            let follow_up = matches!(issue.kind(), IssueKind::Invalid | IssueKind::Missing | IssueKind::Validation);
            !(follow_up && self.failed.iter().any(|failed| related(failed, issue.path())))
        });
    }
}

/// Whether one path is the other, or inside it.
fn related(a: &str, b: &str) -> bool {
    let inside = |outer: &str, inner: &str| {
        inner.strip_prefix(outer).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    inside(a, b) || inside(b, a)
}

/// Expands every `${…}` in the file values of `root`, and checks that no
/// secret lands in a field that is not secret.
pub(crate) fn run(root: &mut Node, cx: &Context<'_>, issues: &mut Vec<Issue>) -> Outcome {
    if !needs_pass(root, cx) {
        return Outcome::default();
    }
    let mut found = Found::default();
    collect(root, &mut String::new(), cx, &mut found);
    if found.templates.is_empty() && found.from_dotenv.is_empty() {
        return Outcome::default();
    }
    let secrets = Secrets::of(cx.info, cx.key_vars);
    let mut resolver = Resolver::new(root, cx, &secrets);
    for path in &found.templates {
        resolver.resolve(path);
    }
    let Resolver { memo, issues: mut reported, failed, .. } = resolver;
    let mut outcome = Outcome { failed };
    for path in &found.templates {
        if let Some(State::Done(value)) = memo.get(path.as_str()) {
            land(root, path, value, &secrets, &mut reported, &mut outcome);
        }
    }
    for (path, name) in &found.from_dotenv {
        check_dotenv_value(path, name, cx, &secrets, &mut reported, &mut outcome);
    }
    issues.append(&mut reported);
    outcome
}

/// What a walk of the tree found.
#[derive(Default)]
struct Found {
    /// Paths of the file values holding `${`, in tree order.
    templates: Vec<String>,
    /// Paths of values taken from an expanded `.env` entry, with its name.
    from_dotenv: Vec<(String, Arc<str>)>,
}

/// The text and style of a scalar (one place that knows the node's text storage).
fn scalar(node: &Node) -> Option<(&str, ScalarStyle)> {
    match &node.kind {
        NodeKind::Scalar { text, style } => Some((text.as_str(), *style)),
        _ => None,
    }
}

/// Whether a scalar is a file value to expand.
fn is_template(text: &str, style: ScalarStyle) -> bool {
    style != ScalarStyle::Text && grammar::has_expansion(text, Dialect::File)
}

/// Whether any value may need the pass (a `${` in its text, or taken from
/// an expanded `.env` entry): a walk that builds no path and checks no
/// UTF-8, so a tree without either costs one scan of its bytes.
fn needs_pass(node: &Node, cx: &Context<'_>) -> bool {
    match &node.kind {
        NodeKind::Scalar { text, .. } => holds_open(text.as_bytes()) || from_expanded_dotenv(node, cx),
        NodeKind::Seq(items) => items.iter().any(|item| needs_pass(item, cx)),
        NodeKind::Map(entries) => entries.iter().any(|entry| needs_pass(&entry.value, cx)),
        NodeKind::Null => false,
    }
}

/// Whether `bytes` hold `${`: most values hold no `$` at all, which eight
/// bytes at a time tells cheaply.
fn holds_open(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    let dollar =
        chunks.by_ref().any(|chunk| <[u8; 8]>::try_from(chunk).is_ok_and(|word| has_dollar(u64::from_le_bytes(word))))
            || chunks.remainder().contains(&b'$');
    dollar && bytes.windows(2).any(|pair| pair == b"${")
}

/// Whether a byte of `word` is `$` (a zero byte of `word ^ 0x24…`: the
/// classic test, exact for "is there one", which is all it answers).
fn has_dollar(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let x = word ^ (ONES * u64::from(b'$'));
    x.wrapping_sub(ONES) & !x & (ONES << 7) != 0
}

/// Whether a value was taken from a `.env` entry that expanded something.
fn from_expanded_dotenv(node: &Node, cx: &Context<'_>) -> bool {
    dotenv_name(&node.origin)
        .is_some_and(|name| cx.dotenv.and_then(|d| d.get(name)).is_some_and(|e| !e.refs.is_empty()))
}

fn collect(node: &Node, path: &mut String, cx: &Context<'_>, found: &mut Found) {
    match &node.kind {
        NodeKind::Scalar { .. } => collect_scalar(node, path, cx, found),
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                collect(item, path, cx, found);
                path.truncate(len);
            }
        }
        NodeKind::Map(entries) => {
            for entry in entries {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&entry.key);
                collect(&entry.value, path, cx, found);
                path.truncate(len);
            }
        }
        NodeKind::Null => {}
    }
}

fn collect_scalar(node: &Node, path: &str, cx: &Context<'_>, found: &mut Found) {
    let Some((text, style)) = scalar(node) else { return };
    if is_template(text, style) {
        found.templates.push(path.to_owned());
    } else if let Some(name) = dotenv_name(&node.origin)
        && cx.dotenv.and_then(|d| d.get(name)).is_some_and(|e| !e.refs.is_empty())
    {
        found.from_dotenv.push((path.to_owned(), name.clone()));
    }
}

/// The entry name of a `.env` origin.
fn dotenv_name(origin: &Origin) -> Option<&Arc<str>> {
    match origin {
        Origin::Dotenv { name, .. } => Some(name),
        Origin::Interpolated { at, .. } => dotenv_name(at),
        _ => None,
    }
}

/// The secret keys and variables of a settings type.
struct Secrets {
    info: &'static StructInfo,
    /// Variable names of secret fields, and the key-ring variables.
    vars: HashSet<String>,
    /// What [`Secrets::dotenv_secret`] found, by entry.
    dotenv: RefCell<HashMap<*const Refs, Option<Arc<str>>>>,
}

impl Secrets {
    fn of(info: &'static StructInfo, key_vars: &[(&str, &str)]) -> Self {
        let mut vars: HashSet<String> = info
            .leaves()
            .into_iter()
            .filter(|leaf| leaf.field.is_secret())
            .flat_map(|leaf| leaf.vars.into_iter())
            .collect();
        for (var, file) in key_vars {
            vars.insert((*var).to_owned());
            vars.insert((*file).to_owned());
        }
        Secrets { info, vars, dotenv: RefCell::default() }
    }

    fn is_var(&self, name: &str) -> bool {
        self.vars.contains(name) || self.is_item_var(name)
    }

    /// Whether a variable sets a secret inside a list or a map of sections
    /// (`APP_PROXIES_0_PASSWORD` for a secret `password` of the items), or
    /// sets such a list or map whole (`APP_PROXIES`).
    fn is_item_var(&self, name: &str) -> bool {
        let readings = crate::plan::readings_of(self.info, name);
        readings.iter().any(|steps| {
            self.info.secret_at(&crate::plan::display(steps)) || section_at(self.info, steps).is_some_and(holds_secret)
        })
    }

    /// The secret variable a `.env` entry was built from, if any (once per
    /// entry: a file may name one long chain many times).
    fn dotenv_secret(&self, entry: &DotenvEntry) -> Option<Arc<str>> {
        let key = Arc::as_ptr(&entry.refs);
        if let Some(found) = self.dotenv.borrow().get(&key) {
            return found.clone();
        }
        let found = entry.refs.find(&|name| self.is_var(name));
        self.dotenv.borrow_mut().insert(key, found.clone());
        found
    }

    /// Whether the value at a dotted path is a secret: the path runs
    /// through a secret field.
    fn is_path(&self, path: &str) -> bool {
        self.info.secret_at(path)
    }
}

/// The section type at the end of a variable's reading, if it ends at one.
fn section_at(mut info: &'static StructInfo, steps: &[crate::plan::Step]) -> Option<&'static StructInfo> {
    for step in steps {
        if let crate::plan::Step::Key(key) = step {
            info = info.field(key)?.nested_info()?;
        }
    }
    Some(info)
}

/// Whether a section holds a secret anywhere; each section type is looked
/// at once (a type may hold itself through a `Box`, `Vec` or map).
fn holds_secret(info: &'static StructInfo) -> bool {
    fn at(info: &'static StructInfo, seen: &mut Vec<*const StructInfo>) -> bool {
        if seen.contains(&std::ptr::from_ref(info)) {
            return false;
        }
        seen.push(info);
        info.fields.iter().any(|f| f.is_secret() || f.nested_info().is_some_and(|n| at(n, seen)))
    }
    at(info, &mut Vec::new())
}

#[derive(Clone, Debug)]
struct Built {
    /// The text (wiped when dropped: it may hold a secret).
    text: Zeroizing<String>,
    /// Where what it pulled in came from.
    via: Vec<Origin>,
    /// The secrets it was built from, named (`variable DB_PASSWORD`, `key db.password`), never shown by value.
    secrets: Vec<String>,
    /// The longest chain of keys below it: 1 for a value that refers to
    /// no other file value, one more for each key of the chain.
    depth: usize,
}

impl Built {
    /// Records what the value pulled in: where it came from and, if it is
    /// a secret, what to call it.
    fn pull(&mut self, origin: &Origin, secret: Option<String>) {
        match origin {
            Origin::Interpolated { at, via } => {
                self.add_origin((**at).clone());
                for origin in via {
                    self.add_origin(origin.clone());
                }
            }
            other => self.add_origin(other.clone()),
        }
        self.add_secret(secret);
    }

    fn add_origin(&mut self, origin: Origin) {
        if !self.via.contains(&origin) {
            self.via.push(origin);
        }
    }

    fn add_secret(&mut self, secret: Option<String>) {
        if let Some(secret) = secret
            && !self.secrets.contains(&secret)
        {
            self.secrets.push(secret);
        }
    }
}

enum State {
    /// Being resolved (on the stack).
    Busy,
    Done(Built),
    /// Failed, reported.
    Failed,
}

struct Resolver<'r> {
    root: &'r Node,
    cx: &'r Context<'r>,
    secrets: &'r Secrets,
    memo: HashMap<String, State>,
    /// The keys being resolved, outermost first.
    stack: Vec<String>,
    issues: Vec<Issue>,
    failed: Vec<String>,
    budget: usize,
    /// The budget ran out (reported once).
    overflowed: bool,
    /// A chain was too deep (reported once: the keys of a chain meet the
    /// limit at a different key depending on where resolving started).
    too_deep: bool,
    max_depth: usize,
}

impl<'r> Resolver<'r> {
    fn new(root: &'r Node, cx: &'r Context<'r>, secrets: &'r Secrets) -> Self {
        Resolver {
            root,
            cx,
            secrets,
            memo: HashMap::new(),
            stack: Vec::new(),
            issues: Vec::new(),
            failed: Vec::new(),
            budget: cx.limits.max_expanded_bytes,
            overflowed: false,
            too_deep: false,
            max_depth: cx.limits.max_reference_depth.clamp(1, DEPTH_CEILING),
        }
    }

    fn origin_of(&self, path: &str) -> Option<Origin> {
        find(self.root, path).map(|node| node.origin.clone())
    }

    fn issue(&mut self, kind: IssueKind, path: &str, message: String) {
        let origin = self.origin_of(path);
        self.issues.push(Issue::new(kind, path, message).with_origin_opt(origin));
    }

    fn fail(&mut self, path: &str) {
        self.memo.insert(path.to_owned(), State::Failed);
        self.failed.push(path.to_owned());
    }

    /// The value of the template at `path`, expanded (memoized); `None` when it failed.
    fn resolve(&mut self, path: &str) -> Option<Built> {
        match self.memo.get(path) {
            Some(State::Done(built)) => return Some(built.clone()),
            // Busy: on the stack, a cycle caught (and reported) before resolving.
            Some(State::Failed | State::Busy) => return None,
            None => {}
        }
        let root = self.root;
        let (text, _) = find(root, path).and_then(scalar)?;
        self.memo.insert(path.to_owned(), State::Busy);
        self.stack.push(path.to_owned());
        let result = self.expand(path, text);
        self.stack.pop();
        if let Some(built) = &result {
            self.memo.insert(path.to_owned(), State::Done(built.clone()));
        } else {
            self.fail(path);
        }
        result
    }

    fn expand(&mut self, path: &str, text: &str) -> Option<Built> {
        let parts = match grammar::parse(text, Dialect::File, self.max_depth) {
            Ok(parts) => parts,
            Err(e) => {
                let at = text[..e.at()].chars().count() + 1;
                let message = format!("{} (at character {at} of the value)", e.message(Dialect::File));
                self.issue(IssueKind::Syntax, path, message);
                return None;
            }
        };
        let mut scope = FileScope {
            resolver: self,
            path,
            built: Built { text: Zeroizing::default(), via: Vec::new(), secrets: Vec::new(), depth: 1 },
        };
        let mut out = WipedString::default();
        let result = grammar::expand(&parts, &mut scope, &mut out);
        let mut built = scope.built;
        built.text = Zeroizing::new(out.as_str().to_owned());
        match result {
            Ok(()) => Some(built),
            Err(stop) => {
                self.stopped(path, stop);
                None
            }
        }
    }

    fn stopped(&mut self, path: &str, stop: Stop) {
        match stop {
            Stop::Required { target, message, .. } => {
                self.issue(IssueKind::Missing, path, required_message(&target, &message));
            }
            Stop::TooLarge { .. } if !self.overflowed => {
                self.overflowed = true;
                let message = format!(
                    "the interpolated values grow past the limit of {} bytes; raise `Limits::max_expanded_bytes`",
                    self.cx.limits.max_expanded_bytes
                );
                self.issue(IssueKind::Invalid, path, message);
            }
            Stop::TooLarge { .. } | Stop::Reported => {}
        }
    }

    /// A variable: the loader's variables, then `.env`.
    fn variable(&mut self, path: &str, name: &str, built: &mut Built) -> Result<Option<Zeroizing<String>>, Stop> {
        let secret = self.secrets.is_var(name).then(|| format!("variable {name}"));
        match self.cx.vars.get(name) {
            Some(Ok(value)) => {
                built.pull(&Origin::Env { name: name.into(), alias_of: None }, secret);
                return Ok(Some(Zeroizing::new(value.to_owned())));
            }
            Some(Err(())) => {
                self.issue(IssueKind::Invalid, path, format!("variable {name} is not valid UTF-8"));
                return Err(Stop::Reported);
            }
            None => {}
        }
        let Some(dotenv) = self.cx.dotenv else { return Ok(None) };
        let Some(entry) = dotenv.get(name) else { return Ok(None) };
        let secret =
            secret.or_else(|| self.secrets.dotenv_secret(entry).map(|r| format!("variable {r} (through .env {name})")));
        built.pull(&dotenv.origin(entry), secret);
        Ok(Some(Zeroizing::new(entry.value.as_str().to_owned())))
    }

    /// Another key's value.
    fn key(&mut self, path: &str, target: &str, built: &mut Built) -> Result<Option<Zeroizing<String>>, Stop> {
        if let Some(start) = self.stack.iter().position(|p| p == target) {
            self.cycle(start, target);
            return Err(Stop::Reported);
        }
        if matches!(self.memo.get(target), Some(State::Failed)) {
            return Err(Stop::Reported);
        }
        let root = self.root;
        let Some(node) = find(root, target) else { return Ok(None) };
        let Some((text, style)) = scalar(node) else {
            let message = format!("`${{.{target}}}` names {}; a reference names a single value", node.describe());
            self.issue(IssueKind::Invalid, path, message);
            return Err(Stop::Reported);
        };
        if !is_template(text, style) {
            let secret = self.key_secret(target, node, &[]);
            built.pull(&node.origin, secret);
            return Ok(Some(Zeroizing::new(text.to_owned())));
        }
        // The stack is never deeper than the chain: the first check keeps
        // the recursion bounded, the second makes the limit independent of
        // the order the keys are resolved in.
        if self.stack.len() >= self.max_depth {
            return Err(self.too_deep(path));
        }
        let inner = self.resolve(target).ok_or(Stop::Reported)?;
        if inner.depth >= self.max_depth {
            return Err(self.too_deep(path));
        }
        built.depth = built.depth.max(inner.depth + 1);
        let secret = self.key_secret(target, node, &inner.secrets);
        let origin = Origin::Interpolated { at: Box::new(node.origin.clone()), via: inner.via };
        built.pull(&origin, secret);
        for secret in inner.secrets {
            built.add_secret(Some(secret));
        }
        Ok(Some(inner.text))
    }

    fn too_deep(&mut self, path: &str) -> Stop {
        if std::mem::replace(&mut self.too_deep, true) {
            return Stop::Reported;
        }
        let message = format!(
            "references chain more than {} keys deep; shorten the chain, or raise `Limits::max_reference_depth`",
            self.max_depth
        );
        self.issue(IssueKind::Invalid, path, message);
        Stop::Reported
    }

    /// Why the key at `target` is a secret, if it is.
    fn key_secret(&self, target: &str, node: &Node, inner: &[String]) -> Option<String> {
        let from_dotenv = dotenv_name(&node.origin).is_some_and(|name| {
            let entry = self.cx.dotenv.and_then(|d| d.get(name));
            self.secrets.is_var(name) || entry.is_some_and(|e| self.secrets.dotenv_secret(e).is_some())
        });
        let secret = self.secrets.is_path(target)
            || matches!(node.origin, Origin::SecretFile { .. })
            || from_dotenv
            || !inner.is_empty();
        secret.then(|| format!("key `{target}`"))
    }

    /// Reports the cycle from `stack[start]` back to `target`, once.
    fn cycle(&mut self, start: usize, target: &str) {
        let keys: Vec<String> = self.stack[start..].to_vec();
        let mut chain: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
        chain.push(format!("`{target}`"));
        let message = format!("the references form a cycle: {}; break it", chain.join(" → "));
        // Every key on the stack fails as the error unwinds; this is the one message.
        self.issue(IssueKind::Invalid, &keys[0], message);
    }
}

/// Names for one file value's expansion.
struct FileScope<'s, 'r> {
    resolver: &'s mut Resolver<'r>,
    path: &'s str,
    built: Built,
}

impl Scope for FileScope<'_, '_> {
    fn lookup(&mut self, target: Target<'_>, _at: usize) -> Result<Option<Zeroizing<String>>, Stop> {
        match target {
            Target::Var(name) => self.resolver.variable(self.path, name, &mut self.built),
            Target::Key(key) => self.resolver.key(self.path, &canonical(key), &mut self.built),
        }
    }

    fn unset(&mut self, target: Target<'_>, _at: usize) -> Result<(), Stop> {
        let message = match target {
            Target::Var(name) => format!(
                "variable {name} is not set (named by `${{{name}}}`); set it, or give a default: `${{{name}:-default}}`"
            ),
            Target::Key(key) => format!(
                "no key `{key}` (named by `${{.{key}}}`) in the files, variables or overrides (a reference does not \
                 see `#[config(default)]` values); set it, or give a default: `${{.{key}:-default}}`"
            ),
        };
        self.resolver.issue(IssueKind::Missing, self.path, message);
        Err(Stop::Reported)
    }

    fn budget(&mut self) -> &mut usize {
        &mut self.resolver.budget
    }
}

/// The node at a dotted path (`a.b[1].c`).
fn find<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    let mut node = root;
    for segment in segments(path) {
        node = match (segment, &node.kind) {
            (Segment::Key(key), NodeKind::Map(_)) => node.get(key)?,
            (Segment::Index(i), NodeKind::Seq(items)) => items.get(i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn find_mut<'n>(root: &'n mut Node, path: &str) -> Option<&'n mut Node> {
    let mut node = root;
    for segment in segments(path) {
        node = match (segment, &mut node.kind) {
            (Segment::Key(key), NodeKind::Map(entries)) => &mut entries.iter_mut().find(|e| e.key == key)?.value,
            (Segment::Index(i), NodeKind::Seq(items)) => items.get_mut(i)?,
            _ => return None,
        };
    }
    Some(node)
}

#[derive(Clone, Copy)]
enum Segment<'p> {
    Key(&'p str),
    Index(usize),
}

/// The segments of `a.b[1].c`. A key holding `.` or `[` cannot be named.
fn segments(path: &str) -> impl Iterator<Item = Segment<'_>> {
    path.split('.').flat_map(|part| {
        let mut pieces = part.split('[');
        let key = pieces.next().filter(|k| !k.is_empty()).map(Segment::Key);
        let indexes =
            pieces.map(|p| p.trim_end_matches(']').parse().map_or(Segment::Index(usize::MAX), Segment::Index));
        key.into_iter().chain(indexes)
    })
}

/// A path as the tree walk writes it (`a[01]` → `a[1]`), so that a cycle
/// is seen whatever the spelling.
fn canonical(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for segment in segments(path) {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// Puts an expanded value in place, unless it carries a secret into a
/// field that is not secret.
fn land(root: &mut Node, path: &str, built: &Built, secrets: &Secrets, issues: &mut Vec<Issue>, outcome: &mut Outcome) {
    let Some(node) = find_mut(root, path) else { return };
    let origin = if built.via.is_empty() {
        node.origin.clone()
    } else {
        Origin::Interpolated { at: Box::new(node.origin.clone()), via: built.via.clone() }
    };
    if !built.secrets.is_empty() && !secrets.is_path(path) {
        issues.push(secret_issue(path, &built.secrets, origin));
        outcome.failed.push(path.to_owned());
        return;
    }
    *node = Node::text(built.text.as_str(), origin);
}

fn secret_issue(path: &str, secrets: &[String], origin: Origin) -> Issue {
    let message = format!(
        "the value is built from a secret ({}) but `{path}` is not secret; mark the field #[secret] \
         (or its type Secret<…>), or leave the secret out",
        secrets.join(", ")
    );
    Issue::new(IssueKind::Secret, path, message).with_origin(origin)
}

/// A value taken from a `.env` entry that was built from a secret must land
/// in a secret field.
fn check_dotenv_value(
    path: &str,
    name: &str,
    cx: &Context<'_>,
    secrets: &Secrets,
    issues: &mut Vec<Issue>,
    outcome: &mut Outcome,
) {
    let Some(dotenv) = cx.dotenv else { return };
    let Some(entry) = dotenv.get(name) else { return };
    let Some(secret) = secrets.dotenv_secret(entry) else { return };
    if secrets.is_path(path) {
        return;
    }
    issues.push(secret_issue(path, &[format!("variable {secret}")], dotenv.origin(entry)));
    outcome.failed.push(path.to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_is_found_at_every_position_and_only_there() {
        for len in [0, 1, 2, 7, 8, 9, 15, 16, 17, 24] {
            let plain = vec![b'a'; len];
            assert!(!holds_open(&plain));
            for at in 0..len {
                let mut bytes = plain.clone();
                bytes[at] = b'$';
                assert!(!holds_open(&bytes), "lone $ at {at} of {len}");
                if at + 1 < len {
                    bytes[at + 1] = b'{';
                    assert!(holds_open(&bytes), "${{ at {at} of {len}");
                }
            }
        }
        assert!(!holds_open("{$ $} \u{e9}$".as_bytes()) && holds_open("\u{e9}\u{e9}\u{e9}\u{e9}${x}".as_bytes()));
    }

    #[test]
    fn paths_split_into_keys_and_items() {
        let shown: Vec<String> = segments("a.b[1].c[0][2]")
            .map(|s| match s {
                Segment::Key(k) => k.to_owned(),
                Segment::Index(i) => i.to_string(),
            })
            .collect();
        assert_eq!(shown, ["a", "b", "1", "c", "0", "2"]);
    }

    #[test]
    fn canonical_paths() {
        assert_eq!(canonical("a.b[01].c"), "a.b[1].c");
        assert_eq!(canonical("tags[0][2]"), "tags[0][2]");
    }

    #[test]
    fn related_paths() {
        assert!(related("a.b", "a.b"));
        assert!(related("a.b", "a.b[1]"));
        assert!(related("a.b.c", "a.b"));
        assert!(!related("a.b", "a.bc"));
        assert!(!related("a.b", "a.c"));
    }
}
