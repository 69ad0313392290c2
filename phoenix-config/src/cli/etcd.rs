//! The command line's etcd parts (feature `etcd`): `etcd-put` seeds a
//! prefix from a config file, and `--etcd-endpoints` / `--etcd-prefix`
//! (or `--etcd-key`) add an [`EtcdSource`] to `show` and `check`.
//! `https://` endpoints take `--etcd-ca-file`, and `--etcd-cert-file` with
//! `--etcd-key-file` for client certificates (named after etcd's own
//! `--cert-file` / `--key-file`: `--etcd-key` is the document key).
//!
//! A password is never an argument (it would show in `ps`): `--etcd-user
//! NAME` takes it from the variable `ETCD_PASSWORD`.

use std::io::Write;
use std::path::Path;

use super::args::{Args, UsageError};
use super::{EXIT_INVALID, EXIT_OK, fail};
use crate::ConfigLoader;
use crate::etcd::EtcdSource;

/// The help lines of the etcd options.
pub(super) const HELP: &str =
    "  etcd-put --etcd-endpoints H:P[,H:P…] --etcd-prefix P [--replace] [--etcd-user U] [TLS] FILE
                      write FILE's values under prefix P in one transaction (--replace deletes P's keys first)
  show/check --etcd-endpoints H:P[,…] (--etcd-prefix P | --etcd-key K.yaml) [--etcd-user U] [TLS]
                      add an etcd source ({environment} in P or K is the environment); password from ETCD_PASSWORD
      TLS: https://H:P endpoints with --etcd-ca-file CA.pem [--etcd-cert-file CERT.pem --etcd-key-file KEY.pem]
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

/// The TLS files: `--etcd-ca-file`, and `--etcd-cert-file` with `--etcd-key-file`.
struct TlsOptions {
    ca: Option<String>,
    identity: Option<(String, String)>,
}

fn tls(args: &mut Args) -> Result<TlsOptions, UsageError> {
    let ca = args.option("--etcd-ca-file")?;
    let identity = match (args.option("--etcd-cert-file")?, args.option("--etcd-key-file")?) {
        (Some(cert), Some(key)) => Some((cert, key)),
        (None, None) => None,
        (Some(_), None) => return Err(UsageError("--etcd-cert-file needs --etcd-key-file".to_owned())),
        (None, Some(_)) => return Err(UsageError("--etcd-key-file needs --etcd-cert-file".to_owned())),
    };
    Ok(TlsOptions { ca, identity })
}

impl TlsOptions {
    fn is_set(&self) -> bool {
        self.ca.is_some() || self.identity.is_some()
    }

    fn apply(self, mut source: EtcdSource) -> EtcdSource {
        if let Some(ca) = self.ca {
            source = source.ca_file(ca);
        }
        if let Some((cert, key)) = self.identity {
            source = source.client_cert(cert, key);
        }
        source
    }
}

/// The user and TLS options on top of `source`.
fn connected(source: EtcdSource, user: Option<(String, String)>, tls: TlsOptions) -> EtcdSource {
    let source = match user {
        Some((name, password)) => source.user(&name, &password),
        None => source,
    };
    tls.apply(source)
}

/// `loader` with the etcd source the options name (unchanged without them).
pub(super) fn with_source(loader: &ConfigLoader, args: &mut Args) -> Result<ConfigLoader, UsageError> {
    let prefix = args.option("--etcd-prefix")?;
    let key = args.option("--etcd-key")?;
    let user = user(args)?;
    let tls = tls(args)?;
    let Some(endpoints) = endpoints(args)? else {
        if prefix.is_some() || key.is_some() || user.is_some() || tls.is_set() {
            return Err(UsageError("the etcd options need --etcd-endpoints".to_owned()));
        }
        return Ok(loader.clone());
    };
    let source = match (prefix, key) {
        (Some(prefix), None) => EtcdSource::prefix(endpoints, &prefix),
        (None, Some(key)) => EtcdSource::document(endpoints, &key),
        _ => return Err(UsageError("give --etcd-prefix or --etcd-key with --etcd-endpoints".to_owned())),
    };
    Ok(loader.clone().source(connected(source, user, tls)))
}

/// `etcd-put`: seeds a prefix from a file.
pub(super) fn put(args: &mut Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, UsageError> {
    let endpoints = endpoints(args)?.ok_or_else(|| UsageError("etcd-put needs --etcd-endpoints".to_owned()))?;
    let prefix = args.option("--etcd-prefix")?.ok_or_else(|| UsageError("etcd-put needs --etcd-prefix".to_owned()))?;
    let replace = args.flag("--replace");
    let user = user(args)?;
    let tls = tls(args)?;
    let file = args.positional().ok_or_else(|| UsageError("etcd-put needs a FILE".to_owned()))?;
    args.finish()?;
    let source = connected(EtcdSource::prefix(endpoints, &prefix), user, tls);
    Ok(match source.seed(Path::new(&file), replace) {
        Ok((keys, revision)) => {
            let text = format!("wrote {} keys under {prefix} at revision {revision}\n", keys.len());
            if out.write_all(text.as_bytes()).is_ok() { EXIT_OK } else { EXIT_INVALID }
        }
        Err(e) => fail(err, &e.to_string()),
    })
}
