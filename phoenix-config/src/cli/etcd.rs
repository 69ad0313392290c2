//! The command line's etcd parts (feature `etcd`): `etcd-put` seeds a
//! prefix from a config file, and `--etcd-endpoints` / `--etcd-prefix`
//! (or `--etcd-key`) add an [`EtcdSource`] to `show` and `check`.
//!
//! A password is never an argument (it would show in `ps`): `--etcd-user
//! NAME` takes it from the variable `ETCD_PASSWORD`.

use std::io::Write;
use std::path::Path;

use super::args::{Args, UsageError};
use super::{EXIT_INVALID, EXIT_OK, fail};
use crate::ConfigLoader;
use crate::etcd::{EtcdSource, seed_file};

/// The help lines of the etcd options.
pub(super) const HELP: &str = "  etcd-put --etcd-endpoints H:P[,H:P…] --etcd-prefix P [--replace] [--etcd-user U] FILE
                      write FILE's values under prefix P in one transaction (--replace deletes P's keys first)
  show/check --etcd-endpoints H:P[,…] (--etcd-prefix P | --etcd-key K.yaml) [--etcd-user U]
                      add an etcd source ({environment} in P or K is the environment); password from ETCD_PASSWORD
";

fn endpoints(args: &mut Args) -> Result<Option<Vec<String>>, UsageError> {
    Ok(args.option("--etcd-endpoints")?.map(|list| list.split(',').map(str::trim).map(str::to_owned).collect()))
}

fn user(args: &mut Args) -> Result<Option<(String, String)>, UsageError> {
    let Some(name) = args.option("--etcd-user")? else { return Ok(None) };
    let password = std::env::var("ETCD_PASSWORD")
        .map_err(|_| UsageError(format!("--etcd-user {name} needs the password in the variable ETCD_PASSWORD")))?;
    Ok(Some((name, password)))
}

/// `loader` with the etcd source the options name (unchanged without them).
pub(super) fn with_source(loader: &ConfigLoader, args: &mut Args) -> Result<ConfigLoader, UsageError> {
    let prefix = args.option("--etcd-prefix")?;
    let key = args.option("--etcd-key")?;
    let user = user(args)?;
    let Some(endpoints) = endpoints(args)? else {
        if prefix.is_some() || key.is_some() || user.is_some() {
            return Err(UsageError("the etcd options need --etcd-endpoints".to_owned()));
        }
        return Ok(loader.clone());
    };
    let mut source = match (prefix, key) {
        (Some(prefix), None) => EtcdSource::prefix(endpoints, &prefix),
        (None, Some(key)) => EtcdSource::document(endpoints, &key),
        _ => return Err(UsageError("give --etcd-prefix or --etcd-key with --etcd-endpoints".to_owned())),
    };
    if let Some((name, password)) = user {
        source = source.user(&name, &password);
    }
    Ok(loader.clone().source(source))
}

/// `etcd-put`: seeds a prefix from a file.
pub(super) fn put(args: &mut Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, UsageError> {
    let endpoints = endpoints(args)?.ok_or_else(|| UsageError("etcd-put needs --etcd-endpoints".to_owned()))?;
    let prefix = args.option("--etcd-prefix")?.ok_or_else(|| UsageError("etcd-put needs --etcd-prefix".to_owned()))?;
    let replace = args.flag("--replace");
    let user = user(args)?;
    let file = args.positional().ok_or_else(|| UsageError("etcd-put needs a FILE".to_owned()))?;
    args.finish()?;
    let user = user.as_ref().map(|(n, p)| (n.as_str(), p.as_str()));
    Ok(match seed_file(&endpoints, user, &prefix, Path::new(&file), replace) {
        Ok((keys, revision)) => {
            let text = format!("wrote {} keys under {prefix} at revision {revision}\n", keys.len());
            if out.write_all(text.as_bytes()).is_ok() { EXIT_OK } else { EXIT_INVALID }
        }
        Err(e) => fail(err, &e.to_string()),
    })
}
