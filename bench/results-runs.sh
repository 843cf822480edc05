#!/usr/bin/env bash
# The runs behind docs/RESULTS.md: the lab's workflow and the PyTorch reference protocol
# (bench/reference/fixres_protocol.py) on the same three datasets, three seeds each.
#
#   bash bench/results-runs.sh prepare      # datasets, scans and selection splits (a few minutes)
#   bash bench/results-runs.sh lab          # the lab's workflows, one after another (hours on 2 cores)
#   bash bench/results-runs.sh torch        # the PyTorch reference, one after another
#   npx tsx bench/results-compare.ts        # tables and charts for docs/RESULTS.md from both
#
# A smaller run for a loaded machine (what docs/RESULTS.md reports now):
#   ONLY=shapes KTRAIN=16 KTESTS=12,16,20,24,28,32,40,48 EPOCHS=12 WARMUP=1 PAYOFF=0 SEEDS=1 \
#     RESULTS_DIR=/tmp/fixres-results-seed1 bash bench/results-runs.sh lab   # and … torch
# ONLY keeps the named datasets; KTRAIN/KTESTS/EPOCHS/WARMUP replace the table's (both engines get
# the same); KLARGE replaces the payoff's large K_train; PAYOFF=0 leaves out the train-large experiment. One RESULTS_DIR per seed lets seeds
# run side by side (bench/results-compare.ts reads several).
#
# Everything runs under `nice -n 15` (NICE to change it) with one compute thread each. RESULTS_DIR (default
# /tmp/fixres-results) holds the data (data/), the lab's folder (home/, FIXRES_HOME) and the
# PyTorch outputs (torch/). A step whose output exists is skipped, so the script can be rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${RESULTS_DIR:-/tmp/fixres-results}
export FIXRES_HOME="$DIR/home" FIXRES_WASM_THREADS=1
PY=${FIXRES_REFERENCE_PYTHON:-/usr/bin/python3}
SEEDS=${SEEDS:-"0 1 2"}
NICE=${NICE:-15}
fixres() { nice -n "$NICE" node bin/fixres.mjs "$@"; }
ONLY=${ONLY:-}
PAYOFF=${PAYOFF:-1}
# Whether a dataset of the table is run (ONLY unset: all of them).
wanted() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

# name | folder | K_train | K_test list | epochs | warm-up (the workflow's defaults for these sizes) | extra lab flags | extra torch flags
DATASETS=(
  "shapes|$DIR/data/shapes|24|16,20,24,28,32,36,40,48,56|20|2|--payoff --k-large 40|--k-large 40"
  "fmnist|$DIR/data/fmnist|20|16,20,24,28,32,36,40,48|10|1||"
  "fmnist-rescaled|$DIR/data/fmnist-rescaled48|24|16,20,24,28,32,36,40,48|10|1||"
)

prepare() {
  mkdir -p "$DIR/data" "$DIR/torch"
  [ -d "$DIR/data/shapes" ] || fixres dataset synth "$DIR/data/shapes" --classes 10 --per-class 500 --size 48 --seed 0
  if wanted fmnist || wanted fmnist-rescaled; then
    [ -d "$DIR/data/fmnist" ] || fixres dataset import fashion-mnist "$DIR/data/fmnist" --per-class 1500 --val-fraction 0.2 --seed 0
    [ -d "$DIR/data/fmnist-rescaled48" ] ||
      nice -n 15 npx tsx bench/fashion-rescaled.ts "$DIR/data/fmnist" "$DIR/data/fmnist-rescaled48" 48 0.45 0
  fi
  for entry in "${DATASETS[@]}"; do
    IFS='|' read -r name folder _ <<<"$entry"
    wanted "$name" || continue
    fixres dataset scan "$folder" >/dev/null
    [ -f "$DIR/data/$name-split.json" ] || npx tsx bench/selection-split.ts "$folder" >"$DIR/data/$name-split.json"
  done
}

lab() {
  for seed in $SEEDS; do
    for entry in "${DATASETS[@]}"; do
      IFS='|' read -r name folder k tests epochs warmup extra _ <<<"$entry"
      wanted "$name" || continue
      k=${KTRAIN:-$k} tests=${KTESTS:-$tests}
      [ -z "${KLARGE:-}" ] || extra="--payoff --k-large $KLARGE"
      [ "$PAYOFF" = 1 ] || extra=""
      local given=()
      [ -z "${EPOCHS:-}" ] || given=(--epochs "$EPOCHS" --warmup "${WARMUP:-0}")
      local wf="$name-k$k-seed$seed"
      if fixres workflow list | grep -q " $wf\$"; then continue; fi
      # shellcheck disable=SC2086
      fixres workflow --dataset "$folder" --name "$wf" --k-train "$k" --seed "$seed" --k-test "$tests" "${given[@]}" $extra --backend wasm \
        >"$DIR/$wf.txt" 2>"$DIR/$wf.log" || echo "workflow $wf failed: see $DIR/$wf.log"
    done
  done
}

torch() {
  for seed in $SEEDS; do
    for entry in "${DATASETS[@]}"; do
      IFS='|' read -r name folder k tests epochs warmup _ extra <<<"$entry"
      wanted "$name" || continue
      k=${KTRAIN:-$k} tests=${KTESTS:-$tests}
      [ -z "${KLARGE:-}" ] || extra="--k-large $KLARGE"
      [ "$PAYOFF" = 1 ] || extra=""
      epochs=${EPOCHS:-$epochs} warmup=${WARMUP:-$warmup}
      local out="$DIR/torch/$name-k$k-seed$seed.json"
      [ -f "$out" ] && continue
      # shellcheck disable=SC2086
      nice -n "$NICE" "$PY" bench/reference/fixres_protocol.py --data "$folder" --selection "$DIR/data/$name-split.json" \
        --k-train "$k" --k-tests "$tests" --width 0.5 --epochs "$epochs" --warmup "$warmup" --lr 0.05 --seed "$seed" \
        $extra --out "$out" >"$DIR/torch/$name-k$k-seed$seed.log" 2>&1 || echo "torch $name seed $seed failed"
    done
  done
}

"${1:?usage: bash bench/results-runs.sh prepare|lab|torch}"
