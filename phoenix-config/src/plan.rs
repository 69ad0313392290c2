//! The variable plan of a settings type: every leaf with the names it
//! answers to, computed once per type and reused by every load.

use std::any::TypeId;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use crate::names::Names;
use crate::node::{Entry, Node, NodeKind, ScalarStyle};
use crate::schema::{FieldInfo, SectionShape, StructInfo, vars_of};
use crate::{Issue, IssueKind, Origin, PhoenixConfig};

/// One leaf of the tree and its variables.
pub(crate) struct PlannedLeaf {
    /// The dotted path.
    pub(crate) path: String,
    /// The path as keys.
    segments: Vec<&'static str>,
    /// Names tried, in order.
    pub(crate) vars: Vec<PlannedVar>,
}

/// One variable name of a leaf, with its `NAME_FILE` form: made once per
/// type, so that a load neither formats names nor allocates an origin's
/// name (an `Arc` clone) for each lookup.
pub(crate) struct PlannedVar {
    /// The variable name.
    pub(crate) name: Arc<str>,
    /// `NAME_FILE`: the file holding the value (Docker and Kubernetes).
    pub(crate) file: Arc<str>,
}

impl PlannedLeaf {
    pub(crate) fn segments(&self) -> &[&'static str] {
        &self.segments
    }
}

/// Every leaf of a type, and the variables two fields share.
pub(crate) struct Plan {
    pub(crate) leaves: Vec<PlannedLeaf>,
    /// One `Conflict` issue per variable that two fields resolve to.
    pub(crate) conflicts: Vec<Issue>,
    /// Every name a leaf answers to (`NAME` and `NAME_FILE`) → its leaves
    /// (several only in a conflict) and which of their names it is, so that
    /// a load looks up only the names that are set.
    pub(crate) index: HashMap<Arc<str>, Vec<NameSlot>, crate::name_hash::NameBuild>,
    /// A first, hash-free test of whether a name is in `index`.
    pub(crate) shapes: NameShapes,
    /// The root, when it has a prefix and a list or a map of sections
    /// somewhere: then a variable `PREFIX_…` may name a value inside an
    /// item (`PHOENIX_PROXIES_0_HOST`), read by [`Plan::readings`].
    pub(crate) dynamic: Option<(&'static str, &'static StructInfo)>,
    /// The crate's own names for the root's prefix (`PHOENIX_ENVIRONMENT`,
    /// …), made once per type rather than by every load.
    pub(crate) names: Arc<Names>,
    /// The root prefix with its `_` (`PHOENIX_`), the start of the
    /// variables a load looks at.
    pub(crate) var_prefix: Option<Box<str>>,
    /// The root prefix (`PHOENIX`): only a name that starts with it may set
    /// a value inside an item or be reported unused.
    prefix: Option<&'static str>,
    /// The fixed leaves' names (`NAME`, `NAME_FILE`) that also read as a
    /// value inside a list or a map item (`regions_eu_bucket` and
    /// `regions.eu.bucket`): found once per type, so a load reads no other
    /// fixed name as an item (usually none).
    fixed_items: Vec<Arc<str>>,
}

type Plans = RwLock<HashMap<TypeId, Arc<Plan>>>;

/// One leaf a variable name belongs to, and which of the leaf's names it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NameSlot {
    /// The leaf's index in [`Plan::leaves`].
    pub(crate) leaf: usize,
    /// The name's bits ([`name_bit`]): one, or two when a leaf lists a name twice.
    pub(crate) bits: u64,
}

/// The bit of a leaf's `var`th name (`file`: its `NAME_FILE`) in a mask of
/// the names that are set: `NAME` and `NAME_FILE` of the first name are
/// bits 0 and 1, of the second 2 and 3, …; names past the 31st share bit
/// 63 (a set bit means "look it up", so sharing only costs a lookup).
pub(crate) fn name_bit(var: usize, file: bool) -> u64 {
    1 << (2 * var + usize::from(file)).min(63)
}

/// What a set of variable names means to one plan, found in one walk over
/// the names (for injected variables once per loader, see `VarMap`).
#[derive(Clone)]
pub(crate) struct SetNames<'a> {
    /// Per leaf, the bits of its names that are set ([`name_bit`]): `0`
    /// for a leaf none of whose names is set.
    pub(crate) leaves: Vec<u64>,
    /// The set names that start with the root prefix: the only ones that
    /// may set a value inside an item or be reported unused.
    pub(crate) prefixed: Vec<Cow<'a, str>>,
}

impl SetNames<'_> {
    /// The same, owning its names (to be kept between loads).
    pub(crate) fn into_owned(self) -> SetNames<'static> {
        let prefixed = self.prefixed.into_iter().map(|name| Cow::Owned(name.into_owned())).collect();
        SetNames { leaves: self.leaves, prefixed }
    }
}

/// The first and last bytes and the lengths of a set of names: a test
/// without hashing that most other names fail (a container's environment
/// is mostly `KUBERNETES_…`, `PATH`, `HOSTNAME`, … that no field reads), so
/// reading the process environment does not hash every name in it.
pub(crate) struct NameShapes {
    first: [u64; 4],
    last: [u64; 4],
    shortest: usize,
    longest: usize,
}

impl Default for NameShapes {
    fn default() -> Self {
        NameShapes { first: [0; 4], last: [0; 4], shortest: usize::MAX, longest: 0 }
    }
}

impl NameShapes {
    fn add(&mut self, name: &str) {
        let (Some(&first), Some(&last)) = (name.as_bytes().first(), name.as_bytes().last()) else { return };
        self.first[usize::from(first >> 6)] |= 1 << (first & 63);
        self.last[usize::from(last >> 6)] |= 1 << (last & 63);
        self.shortest = self.shortest.min(name.len());
        self.longest = self.longest.max(name.len());
    }

    /// `false` when `name` is none of the names added; `true` when it may be one.
    pub(crate) fn may_hold(&self, name: impl AsRef<[u8]>) -> bool {
        let name = name.as_ref();
        let (Some(&first), Some(&last)) = (name.first(), name.last()) else { return false };
        (self.shortest..=self.longest).contains(&name.len())
            && self.first[usize::from(first >> 6)] & (1 << (first & 63)) != 0
            && self.last[usize::from(last >> 6)] & (1 << (last & 63)) != 0
    }
}

impl Plan {
    /// The plan of `T`, built on first use.
    pub(crate) fn of<T: PhoenixConfig>() -> Arc<Plan> {
        static PLANS: OnceLock<Plans> = OnceLock::new();
        let plans = PLANS.get_or_init(Plans::default);
        let id = TypeId::of::<T>();
        if let Some(plan) = plans.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&id) {
            return plan.clone();
        }
        let plan = Arc::new(Plan::build(T::describe()));
        plans.write().unwrap_or_else(std::sync::PoisonError::into_inner).entry(id).or_insert(plan).clone()
    }

    pub(crate) fn build(info: &'static StructInfo) -> Plan {
        let dynamic = info.prefix.filter(|_| has_collection(info, 0)).map(|prefix| (prefix, info));
        let mut plan = Plan {
            leaves: Vec::new(),
            conflicts: Vec::new(),
            index: HashMap::default(),
            shapes: NameShapes::default(),
            dynamic,
            names: Arc::new(Names::new(info.prefix)),
            var_prefix: info.prefix.map(|p| format!("{p}_").into()),
            prefix: info.prefix,
            fixed_items: Vec::new(),
        };
        let mut segments = Vec::new();
        walk(info, info.prefix, &mut segments, &mut plan.leaves);
        plan.index_names();
        if plan.dynamic.is_some() {
            let fixed = plan.index.keys().filter(|name| plan.reads_item(name)).cloned().collect();
            plan.fixed_items = fixed;
        }
        let mut owners: HashMap<&str, &str> = HashMap::new();
        for leaf in &plan.leaves {
            for var in &leaf.vars {
                let var = &*var.name;
                if let Some(other) = owners.insert(var, &leaf.path)
                    && other != leaf.path
                {
                    plan.conflicts.push(Issue::new(
                        IssueKind::Conflict,
                        leaf.path.clone(),
                        format!("variable {var} is used by both `{other}` and `{}`; give one of them another name with #[env(...)]", leaf.path),
                    ));
                }
            }
        }
        plan
    }
}

impl Plan {
    /// Fills [`Plan::index`] and [`Plan::shapes`] with every leaf's names.
    fn index_names(&mut self) {
        for (i, leaf) in self.leaves.iter().enumerate() {
            for (n, var) in leaf.vars.iter().enumerate() {
                for (name, file) in [(&var.name, false), (&var.file, true)] {
                    self.shapes.add(name);
                    add_slot(self.index.entry(name.clone()).or_default(), i, name_bit(n, file));
                }
            }
        }
    }

    /// What the set variable names `names` mean to this plan: the names of
    /// each leaf that are set, and the names that start with the root prefix.
    pub(crate) fn set_names<'a>(&self, names: impl Iterator<Item = &'a str>) -> SetNames<'a> {
        let mut set = SetNames { leaves: vec![0; self.leaves.len()], prefixed: Vec::new() };
        for name in names {
            if self.shapes.may_hold(name) {
                for slot in self.index.get(name).into_iter().flatten() {
                    set.leaves[slot.leaf] |= slot.bits;
                }
            }
            if self.prefix.is_some_and(|prefix| name.starts_with(prefix)) {
                set.prefixed.push(Cow::Borrowed(name));
            }
        }
        set
    }

    /// The names of each leaf that the names `names` set, or'ed into `leaves`.
    pub(crate) fn mark_set<'a>(&self, names: impl Iterator<Item = &'a str>, leaves: &mut [u64]) {
        for name in names {
            for slot in self.index.get(name).into_iter().flatten() {
                leaves[slot.leaf] |= slot.bits;
            }
        }
    }
}

/// Adds `bit` of leaf `leaf` to a name's slots.
fn add_slot(slots: &mut Vec<NameSlot>, leaf: usize, bit: u64) {
    match slots.iter_mut().find(|slot| slot.leaf == leaf) {
        Some(slot) => slot.bits |= bit,
        None => slots.push(NameSlot { leaf, bits: bit }),
    }
}

/// The leaves at fixed paths: lists and maps of sections are left to
/// [`Plan::readings`], their paths being known only at load time.
fn walk(info: &'static StructInfo, prefix: Option<&str>, segments: &mut Vec<&'static str>, out: &mut Vec<PlannedLeaf>) {
    for field in info.fields {
        segments.push(field.name);
        match field.nested {
            Some(nested) if nested.shape.is_collection() => {}
            Some(nested) => walk((nested.info)(), prefix, segments, out),
            None => out.push(leaf(field, prefix, segments)),
        }
        segments.pop();
    }
}

/// Whether a list or a map of sections is anywhere below `info` (sections
/// do not nest deeper than the tree limit; recursion is bounded by it).
fn has_collection(info: &'static StructInfo, depth: usize) -> bool {
    depth < crate::limits::DEPTH_CEILING
        && info.fields.iter().any(|field| match field.nested {
            Some(nested) => nested.shape.is_collection() || has_collection((nested.info)(), depth + 1),
            None => false,
        })
}

/// One step of a path into the tree.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Step {
    /// A key of a map, exactly.
    Key(String),
    /// A map entry named by a variable (`US` of `PHOENIX_REGIONS_US_BUCKET`):
    /// the existing entry whose key upper-cased is this, else the key in
    /// lower case.
    VarKey(String),
    /// An item of a list.
    Index(usize),
}

/// A path as messages show it: `proxies[1].host`, `regions.us.bucket`.
pub(crate) fn display(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(key) => push_key(&mut out, key),
            Step::VarKey(key) => push_key(&mut out, &key.to_ascii_lowercase()),
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

fn push_key(out: &mut String, key: &str) {
    if !out.is_empty() {
        out.push('.');
    }
    out.push_str(key);
}

impl Plan {
    /// Every path a variable name may set inside a list or a map of
    /// sections, guided by the items' field names: `PHOENIX_PROXIES_0_HOST`
    /// → `proxies[0].host`; `PHOENIX_REGIONS_US_EAST_BUCKET` →
    /// `regions.us_east.bucket` (the key is what the item's field names
    /// leave). A list or a map of sections also takes its whole value from
    /// one variable (`PHOENIX_PROXIES`). Empty when the name reads as
    /// nothing; several readings are ambiguous.
    pub(crate) fn readings(&self, name: &str) -> Vec<Vec<Step>> {
        let mut out = Vec::new();
        if let Some((prefix, root)) = self.dynamic
            && let Some(rest) = name.strip_prefix(prefix).and_then(|r| r.strip_prefix('_'))
        {
            read_struct(root, rest, &mut Vec::new(), false, &mut out);
        }
        out
    }

    /// Whether a variable may set a value inside a list or a map of
    /// sections: it starts with the root's prefix (a root with such a list
    /// or map) and is no fixed leaf's name, unless that name also reads as
    /// an item, which is then reported (`target` in the loader).
    pub(crate) fn may_set_item(&self, name: &str) -> bool {
        self.dynamic.is_some_and(|(prefix, _)| name.starts_with(prefix))
            && (!self.index.contains_key(name) || self.fixed_items.iter().any(|fixed| **fixed == *name))
    }

    /// Whether `name` (or, for `NAME_FILE`, `NAME`) sets something inside a
    /// list or a map of sections, so that it is not an unused variable.
    pub(crate) fn reads_item(&self, name: &str) -> bool {
        !self.readings(name).is_empty()
            || name.strip_suffix("_FILE").is_some_and(|stem| !self.readings(stem).is_empty())
    }
}

/// [`Plan::readings`] from the type's description alone, for a pass that
/// has no plan (interpolation asks whether a variable sets a secret).
pub(crate) fn readings_of(info: &'static StructInfo, name: &str) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    if let Some(rest) = info.prefix.and_then(|prefix| name.strip_prefix(prefix)).and_then(|r| r.strip_prefix('_')) {
        read_struct(info, rest, &mut Vec::new(), false, &mut out);
    }
    out
}

/// The readings of `rest` (a variable name after the prefix and the path so
/// far) inside a struct; `through`: the path went through a list or a map.
fn read_struct(info: &'static StructInfo, rest: &str, steps: &mut Vec<Step>, through: bool, out: &mut Vec<Vec<Step>>) {
    if steps.len() >= crate::limits::DEPTH_CEILING {
        return;
    }
    for field in info.fields {
        let upper = crate::schema::var_key(field.name);
        let Some(after) = rest.strip_prefix(upper.as_str()) else { continue };
        steps.push(Step::Key(field.name.to_owned()));
        let whole = after.is_empty()
            && match field.section_shape() {
                None => through,
                Some(shape) => shape.is_collection(),
            };
        if whole {
            out.push(steps.clone());
        } else if let (Some(nested), Some(inner)) = (field.nested, after.strip_prefix('_')) {
            read_section(nested.shape, (nested.info)(), inner, steps, through, out);
        }
        steps.pop();
    }
}

fn read_section(
    shape: SectionShape,
    info: &'static StructInfo,
    rest: &str,
    steps: &mut Vec<Step>,
    through: bool,
    out: &mut Vec<Vec<Step>>,
) {
    match shape {
        SectionShape::One | SectionShape::Boxed | SectionShape::Optional => {
            read_struct(info, rest, steps, through, out);
        }
        SectionShape::List => {
            let Some((index, inner)) = rest.split_once('_') else { return };
            let canonical = !index.is_empty() && (index == "0" || !index.starts_with('0'));
            if let Some(index) =
                index.parse::<usize>().ok().filter(|_| canonical && index.bytes().all(|b| b.is_ascii_digit()))
            {
                steps.push(Step::Index(index));
                read_struct(info, inner, steps, true, out);
                steps.pop();
            }
        }
        SectionShape::Map => {
            for (at, _) in rest.match_indices('_').filter(|&(at, _)| at > 0) {
                steps.push(Step::VarKey(rest[..at].to_owned()));
                read_struct(info, &rest[at + 1..], steps, true, out);
                steps.pop();
            }
        }
    }
}

impl Plan {
    /// For a prefixed variable that reads as no item field, the closest
    /// item variable: `APP_PROXIES_0_HOTS` → `APP_PROXIES_0_HOST`,
    /// `APP_REGIONS_US_BUCKT` → `APP_REGIONS_US_BUCKET` (the item's field
    /// names after the index or the key).
    pub(crate) fn item_suggestion(&self, name: &str) -> Option<String> {
        let (prefix, root) = self.dynamic?;
        let rest = name.strip_prefix(prefix)?.strip_prefix('_')?;
        let tail = suggest_in_struct(root, rest, 0)?;
        Some(format!("{}{tail}", &name[..name.len() - rest.len()]))
    }
}

/// The closest item variable below `info` for `rest` (a name after the
/// path so far), as the rest of a name: through its sections to a list or a
/// map of sections.
fn suggest_in_struct(info: &'static StructInfo, rest: &str, depth: usize) -> Option<String> {
    if depth >= crate::limits::DEPTH_CEILING {
        return None;
    }
    info.fields.iter().find_map(|field| {
        let nested = field.nested?;
        let upper = crate::schema::var_key(field.name);
        let inner = rest.strip_prefix(upper.as_str())?.strip_prefix('_')?;
        let tail = suggest_in_section(nested.shape, (nested.info)(), inner, depth + 1)?;
        Some(format!("{upper}_{tail}"))
    })
}

/// In a section: past a list's index or a map's key (each split of the
/// name, the shortest key first), the closest of the item's names.
fn suggest_in_section(shape: SectionShape, info: &'static StructInfo, rest: &str, depth: usize) -> Option<String> {
    match shape {
        SectionShape::List => {
            let (index, inner) = rest.split_once('_')?;
            if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            // As items are named: `00` is item `0`; no index past `usize` is one.
            let index: usize = index.parse().ok()?;
            suggest_field(info, inner, depth).map(|tail| format!("{index}_{tail}"))
        }
        SectionShape::Map => rest.match_indices('_').filter(|&(at, _)| at > 0).find_map(|(at, _)| {
            suggest_field(info, &rest[at + 1..], depth).map(|tail| format!("{}_{tail}", &rest[..at]))
        }),
        SectionShape::One | SectionShape::Boxed | SectionShape::Optional => suggest_in_struct(info, rest, depth),
    }
}

/// Inside an item: a list or a map deeper down, else the closest of the
/// item's own variable names.
fn suggest_field(info: &'static StructInfo, rest: &str, depth: usize) -> Option<String> {
    if let Some(deeper) = suggest_in_struct(info, rest, depth) {
        return Some(deeper);
    }
    let names = item_names(info, depth);
    crate::suggest::closest(rest, names.iter().map(String::as_str)).map(str::to_owned)
}

/// The variable names of an item's leaves after its index or key (`HOST`,
/// `TLS_CERT`); lists and maps inside it are left to [`suggest_in_struct`].
fn item_names(info: &'static StructInfo, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    for field in info.fields {
        let upper = crate::schema::var_key(field.name);
        match field.nested {
            None => out.push(upper),
            Some(nested) if !nested.shape.is_collection() && depth < crate::limits::DEPTH_CEILING => {
                out.extend(item_names((nested.info)(), depth + 1).into_iter().map(|name| format!("{upper}_{name}")));
            }
            Some(_) => {}
        }
    }
    out
}

/// Why a value could not be set at a path.
pub(crate) enum SetError {
    /// A list index past the end (`index`, the list's length, the list's path).
    Gap { index: usize, len: usize, list: String },
    /// A list index where the tree holds no list (the path so far).
    NotAList(String),
    /// A variable's map key that matches several entries (`us` and `US`,
    /// `us-east` and `us_east`): the path through each of them.
    TwoEntries(Vec<String>),
}

impl SetError {
    /// The message (the issue's origin names the variable or override).
    pub(crate) fn message(&self) -> String {
        match self {
            SetError::Gap { index, len, list } => format!(
                "sets item {index} of `{list}`, which has {len} item{}: number items from 0 without gaps",
                if *len == 1 { "" } else { "s" }
            ),
            SetError::NotAList(path) => format!("names an item of `{path}`, which is not a list"),
            SetError::TwoEntries(readings) => {
                let shown: Vec<String> = readings.iter().map(|r| format!("`{r}`")).collect();
                format!(
                    "could set {}: a variable name cannot tell these map keys apart (they differ only in case or `-`/`_`); rename one so that only one reading remains",
                    shown.join(" or ")
                )
            }
        }
    }

    /// The kind of issue: several readings are a conflict, the rest an
    /// invalid value.
    pub(crate) fn kind(&self) -> IssueKind {
        match self {
            SetError::TwoEntries(_) => IssueKind::Conflict,
            SetError::Gap { .. } | SetError::NotAList(_) => IssueKind::Invalid,
        }
    }
}

/// Sets `value` at `steps`, creating maps (and a list's next item) on the
/// way; a text value where a list is needed (a whole list from one
/// variable) is read as YAML flow first, so its items can be changed.
pub(crate) fn set_steps(node: &mut Node, steps: &[Step], value: Node) -> Result<(), SetError> {
    let mut current = node;
    for (at, step) in steps.iter().enumerate() {
        current = match step {
            Step::Key(key) => map_child(current, key, &value.origin),
            Step::VarKey(key) => var_child(current, key, &value.origin)
                .map_err(|keys| SetError::TwoEntries(through_each(steps, at, keys)))?,
            Step::Index(index) => list_child(current, *index, &value.origin, || display(&steps[..at]))?,
        };
    }
    *current = value;
    Ok(())
}

/// The paths of `steps` with step `at` replaced by each of `keys`.
fn through_each(steps: &[Step], at: usize, keys: Vec<String>) -> Vec<String> {
    keys.into_iter()
        .map(|key| {
            let mut reading = steps.to_vec();
            reading[at] = Step::Key(key);
            display(&reading)
        })
        .collect()
}

/// The entry of a map a variable's key names: the one whose key, as a
/// variable writes it, is `key`; `Err` with every such key when several
/// are (a silent pick would set a value the user did not mean).
fn var_entry(entries: &[Entry], key: &str) -> Result<Option<usize>, Vec<String>> {
    let mut matching = entries.iter().enumerate().filter(|(_, e)| crate::schema::var_key(&e.key) == key);
    let Some((first, _)) = matching.next() else { return Ok(None) };
    if matching.next().is_none() {
        return Ok(Some(first));
    }
    Err(entries.iter().filter(|e| crate::schema::var_key(&e.key) == key).map(|e| e.key.to_string()).collect())
}

/// The child at `key`, made when absent.
fn map_child<'n>(node: &'n mut Node, key: &str, origin: &Origin) -> &'n mut Node {
    let entries = as_map(node, origin);
    let found = entries.iter().position(|e| e.key == key);
    entry_value(entries, found, key, origin)
}

/// The child a variable's key names (made, in lower case, when absent);
/// `Err` with the matching keys when it names several.
fn var_child<'n>(node: &'n mut Node, key: &str, origin: &Origin) -> Result<&'n mut Node, Vec<String>> {
    let entries = as_map(node, origin);
    let found = var_entry(entries, key)?;
    Ok(entry_value(entries, found, &key.to_ascii_lowercase(), origin))
}

/// The entries of `node`, made a map (text read as YAML flow first; any
/// other value replaced).
fn as_map<'n>(node: &'n mut Node, origin: &Origin) -> &'n mut Vec<Entry> {
    tree_from_text(node);
    if !matches!(node.kind, NodeKind::Map(_)) {
        node.kind = NodeKind::Map(Vec::new());
        node.origin = origin.clone();
    }
    let NodeKind::Map(entries) = &mut node.kind else { unreachable!("made a map above") };
    entries
}

/// The value of entry `found`, else of a new entry `key`.
fn entry_value<'n>(entries: &'n mut Vec<Entry>, found: Option<usize>, key: &str, origin: &Origin) -> &'n mut Node {
    let index = found.unwrap_or_else(|| {
        let entry = Entry { key: key.into(), key_origin: origin.clone(), value: Node::map(origin.clone()) };
        crate::secret::push_wiped(entries, entry);
        entries.len() - 1
    });
    &mut entries[index].value
}

fn list_child<'n>(
    node: &'n mut Node,
    index: usize,
    origin: &Origin,
    path: impl Fn() -> String,
) -> Result<&'n mut Node, SetError> {
    tree_from_text(node);
    if matches!(&node.kind, NodeKind::Map(entries) if entries.is_empty()) {
        // A list no layer mentioned yet (made on the way by a variable).
        node.kind = NodeKind::Seq(Vec::new());
    }
    let NodeKind::Seq(items) = &mut node.kind else { return Err(SetError::NotAList(path())) };
    if index == items.len() {
        crate::secret::push_wiped(items, Node::map(origin.clone()));
    }
    let len = items.len();
    items.get_mut(index).ok_or_else(|| SetError::Gap { index, len, list: path() })
}

/// A text scalar (a variable, `.env`, an override) holding a list or a map
/// in YAML flow (`[{host: a, port: 1}]`) as the tree it reads as, every
/// value taking the text's origin; other nodes are left alone. Text that
/// does not read as a list or a map stays text (the build reports it).
pub(crate) fn tree_from_text(node: &mut Node) {
    let NodeKind::Scalar { text, style: ScalarStyle::Text } = &node.kind else { return };
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('[') || trimmed.starts_with('{')) {
        return;
    }
    if let Ok(Some(mut tree)) = crate::yaml::parse(text.as_bytes(), &"text".into(), &crate::Limits::default())
        && matches!(tree.kind, NodeKind::Seq(_) | NodeKind::Map(_))
    {
        reorigin(&mut tree, &node.origin);
        *node = tree;
    }
}

/// Gives every node of a tree read from text the text's origin.
fn reorigin(node: &mut Node, origin: &Origin) {
    node.origin = origin.clone();
    match &mut node.kind {
        NodeKind::Seq(items) => items.iter_mut().for_each(|item| reorigin(item, origin)),
        NodeKind::Map(entries) => entries.iter_mut().for_each(|entry| {
            entry.key_origin = origin.clone();
            reorigin(&mut entry.value, origin);
        }),
        NodeKind::Null | NodeKind::Scalar { .. } => {}
    }
}

/// The steps of an override path: keys joined by `.`, list items as `[n]`
/// (`proxies[1].host`); `None` when it is not such a path.
pub(crate) fn override_steps(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for piece in path.split('.') {
        let (key, mut rest) = piece.split_once('[').map_or((piece, ""), |(k, r)| (k, r));
        if key.is_empty() {
            return None;
        }
        steps.push(Step::Key(key.to_owned()));
        if !rest.is_empty() {
            rest = rest.strip_suffix(']')?;
            for index in rest.split("][") {
                steps.push(Step::Index(index.parse().ok().filter(|_| index.bytes().all(|b| b.is_ascii_digit()))?));
            }
        }
    }
    Some(steps)
}

fn leaf(field: &'static FieldInfo, prefix: Option<&str>, segments: &[&'static str]) -> PlannedLeaf {
    let path = segments.join(".");
    let vars = vars_of(field, prefix, &path)
        .into_iter()
        .map(|name| PlannedVar { file: format!("{name}_FILE").into(), name: name.into() })
        .collect();
    PlannedLeaf { vars, path, segments: segments.to_vec() }
}

#[cfg(test)]
mod tests {
    use super::NameShapes;

    #[test]
    fn name_shapes_hold_every_name_added_and_reject_most_others() {
        let mut shapes = NameShapes::default();
        for name in ["PHOENIX_DATABASE_URI", "PHOENIX_DATABASE_URI_FILE", "MONGODB_URI"] {
            shapes.add(name);
        }
        for name in ["PHOENIX_DATABASE_URI", "PHOENIX_DATABASE_URI_FILE", "MONGODB_URI"] {
            assert!(shapes.may_hold(name), "{name}");
        }
        // A first byte, a last byte or a length no name has.
        for name in ["KUBERNETES_SERVICE_HOST", "PATH", "PHOENIX_DATABASE_UR1", "", "P"] {
            assert!(!shapes.may_hold(name), "{name}");
        }
        assert!(!NameShapes::default().may_hold("PATH"));
    }
}
