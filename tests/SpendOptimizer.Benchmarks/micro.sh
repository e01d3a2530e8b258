#!/usr/bin/env bash
# In-process micro-benchmarks with BenchmarkDotNet (short-run job, memory diagnoser), appended to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/micro.sh [FILTER]   (default '*': every benchmark class)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/SpendOptimizer.Benchmarks -c Release -nologo -clp:ErrorsOnly
artifacts=$(mktemp -d /tmp/spendopt-bdn.XXXXXX)
trap 'rm -rf "$artifacts"' EXIT
(cd tests/SpendOptimizer.Benchmarks/bin/Release/net10.0 &&
  dotnet SpendOptimizer.Benchmarks.dll micro --filter "${1:-*}" --artifacts "$artifacts" >&2)
{
  echo
  echo "## Micro-benchmarks (BenchmarkDotNet) — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'). Command: \`tests/SpendOptimizer.Benchmarks/micro.sh ${1:-}\`."
  for report in "$artifacts"/results/*-report-github.md; do
    echo
    sed -n '/^|/,$p' "$report" | sed 's/\*\*//g'   # BenchmarkDotNet bolds each group's first row
  done
} | tee -a BENCHMARKS.md
