#!/usr/bin/env bash
# tests/attack/links/run.sh -- `make test`: the hostile review's attacks on
# links (each script plays fake peers against real build/clio nodes and
# exits 1 while what it attacks is broken; see FINDINGS.md), on build/clio
# (asan_console_exit.sh on build/asan/clio).
set -u
BUILD=${BUILD:-build}
dir=$(dirname "$0")
clio=$PWD/$BUILD/clio
status=0
for t in "$dir"/*.py "$dir"/*.sh; do
    name=$(basename "$t")
    case $name in lpeer.py|run.sh) continue ;; esac
    case $name in
        asan_console_exit.sh) cmd=(env CLIO="$PWD/$BUILD/asan/clio" bash "$t") ;;
        *.sh) cmd=(env CLIO="$clio" bash "$t") ;;
        *) cmd=(env CLIO="$clio" python3 "$t") ;;
    esac
    if out=$(timeout 200 "${cmd[@]}" 2>&1); then
        echo "  $name: $(echo "$out" | tail -1)"
    else
        echo "  $name: FAILED"; echo "$out" | tail -15 | sed 's/^/    /'; status=1
    fi
done
exit $status
