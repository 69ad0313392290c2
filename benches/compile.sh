#!/usr/bin/env bash
# Compile cost for users: a clean debug build of a small binary (one struct,
# one load) with default features, phoenix-config against confique, in one
# run, in a scratch crate outside the workspace (its own target folder).
# Prints the CPU time (user + sys) of each `cargo build` and its crate count.
# phoenix-config comes by path, so cargo would build it (and its derive)
# incrementally, which a crates.io dependency never is (about 2 s of CPU
# more): the profile below builds them as cargo builds a registry crate.
# Both binaries themselves stay incremental, as a user's own crate is.
#
#   benches/compile.sh [scratch-folder]    (default: /tmp/compile-bench)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root="${1:-/tmp/compile-bench}"
mkdir -p "$root/ours/src" "$root/confique/src"

cat > "$root/ours/Cargo.toml" <<TOML
[package]
name = "ours"
version = "0.1.0"
edition = "2024"
[dependencies]
phoenix-config = { path = "$repo/phoenix-config" }
[workspace]
[profile.dev.package.phoenix-config]
incremental = false
[profile.dev.package.phoenix-config-derive]
incremental = false
TOML
cat > "$root/ours/src/main.rs" <<'RS'
use phoenix_config::{ConfigLoader, PhoenixConfig};

#[derive(PhoenixConfig)]
#[config(prefix = "APP")]
struct Settings {
    #[config(default = 8080)]
    port: u16,
    host: Option<String>,
}

fn main() {
    let settings: Settings = ConfigLoader::new().load().unwrap();
    println!("{:?} {:?}", settings.port, settings.host);
}
RS
cat > "$root/confique/Cargo.toml" <<'TOML'
[package]
name = "theirs"
version = "0.1.0"
edition = "2024"
[dependencies]
confique = { version = "0.4.0", features = ["yaml"] }
[workspace]
TOML
cat > "$root/confique/src/main.rs" <<'RS'
use confique::Config;

#[derive(Config)]
struct Settings {
    #[config(env = "APP_PORT", default = 8080)]
    port: u16,
    #[config(env = "APP_HOST")]
    host: Option<String>,
}

fn main() {
    let settings = Settings::builder().env().file("config/base.yaml").load().unwrap();
    println!("{:?} {:?}", settings.port, settings.host);
}
RS

for who in ours confique; do
    (
        cd "$root/$who"
        cargo fetch -q
        rm -rf target
        /usr/bin/time -f "$who: %U s user + %S s sys CPU, %e s wall" cargo build -q 2>&1 | tail -1
        echo "$who: $(cargo tree -e normal,build --prefix none | sed 's/ (\*)//; s/ (proc-macro)//' | sort -u | wc -l) crates"
    )
done
