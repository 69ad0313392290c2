//! The leak suite (DESIGN §7): a canary secret passed through every source
//! and every failure path, with every output captured — `Debug`, `Display`,
//! `ConfigError`, `ValidationError`, `Loaded`, and every tracing event —
//! asserting the canary appears nowhere. Also: encryption round trips,
//! tampering, rotation, and audit events with the right caller line.

mod common;

use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::Scratch;
use phoenix_config::secret::{KeyRing, SecretManager, decrypt, encrypt, keygen, rotate};
use phoenix_config::{ConfigError, IssueKind, Loaded, PhoenixConfig, Secret};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// The secret that must never come out.
const CANARY: &str = "canary-Xq7Zr2-do-not-leak";

// ---------------------------------------------------------------------------
// Capturing every output.

/// Records every event as one line: level, target and every field.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Captured>>>);

/// One recorded event.
#[derive(Clone, Debug)]
struct Captured {
    target: String,
    fields: Vec<(String, String)>,
}

impl Captured {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Captured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.target)?;
        for (name, value) in &self.fields {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

impl Subscriber for Recorder {
    /// Asked per event, never cached: see `common::with_subscriber`.
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        // Spans' fields are outputs too.
        let mut fields = Vec::new();
        span.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Captured { target: span.metadata().target().to_owned(), fields });
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Vec::new();
        values.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Captured { target: "span record".to_owned(), fields });
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Captured { target: event.metadata().target().to_owned(), fields });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Runs `f`, returning its result and every event it emitted (this thread).
fn capture<R>(f: impl FnOnce() -> R) -> (R, Vec<Captured>) {
    let recorder = Recorder::default();
    let result = common::with_subscriber(&recorder, f);
    let events = recorder.0.lock().unwrap().clone();
    (result, events)
}

/// Every output gathered for one case, each with a label.
#[derive(Default)]
struct Outputs(Vec<(String, String)>);

impl Outputs {
    fn add(&mut self, label: &str, text: impl Into<String>) -> &mut Self {
        self.0.push((label.to_owned(), text.into()));
        self
    }

    fn events(&mut self, events: &[Captured]) -> &mut Self {
        for event in events {
            self.add("event", event.to_string());
        }
        self
    }

    fn error(&mut self, err: &ConfigError) -> &mut Self {
        self.add("error Display", err.to_string()).add("error Debug", format!("{err:?}"));
        for issue in err.issues() {
            self.add("issue", issue.to_string()).add("issue message", issue.message());
            if let Some(origin) = issue.origin() {
                self.add("issue origin", origin.to_string());
            }
        }
        self
    }

    fn loaded<T: fmt::Debug>(&mut self, loaded: &Loaded<T>) -> &mut Self {
        self.add("Loaded Display", loaded.to_string())
            .add("Loaded Debug", format!("{loaded:?}"))
            .add("config Debug", format!("{:?}", loaded.config()))
            .add("config pretty Debug", format!("{:#?}", loaded.config()));
        for (path, value, origin) in loaded.leaves() {
            self.add("leaf", format!("{path} {value} {origin}"));
        }
        for warning in loaded.warnings() {
            self.add("warning", warning.to_string());
        }
        self
    }

    /// Asserts that none of the outputs holds the canary, a distinctive part
    /// of it, its base64 form, or any of `also` (ciphertexts).
    #[track_caller]
    fn assert_clean(&self, also: &[&str]) {
        let encoded = STANDARD.encode(CANARY);
        let mut needles = vec![CANARY, "Xq7Zr2", "do-not-leak", encoded.as_str(), &encoded[4..20]];
        needles.extend(also.iter().filter(|s| !s.is_empty()));
        assert!(!self.0.is_empty(), "nothing was captured");
        for (label, text) in &self.0 {
            for needle in &needles {
                assert!(!text.contains(needle), "{label} leaks {needle:?}:\n{text}");
            }
        }
    }
}

#[test]
#[should_panic(expected = "leaks")]
fn the_leak_check_itself_catches_a_leak() {
    Outputs::default().add("a message", format!("bad value {CANARY}")).assert_clean(&[]);
}

#[test]
#[should_panic(expected = "leaks")]
fn the_leak_check_catches_the_base64_form() {
    Outputs::default().add("a message", STANDARD.encode(CANARY)).assert_clean(&[]);
}

// ---------------------------------------------------------------------------
// Keys.

fn key(id: &str) -> String {
    keygen(id).unwrap().expose().clone()
}

fn ring(vars: &[(&str, &str)]) -> KeyRing {
    KeyRing::from_vars(vars.iter().copied()).unwrap()
}

/// An `enc:v1:` value of the canary under `key`.
fn sealed(key: &str) -> String {
    encrypt(CANARY, &ring(&[("PHOENIX_CONFIG_KEY", key)])).unwrap()
}

// ---------------------------------------------------------------------------
// `Secret<T>` and its audit events.

#[test]
fn secret_debug_is_redacted() {
    let secret = Secret::named("db.password", CANARY.to_owned());
    let mut out = Outputs::default();
    out.add("Debug", format!("{secret:?}"))
        .add("pretty Debug", format!("{secret:#?}"))
        .add("Option Debug", format!("{:?}", Some(&secret)))
        .add("Vec Debug", format!("{:?}", vec![secret.clone_secret()]));
    out.assert_clean(&[]);
    assert_eq!(format!("{secret:?}"), "[REDACTED]");
}

#[test]
fn expose_records_an_audit_event_with_the_caller_line_and_no_value() {
    let secret = Secret::named("db.password", CANARY.to_owned());
    let line = line!() + 1;
    let (value, events) = capture(|| secret.expose().clone());
    assert_eq!(value, CANARY);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].target, "phoenix_config::audit");
    assert_eq!(events[0].field("secret"), Some("db.password"));
    assert_eq!(events[0].field("caller"), Some(format!("{}:{line}", file!()).as_str()));
    Outputs::default().events(&events).assert_clean(&[]);
}

#[test]
fn a_secret_compares_without_exposing() {
    let (equal, events) = capture(|| Secret::new(CANARY.to_owned()) == Secret::new(CANARY.to_owned()));
    assert!(equal);
    assert!(events.is_empty());
}

// ---------------------------------------------------------------------------
// Encoded values: round trips and every failure.

#[test]
fn base64_and_enc_values_round_trip_without_leaking() {
    let k = key("k1");
    let keys = ring(&[("PHOENIX_CONFIG_KEY", &k)]);
    let encoded = format!("base64:{}", STANDARD.encode(CANARY));
    let sealed = encrypt(CANARY, &keys).unwrap();
    let ((b64, enc), events) = capture(|| (decrypt(&encoded, &keys).unwrap(), decrypt(&sealed, &keys).unwrap()));
    assert_eq!(b64.expose(), CANARY);
    assert_eq!(enc.expose(), CANARY);
    let mut out = Outputs::default();
    out.events(&events).add("Debug", format!("{b64:?} {enc:?} {keys:?}")).add("ciphertext", sealed.as_str());
    out.assert_clean(&[]);
}

#[test]
fn every_decoding_failure_is_clear_and_leaks_nothing() {
    let (k1, other_k1, k2) = (key("k1"), key("k1"), key("k2"));
    let text = sealed(&k1);
    let cases: [(&str, String, KeyRing, &str); 5] = [
        ("bad base64", format!("base64:{CANARY}"), KeyRing::default(), "invalid base64 after `base64:`"),
        (
            "wrong key",
            text.clone(),
            ring(&[("PHOENIX_CONFIG_KEY", &other_k1)]),
            "cannot decrypt the value with key `k1`",
        ),
        ("unknown key id", text.clone(), ring(&[("PHOENIX_CONFIG_KEY", &k2)]), "no key with id `k1` (known: `k2`)"),
        ("missing key", text.clone(), KeyRing::default(), "it needs key `k1` and no key is configured"),
        ("relabelled", text.replacen(":k1:", ":k2:", 1), ring(&[("PHOENIX_CONFIG_KEY", &k2)]), "key `k2`"),
    ];
    for (case, value, keys, expected) in cases {
        let (result, events) = capture(|| decrypt(&value, &keys));
        let err = result.unwrap_err();
        assert!(err.to_string().contains(expected), "{case}: {err}");
        let mut out = Outputs::default();
        out.events(&events).add("Display", err.to_string()).add("Debug", format!("{err:?}"));
        out.assert_clean(&[value.get(10..).unwrap_or_default()]);
    }
}

#[test]
fn every_flipped_ciphertext_byte_is_detected() {
    let k = key("k1");
    let keys = ring(&[("PHOENIX_CONFIG_KEY", &k)]);
    let text = sealed(&k);
    let blob = STANDARD.decode(text.strip_prefix("enc:v1:k1:").unwrap()).unwrap();
    assert_eq!(blob.len(), 24 + CANARY.len() + 16);
    for i in 0..blob.len() {
        for bit in 0..8 {
            let mut bad = blob.clone();
            bad[i] ^= 1 << bit;
            let tampered = format!("enc:v1:k1:{}", STANDARD.encode(&bad));
            let err = decrypt(&tampered, &keys).unwrap_err().to_string();
            assert!(err.starts_with("cannot decrypt the value with key `k1`"), "byte {i} bit {bit}: {err}");
            Outputs::default().add("error", err).assert_clean(&[&tampered[10..]]);
        }
    }
}

#[test]
fn every_altered_character_of_the_text_is_detected() {
    let k = key("k1");
    let keys = ring(&[("PHOENIX_CONFIG_KEY", &k)]);
    let text = sealed(&k);
    let start = "enc:v1:".len();
    for i in start..text.len() {
        let original = text.as_bytes()[i];
        let replacement = if original == b'A' { b'B' } else { b'A' };
        let mut bytes = text.clone().into_bytes();
        bytes[i] = replacement;
        let altered = String::from_utf8(bytes).unwrap();
        let err = decrypt(&altered, &keys).unwrap_err().to_string();
        Outputs::default().add("error", err).assert_clean(&[&text[10..], &altered[10..]]);
    }
}

// ---------------------------------------------------------------------------
// Rotation.

#[test]
fn rotation_keeps_old_values_readable_and_rewrites_them_under_the_new_key() {
    let (old, new) = (key("2024"), key("2025"));
    let before = sealed(&old);
    let yaml = format!(
        "# Phoenix secrets\ndatabase:\n  # the password, rotated yearly\n  password: {before}  # keep me\n  pool: 5\n"
    );
    // During the rotation, the old value still decrypts.
    let rotating = ring(&[("PHOENIX_CONFIG_KEY", &new), ("PHOENIX_CONFIG_PREVIOUS_KEYS", &old)]);
    assert_eq!(decrypt(&before, &rotating).unwrap().expose(), CANARY);

    let (rotated, events) = capture(|| rotate(&yaml, &rotating).unwrap());
    assert_eq!((rotated.rewritten, rotated.kept), (1, 0));
    let after = rotated.text.split_whitespace().find(|w| w.starts_with("enc:")).unwrap().to_owned();
    assert!(after.starts_with("enc:v1:2025:"));
    assert_eq!(rotated.text, yaml.replace(&before, &after));
    // Once the old key is gone, the rotated value still reads.
    let only_new = ring(&[("PHOENIX_CONFIG_KEY", &new)]);
    assert_eq!(decrypt(&after, &only_new).unwrap().expose(), CANARY);
    assert!(decrypt(&before, &only_new).is_err());
    let mut out = Outputs::default();
    out.events(&events).add("rotated", rotated.text.as_str()).add("Debug", format!("{rotated:?}"));
    out.assert_clean(&[]);

    // A value no key decrypts stops the rotation, naming its line and key id.
    let err = rotate(&yaml, &only_new).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot rotate: line 4: cannot decrypt the value: no key with id `2024` (known: `2025`); \
         add it to PHOENIX_CONFIG_PREVIOUS_KEYS"
    );
    Outputs::default().add("error", err.to_string()).assert_clean(&[&before[12..]]);
}

#[test]
fn key_errors_never_hold_key_material() {
    let k = key("k1");
    let material = k.split_once(':').unwrap().1;
    let cases = [
        vec![("PHOENIX_CONFIG_KEY", material.to_owned())],
        vec![("PHOENIX_CONFIG_KEY", format!("k1:{}", &material[..30]))],
        vec![("PHOENIX_CONFIG_KEY", format!("k 1:{material}"))],
        vec![("PHOENIX_CONFIG_KEY", k.clone()), ("PHOENIX_CONFIG_PREVIOUS_KEYS", format!("k1:{}", &key("x")[2..]))],
    ];
    for vars in cases {
        let err = KeyRing::from_vars(vars).unwrap_err().to_string();
        assert!(!err.contains(&material[..12]), "{err}");
    }
    let secrets = SecretManager::from_vars([("PHOENIX_CONFIG_KEY", format!("k1:{}", &material[..30]))]);
    let err = secrets.require(&[]).unwrap_err();
    assert!(!format!("{err} {err:?} {secrets:?}").contains(&material[..12]));
}

// ---------------------------------------------------------------------------
// Secret files.

#[cfg(unix)]
fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn secret_files_leak_nothing_even_when_refused() {
    let s = Scratch::new();
    let good = s.write("secrets/good", &format!("{CANARY}\n"));
    let big = s.write("secrets/big", &CANARY.repeat(3000));
    let mut binary = CANARY.as_bytes().to_vec();
    binary.push(0xff);
    let bad = s.path().join("secrets/binary");
    std::fs::write(&bad, binary).unwrap();
    #[cfg(unix)]
    chmod(&good, 0o644); // readable by everyone: a warning, without the value
    let vars = [
        ("GOOD_FILE", good.display().to_string()),
        ("BIG_FILE", big.display().to_string()),
        ("BINARY_FILE", bad.display().to_string()),
        ("DIR_FILE", s.path().join("secrets").display().to_string()),
    ];
    let secrets = SecretManager::from_vars(vars);
    let ((good, err), events) = capture(|| {
        let good = secrets.get("GOOD").map(|g| g.expose().clone());
        (good, secrets.require(&["GOOD", "BIG", "BINARY", "DIR"]).unwrap_err())
    });
    assert_eq!(good.as_deref(), Some(CANARY));
    let kinds: Vec<IssueKind> = err.issues().iter().map(phoenix_config::Issue::kind).collect();
    assert_eq!(kinds, [IssueKind::Secret; 3]);
    #[cfg(unix)]
    assert!(events.iter().any(|e| e.to_string().contains("is readable by everyone")), "{events:?}");
    let mut out = Outputs::default();
    out.events(&events).error(&err).add("manager Debug", format!("{secrets:?}"));
    for issue in secrets.issues() {
        out.add("manager issue", issue.to_string());
    }
    out.assert_clean(&[]);
}

// ---------------------------------------------------------------------------
// `SecretManager`.

#[test]
fn secret_manager_leaks_nothing_through_any_source_or_failure() {
    let s = Scratch::new();
    let k = key("k1");
    let file = s.write("secrets/token", &format!("{}\n", sealed(&k)));
    #[cfg(unix)]
    chmod(&file, 0o600);
    let vars = [
        ("PHOENIX_CONFIG_KEY", k.clone()),
        ("PHOENIX_SECRET_PLAIN", CANARY.to_owned()),
        ("SECRET_B64", format!("base64:{}", STANDARD.encode(CANARY))),
        ("ENC", sealed(&k)),
        ("TOKEN_FILE", file.display().to_string()),
        ("MAPS_API_KEY", CANARY.to_owned()),
        ("BAD_B64", format!("base64:{CANARY}")),
        ("WRONG_KEY", sealed(&key("k1"))),
        ("UNKNOWN_ID", sealed(&key("k9"))),
        ("MONGODB_URI", CANARY.to_owned()),
        ("WEBSHARE_PROXY_HOST", "p.webshare.io".to_owned()),
        ("WEBSHARE_PROXY_PORT", CANARY.to_owned()),
        ("WEBSHARE_PROXY_USERNAME", "u".to_owned()),
        ("WEBSHARE_PROXY_PASSWORD", CANARY.to_owned()),
    ];
    let (result, events) = capture(|| {
        let secrets = SecretManager::from_vars(vars.clone());
        for name in ["PLAIN", "B64", "ENC", "TOKEN", "MAPS_API_KEY"] {
            assert_eq!(secrets.get(name).unwrap().expose(), CANARY, "{name}");
        }
        let db = secrets.database_credentials().unwrap();
        assert_eq!(db.connection_uri().expose(), CANARY);
        let proxy = secrets.proxy_credentials().unwrap_err();
        let required = secrets.require(&["PLAIN", "BAD_B64", "WRONG_KEY", "UNKNOWN_ID", "MISSING"]).unwrap_err();
        let api = format!("{:?}", secrets.api_keys());
        (format!("{secrets:?}"), format!("{db:?}"), proxy, required, api)
    });
    let (manager, db, proxy, required, api) = result;
    let kinds: Vec<(IssueKind, &str)> = required.issues().iter().map(|i| (i.kind(), i.path())).collect();
    assert_eq!(
        kinds,
        [
            (IssueKind::Secret, "BAD_B64"),
            (IssueKind::Secret, "WRONG_KEY"),
            (IssueKind::Secret, "UNKNOWN_ID"),
            (IssueKind::Missing, "MISSING")
        ]
    );
    assert!(required.issues()[1].message().contains("`k1`"));
    assert!(required.issues()[2].message().contains("`k9`"));
    let ciphertexts: Vec<&str> = vars.iter().filter(|(_, v)| v.starts_with("enc:")).map(|(_, v)| &v[10..]).collect();
    let mut out = Outputs::default();
    out.events(&events).error(&proxy).error(&required).add("manager", manager).add("db", db).add("api", api);
    out.assert_clean(&ciphertexts);
    // Every audit event names the variable.
    let audited: Vec<&str> = events.iter().filter_map(|e| e.field("secret")).collect();
    assert_eq!(audited, ["PHOENIX_SECRET_PLAIN", "SECRET_B64", "ENC", "TOKEN", "MAPS_API_KEY", "MONGODB_URI"]);
}

// ---------------------------------------------------------------------------
// The loader: a `#[secret]` field fed from every source.

/// Secrets of every kind, with plain fields beside them.
#[derive(PhoenixConfig)]
#[config(prefix = "LEAK")]
struct Vault {
    #[env("DB_PASSWORD", alias = "DATABASE_PASSWORD")]
    #[secret]
    password: String,
    #[config(nested)]
    api: Api,
    #[config(default = 5)]
    pool: u32,
}

/// A nested section holding a `Secret<T>`.
#[derive(PhoenixConfig)]
struct Api {
    token: Option<Secret<String>>,
}

/// Loads `Vault`, capturing every output; returns the loaded value.
fn load_vault(loader: &phoenix_config::ConfigLoader, also: &[&str]) -> Loaded<Vault> {
    let (result, events) = capture(|| loader.load_with_origins::<Vault>());
    let vault = result.unwrap_or_else(|e| panic!("{e}"));
    let mut out = Outputs::default();
    out.events(&events).loaded(&vault);
    out.assert_clean(also);
    vault
}

/// Injected variables.
type Vars<'a> = Vec<(&'a str, &'a str)>;

/// One source of the secret: variables, `config/base.yaml`, `.env`, and
/// how the origin must end.
struct Source<'a>(&'a str, Vars<'a>, Option<String>, Option<String>, String);

#[test]
fn every_source_of_a_secret_field_loads_it_and_leaks_nothing() {
    let s = Scratch::new();
    let k = key("k1");
    let file = s.write("run/db", &format!("{CANARY}\n")).display().to_string();
    s.write("secrets/DB_PASSWORD", CANARY);
    let b64 = format!("base64:{}", STANDARD.encode(CANARY));
    let enc = sealed(&k);
    let cases: Vec<Source> = vec![
        Source("yaml", vec![], Some(format!("password: \"{CANARY}\"\n")), None, "base.yaml:1:11".to_owned()),
        Source("yaml enc", vec![("LEAK_CONFIG_KEY", &k)], Some(format!("password: {enc}\n")), None, ":1:11".into()),
        Source("dotenv", vec![], None, Some(format!("DB_PASSWORD={CANARY}\n")), ".env:1 DB_PASSWORD".into()),
        Source(
            "dotenv enc with the key in .env",
            vec![],
            None,
            Some(format!("# keys\nLEAK_CONFIG_KEY={k}\nDB_PASSWORD='{enc}'\n")),
            ".env:3 DB_PASSWORD".into(),
        ),
        Source("variable", vec![("DB_PASSWORD", CANARY)], None, None, "env DB_PASSWORD".into()),
        Source(
            "alias",
            vec![("DATABASE_PASSWORD", CANARY)],
            None,
            None,
            "env DATABASE_PASSWORD (alias of DB_PASSWORD)".into(),
        ),
        Source(
            "prefixed",
            vec![("LEAK_PASSWORD", CANARY)],
            None,
            None,
            "env LEAK_PASSWORD (alias of DB_PASSWORD)".into(),
        ),
        Source("_FILE", vec![("DB_PASSWORD_FILE", &file)], None, None, format!("file {file} (DB_PASSWORD_FILE)")),
        Source("base64", vec![("DB_PASSWORD", &b64)], None, None, "env DB_PASSWORD".into()),
        Source("enc", vec![("DB_PASSWORD", &enc), ("LEAK_CONFIG_KEY", &k)], None, None, "env DB_PASSWORD".into()),
    ];
    for Source(case, vars, yaml, dotenv, origin) in cases {
        let _ = std::fs::remove_file(s.path().join("config/base.yaml"));
        let _ = std::fs::remove_file(s.path().join(".env"));
        if let Some(yaml) = yaml {
            s.write("config/base.yaml", &yaml);
        }
        if let Some(dotenv) = dotenv {
            s.write(".env", &dotenv);
        }
        let loaded = load_vault(&s.loader(&vars), &[&enc[10..]]);
        assert_eq!(loaded.config().password, CANARY, "{case}");
        let shown = loaded.origin("password").unwrap().to_string();
        assert!(shown.ends_with(&origin), "{case}: {shown}");
    }
    // The secrets folder.
    let loaded = load_vault(&s.loader(&[]).secrets_dir(s.path().join("secrets")), &[]);
    assert_eq!(loaded.config().password, CANARY);
    // An override.
    let loaded = load_vault(&s.loader(&[]).set("password", CANARY), &[]);
    assert!(loaded.origin("password").unwrap().to_string().starts_with("override tests/secrets.rs:"));
}

#[test]
fn a_file_of_the_secrets_folder_that_matches_nothing_is_a_warning_naming_it() {
    let s = Scratch::new();
    s.write("config/base.yaml", "pool: 5\n");
    s.write("secrets/DB_PASSWORD", "x\n");
    let typo = s.write("secrets/LEAK_API_TOKN", &format!("{CANARY}\n"));
    s.write("secrets/other-service", "not ours\n");
    let with_folder = s.loader(&[]).secrets_dir(s.path().join("secrets"));
    let loaded = load_vault(&with_folder, &[]);
    let warnings: Vec<String> = loaded.warnings().iter().map(ToString::to_string).collect();
    let expected = format!(
        "file {} (secrets dir): variable LEAK_API_TOKN is set but matches no field; did you mean LEAK_API_TOKEN?",
        typo.display()
    );
    assert_eq!(warnings, [expected]);
    let err = with_folder.strict(true).load::<Vault>().unwrap_err();
    assert!(err.to_string().contains("LEAK_API_TOKN") && !err.to_string().contains(CANARY), "{err}");
}

#[test]
fn a_syntax_error_in_a_dotenv_value_is_shown_at_the_values_start() {
    // A column inside the value would tell a secret's length, or where in
    // it the bad character is.
    let s = Scratch::new();
    s.write("config/base.yaml", "pool: 5\n");
    for (line, column) in [
        ("DB_PASSWORD=\"SEC\\qRET\"", 13),
        ("export DB_PASSWORD=SECRET${", 20),
        ("DB_PASSWORD=\"SECRET\"junk", 13),
        ("DB_PASSWORD = SECRET$", 15),
    ] {
        s.write(".env", &format!("{line}\n"));
        let err = s.loader(&[]).load::<Vault>().unwrap_err();
        let shown = err.issues()[0].origin().map(ToString::to_string).unwrap_or_default();
        assert_eq!(shown, format!("{}:1:{column}", s.shown(".env")), "{line}: {err}");
    }
    // Inside a multi-line value, a line holds nothing but the value.
    s.write(".env", "DB_PASSWORD=\"first\nSEC\\qRET\"\n");
    let err = s.loader(&[]).load::<Vault>().unwrap_err();
    assert_eq!(err.issues()[0].origin().unwrap().to_string(), format!("{}:2:1", s.shown(".env")), "{err}");
}

#[test]
fn a_broken_key_variable_is_reported_with_where_it_was_set() {
    let s = Scratch::new();
    s.write("config/base.yaml", "pool: 5\n");
    let bad = format!("k1:{CANARY}");
    s.write(".env", &format!("DB_PASSWORD=x\nLEAK_CONFIG_KEY={bad}\n"));
    let err = s.loader(&[]).load::<Vault>().unwrap_err();
    assert!(!err.to_string().contains(CANARY), "{err}");
    let origin = err.issues()[0].origin().map(ToString::to_string);
    assert_eq!(origin, Some(format!("{}:2 LEAK_CONFIG_KEY", s.shown(".env"))), "{err}");
    let err = s.loader(&[("LEAK_CONFIG_PREVIOUS_KEYS", "garbage-canary")]).no_dotenv().load::<Vault>().unwrap_err();
    assert_eq!(
        err.issues()[0].origin().map(ToString::to_string).as_deref(),
        Some("env LEAK_CONFIG_PREVIOUS_KEYS"),
        "{err}"
    );
    assert!(!err.to_string().contains("garbage-canary"), "{err}");
}

#[test]
fn every_broken_key_variable_is_reported_with_where_it_was_set() {
    let s = Scratch::new();
    s.write("config/base.yaml", "pool: 5\n");
    s.write(".env", &format!("DB_PASSWORD=x\nLEAK_CONFIG_KEY=k1:{CANARY}\n"));
    let err = s.loader(&[("LEAK_CONFIG_PREVIOUS_KEYS", "garbage-canary")]).load::<Vault>().unwrap_err();
    let origins: Vec<_> = err.issues().iter().map(|issue| issue.origin().map(ToString::to_string)).collect();
    let expected =
        [Some(format!("{}:2 LEAK_CONFIG_KEY", s.shown(".env"))), Some("env LEAK_CONFIG_PREVIOUS_KEYS".into())];
    assert_eq!(origins, expected, "{err}");
    assert!(!err.to_string().contains(CANARY) && !err.to_string().contains("garbage-canary"), "{err}");
    // A key read through `NAME_FILE` names that variable.
    let file = s.write("key.txt", "garbage-canary\n");
    let file = file.display().to_string();
    let err = s.loader(&[("LEAK_CONFIG_KEY_FILE", file.as_str())]).no_dotenv().load::<Vault>().unwrap_err();
    let origins: Vec<_> = err.issues().iter().filter_map(|issue| issue.origin().map(ToString::to_string)).collect();
    assert!(origins.contains(&"env LEAK_CONFIG_KEY_FILE".to_owned()), "{err}");
    assert!(!err.to_string().contains("garbage-canary"), "{err}");
}

/// A secret beside a plain field that happens to hold it too.
#[derive(PhoenixConfig)]
struct Copied {
    #[env("DB_PASSWORD")]
    #[secret]
    password: String,
    note: String,
}

#[test]
fn a_plain_value_holding_a_secret_is_scrubbed_in_the_table_and_show() {
    let s = Scratch::new();
    s.write("config/base.yaml", &format!("note: \"copied from the vault: {CANARY}\"\n"));
    let loaded = s.loader(&[("DB_PASSWORD", CANARY)]).load_with_origins::<Copied>().unwrap();
    assert_eq!(loaded.config().note, format!("copied from the vault: {CANARY}"), "the value itself is kept");
    assert_eq!(loaded.config().password, CANARY);
    let table = loaded.to_string();
    assert!(!table.contains(CANARY) && table.contains("copied from the vault: [REDACTED]"), "{table}");
    assert!(loaded.leaves().all(|(_, value, _)| !value.contains(CANARY)));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    for format in ["text", "yaml", "json"] {
        let args = ["show", "--format", format].map(str::to_owned);
        phoenix_config::cli::run_with::<Copied>("app", args, &s.loader(&[("DB_PASSWORD", CANARY)]), &mut out, &mut err);
    }
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains(CANARY) && out.contains("[REDACTED]"), "{out}");
}

#[test]
fn a_loaded_secret_is_audited_under_its_path() {
    let s = Scratch::new();
    let vars = [("DB_PASSWORD", "x"), ("LEAK_API_TOKEN", CANARY)];
    let loaded = load_vault(&s.loader(&vars), &[]);
    let token = loaded.config().api.token.as_ref().unwrap();
    assert_eq!(token.name(), Some("api.token"));
    let line = line!() + 1;
    let (value, events) = capture(|| token.expose().clone());
    assert_eq!(value, CANARY);
    assert_eq!(events[0].field("secret"), Some("api.token"));
    assert_eq!(events[0].field("caller"), Some(format!("{}:{line}", file!()).as_str()));
    Outputs::default().events(&events).assert_clean(&[]);
}

// ---------------------------------------------------------------------------
// The loader: every failure path of a secret.

/// Secret fields that can each fail.
#[allow(dead_code)] // some fields are only ever checked through errors
#[derive(PhoenixConfig)]
#[config(prefix = "BAD")]
struct Strict {
    #[secret]
    pin: Option<u32>,
    code: Option<Secret<u16>>,
    #[secret]
    pins: Option<Vec<u32>>,
    #[secret]
    #[validate(length(min = 100))]
    phrase: Option<String>,
    #[secret]
    #[validate(url)]
    endpoint: Option<Secret<String>>,
    #[secret]
    #[validate(one_of("fast", "slow"))]
    mode: Option<String>,
    #[secret]
    #[validate(custom = echo)]
    custom: Option<String>,
    #[secret]
    #[validate(each(zipcode))]
    zips: Option<Vec<String>>,
}

/// A rule whose message would repeat the value.
#[allow(clippy::ptr_arg)]
fn echo(value: &String) -> Result<(), String> {
    Err(format!("{value} is not accepted"))
}

/// Loads `Strict`, expecting failure; checks every output.
fn load_strict_err(loader: &phoenix_config::ConfigLoader, also: &[&str]) -> ConfigError {
    let (result, events) = capture(|| loader.load_with_origins::<Strict>());
    let Err(err) = result else { panic!("the load should fail") };
    let mut out = Outputs::default();
    out.events(&events).error(&err);
    out.assert_clean(also);
    err
}

fn issues(err: &ConfigError) -> Vec<(IssueKind, String, String)> {
    err.issues().iter().map(|i| (i.kind(), i.path().to_owned(), i.message().to_owned())).collect()
}

#[test]
fn bad_types_and_failed_rules_never_echo_the_secret() {
    let s = Scratch::new();
    let list = format!("1, {CANARY}");
    let zips = format!("85001, {CANARY}");
    let vars = [
        ("BAD_PIN", CANARY),
        ("BAD_CODE", CANARY),
        ("BAD_PINS", list.as_str()),
        ("BAD_PHRASE", CANARY),
        ("BAD_ENDPOINT", CANARY),
        ("BAD_MODE", CANARY),
        ("BAD_CUSTOM", CANARY),
        ("BAD_ZIPS", zips.as_str()),
    ];
    let err = load_strict_err(&s.loader(&vars), &[]);
    let found = issues(&err);
    let paths: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
    assert_eq!(paths, ["pin", "code", "pins", "phrase", "endpoint", "mode", "custom", "zips[1]"], "{err}");
    assert_eq!(found[0].0, IssueKind::Invalid);
    assert_eq!(found[0].2, "is not a valid u32");
    assert!(found[3..].iter().all(|(kind, _, _)| *kind == IssueKind::Validation), "{err}");
    assert_eq!(found[6].2, "does not pass `echo`");

    // The same from YAML, with its own conversions (plain and quoted scalars, lists).
    s.write(
        "config/base.yaml",
        &format!(
            "pin: {CANARY}\ncode: '{CANARY}'\npins: [1, {CANARY}]\nphrase: {CANARY}\nmode: \"{CANARY}\"\n\
             custom: |\n  {CANARY}\nzips:\n  - {CANARY}\n"
        ),
    );
    let err = load_strict_err(&s.loader(&[]), &[]);
    let paths: Vec<String> = issues(&err).into_iter().map(|(_, p, _)| p).collect();
    assert_eq!(paths, ["pin", "code", "pins", "phrase", "mode", "custom", "zips[0]"], "{err}");
    assert!(err.issues()[0].origin().unwrap().to_string().ends_with("base.yaml:1:6"), "{err}");

    // The same rules run by `validate()` on a value built in code.
    let strict = Strict {
        pin: None,
        code: None,
        pins: None,
        phrase: Some(CANARY.to_owned()),
        endpoint: Some(Secret::new(CANARY.to_owned())),
        mode: Some(CANARY.to_owned()),
        custom: Some(CANARY.to_owned()),
        zips: Some(vec![CANARY.to_owned()]),
    };
    let (errors, events) = capture(|| strict.validate());
    assert_eq!(errors.len(), 5, "{errors:?}");
    let mut out = Outputs::default();
    out.events(&events).add("config Debug", format!("{strict:?}"));
    for error in &errors {
        out.add("ValidationError", error.to_string()).add("ValidationError Debug", format!("{error:?}"));
    }
    out.assert_clean(&[]);
}

#[test]
fn decoding_failures_are_secret_issues_naming_the_key_and_the_origin() {
    let s = Scratch::new();
    let (k1, other_k1, k2) = (key("k1"), key("k1"), key("k2"));
    let enc = sealed(&k1);
    let mut tampered = enc.clone().into_bytes();
    let last = tampered.len() - 6;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let bad_b64 = format!("base64:{CANARY}");
    let cases: [(&str, Vars, &str); 5] = [
        (
            "bad base64",
            vec![("DB_PASSWORD", &bad_b64)],
            "invalid base64 after `base64:`: a character outside the base64 alphabet",
        ),
        (
            "tampered",
            vec![("DB_PASSWORD", &tampered), ("LEAK_CONFIG_KEY", &k1)],
            "cannot decrypt the value with key `k1`",
        ),
        (
            "wrong key",
            vec![("DB_PASSWORD", &enc), ("LEAK_CONFIG_KEY", &other_k1)],
            "cannot decrypt the value with key `k1`",
        ),
        ("unknown id", vec![("DB_PASSWORD", &enc), ("LEAK_CONFIG_KEY", &k2)], "no key with id `k1`"),
        ("missing key", vec![("DB_PASSWORD", &enc)], "it needs key `k1` and no key is configured"),
    ];
    for (case, vars, expected) in cases {
        let (result, events) = capture(|| s.loader(&vars).load_with_origins::<Vault>());
        let Err(err) = result else { panic!("{case}: the load should fail") };
        let issue = &err.issues()[0];
        assert_eq!(err.issues().len(), 1, "{case}: {err}");
        assert_eq!((issue.kind(), issue.path()), (IssueKind::Secret, "password"), "{case}");
        assert!(issue.message().contains(expected), "{case}: {issue}");
        assert_eq!(issue.origin().unwrap().to_string(), "env DB_PASSWORD", "{case}");
        let mut out = Outputs::default();
        out.events(&events).error(&err);
        out.assert_clean(&[&enc[10..], &tampered[10..]]);
    }
}

#[test]
fn a_rotated_env_file_loads_before_and_after_the_old_key_is_dropped() {
    let s = Scratch::new();
    let (old, new) = (key("old"), key("new"));
    let dotenv = format!("# database\nDB_PASSWORD={}  # yearly\nLEAK_POOL=7\n", sealed(&old));
    s.write(".env", &dotenv);
    let rotating = [("LEAK_CONFIG_KEY", new.as_str()), ("LEAK_CONFIG_PREVIOUS_KEYS", old.as_str())];
    assert_eq!(load_vault(&s.loader(&rotating), &[]).config().password, CANARY);

    // `rotate` takes a key ring of the Phoenix names (`KeyRing::from_vars`).
    let rotated =
        rotate(&dotenv, &ring(&[("PHOENIX_CONFIG_KEY", &new), ("PHOENIX_CONFIG_PREVIOUS_KEYS", &old)])).unwrap();
    assert_eq!(rotated.rewritten, 1);
    assert!(rotated.text.starts_with("# database\nDB_PASSWORD=enc:v1:new:"));
    assert!(rotated.text.ends_with("  # yearly\nLEAK_POOL=7\n"));
    s.write(".env", &rotated.text);
    let loaded = load_vault(&s.loader(&[("LEAK_CONFIG_KEY", new.as_str())]), &[]);
    assert_eq!(loaded.config().password, CANARY);
    assert_eq!(loaded.config().pool, 7);
}

#[test]
fn a_broken_key_variable_is_a_secret_issue_without_key_material() {
    let s = Scratch::new();
    let k = key("k1");
    let material = &k[3..];
    let broken = format!("k1:{}", &material[..20]);
    let vars = [("LEAK_CONFIG_KEY", broken.as_str()), ("DB_PASSWORD", CANARY)];
    let (result, events) = capture(|| s.loader(&vars).load::<Vault>());
    let Err(err) = result else { panic!("the load should fail") };
    assert!(err.has(IssueKind::Secret), "{err}");
    let mut out = Outputs::default();
    out.events(&events).error(&err);
    out.assert_clean(&[&material[..20]]);
    let mut text = String::new();
    let _ = write!(text, "{err}");
    assert!(text.contains("LEAK_CONFIG_KEY: key `k1`"), "{text}");
}

// ---------------------------------------------------------------------------
// Issue 12: every class of leak, with a hostile canary (newline, quotes,
// an ANSI escape) and needles for its prefix, middle, suffix and base64.

/// A canary that messages would escape, split or cut.
const HOSTILE: &str = "h0st1le-Pfx\"'\n\u{1b}[31mMid-Wv9Lq\\ tail-Sfx8Kp3";

/// A one-word canary, for places that only take a word (a YAML tag, an alias, an argument).
const WORD: &str = "Wd4Jk9Tq";

/// Every needle of [`HOSTILE`] and [`WORD`]: the whole, parts, escaped and base64 forms.
fn hostile_needles() -> Vec<String> {
    let encoded = STANDARD.encode(HOSTILE);
    vec![
        HOSTILE.to_owned(),
        "h0st1le-Pfx".to_owned(),
        "Mid-Wv9Lq".to_owned(),
        "tail-Sfx8Kp3".to_owned(),
        "\u{1b}[31m".to_owned(),
        "\\u{1b}[31m".to_owned(),
        encoded.clone(),
        encoded[..16].to_owned(),
        encoded[encoded.len() - 16..].to_owned(),
        WORD.to_owned(),
        STANDARD.encode(WORD),
    ]
}

impl Outputs {
    /// Like [`assert_clean`](Outputs::assert_clean), for the hostile canaries too.
    #[track_caller]
    fn assert_hostile_clean(&self) {
        let needles = hostile_needles();
        let also: Vec<&str> = needles.iter().map(String::as_str).collect();
        self.assert_clean(&also);
    }

    /// The payload of a panic: what `unwrap` or `expect` would print.
    fn panic_of(&mut self, f: impl FnOnce()) -> &mut Self {
        // Only the payload is read; nothing the closure touched is used after.
        let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).expect_err("it should panic");
        let text = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        assert!(!text.is_empty(), "a panic without a message");
        self.add("panic payload", text)
    }
}

/// A YAML double-quoted scalar holding `text`.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\u{1b}' => out.push_str("\\e"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

type Pin = Secret<u32>;
use phoenix_config::Secret as Hidden;

/// A serde leaf struct holding a secret.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Login {
    user: String,
    pin: Secret<u16>,
}

/// Secrets the derive cannot recognize by their spelling: only their type
/// says they are secret.
#[derive(PhoenixConfig)]
#[config(prefix = "TYPED")]
#[allow(dead_code)]
struct Typed {
    pins: Option<Vec<Secret<u32>>>,
    ports: Option<std::collections::HashMap<String, Secret<u16>>>,
    boxed: Option<Box<Secret<u32>>>,
    alias: Option<Pin>,
    hidden: Option<Hidden<String>>,
    login: Option<Login>,
    blob: Option<Secret<Vec<u8>>>,
}

#[test]
fn a_secret_known_only_by_its_type_is_decoded_and_redacted() {
    let s = Scratch::new();
    let k = key("k1");
    let keys = ring(&[("PHOENIX_CONFIG_KEY", &k)]);
    let pins = format!("7, base64:{}", STANDARD.encode("8"));
    let ports = format!("a: {}", encrypt("443", &keys).unwrap());
    let boxed = encrypt("9", &keys).unwrap();
    let hidden = format!("base64:{}", STANDARD.encode(HOSTILE));
    let binary = [0_u8, 0xe9, 0xff, b'\n'];
    let blob = format!("base64:{}", STANDARD.encode(binary));
    s.write("config/base.yaml", &format!("login:\n  user: ann\n  pin: {}\n", encrypt("12", &keys).unwrap()));
    let vars = [
        ("TYPED_CONFIG_KEY", k.as_str()),
        ("TYPED_PINS", &pins),
        ("TYPED_PORTS", &ports),
        ("TYPED_BOXED", &boxed),
        ("TYPED_ALIAS", "base64:MTA="),
        ("TYPED_HIDDEN", &hidden),
        ("TYPED_BLOB", &blob),
    ];
    let (result, events) = capture(|| s.loader(&vars).load_with_origins::<Typed>());
    let loaded = result.unwrap_or_else(|e| panic!("{e}"));
    let typed = loaded.config();
    let pins: Vec<u32> = typed.pins.as_ref().unwrap().iter().map(|p| *p.expose()).collect();
    assert_eq!(pins, [7, 8]);
    assert_eq!(*typed.ports.as_ref().unwrap()["a"].expose(), 443);
    assert_eq!(*typed.boxed.as_ref().unwrap().expose(), 9);
    assert_eq!(*typed.alias.as_ref().unwrap().expose(), 10);
    assert_eq!(typed.hidden.as_ref().unwrap().expose(), HOSTILE);
    assert_eq!(*typed.login.as_ref().unwrap().pin.expose(), 12);
    assert_eq!(typed.blob.as_ref().unwrap().expose(), &binary);
    for (path, value, _) in loaded.leaves() {
        assert_eq!(value, "[REDACTED]", "{path} is secret by its type");
    }
    let mut out = Outputs::default();
    out.events(&events).loaded(&loaded);
    out.assert_hostile_clean();
}

#[test]
fn a_bad_value_of_a_secret_known_only_by_its_type_is_never_quoted() {
    let s = Scratch::new();
    let pins = format!("1, {HOSTILE}");
    let ports = format!("a: {WORD}");
    let vars = [
        ("TYPED_PINS", pins.as_str()),
        ("TYPED_PORTS", &ports),
        ("TYPED_BOXED", HOSTILE),
        ("TYPED_ALIAS", WORD),
        ("TYPED_HIDDEN", "base64:!"),
        ("TYPED_BLOB", "base64:@@"),
    ];
    s.write("config/base.yaml", &format!("login:\n  user: ann\n  pin: {}\n", yaml_quoted(HOSTILE)));
    let loader = s.loader(&vars);
    let (result, events) = capture(|| loader.load_with_origins::<Typed>());
    let Err(err) = result else { panic!("the load should fail") };
    let paths: Vec<&str> = err.issues().iter().map(phoenix_config::Issue::path).collect();
    assert_eq!(paths, ["pins", "ports", "boxed", "alias", "hidden", "login", "blob"], "{err}");
    let mut out = Outputs::default();
    out.events(&events).error(&err).panic_of(|| {
        let _ = loader.load::<Typed>().unwrap();
    });
    out.assert_hostile_clean();
}

/// A cross-field rule that formats the secret in its message.
#[derive(PhoenixConfig)]
#[config(prefix = "PAIR", validate = differs)]
struct Pair {
    user: String,
    #[secret]
    password: String,
    token: Option<Secret<String>>,
}

fn differs(pair: &Pair) -> Result<(), String> {
    let token = pair.token.as_ref().map(|t| t.expose().clone()).unwrap_or_default();
    Err(format!("password {:?} / {} / {token} must differ from user {}", pair.password, pair.password, pair.user))
}

#[test]
fn a_rule_message_that_formats_a_secret_is_scrubbed() {
    let s = Scratch::new();
    let vars = [("PAIR_USER", "ann"), ("PAIR_PASSWORD", HOSTILE), ("PAIR_TOKEN", WORD)];
    let loader = s.loader(&vars);
    let (result, events) = capture(|| loader.load_with_origins::<Pair>());
    let Err(err) = result else { panic!("the rule fails") };
    assert!(err.issues()[0].message().contains("[REDACTED]"), "{err}");
    assert!(err.issues()[0].message().ends_with("must differ from user ann"), "{err}");
    let mut out = Outputs::default();
    out.events(&events).error(&err).panic_of(|| {
        let _ = loader.load::<Pair>().expect("a valid pair");
    });
    out.assert_hostile_clean();
}

#[test]
fn the_loader_s_debug_names_variables_and_overrides_never_their_values() {
    let k = key("k1");
    let loader = phoenix_config::ConfigLoader::new()
        .env_vars([("PAIR_PASSWORD", HOSTILE), ("PAIR_CONFIG_KEY", k.as_str())])
        .set("password", HOSTILE);
    let debug = format!("{loader:?} {loader:#?}");
    assert!(debug.contains("PAIR_PASSWORD") && debug.contains("\"password\""), "{debug}");
    let key_material = k.split_once(':').unwrap().1;
    Outputs::default().add("loader Debug", debug).assert_clean(&[key_material]);
    let mut out = Outputs::default();
    out.add("loader Debug", format!("{loader:?}"));
    out.assert_hostile_clean();
}

#[derive(PhoenixConfig)]
#[config(prefix = "TAGGED")]
#[allow(dead_code)]
struct Tagged {
    #[secret]
    password: Option<String>,
}

#[test]
fn yaml_tags_aliases_and_characters_on_a_secret_s_line_are_never_echoed() {
    let s = Scratch::new();
    for (case, yaml) in [
        ("tag", format!("password: !{WORD}\n")),
        ("core tag", format!("password: !!{WORD} x\n")),
        ("alias", format!("password: *{WORD}\n")),
        ("reserved character", format!("password: @{WORD}\n")),
        ("directive character", format!("password: %{WORD}\n")),
        ("not utf-8", "password: caf\u{e9}".to_owned()),
    ] {
        let bytes = if case == "not utf-8" { b"password: Wd4J\xe9k9Tq\n".to_vec() } else { yaml.into_bytes() };
        std::fs::write(s.path().join("config/base.yaml"), &bytes).unwrap_or_else(|_| {
            s.write("config/base.yaml", "");
            std::fs::write(s.path().join("config/base.yaml"), &bytes).unwrap();
        });
        let (result, events) = capture(|| s.loader(&[]).load_with_origins::<Tagged>());
        let Err(err) = result else { panic!("{case}: the load should fail") };
        assert!(!err.to_string().contains("0xe9"), "{case}: {err}");
        let mut out = Outputs::default();
        out.events(&events).error(&err);
        out.assert_hostile_clean();
    }
}

/// Every event of every thread (the watcher's own thread too), for the
/// tests that need it; installed once for the process. Threads with their
/// own default (the other tests' [`capture`]) are not seen.
fn global_recorder() -> &'static Recorder {
    static GLOBAL: std::sync::OnceLock<Recorder> = std::sync::OnceLock::new();
    GLOBAL.get_or_init(|| {
        let recorder = Recorder::default();
        tracing::subscriber::set_global_default(recorder.clone()).expect("no other global subscriber");
        recorder
    })
}

/// Through the watcher: the failed reload's ERROR event, the
/// `ReloadEvent::Failed` and the status echo nothing of the tag either.
#[test]
fn a_failed_reload_over_a_secret_s_line_echoes_nothing() {
    let recorder = global_recorder();
    let s = Scratch::new();
    s.write("config/base.yaml", "password: first\n");
    let options = phoenix_config::WatchOptions {
        poll_interval: std::time::Duration::from_millis(20),
        debounce: std::time::Duration::from_millis(30),
        max_wait: std::time::Duration::from_secs(2),
    };
    let watcher = s.loader(&[]).watch_with::<Tagged>(options).unwrap_or_else(|e| panic!("{e}"));
    let events = watcher.subscribe();
    s.write("config/base.yaml", &format!("password: !{WORD}\n"));
    let event = events.recv_timeout(std::time::Duration::from_secs(20)).expect("a reload event within the wait");
    let phoenix_config::ReloadEvent::Failed(err) = event else { panic!("the tagged value does not load") };
    // The ERROR event is emitted before the reload event is published.
    let logged = recorder.0.lock().unwrap().clone();
    assert!(logged.iter().any(|e| e.to_string().contains("configuration reload failed")), "{logged:?}");
    let mut out = Outputs::default();
    out.events(&logged).error(&err).add("status", format!("{:?}", watcher.status()));
    out.add("watcher Debug", format!("{watcher:?}"));
    out.assert_hostile_clean();
}

/// `.env` lines that are not entries (a pasted PEM body, bare words, a bad
/// name, a bad escape, text after a quote) are reported without quoting
/// any of them, nor the character of the escape.
#[test]
fn dotenv_lines_that_are_not_entries_are_never_quoted() {
    let s = Scratch::new();
    let w = WORD;
    s.write(
        ".env",
        &format!(
            "MIIEvQIBADANBg{w}kqhkiG9w0BAQEFAASC\n{w}\n{w} {w}\n-{w}=1\nA-{w}=1\nTAGGED_PASSWORD=\"{w}\\q{w}\"\n\
             TAGGED_PASSWORD='{w}' {w}\nTAGGED_PASSWORD=\"{w}\\\n"
        ),
    );
    let (result, events) = capture(|| s.loader(&[]).load_with_origins::<Tagged>());
    let Err(err) = result else { panic!("the .env file is broken") };
    assert!(err.issues().len() >= 7, "{err}");
    assert!(!err.to_string().contains("\\q"), "{err}");
    let mut out = Outputs::default();
    out.events(&events).error(&err);
    out.assert_hostile_clean();
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
enum Level {
    Low,
    High,
}

/// Secret defaults: shown by no docs command, quoted by no message.
#[derive(PhoenixConfig)]
#[config(prefix = "DEF")]
#[allow(dead_code)]
struct Defaults {
    #[secret]
    #[config(default = "Wd4Jk9Tq")]
    token: String,
    #[secret]
    #[config(default = "Wd4Jk9Tq")]
    level: Level,
    #[secret]
    #[config(default = "1,Wd4Jk9Tq")]
    pins: Vec<u32>,
}

#[test]
fn secret_defaults_are_never_shown_or_quoted() {
    let s = Scratch::new();
    let (result, events) = capture(|| s.loader(&[]).load_with_origins::<Defaults>());
    let Err(err) = result else { panic!("the defaults do not convert") };
    assert_eq!(err.issues().len(), 2, "{err}");
    assert!(err.issues().iter().all(|i| i.message().starts_with("the default is not a valid")), "{err}");
    let mut out = Outputs::default();
    out.events(&events).error(&err);
    let docs = [
        ("env", phoenix_config::docs::env_markdown::<Defaults>()),
        ("env text", phoenix_config::docs::env_text::<Defaults>()),
        ("dotenv-example", phoenix_config::docs::dotenv_example::<Defaults>()),
        ("template", phoenix_config::docs::yaml_template::<Defaults>()),
        ("schema", phoenix_config::docs::json_schema::<Defaults>().to_string()),
    ];
    for (label, text) in docs {
        out.add(label, text);
    }
    assert!(phoenix_config::docs::env_markdown::<Defaults>().contains("(secret)"));
    out.assert_hostile_clean();
}

/// The same, for fields that only their type says are secret.
#[derive(PhoenixConfig)]
#[config(prefix = "TDEF")]
#[allow(dead_code)]
struct TypedDefaults {
    #[config(default = "73519846")]
    #[validate(custom = echo_pin)]
    alias: Pin,
    #[config(default = "73519846,1")]
    pins: Vec<Secret<u32>>,
    #[config(default = "Wd4Jk9Tq")]
    hidden: Hidden<String>,
    #[config(default = "{a: 73519846}")]
    ports: std::collections::HashMap<String, Secret<u32>>,
    #[config(default = "{user: ann, pin: 73519846}")]
    login: Login,
}

/// A rule whose message formats the value.
fn echo_pin(pin: &Pin) -> Result<(), String> {
    Err(format!("{} is not allowed", pin.expose()))
}

#[test]
fn defaults_and_rules_of_secrets_known_only_by_their_type_are_never_shown() {
    let docs = [
        ("env", phoenix_config::docs::env_markdown::<TypedDefaults>()),
        ("env text", phoenix_config::docs::env_text::<TypedDefaults>()),
        ("dotenv-example", phoenix_config::docs::dotenv_example::<TypedDefaults>()),
        ("template", phoenix_config::docs::yaml_template::<TypedDefaults>()),
        ("schema", phoenix_config::docs::json_schema::<TypedDefaults>().to_string()),
    ];
    let mut out = Outputs::default();
    for (label, text) in &docs {
        out.add(label, text.clone());
    }
    let table = &docs[0].1;
    for field in ["alias", "pins", "hidden", "ports", "login"] {
        let row = table.lines().find(|l| l.contains(&format!("`{field}`"))).unwrap_or_else(|| panic!("{table}"));
        assert!(row.contains("(secret)"), "{field}: {row}");
    }
    // `validate()` knows them too: a rule's message is not used.
    let value = TypedDefaults {
        alias: Secret::new(73_519_846),
        pins: Vec::new(),
        hidden: Secret::new(WORD.to_owned()),
        ports: std::collections::HashMap::new(),
        login: Login { user: "ann".to_owned(), pin: Secret::new(1) },
    };
    let errors = value.validate();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].to_string(), "alias: does not pass `echo_pin`");
    out.add("validate", errors[0].to_string());
    // And a load: the rule fails without its message, nothing is quoted.
    let s = Scratch::new();
    let (result, events) = capture(|| s.loader(&[]).load_with_origins::<TypedDefaults>());
    let Err(err) = result else { panic!("the rule fails") };
    out.events(&events).error(&err);
    out.assert_hostile_clean();
    out.assert_clean(&["73519846"]);
}

/// Parts of a secret: map keys, item counts.
#[derive(PhoenixConfig)]
#[config(prefix = "PARTS")]
#[allow(dead_code)]
struct Parts {
    #[secret]
    keys: Option<std::collections::HashMap<String, String>>,
    #[secret]
    twice: Option<std::collections::HashMap<String, String>>,
    #[secret]
    pair: Option<(u8, u8)>,
}

#[test]
fn no_message_names_a_key_or_a_count_of_a_secret() {
    let s = Scratch::new();
    let keys = format!("{WORD}: base64:!");
    let twice = format!("{WORD}: a, {WORD}: b");
    let vars = [("PARTS_KEYS", keys.as_str()), ("PARTS_TWICE", &twice), ("PARTS_PAIR", "1,2,3")];
    let (result, events) = capture(|| s.loader(&vars).load_with_origins::<Parts>());
    let Err(err) = result else { panic!("every field is bad") };
    assert_eq!(err.issues().len(), 3, "{err}");
    assert!(!err.issues()[2].message().contains('3'), "{err}");
    let mut out = Outputs::default();
    out.events(&events).error(&err);
    out.assert_hostile_clean();
}

/// Maps that are secrets, each in its own way, one inside a section
/// (`Secret<HashMap<…>>` does not exist: a `HashMap` cannot be zeroized).
#[derive(PhoenixConfig)]
#[allow(dead_code)]
struct Maps {
    #[secret]
    marked: Option<std::collections::HashMap<String, String>>,
    #[secret]
    whole: Option<std::collections::BTreeMap<String, String>>,
    values: Option<std::collections::HashMap<String, Secret<String>>>,
    lists: Option<Vec<std::collections::HashMap<String, Secret<String>>>>,
    #[config(nested)]
    inner: Option<InnerMaps>,
    plain: Option<std::collections::HashMap<String, String>>,
}

#[derive(PhoenixConfig)]
#[allow(dead_code)]
struct InnerMaps {
    values: Option<std::collections::HashMap<String, Secret<String>>>,
}

/// A duplicate key in a secret map, in every file format: the key is part
/// of the secret, so no message names it (nor its length); a plain map's
/// duplicate is still named.
#[test]
fn a_duplicate_key_of_a_secret_map_is_never_named() {
    let w = WORD;
    let yaml = [
        format!("marked:\n  {w}: a\n  {w}: b\n"),
        format!("whole: {{{w}: a, {w}: b}}\n"),
        format!("values:\n  \"{w}\": a\n  '{w}': b\n"),
        format!("lists:\n  - {{ok: a}}\n  - {w}: a\n    {w}: b\n"),
        format!("inner:\n  values:\n    {w}: a\n    {w}: b\n"),
    ];
    let s = Scratch::new();
    for (i, text) in yaml.iter().enumerate() {
        let (name, text) = if i == 1 {
            ("base.json", format!("{{\"whole\": {{\"{w}\": \"a\", \"{w}\": \"b\"}}}}"))
        } else {
            ("base.yaml", text.clone())
        };
        let _ = std::fs::remove_dir_all(s.path().join("config"));
        s.write(&format!("config/{name}"), &text);
        let (result, events) = capture(|| s.loader(&[]).load_with_origins::<Maps>());
        let Err(err) = result else { panic!("{text}: a duplicate key is an error") };
        let message = err.issues()[0].message();
        let line = message
            .strip_prefix("duplicate key (the first is at line ")
            .and_then(|m| m.strip_suffix("); remove one of them"));
        assert!(line.is_some_and(|l| l.parse::<u32>().is_ok()), "{text}: {err}");
        let mut out = Outputs::default();
        out.events(&events).error(&err).add("issue Debug", format!("{:?}", err.issues()));
        out.assert_hostile_clean();
    }
    // TOML's own message names no key.
    let _ = std::fs::remove_dir_all(s.path().join("config"));
    s.write("config/base.toml", &format!("[values]\n{w} = \"a\"\n{w} = \"b\"\n"));
    let (result, events) = capture(|| s.loader(&[]).load_with_origins::<Maps>());
    let Err(err) = result else { panic!("a duplicate TOML key is an error") };
    let mut out = Outputs::default();
    out.events(&events).error(&err);
    out.assert_hostile_clean();
    // A plain map's duplicate names its key.
    let _ = std::fs::remove_dir_all(s.path().join("config"));
    s.write("config/base.yaml", "plain:\n  host: a\n  host: b\n");
    let err = s.loader(&[]).load::<Maps>().unwrap_err();
    assert!(err.issues()[0].message().starts_with("duplicate key `host`"), "{err}");
}

fn cli(loader: &phoenix_config::ConfigLoader, args: &[&str]) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code =
        phoenix_config::cli::run_with::<Vault>("app", args.iter().map(|a| (*a).to_owned()), loader, &mut out, &mut err);
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

#[test]
fn usage_errors_of_the_command_line_never_echo_an_argument() {
    let s = Scratch::new();
    let flag = format!("--{WORD}");
    let with_value = format!("--id={WORD}");
    for args in [
        vec!["encrypt", "x", flag.as_str()],
        vec!["encrypt", "x", WORD],
        vec![WORD],
        vec!["show", "--env", WORD],
        vec!["show", "--format", WORD],
        vec!["env", "--format", WORD],
        vec!["decrypt", with_value.as_str()],
        vec!["encrypt", HOSTILE, HOSTILE],
    ] {
        let (code, out, err) = cli(&s.loader(&[]), &args);
        assert_eq!(code, phoenix_config::cli::EXIT_USAGE, "{args:?}: {err}");
        let mut outputs = Outputs::default();
        outputs.add("stdout", out).add("stderr", err);
        outputs.assert_hostile_clean();
    }
}

#[cfg(unix)]
#[test]
fn rotate_keeps_the_file_s_mode_and_leaks_nothing() {
    use std::os::unix::fs::PermissionsExt as _;

    let s = Scratch::new();
    let (old, new) = (key("old"), key("new"));
    let file = s.write("prod.env", &format!("API_TOKEN={}\n", sealed(&old)));
    chmod(&file, 0o600);
    let rotating = s.loader(&[("LEAK_CONFIG_KEY", &new), ("LEAK_CONFIG_PREVIOUS_KEYS", &old)]);
    let (code, out, err) = cli(&rotating, &["rotate", &file.display().to_string()]);
    assert_eq!(code, phoenix_config::cli::EXIT_OK, "{err}");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("API_TOKEN=enc:v1:new:"));
    assert!(!s.path().join("prod.env.rotating").exists());
    // Nested prefixes: an error, not a panic quoting the line.
    let nested = s.write("nested.env", &format!("X=enc:v1:enc:v1:new:{WORD}\n"));
    let (code, out2, err2) = cli(&rotating, &["rotate", &nested.display().to_string()]);
    assert_eq!(code, phoenix_config::cli::EXIT_INVALID, "{err2}");
    let mut outputs = Outputs::default();
    outputs.add("stdout", out).add("stderr", err).add("stdout", out2).add("stderr", err2);
    outputs.assert_hostile_clean();
}

#[test]
fn production_refuses_plaintext_secrets_in_files() {
    let s = Scratch::new();
    let k = key("k-20200101-0001");
    s.write("config/production.yaml", &format!("password: \"{CANARY}\"\n"));
    let production = |vars: &[(&str, &str)]| s.loader(vars).environment(phoenix_config::Environment::Production);
    // The loader option.
    let (result, events) = capture(|| production(&[]).encrypted_secrets_only().load_with_origins::<Vault>());
    let Err(err) = result else { panic!("a plaintext secret in a file is refused") };
    assert_eq!(err.issues()[0].kind(), IssueKind::Secret, "{err}");
    assert!(err.issues()[0].message().starts_with("a secret written in a configuration file without encryption"));
    assert!(err.issues()[0].origin().unwrap().to_string().ends_with("production.yaml:1:11"), "{err}");
    let mut out = Outputs::default();
    out.events(&events).error(&err);
    out.assert_clean(&[]);
    // A value that is not even text (a list for a `String`) has one message,
    // its conversion error, not a second one for being plain text.
    s.write("config/production.yaml", &format!("password: [\"{CANARY}\", b]\n"));
    let err = production(&[]).encrypted_secrets_only().load::<Vault>().expect_err("a list is not text");
    assert_eq!(err.issues().len(), 1, "{err}");
    assert_eq!(err.issues()[0].kind(), IssueKind::Invalid, "{err}");
    assert!(err.issues()[0].message().contains("found a list"), "{err}");
    let mut out = Outputs::default();
    out.error(&err);
    out.assert_clean(&[]);
    s.write("config/production.yaml", &format!("password: \"{CANARY}\"\n"));
    // Without the option, it loads; a variable or an enc:v1: value passes with it.
    assert!(production(&[]).load::<Vault>().is_ok());
    assert!(production(&[("DB_PASSWORD", CANARY)]).encrypted_secrets_only().load::<Vault>().is_ok());
    // `check --env production` turns it on, and warns about the old key.
    let (code, out1, err1) = cli(&production(&[("LEAK_CONFIG_KEY", &k)]), &["check", "--env", "production"]);
    assert_eq!(code, phoenix_config::cli::EXIT_INVALID, "{out1}{err1}");
    assert!(err1.contains("without encryption"), "{err1}");
    assert!(err1.contains("warning: the current key `k-20200101-0001` is "), "{err1}");
    s.write("config/production.yaml", &format!("password: {}\n", sealed(&k)));
    let (code, out2, err2) = cli(&production(&[("LEAK_CONFIG_KEY", &k)]), &["check", "--env", "production"]);
    assert_eq!(code, phoenix_config::cli::EXIT_OK, "{err2}");
    let (_, _, err3) =
        cli(&production(&[("LEAK_CONFIG_KEY", &k)]), &["check", "--env", "production", "--max-key-age", "100000"]);
    assert!(!err3.contains("warning"), "{err3}");
    let mut outputs = Outputs::default();
    outputs.add("stdout", out1).add("stderr", err1).add("stdout", out2).add("stderr", err2);
    outputs.assert_clean(&[k.split_once(':').unwrap().1]);
}

#[test]
fn keygen_ids_carry_their_creation_date() {
    let (code, out, _) = cli(&Scratch::new().loader(&[]), &["keygen"]);
    assert_eq!(code, phoenix_config::cli::EXIT_OK);
    let id = out.trim().strip_prefix("LEAK_CONFIG_KEY=").unwrap().split(':').next().unwrap();
    let today = phoenix_config::secret::dated_key_id(std::time::SystemTime::now());
    assert_eq!(id[..11], today[..11], "{id}");
}

/// Fields that are not secret.
#[derive(PhoenixConfig)]
struct Plain {
    tags: Vec<String>,
    workers: u32,
    label: String,
    pin: Secret<u32>,
}

#[test]
fn an_encrypted_value_where_no_secret_is_read_is_an_error_naming_the_key() {
    let s = Scratch::new();
    let k = key("k1");
    let enc = sealed(&k);
    let pin = encrypt("1234", &ring(&[("PHOENIX_CONFIG_KEY", &k)])).unwrap();
    s.write("config/base.yaml", &format!("tags: [a, {enc}]\nworkers: {enc}\nlabel: base64:aGk=\npin: {pin}\n"));
    let loader = s.loader(&[("CONFIG_KEY", &k)]);
    let (result, events) = capture(|| loader.load::<Plain>());
    let Err(err) = result else { panic!("an encrypted value in a field that is not secret is refused") };
    let fix = "the value is encrypted (`enc:v1:`) but the field is not secret: mark it `#[secret]` or use `Secret<T>` so it is decrypted";
    let shown: Vec<String> = err.issues().iter().map(ToString::to_string).collect();
    assert_eq!(err.issues().len(), 2, "{shown:?}");
    assert_eq!(err.issues()[0].path(), "tags", "{shown:?}");
    assert_eq!(err.issues()[0].message(), format!("item [1]: {fix}"), "{shown:?}");
    // At the item itself, not the list.
    assert!(err.issues()[0].origin().unwrap().to_string().ends_with("base.yaml:1:11"), "{shown:?}");
    assert_eq!(err.issues()[1].path(), "workers", "{shown:?}");
    assert_eq!(err.issues()[1].message(), fix, "{shown:?}");
    assert!(err.issues()[1].origin().unwrap().to_string().ends_with("base.yaml:2:10"), "{shown:?}");
    let mut out = Outputs::default();
    out.events(&events).error(&err);
    out.assert_clean(&[&enc[10..], &pin[10..]]);
    // `base64:` is plain text where no secret is read; the secret decodes.
    s.write("config/base.yaml", &format!("tags: [a]\nworkers: 2\nlabel: base64:aGk=\npin: {pin}\n"));
    let plain = s.loader(&[("CONFIG_KEY", &k)]).load::<Plain>().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((plain.tags, plain.workers, plain.label.as_str()), (vec!["a".to_owned()], 2, "base64:aGk="));
    assert_eq!(*plain.pin.expose(), 1234);
}
