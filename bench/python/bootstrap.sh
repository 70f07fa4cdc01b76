#!/usr/bin/env bash
# Prepares the Python side of the benchmarks on a fresh Debian machine and prints the interpreter to use.
#
# PyTorch: PyPI's default torch wheel pulls several GB of CUDA packages and the CPU-only wheels are not
# on PyPI, so we use Debian's python3-torch (1.13, CPU) with OpenBLAS (without libopenblas0-pthread it
# falls back to the much slower reference BLAS). Flower comes from PyPI into bench/.venv, which sees
# Debian's torch through --system-site-packages. numpy stays below 2 because Debian's torch 1.13 was
# built against numpy 1.x.
#
# Usage: bench/python/bootstrap.sh            (progress on stderr, the venv's python path on stdout)
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$bench_dir/.venv"
system_python=/usr/bin/python3
flwr_spec='flwr[simulation]==1.41.0'  # 1.42 needs a certifi newer than the registry serves here

log() { echo "[bench:python] $*" >&2; }

has_debian_torch() {
  "$system_python" -c 'import torch' >/dev/null 2>&1 && dpkg -s libopenblas0-pthread >/dev/null 2>&1
}

if ! has_debian_torch; then
  if [ "$(id -u)" != 0 ]; then
    log "need Debian packages python3-torch libopenblas0-pthread python3-venv (run as root or install them)"
    exit 1
  fi
  log "installing Debian packages python3-torch libopenblas0-pthread python3-venv (a few minutes)…"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch libopenblas0-pthread python3-venv python3-pip >&2
fi

if [ ! -x "$venv/bin/python" ]; then
  log "creating $venv (with Debian's site packages for torch)…"
  "$system_python" -m venv --system-site-packages "$venv" >&2
fi

if ! "$venv/bin/python" -c 'import flwr, ray' >/dev/null 2>&1; then
  log "installing $flwr_spec (Flower with its Ray simulation engine) into $venv…"
  # Without Ray the flower benchmark cannot run (it uses Flower's simulation engine): fail loudly.
  "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar on "$flwr_spec" 'numpy<2' >&2 \
    || { log "could not install $flwr_spec; the training benchmark's PyTorch baseline still works with Debian's python3-torch"; exit 1; }
fi

"$venv/bin/python" -c 'import torch, flwr, ray, numpy' >&2
echo "$venv/bin/python"
