//! Production hygiene: secrets in configuration files must be encrypted,
//! key ids carry their creation date, and old keys are reported.
//!
//! - [`ConfigLoader::encrypted_secrets_only`](crate::ConfigLoader::encrypted_secrets_only)
//!   (on by default in `check --env production`): a secret whose value is
//!   written as plain text (or `base64:`, which is not encryption) in a YAML
//!   or `.env` file is an error; `enc:v1:` values, variables, secret files
//!   and the secrets folder are fine.
//! - [`dated_key_id`] (what `keygen` uses without `--id`): `k-YYYYMMDD-xxxx`.
//! - `check` warns when the current key is older than `--max-key-age`
//!   days (default 90), and when previous keys are still configured
//!   `--previous-key-days` days (default 30) after the current key was made.
//!   A key's age is read from a date in its id (`20250601` or `2025-06-01`);
//!   an id without one is not checked.

use std::time::SystemTime;

#[cfg(any(feature = "cli", all(test, feature = "encryption")))]
use super::KeyRing;
use crate::Origin;
use crate::node::{Node, NodeKind};

/// The default of `check --max-key-age`, in days.
pub const MAX_KEY_AGE_DAYS: u32 = 90;

/// The default of `check --previous-key-days`, in days.
pub const PREVIOUS_KEY_DAYS: u32 = 30;

/// A key id holding its creation date: `k-YYYYMMDD-xxxx`, `xxxx` four
/// hexadecimal digits telling apart keys made the same day.
///
/// ```
/// let id = phoenix_config::secret::dated_key_id(std::time::SystemTime::UNIX_EPOCH);
/// assert!(id.starts_with("k-19700101-") && id.len() == 15);
/// ```
pub fn dated_key_id(now: SystemTime) -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    let since = now.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let (year, month, day) = civil_from_days(i64::try_from(since.as_secs() / 86_400).unwrap_or(0));
    // Not secret, only distinct: a randomly keyed hash of the time.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(since.as_nanos());
    format!("k-{year:04}{month:02}{day:02}-{:04x}", hasher.finish() & 0xffff)
}

#[cfg(any(feature = "cli", all(test, feature = "encryption")))]
/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(any(feature = "cli", all(test, feature = "encryption")))]
/// The creation day (days since 1970-01-01) written in a key id:
/// `YYYYMMDD` or `YYYY-MM-DD`, the first plausible one.
pub(crate) fn key_day(id: &str) -> Option<i64> {
    let bytes = id.as_bytes();
    (0..bytes.len()).find_map(|start| {
        let rest = id.get(start..)?;
        let compact = rest.get(..8).filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
        let (y, m, d) = if let Some(d) = compact {
            (&d[..4], &d[4..6], &d[6..8])
        } else {
            let dashed = rest.get(..10).filter(|d| d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-')?;
            (&dashed[..4], &dashed[5..7], &dashed[8..10])
        };
        let (y, m, d) = (y.parse::<i64>().ok()?, m.parse::<u32>().ok()?, d.parse::<u32>().ok()?);
        ((1970..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))
    })
}

#[cfg(feature = "cli")]
/// Today, as days since 1970-01-01.
pub(crate) fn today() -> i64 {
    let since = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_secs() / 86_400).unwrap_or(0)
}

#[cfg(any(feature = "cli", all(test, feature = "encryption")))]
/// The warnings about old keys: the current key older than `max_age`
/// days, previous keys kept `grace` days after the current key was made.
pub(crate) fn key_warnings(keys: &KeyRing, today: i64, max_age: u32, grace: u32) -> Vec<String> {
    let mut warnings = Vec::new();
    let Some(current) = keys.current_id() else { return warnings };
    let previous_var = keys.variables().1;
    let made = key_day(current);
    if let Some(made) = made
        && today - made > i64::from(max_age)
    {
        warnings.push(format!(
            "the current key `{current}` is {} days old, over {max_age}; make a new one with `keygen`, move this one to \
             {previous_var} and run `rotate`",
            today - made
        ));
    }
    if let Some(made) = made
        && today - made > i64::from(grace)
    {
        for previous in keys.ids().skip(1) {
            warnings.push(format!(
                "the previous key `{previous}` is still configured {} days after `{current}` was made; once `rotate` \
                 has run on every file, remove it from {previous_var}",
                today - made
            ));
        }
    }
    warnings
}

/// The origin of the first scalar of a secret's node that is written in
/// a configuration file (YAML or `.env`) without encryption.
pub(crate) fn plaintext_in_file(node: &Node) -> Option<Origin> {
    match &node.kind {
        NodeKind::Null => None,
        NodeKind::Scalar { text, .. } => {
            let in_file = matches!(node.origin, Origin::File { .. } | Origin::Dotenv { .. });
            let encrypted = text.trim().starts_with(super::keys::ENC_PREFIX);
            (in_file && !encrypted && !text.trim().is_empty()).then(|| node.origin.clone())
        }
        NodeKind::Seq(items) => items.iter().find_map(plaintext_in_file),
        NodeKind::Map(entries) => entries.iter().find_map(|e| plaintext_in_file(&e.value)),
    }
}

/// The message of a plaintext secret in a configuration file.
pub(crate) const PLAINTEXT_MESSAGE: &str = "a secret written in a configuration file without encryption; encrypt it \
     (`encrypt`, then write the `enc:v1:` value) or set it from a variable, a `_FILE` secret file or the secrets folder";

// Keys come from `keygen`, of the `encryption` feature (the workspace's tests have it).
#[cfg(all(test, feature = "encryption"))]
mod tests {
    use super::*;
    use crate::secret::{KEY_VAR, PREVIOUS_KEYS_VAR, keygen};

    #[test]
    fn dates_round_trip_and_are_read_from_ids() {
        for days in [0, 1, 59, 60, 365, 11_016, 20_000, 20_423] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(20_423), (2025, 12, 1));
        assert_eq!(key_day("k-20251201-ab12"), Some(20_423));
        assert_eq!(key_day("prod.2025-12-01"), Some(20_423));
        assert_eq!(key_day("k20423"), None);
        assert_eq!(key_day("k-99999999"), None);
        let id = dated_key_id(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(20_423 * 86_400 + 5));
        assert!(id.starts_with("k-20251201-"), "{id}");
        assert_eq!(key_day(&id), Some(20_423));
        assert!(keygen(&id).is_ok(), "a dated id is a valid key id");
    }

    #[test]
    fn old_current_keys_and_lingering_previous_keys_are_reported() {
        let current = keygen("k-20250101-0001").unwrap();
        let previous = keygen("k-20240101-0002").unwrap();
        let keys = KeyRing::from_vars([
            (KEY_VAR, current.expose_unaudited().as_str()),
            (PREVIOUS_KEYS_VAR, previous.expose_unaudited().as_str()),
        ])
        .unwrap();
        let made = key_day("20250101").unwrap();
        assert!(key_warnings(&keys, made + 10, 90, 30).is_empty());
        let lingering = key_warnings(&keys, made + 40, 90, 30);
        assert_eq!(lingering.len(), 1);
        assert!(lingering[0].starts_with("the previous key `k-20240101-0002` is still configured 40 days after"));
        let old = key_warnings(&keys, made + 100, 90, 30);
        assert!(old[0].starts_with("the current key `k-20250101-0001` is 100 days old, over 90"), "{old:?}");
        let undated = KeyRing::from_vars([(KEY_VAR, keygen("undated").unwrap().expose_unaudited().as_str())]).unwrap();
        assert!(key_warnings(&undated, made + 1000, 90, 30).is_empty());
    }

    #[test]
    fn key_warnings_name_the_variables_of_the_root_prefix() {
        let current = keygen("k-20250101-0001").unwrap();
        let previous = keygen("k-20240101-0002").unwrap();
        let names =
            [("SVC_CONFIG_KEY", "SVC_CONFIG_KEY_FILE"), ("SVC_CONFIG_PREVIOUS_KEYS", "SVC_CONFIG_PREVIOUS_KEYS_FILE")];
        let keys = KeyRing::from_lookup_named(names, |name| match name {
            "SVC_CONFIG_KEY" => Some(current.expose_unaudited().clone()),
            "SVC_CONFIG_PREVIOUS_KEYS" => Some(previous.expose_unaudited().clone()),
            _ => None,
        })
        .unwrap();
        let warnings = key_warnings(&keys, key_day("20250101").unwrap() + 100, 90, 30);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("move this one to SVC_CONFIG_PREVIOUS_KEYS and run"), "{warnings:?}");
        assert!(warnings[1].ends_with("remove it from SVC_CONFIG_PREVIOUS_KEYS"), "{warnings:?}");
        assert!(warnings.iter().all(|w| !w.contains("PHOENIX")), "{warnings:?}");
    }

    #[test]
    fn plaintext_in_files_is_found_and_encrypted_or_variable_values_are_not() {
        let file = Origin::File { path: "config/production.yaml".into(), line: 3, column: 13 };
        let env = Origin::Env { name: "DB_PASSWORD".into(), alias_of: None };
        assert_eq!(plaintext_in_file(&Node::text("hunter2", file.clone())), Some(file.clone()));
        assert_eq!(plaintext_in_file(&Node::text("base64:aGk=", file.clone())), Some(file.clone()));
        assert_eq!(plaintext_in_file(&Node::text("enc:v1:k:AAAA", file.clone())), None);
        assert_eq!(plaintext_in_file(&Node::text("hunter2", env)), None);
        let list = Node {
            kind: NodeKind::Seq(vec![Node::text("enc:v1:k:A", file.clone()), Node::text("x", file.clone())]),
            origin: file.clone(),
        };
        assert_eq!(plaintext_in_file(&list), Some(file));
    }
}
