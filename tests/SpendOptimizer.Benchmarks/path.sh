#!/usr/bin/env bash
# Path MIP solve time at 10, 50 and 200 channels × 13 weeks (median and p90 of COUNT seeded problems, each size in its own
# process so its peak memory is its own), appended to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/path.sh [COUNT]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/SpendOptimizer.Benchmarks -c Release -nologo -clp:ErrorsOnly
dll=tests/SpendOptimizer.Benchmarks/bin/Release/net10.0/SpendOptimizer.Benchmarks.dll
rows=$(for channels in 10 50 200; do dotnet "$dll" path "$channels" 13 "${1:-5}"; done)
{
  echo
  echo "## Path MIP solve time — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'). SCIP through Google.OrTools, the service's defaults: gap 1e-4, time limit 10 s, chords within 1e-4."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/path.sh ${1:-5}\`. Problems: seeded Hill curves over adstock (α 0.7–2.5, θ 0–0.7), start adstock near the steady state, band 10–20%, weekly budget equal to today's total, per-line payback ≤ 24 months and CLV:CAC ≥ 1.5, 5% of lines locked. Each solve includes building the model, the starting path and reading the path; gaps are over the problems that found a path; peak memory is the process's peak working set (native solver included)."
  echo
  echo "| channels × weeks | problems | median | p90 | slowest | with a path | optimal | median gap | worst gap | binaries (last) | peak memory |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  echo "$rows"
} | tee -a BENCHMARKS.md
