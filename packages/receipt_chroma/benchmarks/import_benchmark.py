"""`import receipt_chroma` against `import json`, both measured in this run, as a ratio.

Each import runs alternately in fresh interpreters, `--rounds` times. Two measures are taken per
run: `-X importtime`'s cumulative time (wall clock, what the issue names) and the CPU time the
import used (`time.process_time`, which a shared machine's scheduling hardly disturbs). The best
of each is kept. The CPU-time ratio to `import json` is what is held: the run fails above
`--max-ratio`. Absolute times are printed for reference only.

    python packages/receipt_chroma/benchmarks/import_benchmark.py [--rounds 20] [--max-ratio 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass

BASELINE = "json"
HELD = "receipt_chroma"
MODULES = (BASELINE, HELD, "receipt_chroma.storage")
# Measured on a loaded 2-core machine: `import json` 9 ms of CPU, `import receipt_chroma` 21 ms
# (2.3 x). The budget leaves room for noise, not for a new heavy import (importlib.metadata alone
# is 4 x json, dataclasses 2 x).
DEFAULT_MAX_RATIO = 3.0
PROBE = "import time; t = time.process_time(); import {module}; print(time.process_time() - t)"


@dataclass(frozen=True)
class Sample:
    cpu_ms: float
    importtime_ms: float


def measure(module: str) -> Sample:
    """One import of `module` in a fresh interpreter: CPU time and -X importtime cumulative."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROBE.format(module=module)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    for line in reversed(result.stderr.splitlines()):
        _, cumulative, name = (part.strip() for part in line.split("|"))
        if name == module:
            return Sample(cpu_ms=float(result.stdout) * 1000, importtime_ms=int(cumulative) / 1000)
    raise RuntimeError(f"-X importtime printed no line for {module}:\n{result.stderr}")


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--max-ratio", type=float, default=DEFAULT_MAX_RATIO)
    options = parser.parse_args(arguments)
    samples: dict[str, list[Sample]] = {module: [] for module in MODULES}
    for _ in range(options.rounds):
        for module in MODULES:
            samples[module].append(measure(module))
    cpu = {module: min(s.cpu_ms for s in found) for module, found in samples.items()}
    wall = {module: min(s.importtime_ms for s in found) for module, found in samples.items()}
    print(f"best of {options.rounds} runs each")
    print(f"{'import':<24}{'CPU ms':>8}{'x json':>8}{'importtime ms':>15}{'x json':>8}")
    for module in MODULES:
        print(f"{module:<24}{cpu[module]:>8.1f}{cpu[module] / cpu[BASELINE]:>8.2f}"
              f"{wall[module]:>15.1f}{wall[module] / wall[BASELINE]:>8.2f}")  # fmt: skip
    ratio = cpu[HELD] / cpu[BASELINE]
    verdict = "ok" if ratio <= options.max_ratio else "FAIL"
    print(f"{verdict}: import {HELD} costs {ratio:.2f} x import json in CPU time "
          f"(budget {options.max_ratio:.2f}; `python -X importtime -c 'import {HELD}'` shows "
          "what it loads)")  # fmt: skip
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
