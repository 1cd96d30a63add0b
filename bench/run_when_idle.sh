#!/bin/sh
# Runs a command once the CPUs are idle, for timings on a shared machine.
#
#   bench/run_when_idle.sh [-m MINUTES] COMMAND [ARGUMENT...]
#
# Every 10 seconds, measures over 3 seconds the share of CPU time that all processes
# used, from the first line of /proc/stat. When it is below 15 %, runs COMMAND and exits
# with its status. Exits with status 1, without running it, when the machine did not
# become idle within MINUTES (default 60).
set -eu

minutes=60
if [ "${1:-}" = "-m" ]; then
  minutes=$2
  shift 2
fi
if [ $# -eq 0 ]; then
  echo "usage: bench/run_when_idle.sh [-m MINUTES] COMMAND [ARGUMENT...]" >&2
  exit 2
fi

# Prints the busy share of all CPUs over the next 3 seconds, in percent.
busy_percent() {
  before=$(head -n 1 /proc/stat)
  sleep 3
  after=$(head -n 1 /proc/stat)
  printf '%s\n%s\n' "$before" "$after" | awk '
    { idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i }
    NR == 1 { idle0 = idle; total0 = total }
    NR == 2 { printf "%d\n", 100 * (1 - (idle - idle0) / (total - total0)) }'
}

deadline=$(( $(date +%s) + 60 * minutes ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  busy=$(busy_percent)
  if [ "$busy" -lt 15 ]; then
    echo "run_when_idle: CPUs ${busy} % busy at $(date -u +%H:%M:%S); running $*" >&2
    exec "$@"
  fi
  sleep 10
done
echo "run_when_idle: the CPUs were not idle within ${minutes} minutes; $1 did not run" >&2
exit 1
