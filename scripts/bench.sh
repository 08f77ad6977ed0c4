#!/usr/bin/env bash
# bench.sh compares `jobfam validate` with `cue vet` of the same schema over
# the same synthetic families (scripts/genfamilies), as CUE for jobfam and as
# JSON for cue vet, and prints Markdown tables: wall time, CPU time and peak
# RSS of each, their ratios, and the targets of issues 2 and 12 with PASS or
# FAIL. docs/performance.md reports a run.
#
# jobfam runs three ways, each in its own cache folder (--cache):
#   cold   the cache emptied before the run: every family is checked, and
#          its result written;
#   warm   nothing changed since the last run: every result is read back;
#   one    one family changed since the last run (a comment line added to
#          it): that family is checked again, the others read back.
#
# Usage: scripts/bench.sh            (from anywhere in the repository)
#   REPS=5               runs of each command per size; median and min reported
#   SIZES="1000 10000"   family counts
#   SHAPE=years          genfamilies -shape: years (years of experience in
#                        most requirements, as many real pages) or seed
#   CUE_VERSION=v0.17.1  the cue command to compare with
#   MAXTRIES=5           attempts per run when a command crashes (panics);
#                        crashes are counted and reported under the table
#
# All commands run in the same session, interleaved: each repetition runs
# every size with every command, and the order of the commands rotates, so
# that noise from other tenants of the machine falls on all alike. One
# untimed run of each command first warms the page cache and checks that it
# exits 0: a benchmark of a failing validation measures nothing.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
reps=${REPS:-5}
sizes=${SIZES:-"1000 10000"}
cue_version=${CUE_VERSION:-v0.17.1}
maxtries=${MAXTRIES:-5}
shape=${SHAPE:-years}
tools="cold warm one cue"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jobfam-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

log() { printf '%s\n' "$*" >&2; }

log "building jobfam and genfamilies, installing cue $cue_version ..."
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git status --porcelain --untracked-files=no 2>/dev/null) ]] || commit+=" with uncommitted changes"
go build -o "$tmp/jobfam" ./cmd/jobfam
go build -o "$tmp/genfamilies" ./scripts/genfamilies
GOBIN=$tmp/bin go install "cuelang.org/go/cmd/cue@$cue_version"
cue=$tmp/bin/cue

# Peak RSS (KiB) and CPU time (user + system seconds) come from GNU time's
# %M %U %S. Without it, a small Go program reads the child's rusage instead.
if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%M %U %S' -o /dev/null true 2>/dev/null; then
	peak() { /usr/bin/time -f '%M %U %S' -o "$1" "${@:2}"; }
else
	mkdir -p "$tmp/rusage"
	cat >"$tmp/rusage/main.go" <<'EOF'
// Command rusage runs a command and writes its peak RSS in KiB and its user
// and system CPU seconds to a file, as GNU time -f '%M %U %S' does.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "rusage:", err)
		os.Exit(127)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if err := os.WriteFile(os.Args[1], []byte(fmt.Sprintf("%d %.2f %.2f\n", ru.Maxrss, cmd.ProcessState.UserTime().Seconds(), cmd.ProcessState.SystemTime().Seconds())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "rusage:", err)
		os.Exit(127)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}
EOF
	(cd "$tmp/rusage" && go mod init rusage >/dev/null 2>&1 && go build -o "$tmp/rusage-bin" .)
	peak() { "$tmp/rusage-bin" "$@"; }
fi

for n in $sizes; do
	log "generating $n families as CUE and as JSON ..."
	"$tmp/genfamilies" -n "$n" -shape "$shape" -out "$tmp/cue$n" -format cue
	"$tmp/genfamilies" -n "$n" -shape "$shape" -out "$tmp/json$n" -format json
	# one edits its own copy, so that nothing changes for warm.
	cp -r "$tmp/cue$n" "$tmp/one$n"
done

# measure TOOL N runs one command on N families and appends "wall-seconds
# peak-KiB cpu-seconds" to $tmp/TOOL-N. jobfam reads the repository's schema
# explicitly (the data folder has no schema/ beside it) and runs all its
# rules, with its cache in $tmp/cache-TOOL-N: kept for warm, and kept for
# one after a comment is added to one family of its own copy of the folder
# (the family changes, from run to run, to a text it never had). Each cold
# run gets a new, empty folder instead: emptying one by deleting thousands
# of entries just before the run would measure the file system, not
# jobfam, as ext4 makes new files slowly while many inodes were freed
# within the last seconds (docs/performance.md). cue vet
# validates each JSON file on its own against #Family of the same two
# schema files (with -d, data files are not merged: see `cue help inputs`),
# checking concreteness as it does by default. It runs in the data folder so
# that the file list is relative: 10,000 paths of 27 bytes stay far below
# ARG_MAX. The file list is expanded, the cache emptied and the family
# edited before the clock starts.
measure() {
	local tool=$1 n=$2 dir start end
	local -a cmd
	case $tool in
	cue)
		dir=$tmp/json$n
		cd "$dir"
		cmd=("$cue" vet -d '#Family' "$root"/schema/*.cue dept-*/family-*.json)
		cd "$root"
		;;
	*)
		dir=$root
		local fams=$tmp/cue$n cache=$tmp/cache-$tool-$n
		case $tool in
		cold) cache=$tmp/cache-$tool-$n-$((++colds)) ;;
		one)
			fams=$tmp/one$n
			printf '// edit %s\n' "$((++edits))" >>"$fams/dept-00/family-00000.cue"
			;;
		esac
		cmd=("$tmp/jobfam" validate --cache "$cache" --schema "$root/schema" "$fams")
		;;
	esac
	for ((try = 1; ; try++)); do
		start=$(date +%s%N)
		if (cd "$dir" && peak "$tmp/rss" "${cmd[@]}") >"$tmp/out" 2>&1; then
			break
		fi
		# A crash is counted and the run repeated, up to maxtries times;
		# findings or a usage error mean the comparison is void.
		if ! grep -qE '^(panic: |fatal error: )' "$tmp/out" || ((try == maxtries)); then
			log "$tool on $n families failed:"
			head -20 "$tmp/out" >&2
			exit 1
		fi
		log "$tool on $n families crashed (attempt $try): $(grep -m1 -E '^(panic: |fatal error: )' "$tmp/out")"
		echo >>"$tmp/crashes-$tool-$n"
		[[ -f $tmp/crash-$tool-$n.txt ]] || cp "$tmp/out" "$tmp/crash-$tool-$n.txt"
	done
	end=$(date +%s%N)
	awk -v ns=$((end - start)) '{ printf "%.3f %d %.2f\n", ns / 1e9, $1, $2 + $3 }' <(tail -1 "$tmp/rss") >>"$tmp/$tool-$n"
}

edits=0 colds=0
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "warm-up and validity check ..."
for n in $sizes; do
	for tool in $tools; do
		measure "$tool" "$n"
		rm -f "$tmp/$tool-$n"
	done
done

# rotate R prints the tools starting at the R-th, wrapping around.
rotate() {
	local -a all=($tools)
	local i k=${#all[@]}
	for ((i = 0; i < k; i++)); do printf '%s ' "${all[(i + $1) % k]}"; done
}

for ((r = 1; r <= reps; r++)); do
	log "repetition $r of $reps ..."
	for n in $sizes; do
		for tool in $(rotate "$r"); do
			measure "$tool" "$n"
		done
	done
done

# summary FILE COLUMN median|min|max
summary() {
	cut -d' ' -f"$2" "$1" | sort -g | awk -v what="$3" '
		{ v[NR] = $1 }
		END {
			if (what == "min") print v[1]
			else if (what == "max") print v[NR]
			else if (NR % 2) print v[(NR + 1) / 2]
			else print (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

printf '\njobfam built from %s; %s-shaped families; %d runs of each command per size (after one warm-up run), interleaved; %s CPUs.\n\n' "$commit" "$shape" "$reps" "$(nproc)"
printf '| families | command | wall median (s) | wall min (s) | families/s (median) | CPU user+sys median (s) | peak RSS median (MiB) | peak RSS max (MiB) |\n'
printf '|---:|---|---:|---:|---:|---:|---:|---:|\n'
name() {
	case $1 in
	cold) echo "\`jobfam validate\`, cold (empty cache)" ;;
	warm) echo "\`jobfam validate\`, warm, nothing changed" ;;
	one) echo "\`jobfam validate\`, warm, one family changed" ;;
	cue) echo "\`cue vet\` $cue_version" ;;
	esac
}
for n in $sizes; do
	for tool in $tools; do
		f=$tmp/$tool-$n
		med=$(summary "$f" 1 median)
		printf '| %s | %s | %.3f | %.3f | %.0f | %.2f | %.0f | %.0f |\n' "$n" "$(name "$tool")" "$med" "$(summary "$f" 1 min)" \
			"$(calc %.1f "$n / $med")" "$(summary "$f" 3 median)" "$(calc %.1f "$(summary "$f" 2 median) / 1024")" "$(calc %.1f "$(summary "$f" 2 max) / 1024")"
	done
done

set -- $sizes
small=$1 large=${!#}
printf '\n| ratio | median | min |\n|---|---:|---:|\n'
for n in $sizes; do
	for tool in cold warm one; do
		printf '| jobfam %s / cue vet, %s families | %.3f | %.3f |\n' "$tool" "$n" \
			"$(calc %.4f "$(summary "$tmp/$tool-$n" 1 median) / $(summary "$tmp/cue-$n" 1 median)")" \
			"$(calc %.4f "$(summary "$tmp/$tool-$n" 1 min) / $(summary "$tmp/cue-$n" 1 min)")"
	done
done
if [[ $small != "$large" ]]; then
	for tool in cold cue; do
		printf '| %s, %s / %s families | %.2f | %.2f |\n' "$tool" "$large" "$small" \
			"$(calc %.4f "$(summary "$tmp/$tool-$large" 1 median) / $(summary "$tmp/$tool-$small" 1 median)")" \
			"$(calc %.4f "$(summary "$tmp/$tool-$large" 1 min) / $(summary "$tmp/$tool-$small" 1 min)")"
	done
fi

# The targets of the issues, when the sizes measured include them: issue 2
# (jobfam without a cache, here cold) and issue 12 (cold, warm and one).
target() { printf '| %s | %s | %s |\n' "$1" "$2" "$(awk "BEGIN { print ($3) ? \"PASS\" : \"FAIL\" }")"; }
ratio() { calc %.4f "$(summary "$tmp/$1-$2" 1 median) / $(summary "$tmp/cue-$2" 1 median)"; }
if [[ " $sizes " == *" 1000 "* || " $sizes " == *" 10000 "* ]]; then
	printf '\n| target (medians) | measured | result |\n|---|---:|---|\n'
fi
if [[ " $sizes " == *" 1000 "* ]]; then
	r=$(ratio cold 1000)
	target "issue 2: 1,000 families: jobfam wall time <= 1/2 of cue vet's" "$(calc %.2f "$r")x" "$r <= 0.5"
	target "issue 12: 1,000 families, cold: <= 0.3x cue vet" "$(calc %.3f "$r")x" "$r <= 0.3"
	r=$(ratio warm 1000)
	target "issue 12: 1,000 families, warm, nothing changed: <= 0.05x cue vet" "$(calc %.3f "$r")x" "$r <= 0.05"
	r=$(ratio one 1000)
	target "issue 12: 1,000 families, warm, one changed: <= 0.1x cue vet" "$(calc %.3f "$r")x" "$r <= 0.1"
fi
if [[ " $sizes " == *" 10000 "* ]]; then
	j=$(summary "$tmp/cold-10000" 1 median) m=$(summary "$tmp/cold-10000" 2 median)
	target "issue 2: 10,000 families: jobfam wall time < 10 s" "$(calc %.2f "$j") s" "$j < 10"
	target "issue 2: 10,000 families: jobfam peak RSS < 1 GiB" "$(calc %.0f "$m / 1024") MiB" "$m < 1048576"
	target "issue 12: 10,000 families, cold: wall time < 3 s" "$(calc %.2f "$j") s" "$j < 3"
	target "issue 12: 10,000 families, cold: peak RSS < 500 MiB" "$(calc %.0f "$m / 1024") MiB" "$m < 512000"
fi
if [[ " $sizes " == *" 1000 "* && " $sizes " == *" 10000 "* ]]; then
	r=$(calc %.4f "$(summary "$tmp/cold-10000" 1 median) / $(summary "$tmp/cold-1000" 1 median)")
	target "issue 2: 10x families: jobfam time <= 11x" "$(calc %.2f "$r")x" "$r <= 11"
fi
printf '\nLoad average before: %s; after: %s.\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
for f in "$tmp"/crashes-*; do
	[[ -e $f ]] || continue
	name=${f#"$tmp"/crashes-}
	printf '\n**%s families: %s crashed in %d runs** (each repeated; crashed runs are not in the tables). First crash:\n\n```\n' "${name#*-}" "${name%%-*}" "$(wc -l <"$f")"
	grep -m1 -A12 -E '^(panic: |fatal error: )' "$tmp/crash-$name.txt"
	printf '```\n'
done
