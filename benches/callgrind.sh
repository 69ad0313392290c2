#!/usr/bin/env bash
# Instructions per load of phoenix-config, figment, config-rs and confique,
# in one run, counted by valgrind's callgrind (a busy machine does not change
# the count). Each case runs twice, with 1 and with 1 + k loads; the
# difference divided by k is one load, without start-up and first-load work.
#
#   benches/callgrind.sh            every table (several minutes)
#   benches/callgrind.sh contest    only the contenders at 1x, 10x, 100x
#   benches/callgrind.sh shapes     only the large map / merge / list scales
#   benches/callgrind.sh env        only the environment sizes
#
# Every case starts with `env -i` and exactly the contest's variables (see
# `benches/instructions.rs`), so the caller's environment changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is not installed" >&2; exit 1; }
bin=$(cargo bench --bench instructions --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "callgrind.sh: cannot find the instructions binary" >&2; exit 1; }

mapfile -t contest_env < <("$bin" env)

# count <noise vars> <injected noise> <contender> <scale> <loads>: instructions of one run
count() {
    local noise="$1" injected="$2"
    shift 2
    local -a extra=()
    if [ "$noise" -gt 0 ]; then mapfile -t extra < <("$bin" noise "$noise"); fi
    env -i PATH=/usr/bin:/bin HOME=/tmp INJECTED_NOISE="$injected" "${contest_env[@]}" "${extra[@]}" \
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

# per_load <noise> <injected> <contender> <scale> <k>: instructions of one load
per_load() {
    local one more
    one=$(count "$1" "$2" "$3" "$4" 1)
    more=$(count "$1" "$2" "$3" "$4" $((1 + $5)))
    echo $(((more - one) / $5))
}

fmt() { awk -v n="$1" 'BEGIN { if (n >= 1e6) printf "%.2fM", n / 1e6; else printf "%.0fK", n / 1e3 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }

if [ "$what" = all ] || [ "$what" = contest ]; then
    echo "instructions per load (callgrind; the Phoenix job: base.yaml + development.yaml + .env + 11 variables)"
    echo
    echo "| contender | 1x | 10x | 100x | 1x vs confique | 100x vs confique |"
    echo "|---|---:|---:|---:|---:|---:|"
    declare -A ir
    for who in phoenix phoenix-process-env figment config-rs confique; do
        for scale in 1 10 100; do
            k=10; [ "$scale" = 100 ] && k=2
            ir[$who,$scale]=$(per_load 0 0 "$who" "$scale" "$k")
        done
    done
    for who in phoenix phoenix-process-env figment config-rs confique; do
        echo "| $who | $(fmt "${ir[$who,1]}") | $(fmt "${ir[$who,10]}") | $(fmt "${ir[$who,100]}") |" \
            "$(ratio "${ir[$who,1]}" "${ir[confique,1]}") | $(ratio "${ir[$who,100]}" "${ir[confique,100]}") |"
    done
    echo
    echo "phoenix-config per key: 10x $((ir[phoenix,10] / 610)), 100x $((ir[phoenix,100] / 6100)) instructions"
    echo
fi

if [ "$what" = all ] || [ "$what" = shapes ]; then
    echo "phoenix-config, one shape at two sizes: instructions per load and per key (or item)"
    echo
    echo "| shape | 600 | 6,000 | per key at 600 | per key at 6,000 | 6,000 vs 600 |"
    echo "|---|---:|---:|---:|---:|---:|"
    for shape in map merge list; do
        small=$(per_load 0 0 phoenix "$shape-600" 4)
        large=$(per_load 0 0 phoenix "$shape-6000" 2)
        keys=1; [ "$shape" = merge ] && keys=1.5
        a=$(awk -v i="$small" -v k="$keys" 'BEGIN { printf "%.0f", i / (600 * k) }')
        b=$(awk -v i="$large" -v k="$keys" 'BEGIN { printf "%.0f", i / (6000 * k) }')
        echo "| $shape | $(fmt "$small") | $(fmt "$large") | $a | $b | $(ratio "$b" "$a") |"
    done
    big=$(per_load 0 0 phoenix map-40000 1)
    echo
    echo "one map of 40,000 keys: $(fmt "$big") instructions per load"
    echo
fi

if [ "$what" = all ] || [ "$what" = env ]; then
    echo "phoenix-config at 1x, by the size of the environment: instructions per load"
    echo
    echo "| variables | 20 | 200 | 200 vs 20 |"
    echo "|---|---:|---:|---:|"
    # The contest sets 11 (+ PATH, HOME, INJECTED_NOISE): 6 and 186 more make 20 and 200.
    a=$(per_load 6 0 phoenix-process-env 1 10)
    b=$(per_load 186 0 phoenix-process-env 1 10)
    echo "| process environment | $(fmt "$a") | $(fmt "$b") | $(ratio "$b" "$a") |"
    # Injected: the 18 of the contest (11 + 7 unrelated), and 2 or 182 more;
    # a new loader per load (its map of variables built each time), and one
    # loader for every load (the load alone).
    a=$(per_load 0 2 phoenix 1 10)
    b=$(per_load 0 182 phoenix 1 10)
    echo "| injected (\`env_vars\`), a new loader per load | $(fmt "$a") | $(fmt "$b") | $(ratio "$b" "$a") |"
    a=$(per_load 0 2 phoenix-reused 1 10)
    b=$(per_load 0 182 phoenix-reused 1 10)
    echo "| injected (\`env_vars\`), one loader | $(fmt "$a") | $(fmt "$b") | $(ratio "$b" "$a") |"
    echo
fi
