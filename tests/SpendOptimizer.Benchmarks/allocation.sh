#!/usr/bin/env bash
# Allocation MIP solve time at 10, 50, 200 and 1,000 lines (median of REPEATS seeded problems), appended to BENCHMARKS.md.
#   tests/SpendOptimizer.Benchmarks/allocation.sh [REPEATS]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/SpendOptimizer.Benchmarks -c Release -nologo -clp:ErrorsOnly
rows=$(dotnet tests/SpendOptimizer.Benchmarks/bin/Release/net10.0/SpendOptimizer.Benchmarks.dll allocation "${1:-15}")
{
  echo
  echo "## Allocation MIP solve time — $(date -u +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p'). SCIP through Google.OrTools; each solve includes presolve, the MIP, the pricing LP and reading the plan."
  echo "Command: \`tests/SpendOptimizer.Benchmarks/allocation.sh ${1:-15}\`. Problems: seeded Hill curves (α 0.7–2.5, so many are S-shaped over the band), band 10–20%, equal budget, per-line payback ≤ 24 months and CLV:CAC ≥ 1.5, 5% of lines locked; caution 0.4: each line weighted as the service does, from 200 draws of a factor with sd 30%; blended: the same limits on the plan as a whole too. Options: keep or a stretch of a move, summed over lines; binaries: what is left for SCIP to branch on after options are fixed by the budget's price (\`OptionFixing\`)."
  echo
  echo "| lines | caution | limits | median | fastest | slowest | status (last) | options → binaries | constraints | gap | pwl error / objective |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  echo "$rows"
} | tee -a BENCHMARKS.md
