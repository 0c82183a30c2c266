#!/usr/bin/env bash
# End-to-end test of cluster execution: start a real single-node SLURM cluster on this machine (Debian's
# munge, slurmctld, slurmd and slurm-client), run part of the workflow (the implicit_bias claims on
# tests/data/config.tiny.yaml) through `--profile profiles/slurm`, check that every result is byte-identical
# to a local run, and stop the daemons again.
#
# Usage (as root, Debian bookworm; about 2-3 minutes):
#   tests/slurm/run_slurm_test.sh [VENV]          VENV defaults to ./.venv of the repository
# It installs the Debian packages itself and the pinned executor plugin into VENV. The cluster's state and
# logs live in a temporary directory; its config must be /etc/slurm/slurm.conf, because the plugin's job step
# (srun inside each job) does not see SLURM_CONF. An existing slurm.conf is moved aside and put back at the end.
# Without an accounting database the plugin must poll with squeue (--slurm-status-command squeue), or it
# never sees a job finish; every Snakemake run is bounded by `timeout -k` (Snakemake ignores SIGTERM while
# it waits on jobs).
set -euo pipefail
SECONDS=0
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=$(cd "${1:-$REPO/.venv}" && pwd)
PLUGIN="snakemake-executor-plugin-slurm==2.8.0"
SNAKEMAKE_LIMIT=${SNAKEMAKE_LIMIT:-420}
WORK=$(mktemp -d /tmp/dln-slurm-test.XXXXXX)
STARTED_PIDFILES=()
log() { echo "[slurm-test t=${SECONDS}s] $*"; }

teardown() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        log "FAILED (exit $rc); logs follow"
        tail -n 40 "$WORK"/slurm/log/*.log 2>/dev/null || true
        find "$WORK/cluster/.snakemake/slurm_logs" -name '*.log' -exec tail -n 30 {} + 2>/dev/null || true
        find "$WORK/cluster/results/logs" -name '*.log' -exec tail -n 20 {} + 2>/dev/null || true
    fi
    for f in "${STARTED_PIDFILES[@]}"; do  # reverse order of start does not matter for these three
        [ -s "$f" ] || continue
        local pid
        pid=$(cat "$f")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    done
    log "daemons stopped"
    if [ -e "$WORK/slurm.conf.orig" ]; then mv -f "$WORK/slurm.conf.orig" /etc/slurm/slurm.conf;
    elif [ -e "$WORK/slurm.conf.ours" ]; then rm -f /etc/slurm/slurm.conf; fi
    [ "$rc" -ne 0 ] || rm -rf "$WORK"
    exit "$rc"
}
trap teardown EXIT

# --- 1. packages and the pinned executor plugin
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
"$VENV/bin/pip" install -q "$PLUGIN"
log "packages installed ($("$VENV/bin/pip" show snakemake-executor-plugin-slurm | grep ^Version))"

# --- 2. munge (Debian's postinst created the key); reuse a running munged, else start one and stop it later
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge && chown munge:munge /run/munge
    [ -s /etc/munge/munge.key ] || { mungekey --create; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
    runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
    STARTED_PIDFILES+=(/run/munge/munged.pid)
    for _ in $(seq 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
fi

# --- 3. a one-node cluster whose config and state live in $WORK/slurm
S="$WORK/slurm"
mkdir -p "$S/state" "$S/spool" "$S/log" "$S/run" /etc/slurm
if [ -e /etc/slurm/slurm.conf ]; then cp -p /etc/slurm/slurm.conf "$WORK/slurm.conf.orig"; else touch "$WORK/slurm.conf.ours"; fi
SLURM_CONF=/etc/slurm/slurm.conf
HOST=$(hostname -s)
NODELINE=$(slurmd -C | head -1)
cat >"$SLURM_CONF" <<CONF
ClusterName=dlnci
SlurmctldHost=${HOST}(127.0.0.1)
SlurmctldPort=6917
SlurmdPort=6918
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/run/slurmctld.pid
SlurmdPidFile=$S/run/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=500
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=300
${NODELINE} NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=ci Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
/usr/sbin/slurmctld -f "$SLURM_CONF"
STARTED_PIDFILES+=("$S/run/slurmctld.pid")
/usr/sbin/slurmd -f "$SLURM_CONF"
STARTED_PIDFILES+=("$S/run/slurmd.pid")
for _ in $(seq 60); do sinfo -h -o %T 2>/dev/null | grep -qx idle && break; sleep 0.5; done
sinfo -h -o %T | grep -qx idle || { log "node never became idle"; sinfo; exit 1; }
log "cluster up: $(sinfo -h -o '%P %D %c %m %T')"

# --- 4. two copies of the repository with the tiny config: one runs locally, one through SLURM
cd "$REPO"
"$VENV/bin/python" - "$WORK" <<'PY'
import sys
from pathlib import Path

sys.path.insert(0, "tests")
from workflow_helpers import copy_repo, tiny_config, write_config

for name in ("local", "cluster"):
    workdir = copy_repo(Path(sys.argv[1]) / name)
    write_config(workdir / "config.tiny.yaml", tiny_config())
PY
TARGETS=(results/claims/sgd_beats_gd.json results/claims/slower_is_sparser.json)
run_snakemake() {  # run_snakemake <copy> <extra args...>
    local dir=$1
    shift
    (cd "$WORK/$dir" && PYTHONPATH="$WORK/$dir/src" MPLBACKEND=Agg timeout -k 30 "$SNAKEMAKE_LIMIT" \
        "$VENV/bin/snakemake" "${TARGETS[@]}" --nolock "$@" --configfile config.tiny.yaml)
}
run_snakemake local --cores 2 >"$WORK/local.log" 2>&1 || { tail -n 60 "$WORK/local.log"; exit 1; }
log "local run done"
run_snakemake cluster --profile profiles/slurm --jobs 4 \
    --slurm-status-command squeue --slurm-init-seconds-before-status-checks 1 \
    --max-status-checks-per-second 1 --latency-wait 5 >"$WORK/cluster.log" 2>&1 ||
    { tail -n 80 "$WORK/cluster.log"; exit 1; }
log "cluster run done"

# --- 5. every job ran as a SLURM job, and the results equal the local run byte for byte
submitted=$(grep -c "Job .* has been submitted with SLURM jobid" "$WORK/cluster.log" || true)
[ "$submitted" -ge 4 ] || { log "expected >= 4 SLURM jobs, saw $submitted"; tail -n 60 "$WORK/cluster.log"; exit 1; }
"$VENV/bin/python" - "$WORK" <<'PY'
import sys
from pathlib import Path

sys.path.insert(0, "tests")
from workflow_helpers import result_files

work = Path(sys.argv[1])
local, cluster = result_files(work / "local"), result_files(work / "cluster")
assert local, "the local run produced no results"
assert sorted(local) == sorted(cluster), (sorted(local), sorted(cluster))
differing = [name for name in local if local[name] != cluster[name]]
assert not differing, f"cluster results differ from the local run: {differing}"
print(f"{len(local)} result files identical: " + ", ".join(sorted(local)))
PY
log "PASSED: $submitted SLURM jobs, results identical to the local run"
