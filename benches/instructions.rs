//! The instruction-count mode of the contest: one binary that runs some
//! loads of one contender at one scale, for `benches/callgrind.sh` to run
//! under valgrind's callgrind (instruction counts do not depend on how busy
//! the machine is). The script runs each case twice (with 1 and with 1 + k
//! loads) and divides the difference by k, so start-up, fixture writing and
//! the first load's one-time work (plans, lazy tables) cancel out.
//!
//! ```text
//! instructions <contender> <scale> <loads>
//!   contender: phoenix | phoenix-reused | phoenix-process-env | figment | config-rs | confique
//!   scale:     1 | 10 | 100 | map-600 | map-6000 | merge-600 | merge-6000 | list-600 | list-6000 (phoenix only)
//! instructions env          prints the contest's variables as NAME=value lines
//! instructions noise <n>    prints n unrelated NAME=value lines (a large environment)
//! ```
//!
//! The binary never changes its own environment: the script starts it with
//! exactly the variables it should see (`env -i`). With `phoenix` the
//! variables are injected (`ConfigLoader::env_vars`) and the `noise` count
//! comes from `INJECTED_NOISE` (`0` when unset).

mod common;

use std::hint::black_box;

use common::shapes::{self, Shape};
use common::{Fixture, Scale, X1, X10, X100};

fn usage() -> ! {
    eprintln!("usage: instructions <contender> <scale> <loads> | env | noise <n>");
    std::process::exit(2)
}

/// `n` variables no setting reads, shaped like a container's.
fn noise(n: usize) -> Vec<(String, String)> {
    (0..n).map(|i| (format!("CONTAINER_VAR_{i:03}"), format!("/srv/app/value-{i}:{}", i * 7))).collect()
}

fn run<S: Scale>(who: &str, fixture: &Fixture, loads: usize, extra: &[(String, String)]) {
    for _ in 0..loads {
        match who {
            "phoenix" => drop(black_box(common::phoenix_with_vars::<S>(fixture, extra))),
            "phoenix-reused" => drop(black_box(reused::<S>(fixture, extra))),
            "phoenix-process-env" => drop(black_box(common::phoenix_process_env::<S>(fixture))),
            "figment" => drop(black_box(common::figment::<S>(fixture))),
            "config-rs" => drop(black_box(common::config_rs::<S>(fixture))),
            "confique" => drop(black_box(common::confique::<S>(fixture))),
            _ => usage(),
        }
    }
}

/// phoenix-config with one loader for every load (variables injected once):
/// the load alone, without building the loader's map of variables.
fn reused<S: Scale>(fixture: &Fixture, extra: &[(String, String)]) -> S::Phoenix {
    use std::sync::OnceLock;
    static LOADER: OnceLock<phoenix_config::ConfigLoader> = OnceLock::new();
    let loader = LOADER.get_or_init(|| common::phoenix_loader::<S>(fixture, extra));
    loader.load::<S::Phoenix>().unwrap_or_else(|e| panic!("phoenix-config: {e}"))
}

fn shape(scale: &str) -> Option<(Shape, usize)> {
    let (name, n) = scale.split_once('-')?;
    let shape = Shape::ALL.into_iter().find(|s| s.name() == name)?;
    Some((shape, n.parse().ok()?))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args[..] {
        ["env"] => {
            for (name, value) in common::VARS {
                println!("{name}={value}");
            }
        }
        ["noise", n] => {
            for (name, value) in noise(n.parse().unwrap_or_else(|_| usage())) {
                println!("{name}={value}");
            }
        }
        [who, scale, loads] => {
            let loads: usize = loads.parse().unwrap_or_else(|_| usage());
            let injected = std::env::var("INJECTED_NOISE").ok().and_then(|n| n.parse().ok()).unwrap_or(0);
            let extra = noise(injected);
            let fixture = Fixture::new();
            match scale {
                "1" => run::<X1>(who, &fixture, loads, &extra),
                "10" => run::<X10>(who, &fixture, loads, &extra),
                "100" => run::<X100>(who, &fixture, loads, &extra),
                _ => {
                    let Some((shape, n)) = shape(scale) else { usage() };
                    let dir = shapes::write(fixture.scratch(), shape, n);
                    for _ in 0..loads {
                        drop(black_box(shapes::load(&dir)));
                    }
                }
            }
        }
        _ => usage(),
    }
}
