//! The variable plan of a settings type: every leaf with the names it
//! answers to, computed once per type and reused by every load.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use crate::schema::{FieldInfo, StructInfo, vars_of};
use crate::{Issue, IssueKind, PhoenixConfig};

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
    /// Every name a leaf answers to (`NAME` and `NAME_FILE`) → the indexes
    /// of its leaves in `leaves` (several only in a conflict), so that a
    /// load looks up only the leaves whose variables are set.
    pub(crate) index: HashMap<Arc<str>, Vec<usize>>,
}

type Plans = RwLock<HashMap<TypeId, Arc<Plan>>>;

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
        let mut plan = Plan { leaves: Vec::new(), conflicts: Vec::new(), index: HashMap::new() };
        let mut segments = Vec::new();
        walk(info, info.prefix, &mut segments, &mut plan.leaves);
        for (i, leaf) in plan.leaves.iter().enumerate() {
            for var in &leaf.vars {
                for name in [&var.name, &var.file] {
                    let leaves = plan.index.entry(name.clone()).or_default();
                    if !leaves.contains(&i) {
                        leaves.push(i);
                    }
                }
            }
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

fn walk(info: &'static StructInfo, prefix: Option<&str>, segments: &mut Vec<&'static str>, out: &mut Vec<PlannedLeaf>) {
    for field in info.fields {
        segments.push(field.name);
        if let Some(nested) = field.nested_info() {
            walk(nested, prefix, segments, out);
        } else {
            out.push(leaf(field, prefix, segments));
        }
        segments.pop();
    }
}

fn leaf(field: &'static FieldInfo, prefix: Option<&str>, segments: &[&'static str]) -> PlannedLeaf {
    let path = segments.join(".");
    let vars = vars_of(field, prefix, &path)
        .into_iter()
        .map(|name| PlannedVar { file: format!("{name}_FILE").into(), name: name.into() })
        .collect();
    PlannedLeaf { vars, path, segments: segments.to_vec() }
}
