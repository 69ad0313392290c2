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
# On a shared machine CPU time varies from run to run (other builds share the
# cores and their caches), so RUNS=n builds each n times, alternating, and
# prints every run, then each one's minimum and median. PER_CRATE=1 also
# prints rustc's CPU per crate (a RUSTC_WRAPPER timing each call; its own
# cost is about 1 ms a call) for the last run of each.
#
#   [RUNS=n] [PER_CRATE=1] benches/compile.sh [scratch-folder]    (default: /tmp/compile-bench)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root="${1:-/tmp/compile-bench}"
runs="${RUNS:-1}"
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

# The wrapper for PER_CRATE: `<crate> <user s> <sys s>` per rustc call.
cat > "$root/rustc-timed" <<'SH'
#!/usr/bin/env bash
rustc="$1"; shift
name=""; prev=""
for a in "$@"; do [ "$prev" = "--crate-name" ] && name="$a"; prev="$a"; done
[ -z "$name" ] && exec "$rustc" "$@"
exec /usr/bin/time -a -o "$CRATE_CPU_LOG" -f "$name %U %S" "$rustc" "$@"
SH
chmod +x "$root/rustc-timed"

# One clean build: prints it, adds its CPU seconds (user + sys) to <who>.runs.
build() {
    cd "$root/$1"
    rm -rf target "$root/$1.crates"
    local wrap=()
    if [ "${PER_CRATE:-0}" = 1 ]; then
        wrap=(env RUSTC_WRAPPER="$root/rustc-timed" CRATE_CPU_LOG="$root/$1.crates")
    fi
    /usr/bin/time -o "$root/$1.time" -f "%U %S %e" "${wrap[@]}" cargo build -q
    read -r user sys wall < "$root/$1.time"
    echo "$1: $user s user + $sys s sys CPU, $wall s wall, load average $(cut -d' ' -f1 /proc/loadavg)"
    echo "$user + $sys" | bc >> "$root/$1.runs"
}

for who in ours confique; do
    (cd "$root/$who" && cargo fetch -q)
    : > "$root/$who.runs"
done
for _ in $(seq "$runs"); do
    for who in ours confique; do
        (build "$who")
    done
done
for who in ours confique; do
    sort -n "$root/$who.runs" | awk -v who="$who" '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%s: CPU min %.2f s, median %.2f s of %d run(s)\n", who, v[1], m, NR }'
    echo "$who: $(cd "$root/$who" && cargo tree -e normal,build --prefix none | sed 's/ (\*)//; s/ (proc-macro)//' | sort -u | wc -l) crates"
    if [ -s "$root/$who.crates" ]; then
        awk '{ t[$1] += $2 + $3 } END { for (k in t) printf "  %6.2f s %s\n", t[k], k }' "$root/$who.crates" | sort -rn
    fi
done
