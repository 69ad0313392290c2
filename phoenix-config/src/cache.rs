//! One instance per process: [`get_config`], [`get_config_for`], [`reset_config_cache`].

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use crate::{ConfigError, ConfigLoader, Environment, PhoenixConfig};

type Instance = Arc<dyn Any + Send + Sync>;
/// One slot per type and environment; its mutex makes concurrent first
/// callers wait for one load.
type Slot = Arc<Mutex<Option<Instance>>>;

struct Cache {
    slots: RwLock<HashMap<(TypeId, Environment), Slot>>,
    /// The environment detected for each type (its own declarations and prefix).
    detected: Mutex<HashMap<TypeId, Environment>>,
}

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Cache { slots: RwLock::default(), detected: Mutex::default() })
}

/// The process-wide instance of `T` for the detected environment: loaded
/// (and validated) on the first call, the same `Arc` afterwards.
///
/// The environment is detected once per type (see [`Environment`]: `T`'s
/// declared environments and prefix) and remembered until [`reset_config_cache`]. A failed load returns its error and is
/// tried again by the next call.
///
/// ```
/// use std::sync::Arc;
/// use phoenix_config::{Environment, PhoenixConfig, get_config_for, reset_config_cache};
///
/// #[derive(PhoenixConfig)]
/// #[config(allow_unknown_keys)]
/// struct Settings {
///     #[config(default = 8080)]
///     port: u16,
/// }
///
/// let first = get_config_for::<Settings>(Environment::Testing)?;
/// let again = get_config_for::<Settings>(Environment::Testing)?;
/// assert!(Arc::ptr_eq(&first, &again)); // loaded once
/// reset_config_cache();
/// assert!(!Arc::ptr_eq(&first, &get_config_for::<Settings>(Environment::Testing)?));
/// # Ok::<(), phoenix_config::ConfigError>(())
/// ```
pub fn get_config<T: PhoenixConfig + Send + Sync>() -> Result<Arc<T>, ConfigError> {
    let environment = {
        let mut detected = cache().detected.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(environment) = detected.get(&TypeId::of::<T>()) {
            *environment
        } else {
            let environment = ConfigLoader::new().detect_environment_for::<T>()?;
            detected.insert(TypeId::of::<T>(), environment);
            environment
        }
    };
    get_config_for::<T>(environment)
}

/// Like [`get_config`], for a given environment (one `T` declares; any
/// other is an [`IssueKind::Environment`](crate::IssueKind::Environment) error).
pub fn get_config_for<T: PhoenixConfig + Send + Sync>(environment: Environment) -> Result<Arc<T>, ConfigError> {
    get_or_load(environment, || ConfigLoader::new().environment(environment).load::<T>())
}

pub(crate) fn get_or_load<T: PhoenixConfig + Send + Sync>(
    environment: Environment,
    load: impl FnOnce() -> Result<T, ConfigError>,
) -> Result<Arc<T>, ConfigError> {
    let key = (TypeId::of::<T>(), environment);
    let slot = {
        let slots = cache().slots.read().unwrap_or_else(PoisonError::into_inner);
        slots.get(&key).cloned()
    };
    let slot = match slot {
        Some(slot) => slot,
        None => cache().slots.write().unwrap_or_else(PoisonError::into_inner).entry(key).or_default().clone(),
    };
    let mut instance = slot.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(existing) = instance.as_ref() {
        return Ok(Arc::clone(existing).downcast::<T>().unwrap_or_else(|_| unreachable!("slots are keyed by TypeId")));
    }
    let loaded = Arc::new(load()?);
    *instance = Some(loaded.clone());
    Ok(loaded)
}

/// Makes `value` the cached instance of `T` in `environment` (a watcher that
/// the global instance follows).
#[cfg(feature = "watch")]
pub(crate) fn replace<T: PhoenixConfig + Send + Sync>(environment: Environment, value: Arc<T>) {
    let key = (TypeId::of::<T>(), environment);
    let slot = cache().slots.write().unwrap_or_else(PoisonError::into_inner).entry(key).or_default().clone();
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
}

/// Forgets every cached instance and the detected environment (for tests).
pub fn reset_config_cache() {
    cache().slots.write().unwrap_or_else(PoisonError::into_inner).clear();
    cache().detected.lock().unwrap_or_else(PoisonError::into_inner).clear();
}
